"""Markdown for news copy, safe by construction.

Writers type Markdown; readers get HTML. Everything between the two is
decided here so that no other module has to think about XSS:

* CommonMark plus tables and strikethrough, with the typographer on (curly
  quotes, ``--`` → en dash, ``---`` → em dash, ``...`` → ellipsis).  The
  ``(c)``/``(r)``/``(tm)`` symbol replacements are deliberately *off*:
  "Sen. Jane Doe (R)" must never become "Sen. Jane Doe ®", nor "options (a),
  (b) and (c)" end in "©".  A straight quote that smartquotes left unpaired is
  finished by house rule: ``'`` is an elision (``'90s``, ``'Tis``) and becomes
  ’; ``"`` opens (“) at the start of a paragraph or after a space – the
  multi-paragraph-quote convention – and closes (”) otherwise.
* Raw HTML is never passed through (``html=False``, the HTML rules are
  disabled and their renderers escape anyway): ``<script>`` shows as text.
* URLs are allow-listed, not deny-listed.  Links may use ``http:``,
  ``https:``, ``mailto:``, or be relative (path, ``//host``, ``?query``,
  ``#fragment``).  Images may use ``http:``, ``https:``, relative paths,
  ``desk-asset:<64 hex digits>`` (our store) and
  ``data:image/{png,jpeg,gif,webp};base64,…`` – raster only, because SVG can
  carry script.  Everything else (``javascript:``, ``vbscript:``, ``file:``,
  ``data:`` links, ``tel:``…) is refused.
* Obfuscation is judged the way a browser would *and* more suspiciously: the
  URL is checked as the browser parses it (tab/newline removed, C0/space
  trimmed) and again after decoding HTML entities and percent-encoding,
  NFKC-folding and dropping every control/invisible character.  Any view that
  reveals a disallowed scheme, or a colon before the first ``/?#`` of a
  "relative" URL, refuses it.  That over-refuses a few odd relative names
  (``a%3Ab``); writers can live with that, readers cannot live with XSS.
* A refused link renders as its text (the writer's words survive, without a
  link); a refused image renders as its alt text.  :meth:`NewsMarkdown.links`
  reports every URL with the reason so the pre-export checklist can show it.
* External links (http/https or ``//host`` to a host other than the site's,
  ignoring a leading ``www.``) get ``rel="noopener noreferrer"``; ``target``
  is never set so readers decide where a link opens.
* The page owns h1 (headline) and h2 (section subheadings), so a heading in a
  section body renders one level down and never above h3: ``#`` and ``##`` →
  h3, ``###`` → h4, ``####`` → h5, deeper → h6.  Writers type ``##`` for "a
  subheading" and get the first level that fits under the section.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import smartquotes
from markdown_it.rules_core.replacements import RARE_RE, replace_rare
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

__all__ = ["LinkCheck", "NewsMarkdown", "is_safe_image_src", "is_safe_link", "typeset"]

Kind = Literal["link", "image"]

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_DESK_ASSET_RE = re.compile(r"^desk-asset:[0-9a-fA-F]{64}$")
_DATA_IMAGE_RE = re.compile(r"^(?i:data:image/(?:png|jpeg|gif|webp);base64,)[A-Za-z0-9+/]+={0,2}$")
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE_SCHEMES = frozenset({"http", "https"})
# Characters a browser ignores or a reader cannot see: C0/C1 controls, spaces,
# zero-width and bidi marks, soft hyphen, BOM.
_INVISIBLE_RE = re.compile(
    r"[\x00-\x20\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\s]"
)
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_ENV_KEY = "desk_link_checks"


@dataclass(frozen=True)
class LinkCheck:
    """One URL found in the copy, with the verdict the renderer applied to it."""

    url: str
    kind: Kind
    ok: bool
    reason: str
    #: An image's alt text as the reader gets it (empty for links).
    alt: str = ""


def _browser_view(url: str) -> str:
    # WHATWG URL parsing: trim leading/trailing C0 controls and spaces, drop
    # ASCII tab and newline anywhere.
    return re.sub(r"[\t\n\r]", "", url.strip(_C0_AND_SPACE))


def _suspicious_view(url: str) -> str:
    decoded = url
    for _ in range(5):  # entities and percent-encoding can be nested
        again = unquote(html.unescape(decoded))
        if again == decoded:
            break
        decoded = again
    return _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", decoded))


def _scheme(view: str) -> str | None:
    m = _SCHEME_RE.match(view)
    return m.group(1).lower() if m else None


def _colon_before_path(view: str) -> bool:
    head = re.split(r"[/?#\\]", view, maxsplit=1)[0]
    return ":" in head


def _classify(url: str, kind: Kind) -> tuple[bool, str]:
    """Decide whether *url* may appear as an href (link) or src (image), and say why."""
    browser = _browser_view(url)
    if not browser:
        return False, "empty URL"
    views = (browser, _suspicious_view(url), _suspicious_view(browser))
    scheme = _scheme(browser)
    for view in views:
        other = _scheme(view)
        if other is not None and other != scheme:
            return (
                False,
                f"obfuscated scheme {other!r} (hidden by encoding or invisible characters)",
            )
    if scheme is None and any(_colon_before_path(view) for view in views):
        return False, "ambiguous URL: a colon before the first '/' looks like a hidden scheme"
    if scheme is None:
        if browser.startswith(("//", "\\\\", "/\\", "\\/")):
            return True, "protocol-relative URL"
        return True, "fragment" if browser.startswith("#") else "relative URL"
    if kind == "image":
        if scheme == "desk-asset":
            if _DESK_ASSET_RE.match(browser):
                return True, "desk asset"
            return False, "malformed desk-asset reference (expects 64 hex digits)"
        if scheme == "data":
            if _DATA_IMAGE_RE.match(browser):
                return True, "inline raster image"
            return (
                False,
                "data: images must be base64 PNG, JPEG, GIF or WebP (SVG can carry script)",
            )
        if scheme in _IMAGE_SCHEMES:
            return True, f"{scheme} image"
        return False, f"scheme {scheme + ':'!r} is not allowed for images"
    if scheme in _LINK_SCHEMES:
        return True, f"{scheme} link"
    if scheme == "data":
        return False, "data: URLs are not allowed for links"
    return False, f"scheme {scheme + ':'!r} is not allowed for links"


def is_safe_link(url: str) -> bool:
    """True when *url* may be an ``href``: http(s), mailto, or relative/fragment."""
    return _classify(url, "link")[0]


def is_safe_image_src(url: str) -> bool:
    """True when *url* may be an ``img src``: http(s), relative, desk-asset, raster data."""
    return _classify(url, "image")[0]


def _host_key(host: str) -> str:
    host = host.lower().rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    return host.removeprefix("www.")


def _finish_orphan_quotes(state: StateCore) -> None:
    """Give straight quotes that smartquotes left unpaired their house-style shape."""
    if not state.md.options.typographer:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        prev = ""
        in_autolink = False
        for tok in block.children:
            if tok.type == "link_open" and tok.info == "auto":
                in_autolink = True
            elif tok.type == "link_close" and tok.info == "auto":
                in_autolink = False
            elif (
                tok.type == "text"
                and not in_autolink
                and ("'" in tok.content or '"' in tok.content)
            ):
                out = []
                for ch in tok.content:
                    if ch == "'":
                        ch = "\u2019"
                    elif ch == '"':
                        opens = (
                            not prev or prev.isspace() or prev in "([{\u2018\u201c\u2014\u2013-/"
                        )
                        ch = "\u201c" if opens else "\u201d"
                    out.append(ch)
                    prev = ch
                tok.content = "".join(out)
                continue
            if tok.type in ("text", "text_special", "code_inline") and tok.content:
                prev = tok.content[-1]
            elif tok.type in ("softbreak", "hardbreak"):
                prev = " "


def _news_replacements(state: StateCore) -> None:
    """markdown-it's replacements minus (c)/(r)/(tm): "(R)" is a party label in news copy."""
    if not state.md.options.typographer:
        return
    for token in state.tokens:
        if token.type == "inline" and token.children and RARE_RE.search(token.content):
            replace_rare(token.children)


