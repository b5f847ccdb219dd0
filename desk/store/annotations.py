"""Annotations kept in the draft store, one row per thread.

A thread (comment plus replies) is stored as one JSON document because it is
always read, merged and re-anchored whole; splitting replies into rows would
only add joins. ``modified`` is the thread's last activity, including
replies, so the newest discussion can be listed first without parsing JSON.
"""

from __future__ import annotations

import json

from desk.model.annotation import (
    Annotation,
    AnnotationError,
    annotation_from_dict,
    annotation_to_dict,
    sort_key,
)
from desk.store.db import StoreError, write
from desk.store.drafts import DraftStore


def save_annotations(store: DraftStore, annotations: list[Annotation]) -> None:
    """Insert or replace by id, all in one transaction so a batch from a merge
    lands whole or not at all. The last save of a thread wins: merge first
    (:func:`desk.review.merge.merge_annotations`) when two copies may differ."""
    rows = [
        (
            a.id,
            a.article_id,
            json.dumps(annotation_to_dict(a), ensure_ascii=False, sort_keys=True),
            a.last_activity.isoformat(),
        )
        for a in annotations
    ]
    with write(store.db) as conn:
        conn.executemany(
            "INSERT INTO annotations (id, article_id, document, modified) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET article_id = excluded.article_id, "
            "document = excluded.document, modified = excluded.modified",
            rows,
        )


def load_annotations(store: DraftStore, article_id: str) -> list[Annotation]:
    """All threads of one article, in the same order merges produce."""
    out: list[Annotation] = []
    for ident, document in store.conn.execute(
        "SELECT id, document FROM annotations WHERE article_id = ?", (article_id,)
    ):
        try:
            out.append(annotation_from_dict(json.loads(document)))
        except (ValueError, AnnotationError) as exc:
            # Refuse rather than skip: hiding a comment would lose it silently.
            raise StoreError(f"comment {ident} in the draft database is damaged: {exc}") from exc
    out.sort(key=sort_key)
    return out


def delete_annotation(store: DraftStore, annotation_id: str) -> bool:
    """Remove a whole thread; returns whether there was one to remove."""
    with write(store.db) as conn:
        cur = conn.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
        return cur.rowcount > 0


def open_count(store: DraftStore, article_id: str) -> int:
    """Unresolved threads (orphaned ones included: they still need an answer).

    Replies live inside their thread's document, so every row is one thread.
    """
    row = store.conn.execute(
        "SELECT count(*) FROM annotations WHERE article_id = ? "
        "AND coalesce(json_extract(document, '$.resolved'), 0) = 0",
        (article_id,),
    ).fetchone()
    return int(row[0])
