"""Review packages: an article, its comments and images in one ``.deskreview`` zip.

Writers and editors work offline on separate laptops, so review travels as a
file (mail, USB stick, chat). A package is::

    package.json          format, version, created, sender {name, role}, article_id,
                          base_revision: the article document both sides last had
                          in common (the receiver's merge base)
    article.json          the sender's current article (``desk.article`` document)
    annotations.jsonld    the comment threads as W3C Web Annotations
    status_history.json   the workflow history: [{"status", "who", "at", "note"}, ...]
                          ("note": why the move was made; absent from older packages)
    images/<sha256>       every image the article uses, named by its hash

Opening one checks it completely first (:mod:`desk.review.package_read`),
then creates the article or merges it three ways (:mod:`desk.review.article_merge`)
against the last document the two sides exchanged. Whatever is decided, the
local text and the incoming text are both kept as revisions.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from desk.export.atomic import fsync_dir, remove_quietly, temp_file_beside, zip_timestamp
from desk.model.annotation import annotations_to_jsonld
from desk.model.article import (
    Article,
    DocumentError,
    article_from_dict,
    article_to_dict,
    utcnow,
)
from desk.model.workflow import ROLES
from desk.review.anchoring import reanchor_all
from desk.review.article_merge import StatusRow, merge_articles, merge_status, row_time
from desk.review.merge import merge_annotations
from desk.review.package_read import (
    FORMAT,
    SUFFIX,
    VERSION,
    PackageError,
    ReviewPackage,
    read_review_package,
)
from desk.store.annotations import load_annotations, save_annotations
from desk.store.db import write
from desk.store.drafts import DraftStore
from desk.store.status import status_changes, status_notes

__all__ = [
    "FORMAT",
    "SUFFIX",
    "VERSION",
    "ImportReport",
    "PackageError",
    "open_review_package",
    "read_review_package",
    "send_for_review",
]

#: Meta key holding the last article document exchanged (sent or received):
#: the common ancestor for merging the next package that comes back.
BASE_KEY = "review_base:{}"
_FILE_MODE = 0o100644
_ZIP_UNIX = 3
#: Fields that differ between two stores holding the same text.
_VOLATILE = ("revision", "updated_at", "created_at", "status", "slug")
#: Revisions that record a document exchanged with somebody else.
_EXCHANGED_SQL = (
    "SELECT document FROM revisions WHERE article_id = ? AND (reason IN "
    "('sent for review', 'imported review package') OR reason LIKE 'incoming from %')"
)


@dataclass
class ImportReport:
    article_id: str
    created: bool
    #: Parts where the incoming version was taken (``headline``, ``section:<id>``, ``status``).
    taken_from_incoming: list[str] = field(default_factory=list)
    #: Parts both sides changed differently: local text kept, incoming in a revision.
    conflicts: list[str] = field(default_factory=list)
    annotations_added: int = 0
    annotations_updated: int = 0
    #: Comments whose words are no longer in the article.
    orphaned: list[str] = field(default_factory=list)
    message: str = ""
    sender: str = ""
    #: Revisions holding the local text before the import and the incoming
    #: text as sent, for a compare view (None for a newly created article).
    local_revision: int | None = None
    incoming_revision: int | None = None
    #: The common ancestor the merge used (None: unknown, every difference
    #: was a conflict); with the two revisions it tells whose change each is.
    base: Article | None = None


# --- sending --------------------------------------------------------------------


def stored_base(store: DraftStore, article_id: str) -> dict[str, Any] | None:
    """The last document exchanged for this article, or None (never sent, or damaged)."""
    raw = store.get_meta(BASE_KEY.format(article_id))
    try:
        doc = json.loads(raw) if raw else None
        return doc if doc is not None and article_from_dict(doc).id == article_id else None
    except (ValueError, DocumentError):
        return None


def send_for_review(
    store: DraftStore, article_id: str, out: Path, *, author: str, role: str
) -> Path:
    """Write the package atomically, then remember what was sent as the merge base.

    ``base_revision`` is the last document exchanged before this one (what the
    receiver most likely already has), or the current one on a first send.
    """
    if role not in ROLES:
        raise PackageError(f"unknown role {role!r}; expected one of: {', '.join(ROLES)}")
    article = store.load(article_id)
    doc = article_to_dict(article)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created": utcnow().isoformat(),
        "sender": {"name": author, "role": role},
        "article_id": article.id,
        "base_revision": stored_base(store, article.id) or doc,
    }
    rows = [
        {"status": c.status.value, "who": c.who, "at": c.at, "note": c.note}
        for c in status_changes(store, article.id)
    ]
    files: dict[str, bytes] = {
        "package.json": _dump(manifest),
        "article.json": _dump(doc),
        "annotations.jsonld": _dump(annotations_to_jsonld(load_annotations(store, article.id))),
        "status_history.json": _dump(rows),
    }
    for image in article.images:
        files[f"images/{image.sha256}"] = store.blob(image.sha256)
    out = Path(out)
    tmp = temp_file_beside(out, "tmp")
    try:
        _write_zip(tmp, files, article.updated_at)
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except BaseException:
        remove_quietly(tmp)
        raise
    store.snapshot(article, "sent for review", author=author)
    store.fix_slug(article.id)  # the package and the other desk know it by this slug
    store.set_meta(BASE_KEY.format(article.id), json.dumps(doc, ensure_ascii=False))
    return out


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _write_zip(path: Path, files: dict[str, bytes], when: datetime) -> None:
    stamp = zip_timestamp(when)
    with open(path, "wb") as fh:
        with zipfile.ZipFile(fh, "w") as zf:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.create_system = _ZIP_UNIX
                info.external_attr = _FILE_MODE << 16
                # Images are already compressed; deflating them only costs time.
                is_image = name.startswith("images/")
                info.compress_type = zipfile.ZIP_STORED if is_image else zipfile.ZIP_DEFLATED
                zf.writestr(info, files[name])
        fh.flush()
        os.fsync(fh.fileno())


# --- opening ----------------------------------------------------------------------


def _content(doc: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in doc.items() if k not in _VOLATILE}, sort_keys=True)


def choose_base(store: DraftStore, package: ReviewPackage) -> Article | None:
    """The newest document both sides are known to have had.

    The sender's ``base_revision`` is what *they* last exchanged, which we may
    never have received (they sent twice); our stored base is what *we* last
    exchanged, which they may never have received (we sent twice). So: our
    base if the package is exactly it (opened twice), else theirs if we have
    seen it, else ours, else theirs on trust.
    """
    ours = stored_base(store, package.article.id)
    if ours is not None and _content(ours) == _content(package.article_doc):
        return article_from_dict(ours)
    if package.base is not None:
        theirs = _content(article_to_dict(package.base))
        if (ours is not None and _content(ours) == theirs) or _seen(
            store, package.article.id, theirs
        ):
            return package.base
    return article_from_dict(ours) if ours is not None else package.base


def _seen(store: DraftStore, article_id: str, content: str) -> bool:
    """Whether a document with this content was sent or received here before."""
    for (doc,) in store.conn.execute(_EXCHANGED_SQL, (article_id,)):
        try:
            if _content(json.loads(doc)) == content:
                return True
        except ValueError:
            continue
    return False


def _check_ids(store: DraftStore, package: ReviewPackage) -> None:
    """Refuse ids that belong to another draft here: writing them would move or drop rows."""
    article = package.article
    checks = (
        ("sections", [s.id for s in article.sections], "a section"),
        ("images", [i.id for i in article.images], "an image"),
        ("annotations", [a.id for a in package.annotations], "a comment"),
    )
    for table, ids, what in checks:
        row = store.conn.execute(
            f"SELECT id FROM {table} WHERE article_id != ? AND id IN "
            "(SELECT value FROM json_each(?)) LIMIT 1",
            (article.id, json.dumps(ids)),
        ).fetchone()
        if row is not None:
            raise PackageError(
                f"not opened: {what} in this package has the id of one in another draft "
                f"({row[0][:12]})"
            )
    wanted = [i.sha256 for i in article.images if i.sha256 not in package.images]
    have = {
        r[0]
        for r in store.conn.execute(
            "SELECT sha256 FROM blobs WHERE sha256 IN (SELECT value FROM json_each(?))",
            (json.dumps(wanted),),
        )
    }
    for image in article.images:
        if image.sha256 in wanted and image.sha256 not in have:
            name = image.filename or image.sha256[:12]
            raise PackageError(f"not opened: image {name!r} is missing from the package")


def _write_blobs(store: DraftStore, package: ReviewPackage) -> None:
    """Images go in before the article that shows them (INSERT OR IGNORE: content-addressed)."""
    if not package.images:
        return
    media = {i.sha256: i.media_type for i in package.article.images}
    with write(store) as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO blobs (sha256, media_type, size, data) VALUES (?, ?, ?, ?)",
            [(sha, media[sha], len(data), data) for sha, data in package.images.items()],
        )


def _write_status_and_base(
    store: DraftStore, package: ReviewPackage, history: list[StatusRow] | None
) -> None:
    """The united status history (rewritten in time order) and the new merge base."""
    article_id = package.article.id
    notes = {**package.status_notes, **status_notes(store, article_id)}
    with write(store) as conn:
        if history is not None:
            conn.execute("DELETE FROM status_history WHERE article_id = ?", (article_id,))
            conn.executemany(
                "INSERT INTO status_history (article_id, status, who, at, note) "
                "VALUES (?, ?, ?, ?, ?)",
                [(article_id, *row, notes.get(row, "")) for row in history],
            )
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
            "DO UPDATE SET value = excluded.value",
            (BASE_KEY.format(article_id), json.dumps(package.article_doc, ensure_ascii=False)),
        )


def open_review_package(store: DraftStore, path: Path, *, author: str, role: str) -> ImportReport:
    """Check the package, then create the article or merge it into the local one.

    Nothing is written unless every check passes. Writes are ordered so that an
    interruption never loses text: both sides' revisions first, then the
    blobs, the merged article, the comments, and last the status and merge base.
    """
    if role not in ROLES:
        raise PackageError(f"unknown role {role!r}; expected one of: {', '.join(ROLES)}")
    package = read_review_package(Path(path))
    _check_ids(store, package)
    # Look the id up exactly: ``load`` also accepts slugs and id prefixes.
    if store.conn.execute("SELECT 1 FROM articles WHERE id = ?", (package.article.id,)).fetchone():
        return _merge(store, package, store.load(package.article.id), author)
    return _create(store, package, author)


def _create(store: DraftStore, package: ReviewPackage, author: str) -> ImportReport:
    _write_blobs(store, package)
    article = store.create(package.article)
    annotations = reanchor_all(article, package.annotations)
    save_annotations(store, annotations)
    history = sorted(dict.fromkeys(package.status_history), key=row_time)
    _write_status_and_base(store, package, history or None)
    store.snapshot(article, "imported review package", author=author)
    orphaned = [a.id for a in annotations if a.orphaned]
    message = (
        f"Opened “{article.headline or 'untitled'}” from {package.sender} ({package.role}) "
        f"with {len(annotations)} comment(s)."
    )
    return ImportReport(
        article_id=article.id,
        created=True,
        annotations_added=len(annotations),
        orphaned=orphaned,
        message=message,
        sender=package.sender,
    )


def _merge(store: DraftStore, package: ReviewPackage, local: Article, author: str) -> ImportReport:
    incoming = package.article
    base = choose_base(store, package)
    result = merge_articles(base, local, incoming)
    merged = result.article
    merged.status, history = merge_status(
        local.status, store.status_history(local.id), incoming.status, package.status_history
    )
    if merged.status != local.status:
        result.taken.append("status")
    local_comments = load_annotations(store, local.id)
    comments = merge_annotations(local_comments, package.annotations)
    anchored = reanchor_all(merged, comments.annotations)
    before = {a.id for a in local_comments}
    report = ImportReport(
        article_id=local.id,
        created=False,
        taken_from_incoming=result.taken,
        conflicts=result.conflicts,
        annotations_added=len([a for a in anchored if a.id not in before]),
        annotations_updated=len([i for i in comments.changed_ids if i in before]),
        orphaned=[a.id for a in anchored if a.orphaned],
        sender=package.sender,
        base=base,
    )
    nothing_new = not (result.taken or result.conflicts or comments.changed_ids or history)
    if nothing_new and _seen(store, local.id, _content(package.article_doc)):
        report.message = f"Nothing new: this package from {package.sender} was already opened."
        return report

    report.local_revision = store.snapshot(local, "before import (local)", author=author)
    sent = incoming.copy()
    sent.version = local.version
    report.incoming_revision = store.snapshot(
        sent, f"incoming from {package.sender}", author=package.sender
    )
    _write_blobs(store, package)
    store.save(merged, author=author, reason=f"merged review package from {package.sender}")
    save_annotations(store, anchored)
    _write_status_and_base(store, package, history)

    report.message = _summary(report, package)
    return report


def _summary(report: ImportReport, package: ReviewPackage) -> str:
    parts = [f"Merged the package from {package.sender} ({package.role})"]
    if report.taken_from_incoming:
        parts.append(f"took {len(report.taken_from_incoming)} change(s)")
    if report.conflicts:
        parts.append(
            f"{len(report.conflicts)} part(s) changed on both sides kept your text "
            f"(theirs is revision {report.incoming_revision})"
        )
    parts.append(
        f"{report.annotations_added} new and {report.annotations_updated} updated comment(s)"
    )
    if report.orphaned:
        parts.append(f"{len(report.orphaned)} comment(s) lost their words")
    return "; ".join(parts) + "."
