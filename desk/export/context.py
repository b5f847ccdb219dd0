"""What every export format needs to agree on, computed once.

The page, the JSON-LD, the Markdown and the ninjs must name the same asset
files, the same URLs and the same instants; deriving them in one place keeps
them from drifting apart. Nothing here reads the clock: every time comes from
the article, so the same article always yields the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desk.export.checklist import EXPORTABLE_IMAGE_TYPES
from desk.model.article import Article, Image
from desk.model.site import SiteProfile
from desk.model.text import article_words
from desk.render.dateline import dateline_lead
from desk.render.markdown import typeset

#: The folder the IPFS CID covers, relative to the bundle folder.
CONTENT_DIR = "content"
#: The asset folder, relative to :data:`CONTENT_DIR` (and to ``article.md``).
ASSETS_DIR = "assets"


class ExportError(ValueError):
    """The article cannot be exported as asked; the message says why."""


def asset_name(image: Image) -> str:
    """``<sha256[:16]>.<ext>``: content-addressed, so a changed photo gets a new URL.

    Sixteen hex digits (64 bits) are plenty to tell one article's images apart
    and keep URLs short; identical photos share one file.
    """
    ext = EXPORTABLE_IMAGE_TYPES.get(image.media_type, "bin")
    return f"{image.sha256.lower()[:16]}.{ext}"


@dataclass(frozen=True)
class Asset:
    """One file under ``content/assets/``, with the first image that uses it."""

    image: Image
    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def content_path(self) -> str:
        """Path relative to ``content/`` (what ``article.md`` and the CAR use)."""
        return f"{ASSETS_DIR}/{self.name}"

    @property
    def bundle_path(self) -> str:
        """Path relative to the bundle folder (what ``index.html`` uses)."""
        return f"{CONTENT_DIR}/{ASSETS_DIR}/{self.name}"


def load_assets(article: Article, blob: Callable[[str], bytes]) -> list[Asset]:
    """Fetch each distinct image once and check its bytes still match its hash.

    A store that silently returned other bytes would otherwise publish the
    wrong photo under a name that claims to be its hash.
    """
    assets: list[Asset] = []
    seen: set[str] = set()
    for image in article.images:
        name = asset_name(image)
        if name in seen:
            continue
        data = blob(image.sha256)
        if hashlib.sha256(data).hexdigest() != image.sha256.lower():
            raise ExportError(
                f"image {image.filename or image.sha256[:12]}: stored bytes do not match "
                "their SHA-256; the draft store may be damaged"
            )
        seen.add(name)
        assets.append(Asset(image=image, name=name, data=data))
    return assets


def profile_zone(profile: SiteProfile) -> ZoneInfo:
    try:
        return ZoneInfo(profile.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        # Falling back to UTC would publish different timestamps on machines
        # without tz data; refusing is the only answer that stays deterministic.
        raise ExportError(
            f"site profile {profile.key!r}: unknown time zone {profile.timezone!r}"
        ) from exc


def iso(value: datetime, zone: ZoneInfo) -> str:
    """ISO 8601 with offset in the site's zone, second precision (RFC 3339 safe)."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(zone).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class ExportContext:
    """An article as the exporters see it: URLs, instants and asset names settled."""

    article: Article
    profile: SiteProfile
    assets: tuple[Asset, ...] = ()

    @cached_property
    def zone(self) -> ZoneInfo:
        return profile_zone(self.profile)

    @property
    def canonical_url(self) -> str:
        return self.profile.article_url(self.article.slug)

    @property
    def published_date(self) -> date:
        return self.article.published_date

    @cached_property
    def published(self) -> str:
        """The dateline names a day, not an hour: midnight of that day in the site's zone."""
        day = self.published_date
        return datetime.combine(day, time(0, 0), tzinfo=self.zone).isoformat()

    @cached_property
    def modified(self) -> str:
        """``updated_at`` is the last *content* change, so status and export leave it alone."""
        return iso(self.article.updated_at, self.zone)

    @cached_property
    def created(self) -> str:
        return iso(self.article.created_at, self.zone)

    @cached_property
    def dateline(self) -> str:
        """``TOKYO, Japan``: the page's dateline lead without its dash."""
        d = self.article.dateline
        lead = dateline_lead(d.city, d.region, self.profile.dateline)
        return lead.removesuffix(self.profile.dateline.dash).strip()

    @cached_property
    def dateline_lead(self) -> str:
        d = self.article.dateline
        return dateline_lead(d.city, d.region, self.profile.dateline)

    @cached_property
    def word_count(self) -> int:
        return article_words(self.article)

    @cached_property
    def headline(self) -> str:
        """As the page shows it: the body's curly quotes and dashes, for JSON-LD and ninjs."""
        return typeset(self.article.headline.strip())

    @cached_property
    def standfirst(self) -> str:
        return typeset(self.article.standfirst.strip())

    @cached_property
    def byline(self) -> str:
        return typeset(self.article.byline.strip())

    @property
    def tags(self) -> list[str]:
        return [t.strip() for t in self.article.tags if t.strip()]

    def asset_for(self, image: Image) -> Asset:
        name = asset_name(image)
        for asset in self.assets:
            if asset.name == name:
                return asset
        raise KeyError(image.id)

    def asset_url(self, asset: Asset) -> str:
        """Absolute URL of an asset once the bundle is published at the canonical URL."""
        return self.canonical_url + asset.bundle_path

    @property
    def image_urls(self) -> list[str]:
        return [self.asset_url(a) for a in self.assets]
