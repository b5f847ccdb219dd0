"""Image files on the writer's disk, checked before their bytes go into the draft store.

The window (Add Image, drop, paste) and ``desk import`` take images from the
same place and must refuse the same files with the same words, so the check
lives once, below both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from desk.model.article import Article, Image
from desk.model.images import BodyImage, rewrite_body_images, sniff_media_type

MAX_IMAGE_BYTES = 50 * 1024 * 1024


class ImageError(ValueError):
    """The file cannot become one of the article's images; the message says why."""


def check_image_bytes(data: bytes, name: str) -> str:
    """The media type of *data*, or an ImageError naming *name* and the reason."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(f"{name} is {len(data) // 1_048_576} MB; the limit is 50 MB")
    media_type = sniff_media_type(data)
    if media_type is None:
        raise ImageError(f"{name} is not a JPEG, PNG, GIF or WebP image")
    return media_type


def read_image_file(path: str | Path) -> tuple[bytes, str]:
    """The bytes and media type of a real image file, or a clear reason why not."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_IMAGE_BYTES:  # refused before reading 2 GB into memory
            raise ImageError(f"{p.name} is {size // 1_048_576} MB; the limit is 50 MB")
        if not p.is_file():
            raise ImageError(f"{p.name} is not a file")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ImageError(f"{p.name} was not found") from None
    except OSError as exc:
        raise ImageError(f"cannot read {p.name}: {exc.strerror}") from None
    return data, check_image_bytes(data, p.name)


def _is_local(url: str) -> bool:
    """A path on disk, not a web address, a store image or inline data."""
    url = url.strip()
    if not url or url.startswith(("//", "#")):
        return False
    head = re.split(r"[/?#\\]", url, maxsplit=1)[0]
    return ":" not in head or bool(re.fullmatch(r"[A-Za-z]:", head))  # C:\pictures\x.jpg


def _front_matter_images(meta: dict[str, Any]) -> list[dict[str, str]]:
    """``image:`` (a path or a mapping) and ``images:`` (a list of them), as mappings."""
    found: list[Any] = []
    for key in ("image", "images"):
        value = meta.get(key)
        found += value if isinstance(value, list) else [value] if value else []
    out = []
    for item in found:
        if isinstance(item, dict):
            src = item.get("src") or item.get("path") or item.get("file") or ""
            out.append({k: str(item.get(k) or "") for k in ("alt", "caption", "credit")})
            out[-1]["src"] = str(src)
        else:
            out.append({"src": str(item), "alt": "", "caption": "", "credit": ""})
    return [o for o in out if o["src"].strip()]


def import_images(
    article: Article,
    meta: dict[str, Any],
    folder: Path,
    add_blob: Callable[[bytes, str], str],
) -> list[str]:
    """Copy the images a Markdown file names into the store; return what could not be.

    Front matter ``image:`` becomes a figure after the first section; each
    ``![alt](file)`` in the text is stored and its reference rewritten to
    ``desk-asset:<sha256>``, so the draft no longer depends on the folder it
    came from. A file that is missing or no image keeps its reference and is
    reported: the checklist then blocks the export until it is fixed.
    """
    problems: list[str] = []
    stored: dict[str, tuple[str, str, str] | None] = {}  # src -> sha256, media type, name

    def load(src: str) -> tuple[str, str, str] | None:
        if src not in stored:
            stored[src] = None
            path = folder / src
            if not path.exists():
                path = folder / unquote(src)  # my%20photo.jpg
            try:
                if not path.exists():
                    raise ImageError(f"no such file in {folder}")
                data, media_type = read_image_file(path)
            except ImageError as exc:
                problems.append(f"image {src} not imported: {exc}")
            else:
                stored[src] = (add_blob(data, media_type), media_type, path.name)
        return stored[src]

    first = article.sections[0].id if article.sections else ""
    for item in _front_matter_images(meta):
        src = item["src"].strip()
        if not _is_local(src):
            problems.append(f"image {src} not imported: only files next to the Markdown are")
        elif (found := load(src)) is not None:
            sha, media_type, name = found
            article.images.append(
                Image(
                    sha256=sha,
                    filename=name,
                    media_type=media_type,
                    section_id=first,
                    alt=item["alt"],
                    caption=item["caption"],
                    credit=item["credit"],
                )
            )
    for section in article.sections:

        def store_ref(ref: BodyImage, sid: str = section.id) -> str | None:
            found = load(ref.url) if _is_local(ref.url) else None
            if found is None:
                return None
            sha, media_type, name = found
            if all(i.sha256 != sha for i in article.images):
                image = Image(sha256=sha, filename=name, media_type=media_type, alt=ref.alt)
                image.section_id = sid
                article.images.append(image)
            return f"desk-asset:{sha}"

        section.body = rewrite_body_images(section.body, store_ref)
    return problems
