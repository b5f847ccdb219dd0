"""``article.md``: the article as Markdown with YAML front matter for Hugo and Jekyll.

Front matter keys follow what both generators read without configuration:
``title``, ``date``, ``lastmod`` (Hugo), ``slug``, ``categories`` and ``tags``
as lists, ``author``, ``summary``; plus ``dateline`` and ``images``.
``images`` is a list of paths because Hugo's built-in Open Graph and Twitter
templates expect exactly that; alt text, captions and credits go in
``figures``.

The YAML is written by a ``SafeDumper`` that also quotes strings a YAML 1.2
parser would read as numbers (``1e3``, ``0o17``): PyYAML speaks YAML 1.1 and
would leave those bare, Hugo reads 1.2. Dates are ISO 8601 strings with
offset, which both generators parse and which survive any YAML version.

The body carries what the page carries and nothing the page refuses: raw
HTML shows as text, links with refused URLs as their words
(:mod:`desk.export.markdown_safe`).

This file lives inside the folder the IPFS CID covers, so it must never
mention the CID (or anything else decided after the CID).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from desk.export.context import Asset, ExportContext
from desk.export.markdown_safe import neutralise
from desk.model.article import Image
from desk.model.images import figure_images

_DESK_ASSET = re.compile(r"desk-asset:([0-9a-fA-F]{64})")
#: Lines that open a Markdown block other than a paragraph: the dateline lead
#: can only run into the first words of a plain paragraph.
_BLOCK_START = re.compile(
    r"^(?: {4}|\t|#{1,6}(?:\s|$)|>|\||[*+\-](?:\s|$)|\d+[.)](?:\s|$)|```|~~~)"
)


class _FrontMatterDumper(yaml.SafeDumper):
    """SafeDumper that keeps YAML 1.2 numbers-in-disguise quoted."""


_FrontMatterDumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)
_FrontMatterDumper.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:0o[0-7]+|0x[0-9a-fA-F]+)$"), ["0"]
)


def dump_front_matter(data: dict[str, Any]) -> str:
    """YAML for the front matter; safe types only, order as given, Unicode kept readable."""
    return yaml.dump(
        data,
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,  # no folding: a long headline stays on one greppable line
    )


def front_matter(ctx: ExportContext) -> dict[str, Any]:
    """Front matter in the writer's own characters, like the Markdown body below it.

    ``article.md`` is source for a site generator, which applies its own
    typography to title and body alike; curling quotes here would do it twice.
    """
    a = ctx.article
    data: dict[str, Any] = {
        "title": a.headline.strip(),
        "date": ctx.published,
        "lastmod": ctx.modified,
        "slug": a.slug,
        "categories": [a.category] if a.category else [],
        "tags": ctx.tags,
        "author": a.byline.strip(),
        "summary": a.standfirst.strip(),
        "dateline": ctx.dateline,
        "images": [asset.content_path for asset in ctx.assets],
        "figures": [_figure(ctx, img) for img in figure_images(a)],
    }
    return data


def _figure(ctx: ExportContext, image: Image) -> dict[str, str]:
    return {
        "src": ctx.asset_for(image).content_path,
        "alt": image.alt.strip(),
        "caption": image.caption.strip(),
        "credit": image.credit.strip(),
    }


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>!])")


def _escape_inline(text: str) -> str:
    """Escape what would turn a caption or alt text into markup."""
    return _INLINE_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _figure_markdown(asset: Asset, image: Image) -> str:
    lines = [f"![{_escape_inline(image.alt)}]({asset.content_path})"]
    caption = " ".join(p for p in (image.caption.strip(), image.credit.strip()) if p)
    if caption:
        lines.append(f"*{_escape_inline(caption)}*")
    return "\n".join(lines)


def _images_after(ctx: ExportContext, index: int) -> list[Image]:
    """Same placement rule as the page: an image follows its section, else the lead."""
    sections = ctx.article.sections
    ids = {s.id for s in sections}
    sid = sections[index].id
    return [
        img
        for img in figure_images(ctx.article)
        if img.section_id == sid or (index == 0 and img.section_id not in ids)
    ]


def _with_lead(body: str, lead: str) -> str:
    if not lead:
        return body
    if body and not _BLOCK_START.match(body):
        return f"{lead} {body}"
    return f"{lead}\n\n{body}" if body else lead


def body_markdown(ctx: ExportContext) -> str:
    """Sections as ``## subheading`` blocks, store images rewritten to asset paths."""
    by_sha = {a.image.sha256.lower(): a for a in ctx.assets}

    def relink(m: re.Match[str]) -> str:
        asset = by_sha.get(m.group(1).lower())
        return asset.content_path if asset else m.group(0)

    blocks: list[str] = []
    for i, section in enumerate(ctx.article.sections):
        if section.subheading.strip():
            blocks.append(f"## {' '.join(section.subheading.split())}")
        body = _DESK_ASSET.sub(relink, section.body.strip("\n").rstrip())
        if i == 0:
            body = _with_lead(body, ctx.dateline_lead)
        if body:
            blocks.append(body)
        blocks += [_figure_markdown(ctx.asset_for(img), img) for img in _images_after(ctx, i)]
    # The page refuses raw HTML and unsafe URLs; so must the Markdown a site renders.
    return neutralise("\n\n".join(blocks))


def article_markdown(ctx: ExportContext) -> str:
    """The whole ``article.md``: ``---`` front matter ``---`` then the body."""
    return f"---\n{dump_front_matter(front_matter(ctx))}---\n\n{body_markdown(ctx)}\n"
