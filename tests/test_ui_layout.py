"""The window at laptop and desktop widths, every panel open, as the writer sees it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QComboBox, QDateEdit, QFileDialog, QLineEdit, QMessageBox

from desk.ui.review import move_dialog, review_controller
from desk.ui.review.annotations_panel import ThreadCard
from desk.ui.review.merge_dialog import MergeDialog
from desk.ui.review.move_dialog import MoveAnswer
from desk.ui.settings import Preferences

pytestmark = pytest.mark.webengine

SIZES = [(1280, 800), (1440, 900), (1920, 1080)]


@pytest.fixture(autouse=True)
def app_font(qapp):
    """The font the app starts with (Preferences' default 11 pt), not the test default."""
    from desk.ui.settings import Preferences
    from desk.ui.theme import apply_theme

    before = (qapp.palette(), qapp.font(), qapp.styleSheet())
    apply_theme(qapp, "light", Preferences().font_size)
    yield
    qapp.setPalette(before[0])
    qapp.setFont(before[1])
    qapp.setStyleSheet(before[2])


def all_panels_at(qtbot, window, width: int, height: int) -> None:
    """Drafts, editor, preview and comments shown, through the View menu."""
    a = window.actions_
    for action in (a.toggle_drafts, a.toggle_preview, a.toggle_annotations):
        if not action.isChecked():
            action.trigger()
    window.resize(width, height)
    qtbot.waitUntil(
        lambda: (
            window.width() == width
            and window.annotations_dock.isVisible()
            and window.preview.isVisible()
            and window.drafts.isVisible()
        )
    )


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_fields_show_whole_and_the_editor_never_scrolls_sideways(make_window, qtbot, width, height):
    w = make_window()
    all_panels_at(qtbot, w, width, height)
    bar = w.editor.scroll.horizontalScrollBar()
    assert bar.maximum() == 0 and not bar.isVisible()
    column = w.editor.scroll.widget()
    qtbot.waitUntil(lambda: column.width() <= w.editor.scroll.viewport().width())
    header = w.editor.header
    for name in ("headline", "slug", "city", "region", "byline", "tags"):
        edit: QLineEdit = getattr(header, name)
        hint = edit.placeholderText()
        # the placeholder ("City", "Region or country") reads whole, not "ield" or "nois"
        assert edit.width() >= edit.fontMetrics().horizontalAdvance(hint) + 12, (name, width)
    date: QDateEdit = header.date
    category: QComboBox = header.category
    assert date.width() >= date.sizeHint().width()
    assert category.width() >= category.sizeHint().width()
    for panel in (w.drafts, w.preview, w.annotations_dock):
        assert panel.width() >= 200  # narrowed, never squeezed to nothing
    assert w.minimumSizeHint().width() <= width  # the window fits the screen it is on


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_status_message_leaves_the_workflow_buttons_visible(make_window, qtbot, width, height):
    w = make_window()
    all_panels_at(qtbot, w, width, height)
    assert w.workflow.buttons  # a writer's draft offers "Send for review"
    qtbot.waitUntil(lambda: all(b.isVisible() for b in w.workflow.buttons.values()))
    message = "Moved to the trash (File ▸ Show trash to restore)"
    w.statusBar().showMessage(message, 5000)
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == message)
    bar = w.statusBar()
    drawn = QRect(0, 0, bar.fontMetrics().horizontalAdvance(message) + 12, bar.height())
    for button in w.workflow.buttons.values():
        assert button.isVisible()
        where = QRect(button.mapTo(bar, button.rect().topLeft()), button.size())
        assert not drawn.intersects(where), (width, drawn, where)


def test_comment_cards_do_not_overlap_after_a_merge(make_window, monkeypatch, qtbot, tmp_path):
    """While the "merged" message is up, the panel shows the new cards only."""
    package = tmp_path / "out.deskreview"
    back = tmp_path / "back.deskreview"
    monkeypatch.setattr(move_dialog, "ask_move", lambda _p, _t, _h: MoveAnswer("", True))
    monkeypatch.setattr(MergeDialog, "exec", lambda self: 0)
    writer = make_window()
    writer.prefs = Preferences(writer_name="Will Writer", role="writer")
    writer.review.set_preferences(writer.prefs)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(package), ""))
    writer.actions_.send_review.trigger()
    editor = make_window(tmp_path / "editor.db")
    editor.prefs = Preferences(writer_name="Ana Editor", role="editor")
    editor.review.set_preferences(editor.prefs)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(package), ""))
    editor.actions_.open_review.trigger()
    monkeypatch.setattr(review_controller, "get_comment", lambda _p, q: f"Check '{q}' please.")
    sid = editor.session.article.sections[1].id
    ed = editor.editor.sections.editor(sid)
    words = ed.body.toPlainText().split()
    for i in range(0, 30, 6):
        text = ed.body.toPlainText()
        start = text.index(words[i])
        editor.editor.focus_section(sid)
        ed.select(start, start + len(words[i]))
        editor.actions_.comment.trigger()
    assert editor.review.open_count() == 5
    all_panels_at(qtbot, editor, 1280, 800)  # the cards fit the dock: nothing cut off
    view = editor.annotations.scroll.viewport()
    qtbot.waitUntil(lambda: all(c.isVisible() for c in editor.annotations.cards.values()))
    for card in editor.annotations.cards.values():
        assert card.geometry().right() < view.width()
        for button in card.buttons.values():
            if button.isVisibleTo(card):
                right = button.mapTo(card, button.rect().topRight()).x()
                assert right < card.width(), (button.text(), right, card.width())
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(back), ""))
    editor.actions_.send_review.trigger()

    seen: list[list[QRect]] = []

    def look(*_a, **_k):  # what the writer sees behind the message box
        panel = writer.annotations
        cards = [
            c for c in panel.container.findChildren(ThreadCard) if c.isVisibleTo(panel.container)
        ]
        seen.append([c.geometry() for c in cards])

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(back), ""))
    writer.actions_.open_review.trigger()  # the first round: the writer sees the threads
    qtbot.waitUntil(lambda: len(writer.annotations.cards) == 5)
    monkeypatch.setattr(QMessageBox, "information", look)
    writer.actions_.open_review.trigger()  # the package again (or the next round)
    [rects] = seen
    assert len(rects) == 5 == writer.review.open_count()
    for i, r in enumerate(rects):
        for other in rects[i + 1 :]:
            assert not r.intersects(other), (r, other)
    assert writer.annotations_dock.isVisible()
