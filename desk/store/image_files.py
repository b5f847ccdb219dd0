"""Image files on the writer's disk, checked before their bytes go into the draft store.

The window (Add Image, drop, paste) and ``desk import`` take images from the
same place and must refuse the same files with the same words, so the check
lives once, below both.
"""

from __future__ import annotations

from pathlib import Path

from desk.model.images import sniff_media_type

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
