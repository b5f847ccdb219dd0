"""The page head for search engines and link previews: JSON-LD, Open Graph, canonical.

The JSON-LD goes inside a ``<script>`` element, where the HTML parser does
not decode entities and stops at the first ``</script``. A headline is
therefore never allowed to put a raw ``<``, ``>`` or ``&`` there: they are
written as ``\\u003c``, ``\\u003e`` and ``\\u0026``, which JSON reads back as
the same characters and HTML cannot mistake for markup. U+2028/U+2029 are
escaped as well, for consumers that still evaluate JSON as JavaScript.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from desk.export.context import ExportContext

_SCRIPT_SAFE = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def news_article(ctx: ExportContext) -> dict[str, Any]:
    """schema.org ``NewsArticle`` with the fields Google and the README ask for.

    Empty values are left out rather than published as ``""``: validators
    flag an empty ``author`` or ``image`` as an error, a missing one only as
    a gap.
    """
    profile = ctx.profile
    publisher: dict[str, Any] = {
        "@type": "Organization",
        "name": profile.name,
        "url": profile.base_url,
    }
    if profile.publisher_logo:
        publisher["logo"] = {"@type": "ImageObject", "url": profile.publisher_logo}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": ctx.headline,
        "description": ctx.standfirst,
        "datePublished": ctx.published,
        "dateModified": ctx.modified,
        "author": (
            {"@type": "Person", "name": ctx.byline}
            if ctx.byline
            else {"@type": "Organization", "name": profile.name, "url": profile.base_url}
        ),
        "image": ctx.image_urls,
        "articleSection": ctx.article.category,
        "dateline": ctx.dateline,
        "keywords": ", ".join(ctx.tags),
        "wordCount": ctx.word_count,
        "publisher": publisher,
        "mainEntityOfPage": {"@type": "WebPage", "@id": ctx.canonical_url},
        "url": ctx.canonical_url,
        "inLanguage": profile.language,
    }
    return {k: v for k, v in data.items() if v not in ("", [], None)}


def script_safe_json(data: Any) -> str:
    """JSON that can sit between ``<script>`` tags whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return text.translate(_SCRIPT_SAFE)


def jsonld_script(data: Any) -> str:
    return f'<script type="application/ld+json">\n{script_safe_json(data)}\n</script>'


def _meta(prop: str, content: str) -> str:
    return f'<meta property="{escape(prop)}" content="{escape(content)}">'


def open_graph(ctx: ExportContext) -> list[str]:
    """Open Graph and ``article:`` tags; one ``og:image`` per asset, as the protocol allows."""
    tags = [
        _meta("og:type", "article"),
        _meta("og:title", ctx.headline),
    ]
    if ctx.standfirst:
        tags.append(_meta("og:description", ctx.standfirst))
    tags += [
        _meta("og:url", ctx.canonical_url),
        _meta("og:site_name", ctx.profile.name),
        _meta("og:locale", ctx.profile.locale.replace("-", "_")),
    ]
    for asset in ctx.assets:
        tags.append(_meta("og:image", ctx.asset_url(asset)))
        tags.append(_meta("og:image:type", asset.image.media_type))
        if asset.image.alt.strip():
            tags.append(_meta("og:image:alt", asset.image.alt.strip()))
    tags += [
        _meta("article:published_time", ctx.published),
        _meta("article:modified_time", ctx.modified),
    ]
    if ctx.article.category:
        tags.append(_meta("article:section", ctx.article.category))
    tags += [_meta("article:tag", tag) for tag in ctx.tags]
    return tags


def head_extra(ctx: ExportContext) -> str:
    """Everything the exported page adds to its ``<head>``, in a stable order."""
    lines = [f'<link rel="canonical" href="{escape(ctx.canonical_url)}">']
    lines += open_graph(ctx)
    lines.append(jsonld_script(news_article(ctx)))
    return "\n".join(lines)
