"""Three-way merge of two copies of one article against the copy both started from.

When a review package comes back, the writer has usually kept editing while
the editor worked on the copy that was sent. Comparing each part of the
article with the *base* (the document that was sent) tells who changed what:

* changed on one side only: that side's version is taken;
* changed on both sides, identically: nothing to decide;
* changed on both sides differently: a **conflict**. The local version is
  kept in the merged article and the part is reported; the caller keeps both
  whole documents as revisions, so nobody's words are lost and a compare view
  can show the two.

The parts are each header field, each section's subheading and body
separately (matching annotation field names, so the UI can point at them),
each image's metadata, section and image *presence* (added or deleted on one
side), and the order of sections and images. Without a base every difference
is a conflict, which is safe because nothing is overwritten.

This module is pure: it reads articles and returns a new one.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import astuple, dataclass, field, is_dataclass, replace
from datetime import datetime
from typing import Any, Literal

from desk.model.article import Article, Image, Section, Status

Pick = Literal["same", "local", "incoming", "conflict"]
#: One status change: (status, who, ISO time), as ``DraftStore.status_history`` gives it.
StatusRow = tuple[str, str, str]
#: Header fields merged one by one. The slug is not among them: slugs are
#: unique per store, so the other side may have had to rename it on import
#: ("-2"), and taking that back would rename the writer's article.
HEADER_PARTS = ("headline", "dateline", "category", "byline", "standfirst", "tags", "site")
SECTION_ORDER = "section order"
IMAGE_ORDER = "image order"


class _Absent:
    """A part missing on one side (deleted, or never added); equal only to itself."""

    def __repr__(self) -> str:
        return "<absent>"


ABSENT: Any = _Absent()
#: Stands in for a base we do not have: equal to nothing, so every
#: difference between the two sides becomes a conflict.
UNKNOWN: Any = object()


@dataclass
class ArticleMerge:
    article: Article
    #: Parts whose incoming version was taken (``headline``, ``section:<id>``, ...).
    taken: list[str] = field(default_factory=list)
    #: Parts changed differently on both sides; the local version was kept.
    conflicts: list[str] = field(default_factory=list)


def pick(base: Any, local: Any, incoming: Any) -> Pick:
    """The three-way rule for one part; ``base`` may be :data:`UNKNOWN`."""
    if local == incoming:
        return "same"
    if base is not UNKNOWN and local == base:
        return "incoming"
    if base is not UNKNOWN and incoming == base:
        return "local"
    return "conflict"


def _record(out: ArticleMerge, part: str, decision: Pick) -> bool:
    """Note the decision; True when the incoming version should be used."""
    if decision == "incoming":
        out.taken.append(part)
    elif decision == "conflict":
        out.conflicts.append(part)
    return decision == "incoming"


def _relative(ids: list[str], common: set[str]) -> list[str]:
    return [i for i in ids if i in common]


def merge_order(
    base: list[str] | None, local: list[str], incoming: list[str], keep: set[str]
) -> tuple[list[str], Pick]:
    """Order ``keep`` ids: the side that reordered the shared items sets the skeleton,
    and items only the other side has are placed after their nearest predecessor there."""
    common = set(local) & set(incoming) & (set(base) if base is not None else set(local))
    rel_base = _relative(base, common) if base is not None else UNKNOWN
    decision = pick(rel_base, _relative(local, common), _relative(incoming, common))
    skeleton, other = (incoming, local) if decision == "incoming" else (local, incoming)
    out = [i for i in skeleton if i in keep]
    for idx, ident in enumerate(other):
        if ident not in keep or ident in out:
            continue
        pos = 0
        for before in reversed(other[:idx]):
            if before in out:
                pos = out.index(before) + 1
                break
        out.insert(pos, ident)
    return out, decision


def _merge_keyed(
    out: ArticleMerge,
    kind: str,
    base: dict[str, Hashable] | None,
    local: dict[str, Hashable],
    incoming: dict[str, Hashable],
) -> dict[str, Literal["local", "incoming"]]:
    """Which side's item to use for each id that survives the merge.

    Presence is decided on the whole item, so a deletion on one side and an
    edit on the other is a conflict (the local state wins, the other text is
    in the incoming revision).
    """
    chosen: dict[str, Literal["local", "incoming"]] = {}
    for ident in [*local, *(i for i in incoming if i not in local)]:
        lv, iv = local.get(ident, ABSENT), incoming.get(ident, ABSENT)
        bv = UNKNOWN if base is None else base.get(ident, ABSENT)
        if lv is not ABSENT and iv is not ABSENT:
            chosen[ident] = "local"  # both have it: merged field by field by the caller
            continue
        decision = pick(bv, lv, iv)
        side = "incoming" if _record(out, f"{kind}:{ident}", decision) else "local"
        if (iv if side == "incoming" else lv) is not ABSENT:
            chosen[ident] = side
    return chosen


def _section_values(a: Article) -> dict[str, Hashable]:
    return {s.id: (s.subheading, s.body) for s in a.sections}


def _image_values(a: Article) -> dict[str, Hashable]:
    return {i.id: astuple(i) for i in a.images}


def merge_articles(base: Article | None, local: Article, incoming: Article) -> ArticleMerge:
    """The merged article (local id, version and timestamps) and what was decided.

    ``status`` is left as the local one: the workflow state is merged by the
    review package from status histories, not from text.
    """
    merged = local.copy()
    out = ArticleMerge(merged)
    for name in HEADER_PARTS:
        bv = UNKNOWN if base is None else getattr(base, name)
        if _record(out, name, pick(bv, getattr(local, name), getattr(incoming, name))):
            value = getattr(incoming, name)
            if isinstance(value, list):
                value = list(value)
            elif is_dataclass(value):
                value = replace(value)
            setattr(merged, name, value)

    # Sections: presence, then subheading and body separately, then order.
    loc_s = {s.id: s for s in local.sections}
    inc_s = {s.id: s for s in incoming.sections}
    base_s = {s.id: s for s in base.sections} if base is not None else {}
    chosen = _merge_keyed(
        out,
        "section",
        _section_values(base) if base is not None else None,
        _section_values(local),
        _section_values(incoming),
    )
    sections: dict[str, Section] = {}
    for sid, side in chosen.items():
        src = loc_s[sid] if side == "local" else inc_s[sid]
        sec = Section(id=sid, subheading=src.subheading, body=src.body)
        if sid in loc_s and sid in inc_s:
            b = base_s.get(sid)
            for attr, part in (("subheading", f"subheading:{sid}"), ("body", f"section:{sid}")):
                bv = UNKNOWN if base is None else (getattr(b, attr) if b else ABSENT)
                if _record(
                    out, part, pick(bv, getattr(loc_s[sid], attr), getattr(inc_s[sid], attr))
                ):
                    setattr(sec, attr, getattr(inc_s[sid], attr))
        sections[sid] = sec
    order = _merged_order(
        out, SECTION_ORDER, base and base.sections, local.sections, incoming.sections, set(sections)
    )
    merged.sections = [sections[sid] for sid in order]

    # Images: the metadata of each image is one part (alt, caption, credit, place).
    loc_i = {i.id: i for i in local.images}
    inc_i = {i.id: i for i in incoming.images}
    base_iv = _image_values(base) if base is not None else None
    chosen = _merge_keyed(out, "image", base_iv, _image_values(local), _image_values(incoming))
    images: dict[str, Image] = {}
    for iid, side in chosen.items():
        img = loc_i[iid] if side == "local" else inc_i[iid]
        if iid in loc_i and iid in inc_i:
            bv = UNKNOWN if base_iv is None else base_iv.get(iid, ABSENT)
            decision = pick(bv, astuple(loc_i[iid]), astuple(inc_i[iid]))
            img = inc_i[iid] if _record(out, f"image:{iid}", decision) else loc_i[iid]
        images[iid] = replace(img)
    order = _merged_order(
        out, IMAGE_ORDER, base and base.images, local.images, incoming.images, set(images)
    )
    merged.images = [images[iid] for iid in order]
    return out


def _merged_order(
    out: ArticleMerge,
    part: str,
    base: Sequence[Any] | None,
    local: Sequence[Any],
    incoming: Sequence[Any],
    present: set[str],
) -> list[str]:
    """Order of sections or images: 3-way on their ids, the decision recorded as ``part``."""
    order, decision = merge_order(
        [x.id for x in base] if base is not None else None,
        [x.id for x in local],
        [x.id for x in incoming],
        present,
    )
    _record(out, part, decision)
    return order


def row_time(row: StatusRow) -> datetime:
    return datetime.fromisoformat(row[2])


def merge_status(
    local: Status, local_rows: list[StatusRow], incoming: Status, incoming_rows: list[StatusRow]
) -> tuple[Status, list[StatusRow] | None]:
    """The later decision wins (by status-history time), and the histories are united.

    The workflow graph is not enforced here: two offline copies may each have
    moved several steps, and refusing the newer state would strand the article.
    Returns the status and the united history in time order (None: nothing new).
    """
    mine = max(map(row_time, local_rows), default=None)
    theirs = max(map(row_time, incoming_rows), default=None)
    status = local
    if incoming != local and theirs is not None and (mine is None or theirs > mine):
        status = incoming
    known = set(local_rows)
    new = [r for r in dict.fromkeys(incoming_rows) if r not in known]
    if not new:
        return status, None
    return status, sorted([*local_rows, *new], key=row_time)
