"""Checking a review package before anything of it is believed.

A ``.deskreview`` file comes from somebody else's machine, by mail or USB
stick, so :func:`read_review_package` checks all of it and holds the result
in memory before the store is touched: member paths (no ``..``, absolute
paths, backslashes, drive letters, links, folders, duplicates, strangers),
member sizes (per member, in total, and the expansion ratio that gives a zip
bomb away), the shape of every JSON document, and each image's hash. Every
refusal is one line a writer can act on. The layout is described in
:mod:`desk.review.package`.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desk.model.annotation import Annotation, AnnotationError, annotations_from_jsonld
from desk.model.article import (
    Article,
    DocumentError,
    Status,
    article_from_dict,
    slugify,
)
from desk.model.workflow import ROLES
from desk.review.article_merge import StatusRow

FORMAT = "desk.review-package"
VERSION = 1
SUFFIX = ".deskreview"
MIB = 1024 * 1024
MAX_JSON = 8 * MIB
MAX_IMAGE = 64 * MIB
MAX_TOTAL = 256 * MIB
MAX_MEMBERS = 10_000
#: Deflate rarely beats 20:1 on real JSON and never on photos; a member that
#: expands more than this (and is big enough to matter) is a zip bomb.
MAX_RATIO = 100
RATIO_FLOOR = 1 * MIB
MAX_NAME = 200
JSON_MEMBERS = ("package.json", "article.json", "annotations.jsonld", "status_history.json")
_IMAGE_MEMBER = re.compile(r"images/([0-9a-f]{64})")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SITE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ZIP_UNIX = 3


class PackageError(ValueError):
    """A package refused, with one line saying why in words a writer can act on."""


@dataclass
class ReviewPackage:
    """A package that passed every check, held in memory."""

    sender: str
    role: str
    created: datetime
    article: Article
    #: The exact ``article.json`` document, kept as the next merge base.
    article_doc: dict[str, Any]
    base: Article | None
    annotations: list[Annotation]
    status_history: list[StatusRow]
    images: dict[str, bytes] = field(default_factory=dict)
    #: The note of each move that has one, by its ``status_history`` row.
    status_notes: dict[StatusRow, str] = field(default_factory=dict)


def _refuse(path: Path, why: str) -> PackageError:
    return PackageError(f"{path.name}: not opened: {why}")


def _member_limit(path: Path, info: zipfile.ZipInfo) -> int:
    """Refuse anything but a plain, reasonably sized file at a name we expect."""
    name = info.filename
    shown = repr(info.orig_filename)
    if "\\" in info.orig_filename or "\x00" in info.orig_filename:
        raise _refuse(path, f"member {shown} has a backslash or NUL in its path")
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        raise _refuse(path, f"member {shown} has an absolute path")
    parts = name.split("/")
    if ".." in parts:
        raise _refuse(path, f"member {shown} points outside the package ('..')")
    kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == _ZIP_UNIX else 0
    if kind == stat.S_IFLNK:
        raise _refuse(path, f"member {shown} is a symbolic link")
    if info.is_dir() or kind == stat.S_IFDIR:
        raise _refuse(path, f"member {shown} is a folder, not a file")
    if kind not in (0, stat.S_IFREG):
        raise _refuse(path, f"member {shown} is not a regular file")
    if "" in parts or "." in parts:
        raise _refuse(path, f"member {shown} has an empty or '.' path segment")
    if name in JSON_MEMBERS:
        limit = MAX_JSON
    elif _IMAGE_MEMBER.fullmatch(name):
        limit = MAX_IMAGE
    else:
        raise _refuse(path, f"unexpected member {shown}")
    if info.flag_bits & 0x1:
        raise _refuse(path, f"member {shown} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refuse(path, f"member {shown} uses an unsupported compression method")
    if info.file_size > limit:
        raise _refuse(path, f"member {shown} is too large ({info.file_size // MIB} MiB)")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise _refuse(path, f"member {shown} expands suspiciously much (a zip bomb?)")
    return limit


def _read_members(path: Path) -> dict[str, bytes]:
    """Every member's bytes, after checking the whole listing first."""
    try:
        if path.is_dir():
            raise _refuse(path, "it is a folder, not a file")
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            # A FIFO or device would block zipfile's open/seek forever.
            raise _refuse(path, "not a regular file (a pipe, device or socket)")
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise _refuse(path, f"too many members ({len(infos)})")
            names = [i.orig_filename for i in infos]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise _refuse(path, f"member {dupes[0]!r} appears more than once")
            limits = {i.filename: _member_limit(path, i) for i in infos}
            if sum(i.file_size for i in infos) > MAX_TOTAL:
                raise _refuse(path, f"contents exceed {MAX_TOTAL // MIB} MiB")
            missing = [n for n in JSON_MEMBERS if n not in limits]
            if missing:
                raise _refuse(path, f"{missing[0]} is missing")
            out: dict[str, bytes] = {}
            for info in infos:
                with zf.open(info) as fh:
                    data = fh.read(limits[info.filename] + 1)
                if len(data) != info.file_size:
                    raise _refuse(path, f"member {info.filename!r} is damaged (wrong size)")
                out[info.filename] = data
            return out
    except PackageError:
        raise
    except FileNotFoundError:
        raise PackageError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _refuse(path, f"not a Desk review package, or a damaged one ({exc})") from None
    except (NotImplementedError, RuntimeError, ValueError) as exc:
        raise _refuse(path, f"unreadable zip ({exc})") from None
    except OSError as exc:
        raise PackageError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _json(path: Path, name: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise _refuse(path, f"{name} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _refuse(path, f"{name} is not valid JSON (line {exc.lineno})") from None
    except RecursionError:
        raise _refuse(path, f"{name} is nested too deeply to be a Desk document") from None
    except ValueError as exc:
        raise _refuse(path, f"{name} is not valid JSON ({exc})") from None


def _one_line(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_NAME and not _CONTROL.search(value)


def _when(path: Path, where: str, value: Any) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _refuse(path, f"{where} is not a timestamp") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _article(path: Path, name: str, doc: Any, article_id: str) -> Article:
    try:
        article = article_from_dict(doc)
    except DocumentError as exc:
        raise _refuse(path, f"{name}: {exc}") from None
    if article.id != article_id:
        raise _refuse(path, f"{name} is about another article than package.json")
    for kind, ids in (
        ("section", [s.id for s in article.sections]),
        ("image", [i.id for i in article.images]),
    ):
        if len(set(ids)) != len(ids):
            raise _refuse(path, f"{name}: two {kind}s share one id")
        if not all(_one_line(i) for i in ids):
            raise _refuse(path, f"{name}: a {kind} id is not a short single line")
    if any(not _SHA256.fullmatch(i.sha256) for i in article.images):
        raise _refuse(path, f"{name}: an image has no valid sha256")
    if article.slug and slugify(article.slug) != article.slug:
        raise _refuse(path, f"{name}: {article.slug!r} is not a valid slug")
    if not _SITE.fullmatch(article.site):
        raise _refuse(path, f"{name}: {article.site!r} is not a site profile name")
    return article


#: A note is a few sentences; anything longer is not one.
MAX_NOTE = 4000


def _status_rows(path: Path, doc: Any) -> tuple[list[StatusRow], dict[StatusRow, str]]:
    """The history rows, and the notes of those that have one."""
    where = "status_history.json"
    if not isinstance(doc, list):
        raise _refuse(path, f"{where} is not a list")
    rows: list[StatusRow] = []
    notes: dict[StatusRow, str] = {}
    for i, row in enumerate(doc):
        if not isinstance(row, dict) or not isinstance(row.get("who"), str):
            raise _refuse(path, f"{where}[{i}] needs status, who and at")
        try:
            status = Status(row.get("status"))
        except ValueError:
            raise _refuse(path, f"{where}[{i}]: unknown status {row.get('status')!r}") from None
        at = _when(path, f"{where}[{i}].at", row.get("at"))
        note = row.get("note", "")
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise _refuse(path, f"{where}[{i}].note is not a short text")
        rows.append((status.value, row["who"], at.isoformat()))
        if note.strip():
            notes[rows[-1]] = note.strip()
    return rows, notes


def read_review_package(path: Path) -> ReviewPackage:
    """Check everything and return the contents; raises :class:`PackageError`, writes nothing."""
    path = Path(path)
    files = _read_members(path)
    manifest = _json(path, "package.json", files["package.json"])
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(path, "package.json does not describe a Desk review package")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _refuse(path, f"package.json has an invalid version {version!r}")
    if version > VERSION:
        raise _refuse(path, f"made by a newer Desk (package version {version}); update Desk")
    sender = manifest.get("sender")
    if not isinstance(sender, dict) or not _one_line(sender.get("name")):
        raise _refuse(path, "package.json: the sender's name is missing or not one line")
    if sender.get("role") not in ROLES:
        raise _refuse(path, f"package.json: unknown sender role {sender.get('role')!r}")
    article_id = manifest.get("article_id")
    if not _one_line(article_id):
        raise _refuse(path, "package.json: the article id is missing or malformed")
    created = _when(path, "package.json created", manifest.get("created"))
    raw_base = manifest.get("base_revision")
    base = None if raw_base is None else _article(path, "base_revision", raw_base, article_id)
    article_doc = _json(path, "article.json", files["article.json"])
    article = _article(path, "article.json", article_doc, article_id)
    threads = _json(path, "annotations.jsonld", files["annotations.jsonld"])
    try:
        annotations = annotations_from_jsonld(threads)
    except AnnotationError as exc:
        raise _refuse(path, f"annotations.jsonld: {exc}") from None
    except (TypeError, KeyError, AttributeError):  # shapes the parser does not expect
        raise _refuse(path, "annotations.jsonld is not a list of Desk comments") from None
    if any(a.article_id != article_id for a in annotations):
        raise _refuse(path, "annotations.jsonld has comments on another article")
    history, notes = _status_rows(
        path, _json(path, "status_history.json", files["status_history.json"])
    )
    used = {i.sha256 for i in article.images}
    images: dict[str, bytes] = {}
    for name, data in files.items():
        if match := _IMAGE_MEMBER.fullmatch(name):
            sha = match.group(1)
            if hashlib.sha256(data).hexdigest() != sha:
                raise _refuse(path, f"image {sha[:12]} is damaged (its hash does not match)")
            if sha not in used:
                raise _refuse(path, f"image {sha[:12]} is not used by the article")
            images[sha] = data
    return ReviewPackage(
        sender=sender["name"],
        role=sender["role"],
        created=created,
        article=article,
        article_doc=article_doc,
        base=base,
        annotations=annotations,
        status_history=history,
        images=images,
        status_notes=notes,
    )
