"""Helpers for the publish tests: a bucket per test, a destination with keys in the env."""

from __future__ import annotations

import itertools
import os
import struct
import zlib

import pytest

from desk.model.article import Image
from desk.publish.destinations import Destination, add_destination, validate
from desk.store.drafts import DraftStore

_numbers = itertools.count(1)


def new_bucket(server) -> str:
    name = f"site{os.getpid()}x{next(_numbers)}"
    server.client().create_bucket(Bucket=name)
    return name


def make_destination(
    server, monkeypatch: pytest.MonkeyPatch, *, name: str = "site", kind: str = "s3",
    bucket: str | None = None, secret: str | None = None,
) -> Destination:  # fmt: skip
    dest = validate(
        {
            "name": name,
            "kind": kind,
            "endpoint": server.endpoint,
            "bucket": bucket or new_bucket(server),
            "prefix": "articles/",
            "public_url": "https://openvoicenews.example",
        }
    )
    add_destination(dest)
    env = name.upper().replace("-", "_")
    monkeypatch.setenv(f"DESK_{env}_ACCESS_KEY", server.access_key)
    monkeypatch.setenv(f"DESK_{env}_SECRET_KEY", secret or server.secret_key)
    return dest


def png(width: int, height: int, seed: int = 0, noise: int = 0) -> bytes:
    """A valid PNG; ``noise`` bytes of incompressible data make it as large as wanted."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(
        b"\x00" + bytes([(seed + x) % 256 for x in range(width * 3)]) for _ in range(height)
    )
    extra = chunk(b"tEXt", b"desk\x00" + os.urandom(noise)) if noise else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + extra
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def ready_article(store: DraftStore, *, images: int = 0, image_bytes: int = 0) -> str:
    """The starter article, with images, as it stands when an editor publishes it."""
    from desk.store.seed import ensure_starter

    ensure_starter(store)
    article = store.load(store.list_drafts()[0].id)
    for i in range(images):
        sha = store.add_blob(png(8, 8, seed=i, noise=image_bytes), "image/png")
        article.images.append(
            Image(sha256=sha, media_type="image/png", alt=f"Picture {i}", caption=f"Caption {i}")
        )
    store.save(article)
    return article.id
