"""Whether an article's slug is fixed: once it has left the laptop, it is an address.

A mixin of :class:`desk.store.drafts.DraftStore`. Exporting, publishing and
sending for review put the slug into URLs, file names and other people's
links; from then on a headline edit must not move the article. The mark is
kept apart from the article's version, so setting it never makes an open
window's next save look stale.
"""

from __future__ import annotations

import sqlite3

from desk.model.article import utcnow
from desk.store.db import write


class SlugLock:
    conn: sqlite3.Connection

    def fix_slug(self, article_id: str) -> None:
        with write(self) as conn:
            conn.execute(
                "UPDATE articles SET slug_fixed_at = ? WHERE id = ? AND slug_fixed_at IS NULL",
                (utcnow().isoformat(), article_id),
            )

    def slug_fixed(self, article_id: str) -> bool:
        row = self.conn.execute(
            "SELECT slug_fixed_at IS NOT NULL FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return bool(row and row[0])
