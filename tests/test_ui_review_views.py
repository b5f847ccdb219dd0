"""The review widgets: highlights in editors and preview, workflow, compare and history."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import pytest
from conftest import HAVE_WEBENGINE
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
)
from review_fixtures import T0, TIMEOUT, article, threads

from desk.model.article import Article, Status
from desk.render.page import render_article
from desk.review.history import compare_articles
from desk.ui.review import history_dialog as history_module
from desk.ui.review.compare_view import CompareView
from desk.ui.review.highlights import (
    apply_editor_highlights,
    codepoint_offset,
    editor_highlight_spans,
    highlight_colors,
    markdown_quote_to_text,
    occurrence_index,
    preview_highlight_by_quote_script,
    preview_highlight_script,
    preview_text_script,
    utf16_offset,
)
from desk.ui.review.history_dialog import HistoryDialog
from desk.ui.review.status_bar_widget import WorkflowWidget

# --- editor highlights ---------------------------------------------------------------


def test_offset_conversions_count_astral_characters_twice() -> None:
    text = "a😀b😀c"
    assert [utf16_offset(text, i) for i in range(6)] == [0, 1, 3, 4, 6, 7]
    assert [codepoint_offset(text, u) for u in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]
    assert codepoint_offset(text, 2) == 1  # inside a pair rounds down


def test_editor_highlights_are_extra_selections_at_the_right_places(qtbot) -> None:
    ed = QPlainTextEdit()
    qtbot.addWidget(ed)
    ed.setPlainText("Mayor 😀 said yes.\nCritics said no.")
    ed.document().setModified(False)
    other = QTextEdit.ExtraSelection()
    other.cursor = ed.textCursor()
    ed.setExtraSelections([other])  # somebody else's, e.g. a current-line marker
    text = ed.toPlainText()
    said, critics = text.index("said"), text.index("Critics")
    apply_editor_highlights(ed, [(said, said + 4, False), (critics, critics + 7, True)])
    spans = editor_highlight_spans(ed)
    assert sorted(spans) == [(9, 13, False), (19, 26, True)]  # the emoji is two UTF-16 units
    picked = {s.cursor.selectedText(): s for s in ed.extraSelections() if s.cursor.hasSelection()}
    assert set(picked) == {"said", "Critics"}
    assert picked["said"].format.background().color() == QColor("#fff1a8")
    assert picked["Critics"].format.background().color() == QColor("#dff2d8")
    assert len(ed.extraSelections()) == 3  # the other one is kept
    assert ed.toPlainText() == text
    assert not ed.document().isModified() and not ed.document().isUndoAvailable()
    apply_editor_highlights(ed, [])  # clearing leaves only the other one
    assert editor_highlight_spans(ed) == [] and len(ed.extraSelections()) == 1


def test_highlight_colors_follow_a_dark_palette() -> None:
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor("#1d1f21"))
    bg, fg = highlight_colors(dark, False)
    assert bg.lightness() < 128 and fg is not None and fg.lightness() > 200
    assert highlight_colors(QPalette(QColor("#eeeeee")), True)[1] is None


def test_markdown_quotes_become_page_words() -> None:
    assert markdown_quote_to_text("see [the report](https://x.example/r) now") == (
        "see the report now"
    )
    assert markdown_quote_to_text("report](https://x.example/r) now") == "report now"
    assert markdown_quote_to_text("## Heading\n- item \\*one\\* &amp; two") == (
        "Heading\nitem *one* & two"
    )
    assert [occurrence_index("a b a b a", "a", i) for i in (0, 4, 8)] == [0, 1, 2]


# --- preview highlights ---------------------------------------------------------------


@pytest.fixture
def page(qtbot, profile):
    """A bare preview pane showing the test article."""
    if not HAVE_WEBENGINE:
        pytest.skip("QtWebEngine is not installed")
    from desk.ui.preview.preview import PreviewPane

    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    assert pane.available, pane.unavailable_reason()
    with qtbot.waitSignal(pane.loaded, timeout=TIMEOUT) as blocker:
        pane.show_page(render_article(article(), profile), {})
    assert blocker.args == [True]
    return pane


def run(qtbot, pane, script: str) -> object:
    box: list[object] = []
    pane.run_js(script, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=TIMEOUT)
    return json.loads(str(box[0]))


MARKS = """JSON.stringify(Array.from(document.querySelectorAll(%s)).map(function (m) {
  return [m.textContent, m.className, m.parentElement.tagName];
}))"""


def marks(qtbot, pane, selector: str = "mark") -> list[list[str]]:
    return run(qtbot, pane, MARKS % json.dumps(selector))


@pytest.mark.webengine
def test_quote_script_marks_the_rendered_words(qtbot, page) -> None:
    found = run(
        qtbot,
        page,
        preview_highlight_by_quote_script(
            "s2",
            [
                ('The **mayor** said "we did it" -- twice.', False),  # Markdown, straight quotes
                ("Critics\n  disagreed", True),  # other whitespace
                ("not in the text", False),
            ],
        ),
    )
    assert found == [True, True, False]
    got = marks(qtbot, page, "#s-s2 mark")
    assert "".join(t for t, c, _ in got if c == "desk-annotation") == (
        "The mayor said “we did it” – twice."
    )
    assert [p for t, _, p in got if t == "mayor"] == ["STRONG"]  # inside the bold
    assert [t for t, c, _ in got if c == "desk-annotation resolved"] == ["Critics disagreed"]
    # Running it again replaces the marks instead of nesting new ones.
    run(qtbot, page, preview_highlight_by_quote_script("s2", [("Critics", False)]))
    assert marks(qtbot, page, "#s-s2 mark") == [["Critics", "desk-annotation", "P"]]
    assert run(qtbot, page, preview_highlight_by_quote_script("s2", [])) == []
    assert marks(qtbot, page, "#s-s2 mark") == []


@pytest.mark.webengine
def test_quote_script_skips_subheading_and_dateline(qtbot, page) -> None:
    # "vote" is in the subheading first; "LAGOS" only in the dateline.
    found = run(
        qtbot,
        page,
        preview_highlight_by_quote_script("s1", [("vote", False), ("LAGOS", False)]),
    )
    assert found == [True, False]
    assert marks(qtbot, page) == [["vote", "desk-annotation", "P"]]
    assert run(qtbot, page, preview_highlight_by_quote_script("subheading:s1", [("vote", True)]))
    assert marks(qtbot, page, "#s-s1 h2 mark") == [["vote", "desk-annotation resolved", "H2"]]
    assert len(marks(qtbot, page, "#s-s1 mark")) == 2  # the body's mark was left alone
    run(qtbot, page, preview_highlight_by_quote_script("headline", [("budget", False)]))
    assert marks(qtbot, page, "h1 mark") == [["budget", "desk-annotation", "H1"]]
    assert run(qtbot, page, preview_highlight_by_quote_script("gone", [("x", False)])) is None


@pytest.mark.webengine
def test_range_script_marks_offsets_of_the_page_text(qtbot, page) -> None:
    text = run(qtbot, page, preview_text_script("s1"))
    assert "The vote" not in text and "LAGOS" not in text and "council voted" in text
    start = text.index("voted")
    spans = [(start, start + len("voted 7"), False), (start + 6, start + 12, True)]
    assert run(qtbot, page, preview_highlight_script("s1", spans)) == [True, True]
    got = marks(qtbot, page, "#s-s1 mark")
    # Overlap: open wins where both cover, the resolved tail stays green.
    assert got == [["voted 7", "desk-annotation", "P"], [" to 2", "desk-annotation resolved", "P"]]
    assert run(qtbot, page, preview_highlight_script("s1", [(0, 10_000, False)])) == [False]


# --- workflow widget ----------------------------------------------------------------------


def labels(w: WorkflowWidget) -> list[str]:
    return [b.text() for b in w.findChildren(QPushButton) if b.isVisibleTo(w)]


def test_workflow_shows_only_allowed_steps(qtbot) -> None:
    w = WorkflowWidget()
    qtbot.addWidget(w)
    w.show()
    w.set_state(Status.DRAFT, "writer")
    assert labels(w) == ["Send for review"] and w.status_label.text() == "Draft"
    w.set_state(Status.IN_REVIEW, "writer")
    qtbot.waitUntil(lambda: labels(w) == [])
    assert w.note.text() == "Waiting for an editor"
    w.set_role("editor")
    qtbot.waitUntil(lambda: labels(w) == ["Request changes", "Approve"])
    assert not w.note.isVisibleTo(w)
    with qtbot.waitSignal(w.transitionRequested) as sig:
        w.buttons[Status.APPROVED].click()
    assert sig.args == [Status.APPROVED]


def test_workflow_history_tooltip_newest_first(qtbot) -> None:
    w = WorkflowWidget()
    qtbot.addWidget(w)
    w.set_history(
        [
            (Status.IN_REVIEW, "Ada Writer", T0),
            ("approved", "Ed Itor", (T0 + timedelta(days=1)).isoformat()),  # a store row
        ]
    )
    tip = w.status_label.toolTip()
    assert tip.index("Approved — Ed Itor") < tip.index("In review — Ada Writer")


# --- compare view and history dialog ----------------------------------------------------


def revised() -> tuple[Article, Article]:
    old = article()
    new = old.copy()
    new.sections[0].body = "The council voted 7 to 2 on Monday night."
    return old, new


def fragments(pane) -> list[tuple[str, bool, bool]]:
    """(text, struck out, underlined) of every piece of text in a pane."""
    out = []
    block = pane.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            f = it.fragment()
            fmt = f.charFormat()
            out.append((f.text(), fmt.fontStrikeOut(), fmt.fontUnderline()))
            it += 1
        block = block.next()
    return out


def test_compare_view_marks_deletions_and_insertions(qtbot) -> None:
    view = CompareView()
    qtbot.addWidget(view)
    old, new = revised()
    view.set_pair("Revision #3", old, "Current", new)
    assert view.old_title.text() == "Revision #3" and "1 of" in view.summary.text()
    struck = [t for t, s, _ in fragments(view.old_pane) if s]
    added = [t for t, _, u in fragments(view.new_pane) if u and not t.startswith("Section")]
    assert "Tuesday" in "".join(struck) and "Monday" not in "".join(struck)
    assert "Monday night" in "".join(added) and "Tuesday" not in "".join(added)
    for pane in (view.old_pane, view.new_pane):
        plain = pane.toPlainText()
        assert "Headline — unchanged" in plain and "Section 2 — unchanged" in plain
        assert "Council passes" not in plain  # unchanged text is collapsed


def test_compare_panes_scroll_together(qtbot) -> None:
    view = CompareView()
    qtbot.addWidget(view)
    view.resize(800, 300)
    view.show()
    old, new = revised()
    new.sections[0].body = "\n\n".join(["A much longer paragraph of new text."] * 40)
    old.sections[1].body = "\n\n".join(["Old paragraph."] * 40)
    new.sections[1].body = "\n\n".join(["New closing paragraph."] * 20)
    diffs = compare_articles(old, new)
    view.set_diffs(diffs)
    qtbot.waitUntil(lambda: view.new_pane.verticalScrollBar().maximum() > 0)
    tops_old, tops_new = view.anchor_tops(view.old_pane), view.anchor_tops(view.new_pane)
    s2 = next(i for i, d in enumerate(diffs) if d.field == "section:s2")
    assert tops_old[s2] < tops_new[s2]  # section 1 is far longer on the right
    view.old_pane.verticalScrollBar().setValue(int(tops_old[s2]))
    assert abs(view.new_pane.verticalScrollBar().value() - tops_new[s2]) <= 1
    view.old_pane.verticalScrollBar().setValue(view.old_pane.verticalScrollBar().maximum())
    assert view.new_pane.verticalScrollBar().value() == view.new_pane.verticalScrollBar().maximum()
    view.new_pane.verticalScrollBar().setValue(0)
    assert view.old_pane.verticalScrollBar().value() == 0


def test_history_dialog_compares_and_restores(qtbot, monkeypatch) -> None:
    old, new = revised()
    loads: list[int] = []

    def load(rid: int) -> Article:
        loads.append(rid)
        if rid == 1:
            raise ValueError("damaged")
        return old

    d = HistoryDialog(new, load)
    qtbot.addWidget(d)
    revs = [
        SimpleNamespace(id=7, created_at=T0, reason="autosave", author="Ada", version=4),
        SimpleNamespace(id=1, created_at=T0, reason="conflict", author="", version=1),
    ]
    d.set_revisions(revs)
    assert loads == [7] and d.restore_button.isEnabled()
    assert d.compare.old_title.text().startswith("Revision #7")
    assert any(s for _, s, _ in fragments(d.compare.old_pane))
    d.list.setCurrentRow(1)
    assert "cannot be read" in d.compare.summary.text() and not d.restore_button.isEnabled()
    d.list.setCurrentRow(0)
    answers = iter([False, True])
    monkeypatch.setattr(history_module, "confirm", lambda *_a: next(answers))
    with qtbot.assertNotEmitted(d.restoreRequested):
        d.restore_button.click()
    with qtbot.waitSignal(d.restoreRequested) as sig:
        d.restore_button.click()
    assert sig.args == [7] and d.result() == d.DialogCode.Accepted


def test_keyboard_resolve_moves_focus_to_the_next_thread(panel, qtbot) -> None:
    items = threads(article())
    panel.set_context("art1", "Ed Itor", "editor")
    panel.set_annotations(items)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    first, second = panel.visible_ids()[:2]
    panel.cards[first].buttons["resolve"].setFocus()
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(panel.cards[first].buttons["resolve"], Qt.Key.Key_Space)
    assert first not in panel.visible_ids()
    qtbot.waitUntil(lambda: panel.cards[second].isAncestorOf(QApplication.focusWidget()))
    # A refresh from the owner (re-anchoring) keeps the focus where it is.
    focused = QApplication.focusWidget().objectName()
    panel.set_annotations([replace(x, body=x.body + ".") for x in panel.annotations()])
    assert QApplication.focusWidget().objectName() == focused
    assert panel.cards[second].isAncestorOf(QApplication.focusWidget())
