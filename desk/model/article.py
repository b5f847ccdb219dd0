"""The article as writers and editors think of it, free of Qt and SQL.

Every other layer speaks in these types. The JSON document produced by
:func:`article_to_dict` is the interchange format for review packages and the
CLI, so it is versioned and round-trips exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

DOCUMENT_FORMAT = "desk.article"
DOCUMENT_VERSION = 1
SLUG_MAX = 80


class Status(StrEnum):
    """Review workflow states, in the order an article normally walks them."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def new_id() -> str:
    """Random ids, so drafts made offline on two laptops never collide."""
    import uuid  # here, not at the top: it costs a start-up that only reads drafts 6 ms

    return uuid.uuid4().hex


def utcnow() -> datetime:
    """Second precision keeps JSON, SQLite and exports in exact agreement."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class Dateline:
    city: str = ""
    region: str = ""
    date: date | None = None

    def is_empty(self) -> bool:
        return not (self.city.strip() or self.region.strip())


@dataclass
class Section:
    id: str = field(default_factory=new_id)
    subheading: str = ""
    body: str = ""


@dataclass
class Image:
    """An image stored in the draft store by content hash (``sha256``)."""

    id: str = field(default_factory=new_id)
    sha256: str = ""
    filename: str = ""
    media_type: str = "image/jpeg"
    alt: str = ""
    caption: str = ""
    credit: str = ""
    #: Section the image follows; empty means after the lead section.
    section_id: str = ""


@dataclass
class Article:
    id: str = field(default_factory=new_id)
    slug: str = ""
    headline: str = ""
    dateline: Dateline = field(default_factory=Dateline)
    category: str = ""
    byline: str = ""
    standfirst: str = ""
    tags: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    status: Status = Status.DRAFT
    site: str = "openvoicenews"
    created_at: datetime = field(default_factory=utcnow)
    #: Last change of the *content*; status changes and exports leave it alone.
    updated_at: datetime = field(default_factory=utcnow)
    #: Optimistic-concurrency counter owned by the store.
    version: int = 0

    @property
    def published_date(self) -> date:
        """The dateline date is the publication date; fall back to creation."""
        return self.dateline.date or self.created_at.date()

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def section_index(self, section_id: str) -> int:
        for i, s in enumerate(self.sections):
            if s.id == section_id:
                return i
        raise KeyError(section_id)

    def copy(self) -> Article:
        """A deep copy: sections and images are mutable and must not be shared."""
        return replace(
            self,
            dateline=replace(self.dateline),
            tags=list(self.tags),
            sections=[replace(s) for s in self.sections],
            images=[replace(i) for i in self.images],
        )


# --- slugs -------------------------------------------------------------------

_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """ASCII, lower-case, hyphenated: safe in URLs, file names and IPFS paths."""
    text = text.replace("&", " and ")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _SLUG_STRIP.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        # Keep whole words: look one character past the limit, so a word that
        # ends exactly there is kept; only a single over-long word is cut.
        head = slug[: max_length + 1].rsplit("-", 1)[0]
        slug = head if "-" in slug[: max_length + 1] else slug[:max_length]
    return slug or "untitled"


def headline_slug(headline: str, article_id: str) -> str:
    """The slug a headline gives, stable for headlines with no ASCII form.

    An all-Arabic (or Chinese, Greek…) headline has nothing ``slugify`` can
    keep; every such draft would be "untitled", "untitled-2"… and the web
    address would say nothing and change with the order of creation. The
    article's id is stable and unique, so it names the page instead.
    """
    slug = slugify(headline)
    folded = unicodedata.normalize("NFKD", headline).encode("ascii", "ignore").decode()
    if article_id and not re.search(r"[A-Za-z0-9]", folded) and any(c.isalnum() for c in headline):
        return f"article-{article_id[:8]}"
    return slug


def unique_slug(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


# --- JSON document -----------------------------------------------------------


class DocumentError(ValueError):
    """A file that claims to be an article but is not one we can read."""


def _dt(value: datetime) -> str:
    return value.isoformat()


def _parse_dt(value: Any, name: str) -> datetime:
    try:
        dt = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise DocumentError(f"{name}: not an ISO 8601 timestamp: {value!r}") from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def article_to_dict(article: Article) -> dict[str, Any]:
    return {
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "id": article.id,
        "slug": article.slug,
        "headline": article.headline,
        "dateline": {
            "city": article.dateline.city,
            "region": article.dateline.region,
            "date": article.dateline.date.isoformat() if article.dateline.date else None,
        },
        "category": article.category,
        "byline": article.byline,
        "standfirst": article.standfirst,
        "tags": list(article.tags),
        "sections": [
            {"id": s.id, "subheading": s.subheading, "body": s.body} for s in article.sections
        ],
        "images": [
            {
                "id": i.id,
                "sha256": i.sha256,
                "filename": i.filename,
                "media_type": i.media_type,
                "alt": i.alt,
                "caption": i.caption,
                "credit": i.credit,
                "section_id": i.section_id,
            }
            for i in article.images
        ],
        "status": article.status.value,
        "site": article.site,
        "created_at": _dt(article.created_at),
        "updated_at": _dt(article.updated_at),
        "revision": article.version,
    }


def _str(d: dict[str, Any], key: str, default: str = "") -> str:
    value = d.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise DocumentError(f"{key}: expected text, got {type(value).__name__}")
    return value


def article_from_dict(data: Any) -> Article:
    """Parse a document; every malformed field is reported by name."""
    if not isinstance(data, dict):
        raise DocumentError("not an article document (expected a JSON object)")
    if data.get("format") != DOCUMENT_FORMAT:
        raise DocumentError(f"not an article document (format is {data.get('format')!r})")
    version = data.get("version")
    if not isinstance(version, int) or version > DOCUMENT_VERSION or version < 1:
        raise DocumentError(f"unsupported article document version {version!r}")
    try:
        dl = data.get("dateline") or {}
        raw_date = dl.get("date")
        try:
            dl_date = date.fromisoformat(raw_date) if raw_date else None
        except (TypeError, ValueError) as exc:
            raise DocumentError(f"dateline.date: not a date: {raw_date!r}") from exc
        tags = data.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise DocumentError("tags: expected a list of text")
        sections = [
            Section(
                id=_str(s, "id") or new_id(), subheading=_str(s, "subheading"), body=_str(s, "body")
            )
            for s in data.get("sections") or []
        ]
        images = [
            Image(
                id=_str(i, "id") or new_id(),
                sha256=_str(i, "sha256"),
                filename=_str(i, "filename"),
                media_type=_str(i, "media_type", "image/jpeg"),
                alt=_str(i, "alt"),
                caption=_str(i, "caption"),
                credit=_str(i, "credit"),
                section_id=_str(i, "section_id"),
            )
            for i in data.get("images") or []
        ]
        try:
            status = Status(data.get("status") or "draft")
        except ValueError as exc:
            raise DocumentError(f"status: unknown status {data.get('status')!r}") from exc
        revision = data.get("revision", 0)
        return Article(
            id=_str(data, "id") or new_id(),
            slug=_str(data, "slug"),
            headline=_str(data, "headline"),
            dateline=Dateline(city=_str(dl, "city"), region=_str(dl, "region"), date=dl_date),
            category=_str(data, "category"),
            byline=_str(data, "byline"),
            standfirst=_str(data, "standfirst"),
            tags=list(tags),
            sections=sections,
            images=images,
            status=status,
            site=_str(data, "site", "openvoicenews"),
            created_at=_parse_dt(data.get("created_at"), "created_at"),
            updated_at=_parse_dt(data.get("updated_at"), "updated_at"),
            version=revision if isinstance(revision, int) else 0,
        )
    except (AttributeError, TypeError) as exc:
        raise DocumentError(f"malformed article document: {exc}") from exc
