from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.model.annotation import (
    Annotation,
    AnnotationError,
    Reply,
    TextPositionSelector,
    TextQuoteSelector,
    annotation_to_dict,
)
from desk.review.merge import Conflict, merge_annotations

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def t(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ann(id: str, body: str = "Check the name", modified: int = 0, **kw) -> Annotation:
    base = {
        "id": id,
        "article_id": "art",
        "field": "section:s1",
        "quote": TextQuoteSelector("Jon Smith", "named ", ", 42"),
        "position": TextPositionSelector(10, 19),
        "author": "Eve",
        "role": "editor",
        "created": T0,
        "modified": t(modified),
        "body": body,
    }
    return Annotation(**{**base, **kw})


def reply(id: str, body: str, created: int = 1, modified: int | None = None) -> Reply:
    return Reply(
        id, "Wes", "writer", t(created), t(created if modified is None else modified), body
    )


def test_disjoint_sets_are_united_and_new_ones_reported():
    a, b = ann("a"), ann("b", position=TextPositionSelector(30, 39))
    result = merge_annotations([a], [b])
    assert [x.id for x in result.annotations] == ["a", "b"]
    assert result.changed_ids == ["b"]
    assert result.conflicts == []


def test_identical_copies_change_nothing():
    a = ann("a", replies=[reply("r1", "Fixed")])
    result = merge_annotations([a], [replace(a, replies=list(a.replies))])
    assert result.annotations == [a]
    assert result.changed_ids == [] and result.conflicts == []


def test_later_edit_wins_and_the_other_is_kept_in_history():
    local = ann("a", "Is this the right Smith?", modified=5)
    incoming = ann("a", "Confirm spelling with the court list", modified=9)
    result = merge_annotations([local], [incoming])
    (merged,) = result.annotations
    assert merged.body == incoming.body
    assert result.changed_ids == ["a"]
    assert result.conflicts == [Conflict("a", None, "incoming")]
    (entry,) = merged.history
    assert entry["kind"] == "annotation" and entry["side"] == "local"
    assert entry["document"]["body"] == "Is this the right Smith?"
    assert entry["document"]["modified"] == local.modified.isoformat()


def test_local_wins_when_it_is_later():
    local, incoming = ann("a", "new", modified=9), ann("a", "old", modified=5)
    result = merge_annotations([local], [incoming])
    (merged,) = result.annotations
    assert merged.body == "new"
    assert merged.history[0]["side"] == "incoming"
    assert merged.history[0]["document"]["body"] == "old"
    assert result.changed_ids == ["a"]  # the history grew


def test_resolving_counts_as_an_edit():
    local = ann("a", modified=1)
    incoming = ann("a", modified=4, resolved=True, resolved_by="Eve", resolved_at=t(4))
    (merged,) = merge_annotations([local], [incoming]).annotations
    assert merged.resolved and merged.resolved_by == "Eve"


def test_replies_are_united_inside_a_thread_in_time_order():
    local = ann("a", replies=[reply("z", "Which court?", 1), reply("a", "Thanks", 5)])
    incoming = ann("a", replies=[reply("m", "Leeds Crown Court", 3)])
    result = merge_annotations([local], [incoming])
    (merged,) = result.annotations
    assert [r.id for r in merged.replies] == ["z", "m", "a"]
    assert merged.history == [] and result.conflicts == []
    assert result.changed_ids == ["a"]


def test_a_reply_edited_on_both_sides_keeps_the_loser_in_the_thread_history():
    local = ann("a", replies=[reply("r1", "Leeds", 1, modified=7)])
    incoming = ann("a", replies=[reply("r1", "Leeds Crown Court", 1, modified=3)])
    result = merge_annotations([local], [incoming])
    (merged,) = result.annotations
    assert [r.body for r in merged.replies] == ["Leeds"]
    assert result.conflicts == [Conflict("a", "r1", "local")]
    (entry,) = merged.history
    assert entry["kind"] == "reply" and entry["side"] == "incoming"
    assert entry["document"]["body"] == "Leeds Crown Court"


def test_equal_times_pick_the_same_winner_whichever_side_merges():
    x, y = ann("a", "first wording", modified=2), ann("a", "second wording", modified=2)
    one = merge_annotations([x], [y]).annotations[0]
    two = merge_annotations([y], [x]).annotations[0]
    assert one.body == two.body
    assert {one.history[0]["document"]["body"], one.body} == {"first wording", "second wording"}


def test_anchor_only_differences_are_not_conflicts_and_keep_local_anchors():
    local = ann("a")
    incoming = ann("a", position=TextPositionSelector(50, 59), orphaned=True)
    result = merge_annotations([local], [incoming])
    assert result.annotations == [local]
    assert result.conflicts == [] and result.changed_ids == []


def test_merging_again_is_idempotent():
    local = ann("a", "mine", modified=1, replies=[reply("r1", "x", 1, modified=2)])
    incoming = ann("a", "theirs", modified=3, replies=[reply("r1", "y", 1, modified=1)])
    first = merge_annotations([local], [incoming])
    for other in ([incoming], [local], first.annotations):
        again = merge_annotations(first.annotations, other)
        assert again.annotations == first.annotations
        assert again.changed_ids == [] and again.conflicts == []


def test_output_order_is_by_field_then_position_then_created():
    items = [
        ann("d", field="section:s1", position=TextPositionSelector(5, 9), created=t(2)),
        ann("c", field="section:s1", position=TextPositionSelector(5, 9), created=t(1)),
        ann("b", field="section:s1", position=TextPositionSelector(0, 3)),
        ann("a", field="headline"),
    ]
    result = merge_annotations(items[:2], items[2:])
    assert [a.id for a in result.annotations] == ["a", "b", "c", "d"]
    assert merge_annotations(items[2:], items[:2]).annotations == result.annotations


def test_inputs_are_not_modified():
    local = ann("a", "mine", modified=1)
    incoming = ann("a", "theirs", modified=3)
    before = (annotation_to_dict(local), annotation_to_dict(incoming))
    merge_annotations([local], [incoming])
    assert (annotation_to_dict(local), annotation_to_dict(incoming)) == before


def test_duplicate_ids_on_one_side_are_refused():
    with pytest.raises(AnnotationError, match="appears twice in the incoming list"):
        merge_annotations([], [ann("a"), ann("a", "again")])


versions = st.lists(
    st.tuples(st.sampled_from(["a", "b"]), st.text(max_size=8), st.integers(0, 5)),
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(versions, versions)
def test_no_wording_is_ever_lost(local_v, incoming_v):
    def side(vs: list[tuple[str, str, int]]) -> list[Annotation]:
        latest: dict[str, Annotation] = {}
        for aid, body, m in vs:
            latest[aid] = ann(aid, body, modified=m)
        return list(latest.values())

    local, incoming = side(local_v), side(incoming_v)
    result = merge_annotations(local, incoming)
    assert sorted(a.id for a in result.annotations) == sorted({a.id for a in local + incoming})
    kept = {(a.id, a.body) for a in result.annotations}
    kept |= {(a.id, h["document"]["body"]) for a in result.annotations for h in a.history}
    assert {(a.id, a.body) for a in local + incoming} <= kept
    for a in result.annotations:  # the winner is never older than what it replaced
        for h in a.history:
            assert h["document"]["modified"] <= a.modified.isoformat()
