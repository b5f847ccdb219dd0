"""``manifest.json``: what is in a bundle, byte for byte, and where it came from.

A site operator (or a script) can check a bundle without Desk: every file
but the manifest itself is listed with its size and SHA-256, sorted by path,
next to the IPFS CID and the folder it covers, the article it was made from,
the Desk version that made it and what the checklist said at the time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from desk import __version__
from desk.model.article import Article
from desk.model.validation import Finding

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "desk.export-bundle"
MANIFEST_VERSION = 1
#: The UnixFS import settings the CID was computed with (see ``desk.export.ipfs``).
IPFS_PROFILE = "unixfs-v1-2025"


def file_entry(path: str, data: bytes) -> dict[str, Any]:
    return {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def build_manifest(
    article: Article,
    *,
    files: Mapping[str, bytes],
    cid: str,
    cid_root: str,
    car_path: str,
    findings: Iterable[Finding],
) -> dict[str, Any]:
    """The manifest as a dict; ``files`` maps bundle-relative POSIX paths to their bytes."""
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "tool": {"name": "desk", "version": __version__},
        "article": {
            "id": article.id,
            "slug": article.slug,
            "status": article.status.value,
            "updated_at": article.updated_at.isoformat(),
        },
        "ipfs": {
            "cid": cid,
            "root": cid_root,
            "car": car_path,
            "profile": IPFS_PROFILE,
            "note": f"The CID covers the folder {cid_root}/ only; the files outside it "
            "cite the CID and so cannot be inside it.",
        },
        "files": [file_entry(p, files[p]) for p in sorted(files)],
        "checklist": [
            {"level": f.level.value, "field": f.field, "message": f.message} for f in findings
        ],
    }


def encode_json(data: Any) -> bytes:
    """The one JSON style of a bundle: UTF-8, two-space indent, final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def is_bundle_manifest(data: Any) -> bool:
    """True for a manifest this tool wrote; used before replacing a folder."""
    return isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT
