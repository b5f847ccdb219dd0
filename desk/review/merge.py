"""Uniting the comments from two copies of an article's review.

A writer on a train and an editor at the desk both work on the same threads
offline; when a review package comes back the two sets must be combined
without losing anybody's words. The rules:

* annotations are united by id, and replies by id inside each thread;
* where two versions of one annotation or reply differ, the later
  ``modified`` wins (equal times: the larger canonical JSON, so both laptops
  pick the same winner) and the other version is appended to the thread's
  ``history`` with the side it came from, so it can be shown and restored;
* differences in anchoring alone (quote, current, position, orphaned) are not edits:
  the local anchors are kept, since they were computed against the local text.
  Callers should run :func:`desk.review.anchoring.reanchor_all` after merging.

There are no tombstones: an annotation or reply deleted on one side comes back
from the other. Without a common ancestor we also cannot tell "edited on both
sides" from "one side is stale", so every differing pair is treated as a
conflict; that is safe because the loser is kept, and merging the same input
again adds nothing (merges are idempotent).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from desk.model.annotation import (
    Annotation,
    AnnotationError,
    Reply,
    annotation_to_dict,
    reply_to_dict,
    sort_key,
)

Side = Literal["local", "incoming"]
_ANCHOR_KEYS = ("quote", "current", "position", "orphaned")


@dataclass(frozen=True)
class Conflict:
    """Two different versions met; ``kept`` says whose version is now current."""

    annotation_id: str
    reply_id: str | None
    kept: Side


@dataclass
class MergeResult:
    annotations: list[Annotation]
    #: Ids whose merged version differs from the local one (new ones included),
    #: i.e. what needs saving and redrawing.
    changed_ids: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _snapshot(a: Annotation) -> dict[str, Any]:
    """The dict form without replies and history: those are merged, not replaced."""
    d = annotation_to_dict(a)
    del d["replies"], d["history"]
    return d


def _content(a: Annotation) -> dict[str, Any]:
    d = _snapshot(a)
    for key in _ANCHOR_KEYS:
        del d[key]
    return d


def _entry_key(entry: dict[str, Any]) -> str:
    """History entries are the same if they hold the same words, whichever side they came from."""
    doc = entry.get("document")
    if isinstance(doc, dict):
        doc = {k: v for k, v in doc.items() if k not in _ANCHOR_KEYS}
        return _canon({"kind": entry.get("kind"), "document": doc})
    return _canon(entry)


def _winner(
    local: datetime, incoming: datetime, local_doc: dict[str, Any], incoming_doc: dict[str, Any]
) -> Side:
    if local != incoming:
        return "local" if local > incoming else "incoming"
    return "local" if _canon(local_doc) >= _canon(incoming_doc) else "incoming"


def _merge_replies(
    local: list[Reply], incoming: list[Reply]
) -> tuple[list[Reply], list[tuple[str, Side, dict[str, Any]]]]:
    """United replies, and the superseded versions as (reply id, kept side, document)."""
    mine = {r.id: r for r in local}
    theirs = {r.id: r for r in incoming}
    out: list[Reply] = []
    lost: list[tuple[str, Side, dict[str, Any]]] = []
    for rid in [*mine, *(k for k in theirs if k not in mine)]:
        lr, ir = mine.get(rid), theirs.get(rid)
        if ir is None or lr == ir:
            out.append(mine[rid])
            continue
        if lr is None:
            out.append(ir)
            continue
        ld, idoc = reply_to_dict(lr), reply_to_dict(ir)
        kept = _winner(lr.modified, ir.modified, ld, idoc)
        out.append(lr if kept == "local" else ir)
        lost.append((rid, kept, idoc if kept == "local" else ld))
    out.sort(key=lambda r: (r.created, r.id))
    return out, lost


def _merge_pair(local: Annotation, incoming: Annotation) -> tuple[Annotation, list[Conflict]]:
    replies, lost_replies = _merge_replies(local.replies, incoming.replies)
    entries: list[tuple[Conflict, dict[str, Any]]] = []
    base, other = local, incoming
    if _content(local) != _content(incoming):
        kept = _winner(local.modified, incoming.modified, _content(local), _content(incoming))
        if kept == "incoming":
            base, other = incoming, local
        loser_side: Side = "incoming" if kept == "local" else "local"
        entry = {"kind": "annotation", "side": loser_side, "document": _snapshot(other)}
        entries.append((Conflict(local.id, None, kept), entry))
    for rid, kept, doc in lost_replies:
        side: Side = "incoming" if kept == "local" else "local"
        entries.append(
            (Conflict(local.id, rid, kept), {"kind": "reply", "side": side, "document": doc})
        )

    history = [dict(h) for h in base.history]
    known = {_entry_key(h) for h in history}
    for h in other.history:
        if _entry_key(h) not in known:
            history.append(dict(h))
            known.add(_entry_key(h))
    conflicts: list[Conflict] = []
    for conflict, entry in entries:
        # A version already in history was dealt with by an earlier merge.
        if _entry_key(entry) not in known:
            history.append(entry)
            known.add(_entry_key(entry))
            conflicts.append(conflict)
    return replace(base, replies=replies, history=history), conflicts


def _by_id(annotations: list[Annotation], side: Side) -> dict[str, Annotation]:
    out: dict[str, Annotation] = {}
    for a in annotations:
        if a.id in out:
            raise AnnotationError(f"annotation {a.id!r} appears twice in the {side} list")
        out[a.id] = a
    return out


def merge_annotations(local: list[Annotation], incoming: list[Annotation]) -> MergeResult:
    """Both sides' threads in one list, nobody's words lost; inputs are not changed."""
    mine, theirs = _by_id(local, "local"), _by_id(incoming, "incoming")
    merged: list[Annotation] = []
    conflicts: list[Conflict] = []
    changed: set[str] = set()
    for aid in [*mine, *(k for k in theirs if k not in mine)]:
        la, ia = mine.get(aid), theirs.get(aid)
        if la is None:
            assert ia is not None
            merged.append(ia)
            changed.add(aid)
            continue
        if ia is None:
            merged.append(la)
            continue
        result, found = _merge_pair(la, ia)
        merged.append(result)
        conflicts.extend(found)
        if result != la:
            changed.add(aid)
    merged.sort(key=sort_key)
    order = {a.id: i for i, a in enumerate(merged)}
    conflicts.sort(key=lambda c: (order[c.annotation_id], c.reply_id or ""))
    return MergeResult(
        annotations=merged,
        changed_ids=[a.id for a in merged if a.id in changed],
        conflicts=conflicts,
    )
