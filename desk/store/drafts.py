"""The draft store: every article a writer keeps on this laptop.

The store remembers, per open article, what it last wrote. ``autosave``
compares against that memory and writes only the header or sections that
differ, which is what makes it cheap enough to call on every pause in typing.
Every write checks the article's version counter: a draft changed by another
process is never overwritten; the local text is kept as a "conflict" revision
and the caller is told.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desk.model.article import (
    Article,
    Section,
    Status,
    headline_slug,
    new_id,
    unique_slug,
    utcnow,
)
from desk.store import rows
from desk.store.db import (
    NotFoundError,
    SlugTakenError,
    StaleWriteError,
    as_database,
    connect,
    write,
)
from desk.store.revisions import RevisionInfo, Revisions
from desk.store.saved import SaveResult, _Saved
from desk.store.search import search_articles
from desk.store.slugs import SlugLock

__all__ = [
    "DraftStore",
    "NotFoundError",
    "RevisionInfo",
    "SaveResult",
    "SlugTakenError",
    "StaleWriteError",
]

if TYPE_CHECKING:
    from sqlite_utils import Database


#: A section's rowid carries its article's rowid in the high bits
#: (``article_rid << 24 | n``), so search maps a full-text hit to its article
#: with a shift instead of a table lookup per hit.
SECTION_RID_BITS = 24
NEW_SECTION_RID = (
    "(SELECT (a.rid << 24) + 1 + coalesce((SELECT max(s.rid) FROM sections s "
    "WHERE s.rid > (a.rid << 24) AND s.rid < ((a.rid + 1) << 24)) - (a.rid << 24), 0) "
    "FROM articles a WHERE a.id = ?)"
)


class DraftStore(Revisions, SlugLock):
    """A writer's drafts in one SQLite file."""

    def __init__(self, path: Path | str, *, create_folders: bool = True) -> None:
        self.path = Path(path)
        self._conn = connect(self.path, create_folders=create_folders)
        self._db: Database | None = None
        self._saved: dict[str, _Saved] = {}
        self._last_snapshot: dict[str, datetime] = {}

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    @property
    def db(self) -> Database:
        """sqlite-utils on the same connection, built on first use."""
        if self._db is None:
            self._db = as_database(self._conn)
        return self._db

    # --- reading -------------------------------------------------------------

    def resolve_id(self, id_or_slug: str) -> str:
        row = self.conn.execute(
            "SELECT id FROM articles WHERE id = ? OR slug = ? ORDER BY id = ? DESC LIMIT 1",
            (id_or_slug, id_or_slug, id_or_slug),
        ).fetchone()
        if row is None:
            # Let people type the start of an id, as with git hashes.
            found = (
                self.conn.execute(
                    "SELECT id FROM articles WHERE id LIKE ? LIMIT 2", (id_or_slug + "%",)
                ).fetchall()
                if len(id_or_slug) >= 4
                else []
            )
            if len(found) == 1:
                return found[0][0]
            raise NotFoundError(f"no draft with id or slug {id_or_slug!r}")
        return row[0]

    def load(self, id_or_slug: str) -> Article:
        article_id = self.resolve_id(id_or_slug)
        conn = self.conn
        conn.execute("BEGIN")  # one snapshot for the article and its parts
        try:
            row = conn.execute(
                f"SELECT {rows.ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            sections = conn.execute(
                "SELECT id, subheading, body FROM sections WHERE article_id = ? ORDER BY position",
                (article_id,),
            ).fetchall()
            images = conn.execute(
                f"SELECT {', '.join(rows.IMAGE_FIELDS)} FROM images WHERE article_id = ? "
                "ORDER BY position",
                (article_id,),
            ).fetchall()
        finally:
            conn.execute("COMMIT")
        article = rows.article_from_rows(row, sections, images)
        self._saved[article.id] = _Saved.of(article)
        return article

    def list_drafts(
        self, *, status: Status | None = None, category: str | None = None, trashed: bool = False
    ) -> list[rows.DraftSummary]:
        where = ["trashed_at IS NOT NULL" if trashed else "trashed_at IS NULL"]
        params: list[object] = []
        if status:
            where.append("status = ?")
            params.append(str(status))
        if category:
            where.append("category = ?")
            params.append(category)
        cur = self.conn.execute(
            "SELECT id, slug, headline, status, category, updated_at, changed_at, trashed_at "
            f"FROM articles WHERE {' AND '.join(where)} ORDER BY changed_at DESC, id",
            params,
        )
        return [rows.summary_from_row(r) for r in cur]

    def search(
        self, query: str, *, limit: int = 100, trashed: bool = False, prefix: bool = False
    ) -> list[rows.DraftSummary]:
        """Drafts matching every word; with ``trashed`` only those in the trash.

        ``prefix`` lets the last word match longer ones, for search as you type.
        """
        found = search_articles(
            self.conn, query, limit=limit, include_trashed=trashed, prefix=prefix
        )
        return [d for d in found if d.trashed] if trashed else found

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    # --- writing -------------------------------------------------------------

    def _taken_slugs(self, conn: sqlite3.Connection, exclude_id: str = "") -> set[str]:
        return {
            r[0] for r in conn.execute("SELECT slug FROM articles WHERE id != ?", (exclude_id,))
        }

    def create(self, article: Article | None = None) -> Article:
        """Insert a new draft; its slug is made unique here, where all slugs are known."""
        article = article.copy() if article else Article(sections=[Section()])
        now = utcnow()
        with write(self) as conn:
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                article.id = new_id()
            base = article.slug or headline_slug(article.headline, article.id)
            article.slug = unique_slug(base, self._taken_slugs(conn))
            article.version = 1
            conn.execute(
                "INSERT INTO articles (id, created_at, updated_at, changed_at, status, version, "
                + ", ".join(rows.HEADER_FIELDS)
                + ") VALUES (?, ?, ?, ?, ?, 1, "
                + ", ".join("?" * len(rows.HEADER_FIELDS))
                + ")",
                (
                    article.id,
                    article.created_at.isoformat(),
                    article.updated_at.isoformat(),
                    now.isoformat(),
                    str(article.status),
                    *rows.header_values(article),
                ),
            )
            self._write_sections(conn, article, article.sections)
            self._write_images(conn, article)
        self._saved[article.id] = _Saved.of(article)
        return article

    def _write_sections(
        self, conn: sqlite3.Connection, article: Article, sections: list[Section]
    ) -> None:
        if len(sections) == len(article.sections):
            index = {s.id: i for i, s in enumerate(article.sections)}
        else:
            index = {s.id: article.section_index(s.id) for s in sections}
        conn.executemany(
            f"INSERT INTO sections (rid, id, article_id, position, subheading, body) "
            f"VALUES ({NEW_SECTION_RID}, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "subheading = excluded.subheading, body = excluded.body, "
            "position = excluded.position WHERE article_id = excluded.article_id",
            [(article.id, s.id, article.id, index[s.id], s.subheading, s.body) for s in sections],
        )

    def _write_images(self, conn: sqlite3.Connection, article: Article) -> None:
        conn.execute("DELETE FROM images WHERE article_id = ?", (article.id,))
        conn.executemany(
            f"INSERT INTO images (article_id, position, {', '.join(rows.IMAGE_FIELDS)}) "
            f"VALUES (?, ?, {', '.join('?' * len(rows.IMAGE_FIELDS))})",
            [(article.id, i, *rows.image_values(img)) for i, img in enumerate(article.images)],
        )

    def _check_version(self, conn: sqlite3.Connection, article: Article) -> None:
        row = conn.execute("SELECT version FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row is None:
            raise NotFoundError(f"draft {article.id} no longer exists")
        if row[0] != article.version:
            raise _Stale(row[0])

    def autosave(self, article: Article, *, author: str = "") -> SaveResult:
        """Write what changed since the last load or save, in one durable transaction."""
        saved = self._saved.get(article.id)
        if saved is None:
            return self.save(article, author=author)
        header = rows.header_values(article)
        changed = [
            s for s in article.sections if saved.sections.get(s.id) != (s.subheading, s.body)
        ]
        order = [s.id for s in article.sections]
        present = set(order)
        removed = [sid for sid in saved.order if sid not in present]
        images = tuple(rows.image_values(i) for i in article.images)
        result = SaveResult(
            version=article.version,
            sections_written=len(changed),
            header_written=header != saved.header,
            order_written=order != saved.order,
            images_written=images != saved.images,
        )
        if not result.wrote:
            return result
        now = utcnow()
        try:
            with write(self) as conn:
                self._check_version(conn, article)
                if result.header_written:
                    self._check_slug(conn, article)
                    conn.execute(
                        "UPDATE articles SET "
                        + ", ".join(
                            f"{f} = ?"
                            for f, old, new in zip(
                                rows.HEADER_FIELDS, saved.header, header, strict=True
                            )
                            if old != new
                        )
                        + " WHERE id = ?",
                        (
                            *[
                                new
                                for old, new in zip(saved.header, header, strict=True)
                                if old != new
                            ],
                            article.id,
                        ),
                    )
                conn.execute(
                    "UPDATE articles SET version = version + 1, updated_at = ?, changed_at = ? "
                    "WHERE id = ?",
                    (now.isoformat(), now.isoformat(), article.id),
                )
                if removed:
                    conn.executemany(
                        "DELETE FROM sections WHERE id = ? AND article_id = ?",
                        [(sid, article.id) for sid in removed],
                    )
                if result.order_written:
                    before = {sid: i for i, sid in enumerate(saved.order)}
                    written = {s.id for s in changed}
                    moved = [
                        s
                        for i, s in enumerate(article.sections)
                        if s.id not in written and before.get(s.id) != i
                    ]
                    self._write_sections(conn, article, moved)
                self._write_sections(conn, article, changed)
                if result.images_written:
                    self._write_images(conn, article)
                self._maybe_snapshot(conn, article, now, author)
        except _Stale as stale:
            raise self._keep_conflict(article, stale.actual, author) from None
        article.version += 1
        article.updated_at = now
        result.version = article.version
        # Update the memory of what was written in place: rebuilding it would
        # cost as much as the write itself on a long article.
        saved.header, saved.images = header, images
        for s in changed:
            saved.sections[s.id] = (s.subheading, s.body)
        for sid in removed:
            del saved.sections[sid]
        if result.order_written:
            saved.order = order
        return result

    def save(self, article: Article, *, author: str = "", reason: str = "") -> SaveResult:
        """Write the whole article (after an import or restore); version-checked too."""
        now = utcnow()
        try:
            with write(self) as conn:
                self._check_version(conn, article)
                self._check_slug(conn, article)
                conn.execute(
                    "UPDATE articles SET "
                    + ", ".join(f"{f} = ?" for f in rows.HEADER_FIELDS)
                    + ", status = ?, version = version + 1, updated_at = ?, changed_at = ? "
                    "WHERE id = ?",
                    (
                        *rows.header_values(article),
                        str(article.status),
                        now.isoformat(),
                        now.isoformat(),
                        article.id,
                    ),
                )
                keep = [s.id for s in article.sections]
                conn.execute(
                    f"DELETE FROM sections WHERE article_id = ? AND id NOT IN "
                    f"({', '.join('?' * len(keep))})",
                    (article.id, *keep),
                )
                self._write_sections(conn, article, article.sections)
                self._write_images(conn, article)
                article.updated_at = now
                article.version += 1
                if reason:
                    self._insert_revision(conn, article, reason, author, now)
        except _Stale as stale:
            raise self._keep_conflict(article, stale.actual, author) from None
        self._saved[article.id] = _Saved.of(article)
        return SaveResult(
            version=article.version,
            sections_written=len(article.sections),
            header_written=True,
            order_written=True,
            images_written=True,
        )

    def _check_slug(self, conn: sqlite3.Connection, article: Article) -> None:
        if not article.slug:
            article.slug = unique_slug(
                headline_slug(article.headline, article.id), self._taken_slugs(conn, article.id)
            )
        elif conn.execute(
            "SELECT 1 FROM articles WHERE slug = ? AND id != ?", (article.slug, article.id)
        ).fetchone():
            raise SlugTakenError(f"the slug {article.slug!r} is already used by another draft")

    def _keep_conflict(self, article: Article, actual: int, author: str) -> StaleWriteError:
        with write(self) as conn:
            rev = self._insert_revision(conn, article, "conflict", author, utcnow())
        return StaleWriteError(article.id, article.version, actual, rev)

    def set_status(self, article_id: str, status: Status, *, who: str = "", note: str = "") -> int:
        """Change the workflow state (``note``: why, for the other side); content stays."""
        now = utcnow()
        with write(self) as conn:
            cur = conn.execute(
                "UPDATE articles SET status = ?, version = version + 1, changed_at = ? "
                "WHERE id = ?",
                (str(status), now.isoformat(), article_id),
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"no draft with id {article_id!r}")
            conn.execute(
                "INSERT INTO status_history (article_id, status, who, at, note) "
                "VALUES (?, ?, ?, ?, ?)",
                (article_id, str(status), who, now.isoformat(), note.strip()),
            )
            version = conn.execute(
                "SELECT version FROM articles WHERE id = ?", (article_id,)
            ).fetchone()[0]
        article = self.load(article_id)
        self.snapshot(article, f"status: {status.label}", author=who)
        if status is Status.PUBLISHED:
            self.fix_slug(article_id)
        return version

    def status_history(self, article_id: str) -> list[tuple[str, str, str]]:
        return [
            tuple(r)
            for r in self.conn.execute(
                "SELECT status, who, at FROM status_history WHERE article_id = ? ORDER BY id",
                (article_id,),
            )
        ]

    def has_annotations(self, article_id: str) -> bool:
        """Whether the draft has comment threads, without reading them.

        The window asks this before its first frame: a draft with comments opens
        with its comments panel, one without leaves that work for later.
        """
        row = self.conn.execute(
            "SELECT 1 FROM annotations WHERE article_id = ? LIMIT 1", (article_id,)
        ).fetchone()
        return row is not None

    def duplicate(self, article_id: str) -> Article:
        original = self.load(article_id)
        copy = original.copy()
        copy.id = new_id()
        copy.slug = ""
        copy.headline = f"{original.headline} (copy)" if original.headline else ""
        copy.status = Status.DRAFT
        copy.sections = [Section(subheading=s.subheading, body=s.body) for s in original.sections]
        for img in copy.images:
            img.id = new_id()
        copy.created_at = copy.updated_at = utcnow()
        return self.create(copy)

    def trash(self, article_id: str) -> None:
        self._set_trashed(article_id, utcnow().isoformat())

    def restore(self, article_id: str) -> None:
        self._set_trashed(article_id, None)

    def _set_trashed(self, article_id: str, value: str | None) -> None:
        with write(self) as conn:
            cur = conn.execute(
                "UPDATE articles SET trashed_at = ?, changed_at = ?, "
                "version = version + 1 WHERE id = ?",
                (value, utcnow().isoformat(), article_id),
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"no draft with id {article_id!r}")
        self._saved.pop(article_id, None)

    def purge(self, article_id: str) -> None:
        """Delete for good; only from the trash, so a slip of the hand costs nothing."""
        with write(self) as conn:
            cur = conn.execute(
                "DELETE FROM articles WHERE id = ? AND trashed_at IS NOT NULL", (article_id,)
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"no draft {article_id!r} in the trash")
        self._saved.pop(article_id, None)

    # --- images --------------------------------------------------------------

    def add_blob(self, data: bytes, media_type: str) -> str:
        import hashlib  # loads OpenSSL: 5 ms that opening the window need not wait for

        digest = hashlib.sha256(data).hexdigest()
        with write(self) as conn:
            conn.execute(
                "INSERT OR IGNORE INTO blobs (sha256, media_type, size, data) VALUES (?, ?, ?, ?)",
                (digest, media_type, len(data), data),
            )
        return digest

    def blob(self, sha256: str) -> bytes:
        row = self.conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise NotFoundError(f"image {sha256[:12]} is missing from the store")
        return bytes(row[0])

    # --- small key/value state (last open draft, cursor) ---------------------

    def get_meta(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with write(self) as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                "DO UPDATE SET value = excluded.value",
                (key, value),
            )


class _Stale(Exception):
    def __init__(self, actual: int) -> None:
        self.actual = actual
