"""Help and habits, through the menus and keys a writer uses: shortcuts list,
Markdown guide, Format and Section menus, the section's right-click menu,
Ctrl+, for Preferences, the first start, and the draft reopened after quitting."""

from __future__ import annotations

import pytest
from conftest import js
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from test_ui_window import wait_loaded

from desk.model.article import Article, Section
from desk.store.drafts import DraftStore
from desk.ui.dialogs.markdown_guide import MarkdownGuide
from desk.ui.dialogs.shortcuts_dialog import ShortcutsDialog

pytestmark = pytest.mark.webengine


def active(qtbot, window):
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def press(window, keys: str) -> None:
    QTest.keySequence(window.windowHandle(), QKeySequence(keys))


def menu_action(window, menu_title: str, text: str):
    """The action as the menu bar shows it (so the test fails if it is not in that menu)."""
    menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == menu_title
    )
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def select_words(window, index: int, words: str):
    sid = window.session.article.sections[index].id
    ed = window.editor.sections.editor(sid)
    start = ed.body.toPlainText().index(words)
    window.editor.focus_section(sid)
    ed.select(start, start + len(words))
    return sid, ed


def stored_body(db_path, article_id: str, index: int) -> str:
    other = DraftStore(db_path)
    try:
        return other.load(article_id).sections[index].body
    finally:
        other.close()


def test_keyboard_shortcuts_dialog_lists_every_action_with_keys(make_window, qtbot):
    w = make_window()
    menu_action(w, "Help", "Keyboard Shortcuts").trigger()
    dialog = w.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    assert ("Add Section", "Ctrl+Return", "anywhere in the window") in rows
    assert ("Bold", "Ctrl+B", "in section text") in rows
    assert ("Move Section Down", "Alt+Down", "in a section") in rows
    with_keys = [a for a in w.actions_.all.values() if not a.shortcut().isEmpty()]
    assert len(rows) == len(with_keys)
    qtbot.keyClicks(dialog.filter, "link")
    assert [r[0] for r in dialog.rows()] == ["Insert Link"]
    menu_action(w, "Help", "Keyboard Shortcuts").trigger()  # again: the same dialog, in front
    assert w.findChildren(ShortcutsDialog) == [dialog]


def test_f1_opens_the_markdown_guide_rendered_like_the_page(make_window, qtbot):
    w = active(qtbot, make_window())
    press(w, "F1")
    guide = w.findChild(MarkdownGuide)
    assert guide is not None and guide.isVisible()
    page = guide.browser.toHtml()
    assert "The **council** voted." in guide.browser.toPlainText()
    assert "font-weight" in page.split("council</span>")[0][-200:]  # shown bold, rendered


def test_ctrl_b_bolds_the_selected_words_in_the_body_store_and_preview(make_window, qtbot, db_path):
    w = active(qtbot, make_window())
    wait_loaded(qtbot, w)
    sid, ed = select_words(w, 1, "accounting software")
    press(w, "Ctrl+B")
    assert "**accounting software**" in ed.body.toPlainText()
    assert ed.body.textCursor().selectedText() == "accounting software"
    qtbot.waitUntil(
        lambda: (
            js(qtbot, w.preview, f"document.querySelector('#s-{sid} strong')?.textContent")
            == "accounting software"
        ),
        timeout=5000,
    )
    assert w.flush()
    assert "**accounting software**" in stored_body(db_path, w.session.article.id, 1)
    press(w, "Ctrl+B")  # again: back to plain words
    assert "**" not in ed.body.toPlainText()
    press(w, "Ctrl+I")
    assert "*accounting software*" in ed.body.toPlainText()


def test_ctrl_k_makes_a_link_with_the_url_selected(make_window, qtbot, db_path):
    w = active(qtbot, make_window())
    wait_loaded(qtbot, w)
    sid, ed = select_words(w, 1, "accounting software")
    press(w, "Ctrl+K")
    assert ed.body.textCursor().selectedText() == "https://"
    qtbot.keyClicks(ed.body, "https://example.org/ledger")
    assert "[accounting software](https://example.org/ledger)" in ed.body.toPlainText()
    qtbot.waitUntil(
        lambda: (
            js(qtbot, w.preview, f"document.querySelector('#s-{sid} a')?.getAttribute('href')")
            == "https://example.org/ledger"
        ),
        timeout=5000,
    )
    assert w.flush()
    body = stored_body(db_path, w.session.article.id, 1)
    assert "[accounting software](https://example.org/ledger)" in body


