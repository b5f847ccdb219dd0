"""The review status history with the notes that came with each move.

``DraftStore.status_history`` gives the bare ``(status, who, at)`` rows that
merges compare; the notes are read here, beside them, so that code keeps its
shape.
"""

from __future__ import annotations

from desk.model.article import Status
from desk.model.workflow import StatusChange
from desk.store.drafts import DraftStore

StatusRow = tuple[str, str, str]


def status_changes(store: DraftStore, article_id: str) -> list[StatusChange]:
    """Every move of one article with its note, oldest first."""
    return [
        StatusChange(Status(status), who, at, note)
        for status, who, at, note in store.conn.execute(
            "SELECT status, who, at, note FROM status_history WHERE article_id = ? ORDER BY id",
            (article_id,),
        )
    ]


def status_notes(store: DraftStore, article_id: str) -> dict[StatusRow, str]:
    """Notes by the row they belong to, for writing a merged history back with them."""
    return {
        (c.status.value, c.who, c.at): c.note for c in status_changes(store, article_id) if c.note
    }
