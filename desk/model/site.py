"""The site profile: what a publication decides about its pages.

Kept as plain data so the model can validate categories and the renderer can
format dates and datelines without knowing where the profile came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DatelineStyle:
    """House style for the dateline lead ("TOKYO, Japan —")."""

    uppercase_city: bool = True
    #: Drop the region/country after an AP stand-alone city ("CHICAGO —").
    drop_region_for_standalone: bool = False
    #: Cities that stand alone under AP style, compared case-insensitively.
    standalone_cities: frozenset[str] = frozenset()
    dash: str = "\u2014"


@dataclass(frozen=True)
class SiteProfile:
    """A publication's identity, URLs, categories and house style."""

    key: str
    name: str
    tagline: str
    base_url: str
    locale: str = "en-US"
    language: str = "en"
    #: strftime-free pattern understood by :func:`desk.model.dates.format_date`.
    date_format: str = "{month_name} {day}, {year}"
    timezone: str = "UTC"
    categories: tuple[str, ...] = ()
    headline_limit: int = 110
    ipfs_gateway: str = "https://ipfs.io/ipfs/"
    publisher_logo: str = ""
    dateline: DatelineStyle = field(default_factory=DatelineStyle)
    #: Publish destinations the site ships (settings only, never keys); a user's
    #: own destination of the same name replaces one of these.
    destinations: tuple[dict[str, Any], ...] = ()

    def has_category(self, category: str) -> bool:
        return category in self.categories

    def article_url(self, slug: str) -> str:
        return f"{self.base_url.rstrip('/')}/{slug}/"

    @classmethod
    def from_dict(cls, key: str, data: dict[str, Any], standalone: frozenset[str]) -> SiteProfile:
        """Build a profile from its JSON document; unknown keys are an error, not a surprise."""
        data = dict(data)
        data.pop("format", None)
        dl = dict(data.pop("dateline", {}))
        dl.pop("standalone_cities_file", None)
        style = DatelineStyle(standalone_cities=standalone, **dl)
        categories = tuple(data.pop("categories", ()))
        destinations = tuple(dict(d) for d in data.pop("destinations", ()))
        return cls(
            key=key, categories=categories, dateline=style, destinations=destinations, **data
        )
