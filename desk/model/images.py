"""Images in an article: what a file's bytes say it is, and which images stand in the text.

An image reaches an article two ways: as a figure (the images panel: alt text,
caption and credit, placed after a section) or inline, where a section body
says ``![alt](desk-asset:<sha256>)``. Both kinds are in ``Article.images``, so
the store, review packages and export bundles carry their bytes; an inline
one is shown where the text puts it and not a second time as a figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from desk.model.article import Article, Image

__all__ = [
    "BodyImage",
    "asset_shas",
    "body_images",
    "figure_images",
    "inline_shas",
    "rewrite_body_images",
    "sniff_media_type",
]

#: Media types a writer may add, by their file signatures; SVG is refused
#: because it can carry script.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
)
_ASSET_REF = re.compile(r"desk-asset:([0-9a-fA-F]{64})")
# ![alt](destination "optional title"): the shape writers and other tools
# write. The renderer's parser judges the page; this one only finds what to
# copy in on import, so an exotic form left alone is reported by the checklist.
_IMAGE_REF = re.compile(
    r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\(\s*(?P<url><[^>\n]*>|[^\s)]+)(?P<title>\s+\"[^\"\n]*\")?\s*\)"
)


def sniff_media_type(data: bytes) -> str | None:
    """The media type of JPEG, PNG, GIF or WebP bytes, or None for anything else.

    A file's name can lie; its first bytes decide what the page will try to
    decode, so they decide what is accepted.
    """
    for magic, offset, media_type in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def asset_shas(texts: Iterable[str]) -> frozenset[str]:
    """Hashes of the store images the texts show inline (lower case)."""
    found: set[str] = set()
    for text in texts:
        if "desk-asset:" in text:
            found.update(m.group(1).lower() for m in _ASSET_REF.finditer(text))
    return frozenset(found)


def inline_shas(article: Article) -> frozenset[str]:
    """Hashes of the article's images some section body shows inline (lower case)."""
    if not article.images:
        return frozenset()
    return asset_shas(s.body for s in article.sections)


def figure_images(article: Article, inline: frozenset[str] | None = None) -> list[Image]:
    """The images shown as figures: every image the text does not already show.

    ``inline`` is ``inline_shas(article)`` when the caller already has it.
    """
    if inline is None:
        inline = inline_shas(article)
    return [i for i in article.images if i.sha256.lower() not in inline]


@dataclass(frozen=True)
class BodyImage:
    """One ``![alt](url)`` found in a section body."""

    alt: str
    url: str
    start: int
    end: int
    #: `` "title"`` as written, with its leading space, or empty.
    title: str = ""


def body_images(text: str) -> list[BodyImage]:
    """The Markdown images written in *text*, in order."""
    out = []
    for m in _IMAGE_REF.finditer(text):
        url = m.group("url")
        if url.startswith("<") and url.endswith(">"):
            url = url[1:-1]
        out.append(BodyImage(m.group("alt"), url, m.start(), m.end(), m.group("title") or ""))
    return out


def rewrite_body_images(text: str, new_url: Callable[[BodyImage], str | None]) -> str:
    """*text* with each image's destination replaced by ``new_url(image)`` (None keeps it)."""
    parts: list[str] = []
    last = 0
    for img in body_images(text):
        url = new_url(img)
        if url is None:
            continue
        parts += [text[last : img.start], f"![{img.alt}]({url}{img.title})"]
        last = img.end
    parts.append(text[last:])
    return "".join(parts)
