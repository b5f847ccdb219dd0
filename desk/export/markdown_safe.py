"""Markdown that a static-site generator cannot turn into script: the page's rules, in Markdown.

``content/article.md`` is rendered by whoever publishes the bundle (Jekyll's
kramdown passes raw HTML through; Hugo does when ``unsafe`` is on), so it
must not carry what the page refuses. :func:`neutralise` applies the page's
rules (see :mod:`desk.render.markdown`) to the Markdown text itself:

* Raw HTML is shown as text: every ``<`` that could open a tag, comment,
  declaration or processing instruction gets a backslash, outside code
  (fenced and indented blocks and code spans keep their characters, as on
  the page, where code is code).
* A link or image whose URL the page refuses becomes its text (a link) or
  its alt text (an image), as on the page; an autolink with a refused
  scheme shows as text; a reference definition with a refused URL points
  at ``#``.

The result is checked by parsing it the way a permissive renderer would
(raw HTML on, every URL accepted): if any raw HTML or refused URL is left,
every markup character outside code is escaped instead, so the words
survive and the markup does not.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

from desk.render.markdown import is_safe_image_src, is_safe_link

#: What a permissive renderer sees: raw HTML on, every URL accepted.
_md = MarkdownIt("commonmark", {"html": True})
_md.enable(["table", "strikethrough"])
_md.validateLink = lambda url: True  # type: ignore[method-assign]

#: ``<`` that can open raw HTML: a tag, a closing tag, ``<!``, ``<?``.
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
_EMAIL = re.compile(
    r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*>"
)
_REF_DEF = re.compile(r"^( {0,3}\[(?:[^\\\[\]]|\\.)+\]:[ \t]*)(\S+)", re.MULTILINE)
_MARKUP = re.compile(r"([\\`*_\[\]<>!&|#~])")
_MAX_PASSES = 4


def neutralise(text: str) -> str:
    """*text* with raw HTML shown as text and refused URLs removed, code untouched."""
    out = text
    for _ in range(_MAX_PASSES):
        if _is_clean(out):
            return out
        out = _rewrite(out)
    if _is_clean(out):
        return out
    return _escape_everything(out)


def _is_clean(text: str) -> bool:
    return not _problems(_md.parse(text))


def _problems(tokens: list[Token]) -> list[Token]:
    bad: list[Token] = []
    for tok in tokens:
        if (
            tok.type in ("html_block", "html_inline")
            or (tok.type == "link_open" and not is_safe_link(str(tok.attrGet("href") or "")))
            or (tok.type == "image" and not is_safe_image_src(str(tok.attrGet("src") or "")))
        ):
            bad.append(tok)
        if tok.children:
            bad += _problems(tok.children)
    return bad


def _code_lines(text: str) -> set[int]:
    """Line numbers inside fenced or indented code blocks (their text is never markup)."""
    lines: set[int] = set()
    for tok in _md.parse(text):
        if tok.type in ("fence", "code_block") and tok.map:
            lines.update(range(tok.map[0], tok.map[1]))
    return lines


def _rewrite(text: str) -> str:
    code = _code_lines(text)
    lines = text.split("\n")
    out: list[str] = []
    run: list[str] = []
    for i, line in enumerate(lines):
        if i in code:
            if run:
                out.append(_rewrite_prose("\n".join(run)))
                run = []
            out.append(line)
        else:
            run.append(line)
    if run:
        out.append(_rewrite_prose("\n".join(run)))
    return "\n".join(out)


def _rewrite_prose(text: str) -> str:
    """Rewrite a stretch of non-code lines, skipping code spans and escaped characters."""
    text = _REF_DEF.sub(_safe_definition, text)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            out.append(text[i : i + 2])
            i += 2
            continue
        if ch == "`":
            j = i
            while j < n and text[j] == "`":
                j += 1
            fence = text[i:j]
            close = re.compile(rf"(?<!`){fence}(?!`)").search(text, j)
            end = close.end() if close else j
            out.append(text[i:end])
            i = end
            continue
        if ch == "<":
            i = _angle(text, i, out)
            continue
        if ch == "]" and text.startswith("(", i + 1):
            i = _inline_link(text, i, out)
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _angle(text: str, i: int, out: list[str]) -> int:
    """An autolink stays if the page would link it; any other tag-like ``<`` is escaped."""
    auto = _AUTOLINK.match(text, i)
    if auto and is_safe_link(_md.normalizeLink(auto.group(1))):
        out.append(auto.group(0))
        return auto.end()
    email = _EMAIL.match(text, i)
    if email:
        out.append(email.group(0))
        return email.end()
    inside_destination = "".join(out[-8:]).rstrip(" \t\n").endswith("](")
    if auto or (_HTML_START.match(text, i) and not inside_destination):
        out.append("\\<")
    else:
        out.append("<")
    return i + 1


def _inline_link(text: str, close: int, out: list[str]) -> int:
    """At ``](``: keep the link if its URL is allowed, else leave only its text."""
    pos = close + 2
    n = len(text)
    while pos < n and text[pos] in " \t\n":
        pos += 1
    dest = parseLinkDestination(text, pos, n)
    if not dest.ok:
        out.append("]")
        return close + 1
    end = dest.pos
    while end < n and text[end] in " \t\n":
        end += 1
    if end < n and text[end] in "\"'(":
        title = parseLinkTitle(text, end, n)
        if title.ok:
            end = title.pos
            while end < n and text[end] in " \t\n":
                end += 1
    if end >= n or text[end] != ")":
        out.append("]")
        return close + 1
    opening = _opening_bracket(out)
    if opening is None:
        out.append("]")
        return close + 1
    is_image = opening > 0 and out[opening - 1] == "!"
    url = _md.normalizeLink(unescapeAll(dest.str))
    if (is_safe_image_src if is_image else is_safe_link)(url):
        out.append("]")  # on its own, so an enclosing link still finds its own "["
        out.append(text[close + 1 : end + 1])
        return end + 1
    label = out[opening + 1 :]
    del out[opening - 1 if is_image else opening :]
    out.extend(label)
    return end + 1


def _opening_bracket(out: list[str]) -> int | None:
    """Index in *out* of the ``[`` that the ``]`` about to be added closes."""
    depth = 0
    for k in range(len(out) - 1, -1, -1):
        piece = out[k]
        if piece == "]":
            depth += 1
        elif piece == "[":
            if depth == 0:
                return k
            depth -= 1
    return None


def _safe_definition(m: re.Match[str]) -> str:
    dest = m.group(2)
    raw = dest[1:-1] if dest.startswith("<") and dest.endswith(">") else dest
    url = _md.normalizeLink(unescapeAll(raw))
    return m.group(0) if is_safe_link(url) or is_safe_image_src(url) else f"{m.group(1)}#"


def _escape_everything(text: str) -> str:
    """Last resort: every markup character outside code blocks escaped; words all kept."""
    code = _code_lines(text)
    return "\n".join(
        line if i in code else _MARKUP.sub(r"\\\1", line) for i, line in enumerate(text.split("\n"))
    )
