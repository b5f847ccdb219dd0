"""Shared builders for the export tests (no tests here): stored articles, bundle checks."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import html5lib
import pytest
from conftest import SHARED

from desk.export.ipfs import extract_car, import_directory, read_car
from desk.model.article import Article, Image, Status
from desk.store.drafts import DraftStore
from desk.store.seed import starter_article

#: Vendored (see fixtures/ninjs/README.md) so schema checks never skip on a fresh clone.
NINJS_SCHEMA = Path(__file__).parent / "fixtures" / "ninjs" / "ninjs-schema_3.1.json"
REFERENCE = SHARED / "reference" / "000_d5f6373998652499.txt"
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)


def image_bytes(seed: str, size: int) -> bytes:
    """Deterministic, incompressible stand-in for a photo."""
    return hashlib.shake_256(seed.encode()).digest(size)


def add_image(
    store: DraftStore, article: Article, seed: str, size: int = 50_000, **kw: Any
) -> Image:
    data = image_bytes(seed, size)
    sha = store.add_blob(data, kw.get("media_type", "image/jpeg"))
    image = Image(
        sha256=sha,
        filename=kw.pop("filename", f"{seed}.jpg"),
        alt=kw.pop("alt", f"Photo {seed}"),
        caption=kw.pop("caption", f"Caption for {seed}."),
        credit=kw.pop("credit", "Desk Photo"),
        **kw,
    )
    article.images.append(image)
    return image


def stored_starter(
    store: DraftStore, *, images: int = 2, status: Status = Status.APPROVED
) -> Article:
    """The starter article, approved, with images after the lead and the second section."""
    article = store.create(starter_article())
    for i in range(images):
        section = article.sections[min(i, len(article.sections) - 1)]
        add_image(store, article, f"photo-{i}", section_id=section.id if i else "")
    article.status = status
    store.save(article)
    return store.load(article.id)


def stored_reference(store: DraftStore) -> Article:
    """The published reference article, filled in so it passes the checklist."""
    if not REFERENCE.exists():
        pytest.skip(f"reference article not available ({REFERENCE} is absent)")
    from desk.render.reference import article_from_site_text

    article = article_from_site_text(REFERENCE.read_text(encoding="utf-8"), "Tokyo", "Japan")
    article.byline = "OpenVoiceNews Staff"
    article.slug = "japan-us-nuclear-contingency-planning"
    article.tags = ["Japan", "United States", "deterrence"]
    article.standfirst = "Tokyo and Washington widen talks on extended deterrence."
    article = store.create(article)
    add_image(store, article, "tokyo", alt="Tokyo skyline at dusk", media_type="image/png")
    article.status = Status.PUBLISHED
    store.save(article)
    return store.load(article.id)


def ninjs_validator():
    """The IPTC schema with real ``uri`` and ``date-time`` checks.

    jsonschema only checks those formats when optional packages are installed;
    the checks below are what the schema means (RFC 3986 absolute URI,
    RFC 3339 timestamp), so a relative href or an offset-less date fails here.
    """
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker()

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        if not isinstance(value, str) or any(c.isspace() for c in value):
            return False
        parts = urlsplit(value)
        return bool(parts.scheme) and bool(parts.netloc or parts.path)

    @checker.checks("date-time")
    def _date_time(value: object) -> bool:
        if not isinstance(value, str) or not _RFC3339.match(value):
            return False
        datetime.fromisoformat(value)
        return True

    schema = json.loads(NINJS_SCHEMA.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=checker)


def parse_strict(page: str):
    """Parse as HTML5 and fail on any parse error, as a validator would."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(page)


def jsonld_of(doc) -> list[dict[str, Any]]:
    return [
        json.loads(s.text or "")
        for s in doc.iter("script")
        if s.get("type") == "application/ld+json"
    ]


def bundle_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def check_bundle(folder: Path) -> dict[str, Any]:
    """Everything a publisher would check: manifest sums, CID, CAR round trip."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = bundle_files(folder)
    listed = {e["path"]: e for e in manifest["files"]}
    assert [e["path"] for e in manifest["files"]] == sorted(listed)
    assert set(listed) == set(files) - {"manifest.json"}
    for path, entry in listed.items():
        assert entry["size"] == len(files[path]), path
        assert entry["sha256"] == hashlib.sha256(files[path]).hexdigest(), path

    cid = manifest["ipfs"]["cid"]
    root = folder / manifest["ipfs"]["root"]
    assert import_directory(root).root_cid == cid
    car = folder / manifest["ipfs"]["car"]
    roots, _ = read_car(car)
    assert roots == [cid]
    extracted = extract_car(car)
    covered = {p.removeprefix("content/"): d for p, d in files.items() if p.startswith("content/")}
    assert extracted == covered
    for path, data in covered.items():  # the covered folder never mentions its own CID
        assert cid.encode() not in data, path
    return manifest
