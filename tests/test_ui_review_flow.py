"""Review and export as a writer and an editor do them in the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from desk.model.article import Status
from desk.store.annotations import load_annotations
from desk.store.drafts import DraftStore
from desk.ui.review import move_dialog, review_controller
from desk.ui.review.move_dialog import MoveAnswer
from desk.ui.settings import Preferences


@pytest.fixture
def quiet_dialogs(monkeypatch):
    """Message boxes answer at once; what they said is kept for the test to read."""
    said: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: said.append(text))
    monkeypatch.setattr(QDialog, "exec", lambda self: 0)
    return said


def as_user(window, name="Ana Editor", role="editor"):
    window.prefs = Preferences(writer_name=name, role=role)
    window.review.set_preferences(window.prefs)


def select_in_section(window, index: int, words: str):
    sid = window.session.article.sections[index].id
    ed = window.editor.sections.editor(sid)
    start = ed.body.toPlainText().index(words)
    window.editor.focus_section(sid)
    ed.select(start, start + len(words))
    return sid


def test_comment_on_selected_text_is_saved_listed_and_highlighted(
    make_window, monkeypatch, quiet_dialogs, db_path
):
    w = make_window()
    as_user(w)
    monkeypatch.setattr(
        review_controller, "get_comment", lambda _p, quote: f"Source for '{quote}'?"
    )
    sid = select_in_section(w, 1, "more than 1,200 payments")
    w.actions_.comment.trigger()
    [note] = load_annotations(DraftStore(db_path), w.session.article.id)
    assert note.quote.exact == "more than 1,200 payments" and note.role == "editor"
    assert note.body == "Source for 'more than 1,200 payments'?"
    assert note.field == f"section:{sid}"
    ed = w.editor.sections.editor(sid)
    [sel] = ed.body.extraSelections()
    assert sel.cursor.selectedText() == "more than 1,200 payments"
    assert w.review.open_count() == 1


def test_comment_stays_on_its_words_while_the_writer_types(
    make_window, monkeypatch, quiet_dialogs, qtbot
):
    w = make_window()
    as_user(w)
    monkeypatch.setattr(review_controller, "get_comment", lambda _p, _q: "Check this.")
    sid = select_in_section(w, 1, "accounting software")
    w.actions_.comment.trigger()
    ed = w.editor.sections.editor(sid)
    ed.focus_at(0)
    qtbot.keyClicks(ed.body, "NEW WORDS FIRST. ")
    before = w.review.annotations[0].position.start

    def on_its_words() -> bool:
        a = w.review.annotations[0]
        return ed.body.toPlainText()[a.position.start : a.position.end] == "accounting software"

    qtbot.waitUntil(on_its_words, timeout=3000)
    assert w.review.annotations[0].position.start == before + len("NEW WORDS FIRST. ")
    [sel] = ed.body.extraSelections()
    assert sel.cursor.selectedText() == "accounting software"


@pytest.fixture
def confirm_moves(monkeypatch, tmp_path):
    """Every status move is confirmed without a note; packages go to tmp_path."""
    monkeypatch.setattr(
        move_dialog, "ask_move", lambda _p, target, _h: MoveAnswer("", target is Status.IN_REVIEW)
    )
    package = tmp_path / "sent.deskreview"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(package), ""))
    return package


def test_status_workflow_from_the_status_bar(make_window, quiet_dialogs, confirm_moves, db_path):
    w = make_window()
    as_user(w, "Will Writer", "writer")
    w.workflow.transitionRequested.emit(Status.IN_REVIEW)
    assert w.session.article.status is Status.IN_REVIEW
    as_user(w, "Ana Editor", "editor")
    w.workflow.transitionRequested.emit(Status.APPROVED)
    store = DraftStore(db_path)
    assert store.load(w.session.article.id).status is Status.APPROVED
    assert [(s, who) for s, who, _ in store.status_history(w.session.article.id)] == [
        ("in_review", "Will Writer"),
        ("approved", "Ana Editor"),
    ]
    as_user(w, "Will Writer", "writer")
    w.workflow.transitionRequested.emit(Status.PUBLISHED)  # writers do not publish
    assert w.session.article.status is Status.APPROVED and quiet_dialogs


def test_export_dialog_writes_a_bundle_and_jumps_to_problems(make_window, tmp_path, qtbot):
    from desk.ui.dialogs.export_dialog import ExportDialog

    w = make_window()
    article = w.session.article
    dialog = ExportDialog(article, w.profile, w.store, 0, str(tmp_path), w)
    qtbot.addWidget(dialog)
    assert dialog.export_button.isEnabled()  # the starter has warnings only
    assert dialog.export()
    assert (tmp_path / article.slug / "manifest.json").exists()
    assert "ipfs://" in dialog.status.text()
    w.editor.header.headline.setText("")
    w.session.set_header(headline="")
    blocked = ExportDialog(w.session.article, w.profile, w.store, 0, str(tmp_path), w)
    qtbot.addWidget(blocked)
    assert not blocked.export_button.isEnabled()
    jumped: list[str] = []
    blocked.jumpRequested.connect(jumped.append)
    row = next(
        i
        for i in range(blocked.checklist.count())
        if blocked.checklist.item(i).data(256) == "headline"
    )
    blocked.checklist.itemActivated.emit(blocked.checklist.item(row))
    assert jumped == ["headline"]


def test_send_and_open_review_package_through_the_menu(
    make_window, monkeypatch, quiet_dialogs, confirm_moves, tmp_path
):
    writer = make_window()
    as_user(writer, "Will Writer", "writer")
    package = confirm_moves
    writer.actions_.send_review.trigger()
    assert package.exists()
    editor = make_window(tmp_path / "editor.db")
    as_user(editor)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(package), ""))
    editor.actions_.open_review.trigger()
    assert editor.session.article.id == writer.session.article.id
    assert editor.session.article.sections[1].body == writer.session.article.sections[1].body
    bad = tmp_path / "bad.deskreview"
    bad.write_bytes(b"not a zip")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    editor.actions_.open_review.trigger()
    assert any("Nothing was imported" in s for s in quiet_dialogs)


def test_history_restore_from_the_dialog(make_window, monkeypatch, quiet_dialogs, db_path):
    from desk.ui.review import history_dialog

    w = make_window()
    store = DraftStore(db_path)
    rev = store.snapshot(store.load(w.session.article.id), "manual")
    w.session.set_section_text(w.session.article.sections[0].id, body="Rewritten.")
    assert w.flush()
    captured = {}
    monkeypatch.setattr(
        history_dialog.HistoryDialog, "exec", lambda self: captured.setdefault("dialog", self) and 0
    )
    w.actions_.history.trigger()
    dialog = captured["dialog"]
    dialog.restoreRequested.emit(rev)
    assert w.session.article.sections[0].body.startswith("County officials")
    assert Path(db_path).exists()


def test_opening_another_draft_clears_the_previous_comments(
    make_window, monkeypatch, quiet_dialogs
):
    from desk.model.article import Article, Section

    w = make_window()
    as_user(w)
    monkeypatch.setattr(review_controller, "get_comment", lambda _p, _q: "Check this.")
    select_in_section(w, 1, "accounting software")
    w.actions_.comment.trigger()
    assert len(w.annotations.annotations()) == 1
    other = w.store.create(Article(headline="Quiet Story", sections=[Section(body="No notes.")]))
    w.open_by_id(other.id)
    assert w.annotations.annotations() == []
    assert w.review.open_count() == 0


def test_a_reopened_draft_shows_its_comments_in_the_first_frame(
    make_window, monkeypatch, quiet_dialogs, qtbot, db_path
):
    w = make_window()
    as_user(w)
    monkeypatch.setattr(review_controller, "get_comment", lambda _p, _q: "Check this.")
    sid = select_in_section(w, 1, "accounting software")
    w.actions_.comment.trigger()
    w.annotations_dock.hide()  # even when the writer closed the panel last time
    w.close()
    again = make_window(db_path)
    assert again.annotations_dock.isVisible()  # no panel popping in after the window shows
    assert [a.quote.exact for a in again.annotations.annotations()] == ["accounting software"]
    ed = again.editor.sections.editor(sid)
    qtbot.waitUntil(lambda: len(ed.body.extraSelections()) == 1)


def test_a_draft_without_comments_gets_its_status_and_history_by_itself(
    make_window, qtbot, db_path
):
    """Its review tools attach after the first frame; nothing has to ask for them."""
    store = DraftStore(db_path)
    from desk.store.seed import ensure_starter

    article = ensure_starter(store)
    store.set_status(article.id, Status.IN_REVIEW, who="Will Writer")
    store.close()
    w = make_window(db_path)
    assert w.workflow.status_label.text() == "In review"  # right in the first frame
    assert not w.annotations_dock.isVisible()
    qtbot.waitUntil(lambda: "Will Writer" in w.workflow.status_label.toolTip())
