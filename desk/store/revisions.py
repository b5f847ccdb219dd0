"""Revisions: full snapshots of an article, listed, compared and restored.

A mixin of :class:`desk.store.drafts.DraftStore`: snapshots are written in
the same transactions as the edits that cause them.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from desk.model.article import Article, article_from_dict, article_to_dict, utcnow
from desk.store.db import NotFoundError, write

if TYPE_CHECKING:
    from desk.store.saved import SaveResult

#: Editing keeps a snapshot at least this often, besides status changes,
#: imports, exports and restores.
AUTO_SNAPSHOT_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class RevisionInfo:
    id: int
    article_id: str
    created_at: datetime
    reason: str
    author: str
    version: int


class Revisions:
    conn: sqlite3.Connection
    _last_snapshot: dict[str, datetime]

    def load(self, id_or_slug: str) -> Article:  # provided by DraftStore
        raise NotImplementedError

    def save(self, article: Article, *, author: str = "", reason: str = "") -> SaveResult:
        raise NotImplementedError

    # --- revisions -----------------------------------------------------------

    def _insert_revision(
        self, conn: sqlite3.Connection, article: Article, reason: str, author: str, at: datetime
    ) -> int:
        doc = json.dumps(article_to_dict(article), ensure_ascii=False, sort_keys=True)
        cur = conn.execute(
            "INSERT INTO revisions (article_id, created_at, reason, author, version, document) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (article.id, at.isoformat(), reason, author, article.version, doc),
        )
        self._last_snapshot[article.id] = at
        return int(cur.lastrowid or 0)

    def _maybe_snapshot(
        self, conn: sqlite3.Connection, article: Article, now: datetime, author: str
    ) -> None:
        last = self._last_snapshot.get(article.id)
        if last is None:
            row = conn.execute(
                "SELECT max(created_at) FROM revisions WHERE article_id = ?", (article.id,)
            ).fetchone()
            last = (
                datetime.fromisoformat(row[0])
                if row[0]
                else datetime.min.replace(tzinfo=now.tzinfo)
            )
            self._last_snapshot[article.id] = last
        if now - last >= AUTO_SNAPSHOT_EVERY:
            snap = article.copy()
            snap.version += 1
            snap.updated_at = now
            self._insert_revision(conn, snap, "autosave", author, now)

    def snapshot(self, article: Article, reason: str, *, author: str = "") -> int:
        with write(self) as conn:
            return self._insert_revision(conn, article, reason, author, utcnow())

    def revisions(self, article_id: str) -> list[RevisionInfo]:
        return [
            RevisionInfo(
                id=r[0],
                article_id=r[1],
                created_at=datetime.fromisoformat(r[2]),
                reason=r[3],
                author=r[4],
                version=r[5],
            )
            for r in self.conn.execute(
                "SELECT id, article_id, created_at, reason, author, version FROM revisions "
                "WHERE article_id = ? ORDER BY id DESC",
                (article_id,),
            )
        ]

    def revision_article(self, revision_id: int) -> Article:
        row = self.conn.execute(
            "SELECT document FROM revisions WHERE id = ?", (revision_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no revision {revision_id}")
        return article_from_dict(json.loads(row[0]))

    def restore_revision(self, revision_id: int, *, author: str = "") -> Article:
        """Bring an old revision back; the text it replaces stays in history."""
        old = self.revision_article(revision_id)
        current = self.load(old.id)
        self.snapshot(current, "before restore", author=author)
        restored = old.copy()
        restored.version = current.version
        restored.status = current.status
        self.save(restored, author=author, reason=f"restored revision {revision_id}")
        return restored