_TYPOGRAPHY_CHARS = re.compile(r"['\"]|--|\.\.\.|\?\.\.|!\.\.|\+-")

_LANG_CHARS = re.compile(r"[^A-Za-z0-9_+#.-]")


def _tidy_fence_info(state: StateCore) -> None:
    """A code fence's language becomes a CSS class: keep it a plain name.

    ``~~~javascript:`` would otherwise put ``language-javascript:`` in the
    page; harmless as a class, but nothing a writer means, and no URL-like
    text should reach an attribute.
    """
    for tok in state.tokens:
        if tok.type == "fence" and tok.info:
            name, _, _rest = tok.info.strip().partition(" ")
            tok.info = _LANG_CHARS.sub("", name)


#: Blocks whose text direction the browser should take from their own first
#: strong letter: an Arabic paragraph in an English article reads right to left.
_DIRECTED_BLOCKS = frozenset(
    {
        "paragraph_open",
        "heading_open",
        "blockquote_open",
        "bullet_list_open",
        "ordered_list_open",
        "list_item_open",
        "th_open",
        "td_open",
    }
)


def _direction_auto(state: StateCore) -> None:
    for tok in state.tokens:
        if tok.type in _DIRECTED_BLOCKS and not tok.hidden:
            tok.attrSet("dir", "auto")


