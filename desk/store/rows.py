"""Mapping between model objects and table rows; the only place that knows both."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from desk.model.article import Article, Dateline, Image, Section, Status

ARTICLE_COLUMNS = (
    "id, slug, headline, dateline_city, dateline_region, dateline_date, category, byline, "
    "standfirst, tags, status, site, created_at, updated_at, changed_at, version, trashed_at"
)
HEADER_FIELDS = (
    "slug",
    "headline",
    "dateline_city",
    "dateline_region",
    "dateline_date",
    "category",
    "byline",
    "standfirst",
    "tags",
    "site",
)
IMAGE_FIELDS = (
    "id",
    "sha256",
    "filename",
    "media_type",
    "alt",
    "caption",
    "credit",
    "section_id",
)


@dataclass(frozen=True)
class DraftSummary:
    """One line of the drafts list: enough to show, never the whole text."""

    id: str
    slug: str
    headline: str
    status: Status
    category: str
    updated_at: datetime
    changed_at: datetime
    trashed: bool


def header_values(article: Article) -> tuple[object, ...]:
    d = article.dateline
    return (
        article.slug,
        article.headline,
        d.city,
        d.region,
        d.date.isoformat() if d.date else None,
        article.category,
        article.byline,
        article.standfirst,
        json.dumps(article.tags, ensure_ascii=False),
        article.site,
    )


def image_values(image: Image) -> tuple[str, ...]:
    return tuple(getattr(image, f) for f in IMAGE_FIELDS)


def summary_from_row(row: sqlite3.Row | tuple) -> DraftSummary:
    id_, slug, headline, status, category, updated, changed, trashed = row
    return DraftSummary(
        id=id_,
        slug=slug,
        headline=headline,
        status=Status(status),
        category=category,
        updated_at=datetime.fromisoformat(updated),
        changed_at=datetime.fromisoformat(changed),
        trashed=trashed is not None,
    )


def article_from_rows(row: tuple, sections: list[tuple], images: list[tuple]) -> Article:
    (
        id_,
        slug,
        headline,
        city,
        region,
        dl_date,
        category,
        byline,
        standfirst,
        tags,
        status,
        site,
        created,
        updated,
        _changed,
        version,
        _trashed,
    ) = row
    return Article(
        id=id_,
        slug=slug,
        headline=headline,
        dateline=Dateline(
            city=city, region=region, date=date.fromisoformat(dl_date) if dl_date else None
        ),
        category=category,
        byline=byline,
        standfirst=standfirst,
        tags=json.loads(tags),
        sections=[Section(id=s[0], subheading=s[1], body=s[2]) for s in sections],
        images=[Image(**dict(zip(IMAGE_FIELDS, i, strict=True))) for i in images],
        status=Status(status),
        site=site,
        created_at=datetime.fromisoformat(created),
        updated_at=datetime.fromisoformat(updated),
        version=version,
    )
