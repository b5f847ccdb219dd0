"""Status notes in the store and in review packages, and the withdraw rule."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk.model.annotation import activity_by_others, add_reply, make_annotation
from desk.model.article import Status
from desk.model.workflow import StatusChange, WorkflowError, check_withdraw
from desk.review.package import PackageError, open_review_package, send_for_review
from desk.store.drafts import DraftStore
from desk.store.seed import ensure_starter
from desk.store.status import status_changes

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def change(status: Status, who: str, minutes: int, note: str = "") -> StatusChange:
    return StatusChange(status, who, (T0 + timedelta(minutes=minutes)).isoformat(), note)


SENT = [change(Status.IN_REVIEW, "Will", 0)]


def test_the_sender_may_withdraw_while_nobody_picked_it_up():
    check_withdraw(Status.IN_REVIEW, SENT, "Will")
    check_withdraw(Status.IN_REVIEW, SENT, "Will", [T0 - timedelta(days=1)])  # an older round


@pytest.mark.parametrize(
    ("status", "history", "who", "activity", "why"),
    [
        (Status.DRAFT, SENT, "Will", [], "in review"),
        (Status.IN_REVIEW, [], "Will", [], "not sent for review from here"),
        (Status.IN_REVIEW, SENT, "Ana", [], "Only Will"),
        (Status.IN_REVIEW, SENT, "Will", [T0 + timedelta(minutes=3)], "already worked on"),
        (
            Status.IN_REVIEW,
            [*SENT, change(Status.CHANGES_REQUESTED, "Ana", 5), change(Status.IN_REVIEW, "Ana", 6)],
            "Will",
            [],
            "Only Ana",
        ),
    ],
)
def test_withdraw_is_refused_with_a_reason(status, history, who, activity, why):
    with pytest.raises(WorkflowError, match=why):
        check_withdraw(status, history, who, activity)


def test_activity_by_others_counts_comments_replies_and_resolutions(store):
    article = ensure_starter(store)
    mine = make_annotation(article, "headline", 0, 4, "Mine", "Will", "writer")
    mine = replace(mine, created=T0)
    reply = add_reply(mine, "Fine", "Ana", "editor")
    assert activity_by_others([mine], "Will") == []
    assert activity_by_others([reply], "Will") == [reply.replies[0].created]
    assert activity_by_others([reply], "Ana") == [T0]


@pytest.fixture
def ticking_clock(monkeypatch):
    """Each status move a second after the last: the store keeps whole seconds, and a
    merge takes the other side's move only when it is later, as it is between laptops."""
    from desk.store import drafts

    ticks = iter(range(1, 1_000_000))
    start = drafts.utcnow()
    monkeypatch.setattr(drafts, "utcnow", lambda: start + timedelta(seconds=next(ticks)))


def test_notes_are_stored_and_travel_both_ways(tmp_path: Path, ticking_clock):
    with DraftStore(tmp_path / "writer.db") as writer, DraftStore(tmp_path / "ed.db") as editor:
        article = ensure_starter(writer)
        writer.set_status(article.id, Status.IN_REVIEW, who="Will", note="  Figures first  ")
        out = send_for_review(
            writer, article.id, tmp_path / "a.deskreview", author="Will", role="writer"
        )
        rows = json.loads(zipfile.ZipFile(out).read("status_history.json"))
        assert [r["note"] for r in rows] == ["Figures first"]
        open_review_package(editor, out, author="Ana", role="editor")
        assert [(c.status, c.note) for c in status_changes(editor, article.id)] == [
            (Status.IN_REVIEW, "Figures first")
        ]
        editor.set_status(article.id, Status.CHANGES_REQUESTED, who="Ana", note="Source it")
        back = send_for_review(
            editor, article.id, tmp_path / "b.deskreview", author="Ana", role="editor"
        )
        open_review_package(writer, back, author="Will", role="writer")  # a merge this time
        assert [(c.status, c.who, c.note) for c in status_changes(writer, article.id)] == [
            (Status.IN_REVIEW, "Will", "Figures first"),
            (Status.CHANGES_REQUESTED, "Ana", "Source it"),
        ]
        assert writer.load(article.id).status is Status.CHANGES_REQUESTED
        # The bare rows merges compare keep their shape.
        assert [r[:2] for r in writer.status_history(article.id)] == [
            ("in_review", "Will"),
            ("changes_requested", "Ana"),
        ]


def rewrite_history(package: Path, out: Path, rows: object) -> Path:
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "status_history.json":
                data = json.dumps(rows).encode()
            dst.writestr(info, data)
    return out


def test_packages_without_notes_open_and_bad_notes_are_refused(tmp_path: Path):
    with DraftStore(tmp_path / "w.db") as writer:
        article = ensure_starter(writer)
        writer.set_status(article.id, Status.IN_REVIEW, who="Will", note="hi")
        sent = send_for_review(
            writer, article.id, tmp_path / "a.deskreview", author="Will", role="writer"
        )
    rows = json.loads(zipfile.ZipFile(sent).read("status_history.json"))
    old = rewrite_history(sent, tmp_path / "bad.deskreview", [dict(rows[0], note=5)])
    bare = [{k: v for k, v in rows[0].items() if k != "note"}]
    older = rewrite_history(sent, tmp_path / "older.deskreview", bare)
    with DraftStore(tmp_path / "e.db") as editor:
        open_review_package(editor, older, author="Ana", role="editor")
        assert [c.note for c in status_changes(editor, article.id)] == [""]
    with DraftStore(tmp_path / "e2.db") as editor, pytest.raises(PackageError, match="note"):
        open_review_package(editor, old, author="Ana", role="editor")
