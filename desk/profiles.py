"""Loading site profiles from ``resources/sites/<key>/profile.json``."""

from __future__ import annotations

import json
from functools import cache

from desk.model.site import SiteProfile
from desk.paths import site_dir

DEFAULT_SITE = "openvoicenews"


class ProfileError(ValueError):
    pass


def _parse_city_list(text: str) -> frozenset[str]:
    return frozenset(
        line.strip().casefold()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


@cache
def load_site_profile(key: str = DEFAULT_SITE) -> SiteProfile:
    # The key comes from preferences and packages: a name, never a path.
    if not key or not key.replace("-", "").replace("_", "").isalnum() or not key.isascii():
        raise ProfileError(f"not a site profile name: {key!r}")
    folder = site_dir(key)
    try:
        data = json.loads((folder / "profile.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProfileError(f"unknown site profile {key!r} (no {folder}/profile.json)") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProfileError(f"site profile {key!r} is not valid JSON: {exc}") from exc
    cities_file = data.get("dateline", {}).get("standalone_cities_file")
    cities = (
        _parse_city_list((folder / cities_file).read_text(encoding="utf-8"))
        if cities_file
        else frozenset()
    )
    try:
        return SiteProfile.from_dict(key, data, cities)
    except TypeError as exc:
        raise ProfileError(f"site profile {key!r}: {exc}") from exc


def available_profiles() -> list[str]:
    root = site_dir(DEFAULT_SITE).parent
    return sorted(p.name for p in root.iterdir() if (p / "profile.json").is_file())
