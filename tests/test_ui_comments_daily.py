"""Comments as an editor makes them in the window: the field that has the focus,
the reply box's own Ctrl+Enter, and the words a thread was made on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from desk.store.annotations import load_annotations
from desk.store.drafts import DraftStore
from desk.ui.review import review_controller
from desk.ui.settings import Preferences


@pytest.fixture
def said(monkeypatch) -> list[str]:
    """Message boxes answer at once; what they said is kept for the test to read."""
    out: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: out.append(text))
    return out


@pytest.fixture
def quotes(monkeypatch) -> list[str]:
    """Answer the comment dialog; keep the quote it showed."""
    shown: list[str] = []

    def answer(_parent, quote: str) -> str:
        shown.append(quote)
        return "Is this right?"

    monkeypatch.setattr(review_controller, "get_comment", answer)
    return shown


def editor_window(make_window, qtbot):
    w = make_window()
    w.prefs = Preferences(writer_name="Ana Editor", role="editor")
    w.review.set_preferences(w.prefs)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    return w


def press_comment(qtbot, w) -> None:
    """Ctrl+Alt+M where the user has the focus."""
    qtbot.keyClick(
        w.focusWidget(),
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )


def select_words(box, words: str) -> None:
    text = box.toPlainText() if hasattr(box, "toPlainText") else box.text()
    start = text.index(words)
    box.setFocus()
    if hasattr(box, "setSelection"):
        box.setSelection(start, len(words))
    else:
        cursor = box.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(start + len(words), cursor.MoveMode.KeepAnchor)
        box.setTextCursor(cursor)


def stored(db_path, article_id):
    with DraftStore(db_path) as s:
        return load_annotations(s, article_id)


def test_comment_on_the_headline_not_on_an_earlier_body_selection(
    make_window, qtbot, said, quotes, db_path
):
    w = editor_window(make_window, qtbot)
    body = w.editor.sections.editor(w.session.article.sections[1].id).body
    select_words(body, "accounting software")  # an earlier selection, left behind
    head = w.editor.header.headline
    words = head.text().split()[1]
    select_words(head, words)
    press_comment(qtbot, w)
    assert quotes == [words]  # the dialog quoted what is selected now
    [note] = stored(db_path, w.session.article.id)
    assert (note.field, note.quote.exact) == ("headline", words)
    start = w.session.article.headline.index(words)
    assert (note.position.start, note.position.end) == (start, start + len(words))
    card = w.annotations.cards[note.id]
    assert card.findChild(QLabel, "threadField").text() == "Headline"
    assert card.quote.text() == f"“{words}”"
    body.setFocus()
    qtbot.mouseClick(card.buttons["jump"], Qt.MouseButton.LeftButton)  # and back to its words
    assert head.hasFocus() and head.selectedText() == words


def test_comment_on_standfirst_and_subheading(make_window, qtbot, said, quotes, db_path):
    w = editor_window(make_window, qtbot)
    stand = w.editor.header.standfirst
    stand.setFocus()
    stand.selectAll()
    qtbot.keyClicks(stand, "Officials met the fishing crews on Monday.")
    select_words(stand, "fishing crews")
    press_comment(qtbot, w)
    section = w.session.article.sections[0]
    sub = w.editor.sections.editor(section.id).subheading
    sub.setFocus()
    sub.selectAll()
    qtbot.keyClicks(sub, "What the council decided")
    select_words(sub, "council")
    press_comment(qtbot, w)
    assert quotes == ["fishing crews", "council"] and not said
    notes = {n.field: n for n in stored(db_path, w.session.article.id)}
    assert notes["standfirst"].quote.exact == "fishing crews"
    assert notes[f"subheading:{section.id}"].quote.exact == "council"
    assert w.session.article.standfirst == "Officials met the fishing crews on Monday."
    assert w.annotations.visible_ids()[:1] == [notes["standfirst"].id]  # reading order


def test_a_box_that_cannot_carry_a_comment_says_why(make_window, qtbot, said, quotes, db_path):
    w = editor_window(make_window, qtbot)
    slug = w.editor.header.slug
    slug.setFocus()
    slug.selectAll()
    press_comment(qtbot, w)
    assert quotes == [] and said and "slug" in said[0]
    assert stored(db_path, w.session.article.id) == []


def test_ctrl_enter_in_the_reply_box_sends_the_reply_and_adds_no_section(
    make_window, qtbot, said, quotes, db_path
):
    w = editor_window(make_window, qtbot)
    head = w.editor.header.headline
    select_words(head, head.text().split()[0])
    press_comment(qtbot, w)
    [note] = stored(db_path, w.session.article.id)
    sections = len(w.session.article.sections)
    card = w.annotations.cards[note.id]
    qtbot.mouseClick(card.buttons["reply"], Qt.MouseButton.LeftButton)
    card = w.annotations.cards[note.id]
    qtbot.waitUntil(card.reply_edit.hasFocus, timeout=3000)
    qtbot.keyClicks(card.reply_edit, "Checked with the desk.")
    qtbot.keyClick(card.reply_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [note] = stored(db_path, w.session.article.id)
    assert [r.body for r in note.replies] == ["Checked with the desk."]
    assert len(w.session.article.sections) == sections
    reply = w.annotations.cards[note.id].findChild(QWidget, "reply0")
    assert reply.findChild(QLabel, "text").text() == "Checked with the desk."
    # Outside a text box that owns it, Ctrl+Enter still adds a section.
    body = w.editor.sections.editor(w.session.article.sections[0].id).body
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(w.session.article.sections) == sections + 1


def test_the_thread_keeps_the_words_it_was_made_on(make_window, qtbot, said, quotes, db_path):
    w = editor_window(make_window, qtbot)
    sid = w.session.article.sections[1].id
    ed = w.editor.sections.editor(sid)
    select_words(ed.body, "more than 1,200 payments")
    press_comment(qtbot, w)
    [note] = stored(db_path, w.session.article.id)
    card = w.annotations.cards[note.id]
    assert card.quote.text() == "“more than 1,200 payments”" and card.current is None
    # The writer changes the commented words.
    text = ed.body.toPlainText()
    at = text.index("1,200") + len("1,2")
    ed.focus_at(at)
    qtbot.keyClick(ed.body, Qt.Key.Key_Backspace)
    qtbot.keyClicks(ed.body, "3")

    def shows_both() -> bool:
        c = w.annotations.cards.get(note.id)
        return c is not None and c.current is not None

    qtbot.waitUntil(shows_both, timeout=5000)
    card = w.annotations.cards[note.id]
    assert card.quote.text() == "“more than 1,200 payments”"
    assert card.current.text() == "Now reads: “more than 1,300 payments”"
    [kept] = stored(db_path, w.session.article.id)
    assert kept.quote.exact == "more than 1,200 payments"  # the store keeps the words too
    # Opened again from the store, the thread still shows both.
    assert w.flush()
    w.reopen()
    qtbot.waitUntil(shows_both, timeout=5000)
    card = w.annotations.cards[note.id]
    assert card.quote.text() == "“more than 1,200 payments”"
    assert card.current.text() == "Now reads: “more than 1,300 payments”"