def test_format_keys_outside_a_section_change_nothing_and_say_where_they_work(make_window, qtbot):
    w = active(qtbot, make_window())
    head = w.editor.header.headline
    before = head.text()
    head.setFocus()
    head.selectAll()
    press(w, "Ctrl+B")
    assert head.text() == before
    assert "section" in w.statusBar().currentMessage()


def test_section_menu_moves_the_current_section_down(make_window, qtbot, db_path):
    w = make_window()
    wait_loaded(qtbot, w)
    first, second = (s.id for s in w.session.article.sections[:2])
    w.editor.focus_section(first)
    menu_action(w, "Section", "Move Section Down").trigger()
    assert [s.id for s in w.session.article.sections[:2]] == [second, first]
    order = "[...document.querySelectorAll('section.article-section')].map(e => e.id).join(' ')"
    qtbot.waitUntil(
        lambda: js(qtbot, w.preview, order).startswith(f"s-{second} s-{first}"), timeout=5000
    )
    assert w.flush()
    stored = DraftStore(db_path)
    assert [s.id for s in stored.load(w.session.article.id).sections[:2]] == [second, first]
    stored.close()


def test_section_text_right_click_menu_offers_comment_format_and_section_operations(
    make_window, qtbot
):
    w = make_window()
    sid, ed = select_words(w, 0, "County")
    count = len(w.session.article.sections)
    second_body = w.session.article.sections[1].body
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), QPoint(5, 5))
    QApplication.sendEvent(ed.body.viewport(), event)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert "Copy" in " ".join(texts)  # Qt's own entries stay
    assert w.actions_.comment.text().replace("&", "") in texts
    for entry in ("Bold", "Italic", "Insert Link", "Move Section Up", "Move Section Down"):
        assert entry in texts
    assert "Split Section at Cursor" in texts and "Delete Section" in texts
    merge = next(a for a in menu.actions() if a.text().replace("&", "").startswith("Merge"))
    menu.setActiveAction(merge)
    qtbot.keyClick(menu, Qt.Key.Key_Return)  # the writer picks "Merge with Next Section"
    qtbot.waitUntil(lambda: len(w.session.article.sections) == count - 1)
    assert w.session.article.section(sid).body.endswith(second_body)
    assert QApplication.activePopupWidget() is None


def test_ctrl_comma_opens_preferences(make_window, monkeypatch, qtbot):
    from desk.ui.dialogs import preferences_dialog

    opened: list[object] = []
    monkeypatch.setattr(
        preferences_dialog.PreferencesDialog, "exec", lambda self: opened.append(self) or 0
    )
    w = active(qtbot, make_window())
    press(w, "Ctrl+,")
    assert len(opened) == 1


FIRST_START = """
import sys
from pathlib import Path
from desk.ui.dialogs.first_start_dialog import FirstStartDialog

def answer(dialog):  # the writer types a name and keeps the role "writer"
    print("ASKED", flush=True)
    dialog.name.setText("Nia Okafor")
    dialog.role.setCurrentIndex(dialog.role.findData("writer"))
    return 1

FirstStartDialog.exec = answer
from desk.ui.app import create_window
app, w, store = create_window(Path(sys.argv[1]))
w.actions_.new.trigger()
print("BYLINE", w.editor.header.byline.text())
print("STORED", store.load(w.session.article.id).byline)
print("PREFS", w.prefs.writer_name, w.prefs.role)
w.close()
store.close()
"""


def test_first_start_asks_who_is_writing_and_signs_with_it(db_path):
    """The real start-up (``desk`` with no command), in its own process, twice."""
    import subprocess
    import sys

    def start() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", FIRST_START, str(db_path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.splitlines()

    first = start()
    assert first == [
        "ASKED",
        "BYLINE Nia Okafor",
        "STORED Nia Okafor",
        "PREFS Nia Okafor writer",
    ]
    assert start()[0] == "BYLINE Nia Okafor"  # asked once, remembered


def test_quitting_with_a_draft_open_reopens_that_draft(make_window, qtbot, db_path):
    w = make_window()
    other = w.store.create(Article(headline="Harbor Tunnel Opens", sections=[Section(body="B")]))
    w.drafts.refresh()
    w.open_by_id(other.id)
    w.actions_.quit.trigger()
    assert not w.isVisible()
    again = make_window(db_path)
    assert again.session.article.id == other.id
    assert again.editor.header.headline.text() == "Harbor Tunnel Opens"
