"""Status moves as writers and editors make them in the window: Tab stays in the form,
every move is confirmed with a note, the note reaches the other side, and a
writer can take back a submission nobody has picked up."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from desk.model.annotation import make_annotation
from desk.model.article import Status
from desk.store.annotations import save_annotations
from desk.store.drafts import DraftStore
from desk.store.status import status_changes
from desk.ui.review import move_dialog
from desk.ui.review.move_dialog import MoveAnswer, MoveDialog
from desk.ui.settings import Preferences


@pytest.fixture
def said(monkeypatch) -> list[str]:
    out: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: out.append(text))
    return out


@pytest.fixture
def answers(monkeypatch) -> list[tuple[Status, str | None]]:
    """Confirm each move with the next queued note (None: the user cancels)."""
    queue: list[tuple[Status, str | None]] = []

    def ask(_parent, target: Status, _headline: str) -> MoveAnswer | None:
        expected, note = queue.pop(0)
        assert target is expected
        return None if note is None else MoveAnswer(note, target is not Status.PUBLISHED)

    monkeypatch.setattr(move_dialog, "ask_move", ask)
    return queue


def save_to(monkeypatch, path: Path | None) -> None:
    """The file dialog answers ``path`` (None: the user cancels it)."""
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(path) if path else "", "")
    )


def user(make_window, qtbot, name: str, role: str, db: Path | None = None):
    w = make_window(db)
    w.prefs = Preferences(writer_name=name, role=role)
    w.review.set_preferences(w.prefs)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    return w


def click(qtbot, w, target: Status) -> None:
    qtbot.mouseClick(w.workflow.buttons[target], Qt.MouseButton.LeftButton)


def history(db: Path, article_id: str):
    with DraftStore(db) as s:
        return [(c.status, c.who, c.note) for c in status_changes(s, article_id)]


def test_tab_from_the_last_section_goes_round_the_form(make_window, qtbot):
    w = user(make_window, qtbot, "Will Writer", "writer")
    last = w.editor.sections.editor(w.session.article.sections[-1].id)
    last.focus_at(0)
    qtbot.waitUntil(last.body.hasFocus)
    head = w.editor.header.headline
    visited = []
    for _ in range(10):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        visited.append(focus)
        assert w.editor.isAncestorOf(focus), f"Tab left the article form for {focus!r}"
        assert not w.workflow.isAncestorOf(focus)
        if focus is head:
            break
    assert visited[-1] is head
    qtbot.keyClick(head, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is visited[-2]  # and Shift+Tab goes back round


def test_space_on_send_for_review_asks_first_and_cancel_changes_nothing(
    make_window, qtbot, monkeypatch, db_path
):
    w = user(make_window, qtbot, "Will Writer", "writer")
    save_to(monkeypatch, None)
    button = w.workflow.buttons[Status.IN_REVIEW]
    button.setFocus()
    seen: list[object] = []

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(0, cancel)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert len(seen) == 1 and isinstance(seen[0], MoveDialog)
    assert w.session.article.status is Status.DRAFT
    assert history(db_path, w.session.article.id) == []


def test_send_for_review_confirms_with_a_note_and_writes_the_package(
    make_window, qtbot, monkeypatch, tmp_path, db_path
):
    w = user(make_window, qtbot, "Will Writer", "writer")
    package = tmp_path / "story.deskreview"
    save_to(monkeypatch, package)

    def confirm() -> None:  # the real dialog: type a note, Ctrl+Enter
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MoveDialog)
        qtbot.keyClicks(dialog.note, "Check the budget figures first")
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(0, confirm)
    click(qtbot, w, Status.IN_REVIEW)
    assert w.session.article.status is Status.IN_REVIEW
    assert w.workflow.status_label.text() == "In review"
    assert history(db_path, w.session.article.id) == [
        (Status.IN_REVIEW, "Will Writer", "Check the budget figures first")
    ]
    assert package.exists()
    assert "Check the budget figures first" in w.workflow.last_note.text()


def test_file_menu_send_for_review_is_the_same_move(
    make_window, qtbot, monkeypatch, answers, tmp_path, db_path
):
    w = user(make_window, qtbot, "Will Writer", "writer")
    save_to(monkeypatch, None)  # cancelling the package cancels the move
    answers.append((Status.IN_REVIEW, "first try"))
    w.actions_.send_review.trigger()
    assert w.session.article.status is Status.DRAFT
    assert history(db_path, w.session.article.id) == []
    package = tmp_path / "menu.deskreview"
    save_to(monkeypatch, package)
    answers.append((Status.IN_REVIEW, ""))
    w.actions_.send_review.trigger()
    assert w.session.article.status is Status.IN_REVIEW and package.exists()
    package.unlink()
    w.actions_.send_review.trigger()  # already in review: the package alone, no move
    assert package.exists() and len(history(db_path, w.session.article.id)) == 1


@pytest.fixture
def ticking_clock(monkeypatch):
    """Each status move a second after the last: the store keeps whole seconds, and a
    merge takes the other side's move only when it is later, as it is between laptops."""
    from desk.store import drafts

    ticks = iter(range(1, 1_000_000))
    start = drafts.utcnow()
    monkeypatch.setattr(drafts, "utcnow", lambda: start + timedelta(seconds=next(ticks)))


