"""A returned review merged in the window: whose change each is, accepted one by one."""

from __future__ import annotations

import json

import pytest
from conftest import js
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desk.store.drafts import DraftStore
from desk.ui.review import move_dialog
from desk.ui.review.merge_dialog import MergeDialog
from desk.ui.review.move_dialog import MoveAnswer
from desk.ui.settings import Preferences

pytestmark = pytest.mark.webengine

ADDED = " A public hearing is set for April."
OLD, NEW = "lower the reporting threshold", "cut the reporting threshold"


def as_user(window, name: str, role: str) -> None:
    window.prefs = Preferences(writer_name=name, role=role)
    window.review.set_preferences(window.prefs)


def edit_body(window, index: int, body: str) -> None:
    """What typing does: the session gets the text, the next pause saves it."""
    sid = window.session.article.sections[index].id
    window.editor.sections.editor(sid).body.setPlainText(body)
    assert window.session.article.sections[index].body == body
    assert window.flush()


def test_merging_a_returned_review_shows_whose_change_each_is_and_accepts_one(
    make_window, monkeypatch, qtbot, tmp_path, db_path
):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(move_dialog, "ask_move", lambda _p, _t, _h: MoveAnswer("", True))
    writer = make_window()
    as_user(writer, "Will Writer", "writer")
    sent, returned = tmp_path / "sent.deskreview", tmp_path / "returned.deskreview"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(sent), ""))
    writer.actions_.send_review.trigger()

    editor = make_window(tmp_path / "editor.db")
    as_user(editor, "Ana Editor", "editor")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sent), ""))
    editor.actions_.open_review.trigger()
    body = editor.session.article.sections[2].body
    assert OLD in body
    edit_body(editor, 2, body.replace(OLD, NEW))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(returned), ""))
    editor.actions_.send_review.trigger()

    # The writer kept writing after sending: a new sentence in the same section.
    mine = writer.session.article.sections[2].body + ADDED
    edit_body(writer, 2, mine)

    shown: list[MergeDialog] = []
    monkeypatch.setattr(MergeDialog, "exec", lambda self: shown.append(self) or 0)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(returned), ""))
    writer.actions_.open_review.trigger()
    assert len(shown) == 1
    dialog = shown[0]
    sid = writer.session.article.sections[2].id
    field = f"section:{sid}"
    # The writer's sentence is the writer's own, not "deleted by the editor".
    yours = dialog.row(field, "mine")
    assert ADDED.strip() in yours.words.text()
    assert yours.origin.text().startswith("Your change")
    assert not yours.accept_button.isVisible() and not yours.reject_button.isVisible()
    theirs = dialog.row(field, "theirs")
    assert theirs.origin.text() == "Change by Ana Editor"
    assert "cut" in theirs.words.text() and "lower" in theirs.words.text()
    assert writer.session.article.sections[2].body == mine  # not applied before Accept

    theirs.accept_button.click()

    merged = mine.replace(OLD, NEW)
    assert theirs.state.text() == "Accepted" and not theirs.accept_button.isEnabled()
    assert writer.session.article.sections[2].body == merged
    assert writer.editor.sections.editor(sid).body.toPlainText() == merged
    check = DraftStore(db_path)
    try:
        assert check.load(writer.session.article.id).sections[2].body == merged
        assert check.revisions(writer.session.article.id)[0].reason == "change by Ana Editor"
    finally:
        check.close()
    qtbot.waitUntil(lambda: writer.preview.available, timeout=20_000)
    script = f"document.getElementById({json.dumps('s-' + sid)}).textContent"
    qtbot.waitUntil(
        lambda: "cut the reporting" in str(js(qtbot, writer.preview, script)), timeout=20_000
    )
    assert "public hearing" in str(js(qtbot, writer.preview, script))

    # Rejecting it again puts the writer's words back, in the store too.
    theirs.reject_button.click()
    assert writer.session.article.sections[2].body == mine
    assert theirs.state.text() == "Rejected"