def _shift_headings(state: StateCore) -> None:
    for tok in state.tokens:
        if tok.type in ("heading_open", "heading_close"):
            level = int(tok.tag[1:])
            tok.tag = f"h{min(6, max(3, level + 1))}"


class NewsMarkdown:
    """The one Markdown renderer for article bodies (preview, export, word counts)."""

    def __init__(
        self,
        site_base_url: str = "",
        asset_url: Callable[[str], str] | None = None,
        *,
        direction_auto: bool = False,
    ) -> None:
        """``direction_auto`` marks every block ``dir="auto"``, as the site page wants."""
        base_host = urlsplit(site_base_url).hostname if site_base_url else None
        self._site_host = _host_key(base_host) if base_host else None
        self._asset_url = asset_url
        md = MarkdownIt("commonmark", {"html": False, "typographer": True, "linkify": False})
        md.enable(["table", "strikethrough", "replacements", "smartquotes"])
        md.disable(["html_block", "html_inline"])
        # URLs are judged after parsing by _sanitize_links, so a refused link keeps
        # its words and can be reported; at parse time every destination is kept.
        md.validateLink = lambda url: True  # type: ignore[method-assign]
        md.core.ruler.at("replacements", _news_replacements)
        md.core.ruler.after("smartquotes", "desk_orphan_quotes", _finish_orphan_quotes)
        md.core.ruler.push("desk_headings", _shift_headings)
        md.core.ruler.push("desk_links", self._sanitize_links)
        md.core.ruler.push("desk_fence_info", _tidy_fence_info)
        if direction_auto:
            md.core.ruler.push("desk_direction", _direction_auto)
        md.add_render_rule("link_open", _render_link_open)
        md.add_render_rule("image", lambda renderer, *args: self._render_image(renderer, *args))
        md.add_render_rule("html_block", _render_raw_html)
        md.add_render_rule("html_inline", _render_raw_html)
        self._md = md

    # -- public API ---------------------------------------------------------

    def render(self, text: str) -> str:
        """HTML fragment for a section body; safe to drop into the page template."""
        return self._md.render(text, {})

    def plain_text(self, text: str) -> str:
        """What a reader sees as text, so word counts and snippets match the page."""
        parts: list[str] = []
        for tok in self._md.parse(text, {}):
            if tok.type == "inline":
                parts.append(_inline_text(tok.children or []))
            elif tok.type in ("code_block", "fence"):
                parts.append(tok.content + "\n\n")
            elif tok.type in ("paragraph_close", "heading_close", "table_close"):
                parts.append("\n\n")
            elif tok.type in ("th_close", "td_close"):
                parts.append("\t")
            elif tok.type == "tr_close":
                parts.append("\n")
        lines = "\n".join(line.strip() for line in "".join(parts).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", lines).strip()

    def typeset(self, text: str) -> str:
        """A plain-text field (headline, standfirst, caption) with the body's typography.

        Curly quotes, dashes and ellipses follow the same rules as in section
        bodies, so a standfirst never shows straight quotes under a body with
        curly ones; nothing else of Markdown applies (``*`` stays a star).
        """
        if not _TYPOGRAPHY_CHARS.search(text):
            return text
        child = Token("text", "", 0)
        child.content = text
        inline = Token("inline", "", 0)
        inline.content, inline.children = text, [child]
        state = StateCore(text, self._md, {}, [inline])
        _news_replacements(state)
        smartquotes(state)
        _finish_orphan_quotes(state)
        return child.content

    def links(self, text: str) -> list[LinkCheck]:
        """Every link and image URL in document order, for the pre-export checklist."""
        env: dict[str, Any] = {}
        self._md.parse(text, env)
        return list(env.get(_ENV_KEY, []))

    # -- internals ----------------------------------------------------------

    def _is_external(self, href: str) -> bool:
        if _scheme(href) not in (None, "http", "https"):
            return False
        normalized = href.replace("\\", "/")
        if _scheme(normalized) is None and not normalized.startswith("//"):
            return False
        try:
            host = urlsplit(normalized).hostname
        except ValueError:
            return True
        return not host or self._site_host is None or _host_key(host) != self._site_host

    def _sanitize_links(self, state: StateCore) -> None:
        checks: list[LinkCheck] = state.env.setdefault(_ENV_KEY, [])
        for block in state.tokens:
            if block.type == "inline" and block.children:
                block.children = self._sanitize_inline(block.children, checks)

    def _sanitize_inline(self, children: list[Token], checks: list[LinkCheck]) -> list[Token]:
        out: list[Token] = []
        kept: list[bool] = []  # links cannot nest, but be exact about open/close pairs
        for tok in children:
            if tok.type == "link_open":
                href = str(tok.attrGet("href") or "")
                ok, reason = _classify(href, "link")
                if ok and self._is_external(href):
                    tok.attrSet("rel", "noopener noreferrer")
                    reason = f"external {reason}"
                elif ok and _scheme(href) in ("http", "https"):
                    reason = f"internal {reason}"
                checks.append(LinkCheck(href, "link", ok, reason))
                kept.append(ok)
                if ok:
                    out.append(tok)
            elif tok.type == "link_close":
                if kept.pop() if kept else False:
                    out.append(tok)
            elif tok.type == "image":
                src = str(tok.attrGet("src") or "")
                ok, reason = _classify(src, "image")
                words = _inline_text(tok.children or [])
                checks.append(LinkCheck(src, "image", ok, reason, words))
                if ok:
                    out.append(tok)
                else:
                    alt = Token("text", "", 0)
                    alt.content = words
                    out.append(alt)
            else:
                out.append(tok)
        return out

    def _render_image(
        self, renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
    ) -> str:
        tok = tokens[idx]
        src = str(tok.attrGet("src") or "")
        alt = renderer.renderInlineAsText(tok.children or [], options, env)
        if not is_safe_image_src(src):  # defence in depth: _sanitize_links already ran
            return escapeHtml(alt)
        if self._asset_url is not None and _DESK_ASSET_RE.match(src):
            tok.attrSet("src", self._asset_url(src))
        tok.attrSet("alt", alt)
        return renderer.renderToken(tokens, idx, options, env)


@functools.cache
def _typesetter() -> NewsMarkdown:
    return NewsMarkdown()


def typeset(text: str) -> str:
    """:meth:`NewsMarkdown.typeset` for callers without a renderer at hand (export formats)."""
    return _typesetter().typeset(text)


def _render_link_open(
    renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    tok = tokens[idx]
    if not is_safe_link(str(tok.attrGet("href") or "")):  # defence in depth
        tok.attrs.pop("href", None)
    return renderer.renderToken(tokens, idx, options, env)


def _render_raw_html(
    renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    return escapeHtml(tokens[idx].content)


def _inline_text(children: Sequence[Token]) -> str:
    parts: list[str] = []
    for tok in children:
        if tok.type in ("text", "text_special", "code_inline"):
            parts.append(tok.content)
        elif tok.type == "softbreak":
            parts.append(" ")
        elif tok.type == "hardbreak":
            parts.append("\n")
        elif tok.type == "image":
            continue  # like textContent: alt text is not body text
    return "".join(parts)
