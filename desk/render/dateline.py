"""The dateline lead ("TOKYO, Japan —") per the site's house style.

Decisions, so nobody has to rediscover them:

* Upper-casing is :meth:`str.upper` – full Unicode case mapping, independent of
  the machine's locale – so "São Paulo" → "SÃO PAULO" and "Gießen" → "GIESSEN"
  (there is no capital ß in common use; "SS" is what a newsroom prints).
* Upper-casing changes case, never spelling.  "İstanbul" (Turkish dotted
  capital I, already upper case) stays "İSTANBUL"; "Istanbul" gives
  "ISTANBUL".  Which spelling the site uses is the writer's and copy desk's
  call, exactly as with "Zurich" versus "Zürich", not the renderer's.  Being
  locale-independent, a lower-case "istanbul" also gives "ISTANBUL" rather
  than the Turkish-locale "İSTANBUL".
* Input is tidied, not trusted: NFC-normalised (so a decomposed "Zu\u0308rich"
  prints like a composed one), surrounding whitespace stripped, internal runs
  of whitespace (including no-break spaces) collapsed to one space, stray
  commas at the edges dropped, so the lead never shows ",," or a trailing ",".
  The region is otherwise kept as typed (no case change).
* Stand-alone cities are matched by exact name after NFC, whitespace collapse
  and case folding.  No aliases: "St. Louis" does not match "Saint Louis" and
  "Zürich" does not match "Zurich".  Guessing equivalences would silently drop
  a country from a dateline where AP style keeps it; a missing alias only
  leaves the region in, which is never wrong.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from desk.model.site import DatelineStyle

__all__ = ["dateline_lead", "is_standalone", "parse_standalone_cities"]


def _tidy(value: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", value).split())
    text = re.sub(r"\s*,[\s,]*", ", ", text)  # one comma, one space, however it was typed
    return text.strip(", ")


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", _tidy(name).casefold())


@lru_cache(maxsize=32)
def _keys(cities: frozenset[str]) -> frozenset[str]:
    # The style may hold names as written in the list file or already folded.
    return frozenset(_key(c) for c in cities)


def parse_standalone_cities(text: str) -> frozenset[str]:
    """Read the AP stand-alone list file so a site can edit it without code changes.

    Blank lines and lines starting with ``#`` are ignored; names come back
    folded the same way :func:`is_standalone` folds its argument.
    """
    names = set()
    for line in text.removeprefix("\ufeff").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            names.add(_key(stripped))
    return frozenset(names)


def is_standalone(city: str, style: DatelineStyle) -> bool:
    """True when AP style lets *city* stand without a region (exact names only)."""
    key = _key(city)
    return bool(key) and key in _keys(style.standalone_cities)


def dateline_lead(city: str, region: str, style: DatelineStyle) -> str:
    """The text that opens the first paragraph; empty when there is no city to show."""
    city = _tidy(city)
    if not city:
        return ""
    region = _tidy(region)
    # Upper-casing can decompose (Greek "ΐ" → "Ϊ́"); re-compose for the page.
    shown = unicodedata.normalize("NFC", city.upper()) if style.uppercase_city else city
    if region and not (style.drop_region_for_standalone and is_standalone(city, style)):
        shown = f"{shown}, {region}"
    dash = style.dash.strip()
    return f"{shown} {dash}" if dash else shown
