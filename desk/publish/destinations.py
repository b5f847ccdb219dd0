"""Where articles are published: named destinations, kept per user (never secrets).

A destination is plain settings: kind, endpoint, bucket, key prefix, the
site's public URL. They live in ``destinations.json`` in the user's config
folder, so the command line and the app share them; a site profile may ship
defaults, which a user's own entry of the same name replaces. Keys and tokens
are not here: see :mod:`desk.publish.credentials`.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from desk.paths import config_dir

KINDS = ("s3", "s3-car", "kubo")
FILE_NAME = "destinations.json"
FORMAT = "desk.destinations/1"
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


class DestinationError(ValueError):
    """A destination that cannot be used as written; the message says what to fix."""


@dataclass(frozen=True)
class Destination:
    name: str
    kind: str
    endpoint: str
    bucket: str = ""
    prefix: str = ""
    region: str = "us-east-1"
    public_url: str = ""
    #: Where the entry came from: "user" (destinations.json) or "site" (the profile).
    origin: str = field(default="user", compare=False)

    def key(self, slug: str, rel: str) -> str:
        """The object key of a bundle file: ``<prefix><slug>/<rel>``."""
        return f"{self.prefix}{slug}/{rel}"

    def public_page_url(self, slug: str) -> str:
        if not self.public_url:
            return ""
        return f"{self.public_url.rstrip('/')}/{self.prefix}{slug}/"


def validate(data: Mapping[str, Any], origin: str = "user") -> Destination:
    """Build a destination from settings, refusing what would fail later in a worse place."""
    known = {f for f in Destination.__dataclass_fields__ if f != "origin"}
    unknown = set(data) - known
    if unknown:
        raise DestinationError(f"unknown destination setting(s): {', '.join(sorted(unknown))}")
    values = {k: data[k] for k in known if k in data}
    for k, v in values.items():
        if not isinstance(v, str):
            raise DestinationError(f"destination setting {k!r} must be text")
    name = values.get("name", "")
    if not _NAME.fullmatch(name):
        raise DestinationError(
            f"destination name {name!r}: use letters, digits, - or _ (start with a letter)"
        )
    kind = values.get("kind", "")
    if kind not in KINDS:
        raise DestinationError(f"{name}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    endpoint = values.get("endpoint", "")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DestinationError(f"{name}: endpoint must be an http(s) URL, not {endpoint!r}")
    if kind in ("s3", "s3-car") and not values.get("bucket"):
        raise DestinationError(f"{name}: a {kind} destination needs --bucket")
    prefix = values.get("prefix", "")
    if prefix.startswith("/") or ".." in prefix.split("/"):
        raise DestinationError(f"{name}: prefix {prefix!r} must be a relative key prefix")
    if prefix and not prefix.endswith("/"):
        values["prefix"] = prefix + "/"
    public = values.get("public_url", "")
    if public and urlsplit(public).scheme not in ("http", "https"):
        raise DestinationError(f"{name}: public URL must be an http(s) URL")
    return Destination(origin=origin, **values)


def _user_file() -> Path:
    return config_dir() / FILE_NAME


def _read_user() -> dict[str, Destination]:
    path = _user_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise DestinationError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DestinationError(f"{path}: not a Desk destinations file")
    items = data.get("destinations", [])
    if not isinstance(items, list):
        raise DestinationError(f"{path}: 'destinations' must be a list")
    return {d.name: d for d in (validate(item) for item in items)}


def _write_user(items: Iterable[Destination]) -> None:
    path = _user_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "format": FORMAT,
        "destinations": [
            {k: v for k, v in asdict(d).items() if k != "origin"}
            for d in sorted(items, key=lambda d: d.name)
        ],
    }
    fd, tmp = tempfile.mkstemp(prefix=".destinations-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_destinations(site_defaults: Iterable[Mapping[str, Any]] = ()) -> list[Destination]:
    """The site's defaults overlaid with the user's own, by name, sorted."""
    merged = {d.name: d for d in (validate(item, "site") for item in site_defaults)}
    merged.update(_read_user())
    return [merged[name] for name in sorted(merged)]


def find_destination(name: str, site_defaults: Iterable[Mapping[str, Any]] = ()) -> Destination:
    for dest in load_destinations(site_defaults):
        if dest.name == name:
            return dest
    raise DestinationError(f"no destination named {name!r} (see `desk destinations list`)")


def add_destination(dest: Destination) -> None:
    items = _read_user()
    items[dest.name] = dest
    _write_user(items.values())


def remove_destination(name: str) -> None:
    items = _read_user()
    if name not in items:
        raise DestinationError(f"no destination named {name!r} of your own to remove")
    del items[name]
    _write_user(items.values())