def test_request_changes_note_travels_to_the_writer(
    make_window, qtbot, monkeypatch, answers, tmp_path, db_path, ticking_clock
):
    writer = user(make_window, qtbot, "Will Writer", "writer")
    to_editor, to_writer = tmp_path / "to-editor.deskreview", tmp_path / "back.deskreview"
    save_to(monkeypatch, to_editor)
    answers.append((Status.IN_REVIEW, "Ready when you are"))
    click(qtbot, writer, Status.IN_REVIEW)
    editor_db = tmp_path / "editor.db"
    editor = user(make_window, qtbot, "Ana Editor", "editor", editor_db)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(to_editor), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    editor.actions_.open_review.trigger()
    assert editor.session.article.id == writer.session.article.id
    assert "Ready when you are" in editor.workflow.last_note.text()  # shown to the editor
    save_to(monkeypatch, to_writer)
    answers.append((Status.CHANGES_REQUESTED, "Source the second quote"))
    click(qtbot, editor, Status.CHANGES_REQUESTED)
    assert to_writer.exists()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(to_writer), ""))
    writer.actions_.open_review.trigger()
    assert writer.session.article.status is Status.CHANGES_REQUESTED
    assert writer.workflow.last_note.text() == "Ana Editor: “Source the second quote”"
    assert "Source the second quote" in writer.workflow.status_label.toolTip()
    assert history(db_path, writer.session.article.id) == [
        (Status.IN_REVIEW, "Will Writer", "Ready when you are"),
        (Status.CHANGES_REQUESTED, "Ana Editor", "Source the second quote"),
    ]


def test_writer_withdraws_a_submission_nobody_picked_up(
    make_window, qtbot, monkeypatch, answers, tmp_path, db_path, said
):
    w = user(make_window, qtbot, "Will Writer", "writer")
    save_to(monkeypatch, tmp_path / "early.deskreview")
    assert Status.DRAFT not in w.workflow.buttons  # nothing to withdraw yet
    answers.append((Status.IN_REVIEW, ""))
    click(qtbot, w, Status.IN_REVIEW)
    assert w.workflow.buttons[Status.DRAFT].text() == "Withdraw"
    answers.append((Status.DRAFT, "Sent too early"))
    click(qtbot, w, Status.DRAFT)
    assert w.session.article.status is Status.DRAFT and not said
    assert [h[0] for h in history(db_path, w.session.article.id)] == [
        Status.IN_REVIEW,
        Status.DRAFT,
    ]
    assert w.workflow.buttons.keys() == {Status.IN_REVIEW}
    # Once an editor has commented on it, it is picked up: no Withdraw.
    answers.append((Status.IN_REVIEW, ""))
    click(qtbot, w, Status.IN_REVIEW)
    assert Status.DRAFT in w.workflow.buttons
    article = w.session.article
    sent = max(c.when for c in status_changes(w.store, article.id))
    note = make_annotation(article, "headline", 0, 4, "Good start", "Ana Editor", "editor")
    later = sent + timedelta(minutes=5)
    save_annotations(w.store, [replace(note, created=later, modified=later)])
    w.reopen()
    assert w.session.article.status is Status.IN_REVIEW
    assert Status.DRAFT not in w.workflow.buttons
    w.workflow.transitionRequested.emit(Status.DRAFT)  # even if asked some other way
    assert w.session.article.status is Status.IN_REVIEW
    assert said and "already worked on" in said[-1]


@pytest.mark.parametrize(
    ("target", "offers", "package"),
    [
        (Status.IN_REVIEW, False, True),  # sending for review always writes the package
        (Status.CHANGES_REQUESTED, True, True),
        (Status.APPROVED, True, True),
        (Status.PUBLISHED, False, False),
        (Status.DRAFT, False, False),
    ],
)
def test_move_dialog_defaults_to_cancel_and_says_what_happens(qtbot, target, offers, package):
    dialog = MoveDialog(target, "Harbor Tunnel")
    qtbot.addWidget(dialog)
    dialog.show()
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    assert cancel.isDefault() and not dialog.ok.isDefault()
    assert dialog.package.isVisible() is offers
    assert dialog.answer() == MoveAnswer("", package)
    if offers:
        dialog.package.setChecked(False)
        assert dialog.answer().package is False
