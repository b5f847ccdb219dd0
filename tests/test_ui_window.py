"""The editor window as a writer uses it: real widgets, real store, real preview."""

from __future__ import annotations

import json

import pytest
from conftest import js
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desk.model.article import Article, Section
from desk.store.drafts import DraftStore

pytestmark = pytest.mark.webengine


def wait_loaded(qtbot, window):
    # the preview's engine starts once the window has painted; then the page loads
    qtbot.waitUntil(lambda: window.preview.available, timeout=20_000)
    qtbot.waitUntil(
        lambda: (
            js(qtbot, window.preview, "document.readyState") == "complete"
            and js(qtbot, window.preview, "!!document.getElementById('article-header')")
        ),
        timeout=20_000,
    )


def section_text(qtbot, window, section_id: str) -> str:
    return js(
        qtbot,
        window.preview,
        f"(document.getElementById('s-{section_id}') || {{}}).textContent || ''",
    )


def test_starter_draft_opens_in_editor_and_preview(make_window, qtbot):
    w = make_window()
    assert w.session.article.headline.startswith("County Opens Public Ledger")
    assert w.editor.header.headline.text() == w.session.article.headline
    assert len(w.editor.sections.editors) == len(w.session.article.sections) >= 2
    wait_loaded(qtbot, w)
    headline = js(qtbot, w.preview, "document.querySelector('h1').textContent")
    assert headline == w.session.article.headline
    assert "DENVER, Colorado —" in js(qtbot, w.preview, "document.body.textContent")
    assert w.save_label.text() == "Saved"
    assert "words" in w.words_label.text()


def test_typing_reaches_the_store_and_the_preview_dom(make_window, qtbot, db_path):
    w = make_window()
    wait_loaded(qtbot, w)
    sid = w.session.article.sections[1].id
    ed = w.editor.sections.editor(sid)
    ed.focus_at(len(ed.body.toPlainText()))
    qtbot.keyClicks(ed.body, " Zebracrossing")
    qtbot.waitUntil(lambda: "Zebracrossing" in section_text(qtbot, w, sid), timeout=5000)
    assert w.save_label.text() in ("Editing…", "Saving…", "Saved")
    qtbot.waitUntil(lambda: w.save_label.text() == "Saved", timeout=3000)  # within 1 s of pause
    other = DraftStore(db_path)
    assert other.load(w.session.article.id).sections[1].body.endswith(" Zebracrossing")
    assert [r.id for r in other.search("zebracrossing")] == [w.session.article.id]
    other.close()


def test_headline_edit_patches_header_and_counts(make_window, qtbot):
    w = make_window()
    wait_loaded(qtbot, w)
    head = w.editor.header.headline
    head.selectAll()
    qtbot.keyClicks(head, "Harbor Tunnel Opens")
    qtbot.waitUntil(
        lambda: (
            js(qtbot, w.preview, "document.querySelector('h1').textContent")
            == "Harbor Tunnel Opens"
        ),
        timeout=5000,
    )
    assert w.editor.header.headline_count.text() == f"19 / {w.profile.headline_limit}"
    assert w.editor.header.slug.text() == "harbor-tunnel-opens"


def order_in_dom(qtbot, w):
    return json.loads(
        js(
            qtbot,
            w.preview,
            "JSON.stringify(Array.from(document.querySelectorAll("
            "'section[data-section-id]')).map(s => s.dataset.sectionId))",
        )
    )


def test_reorder_split_merge_update_preview_and_store(make_window, qtbot, db_path):
    w = make_window()
    wait_loaded(qtbot, w)
    a = w.session.article
    first, second = a.sections[0].id, a.sections[1].id
    w.editor.sections.editor(second).buttons["up"].click()
    assert [s.id for s in a.sections][:2] == [second, first]
    qtbot.waitUntil(lambda: order_in_dom(qtbot, w)[:2] == [second, first], timeout=5000)
    # the dateline lead follows the new first section
    qtbot.waitUntil(lambda: "DENVER" in section_text(qtbot, w, second), timeout=5000)
    # split the (now second) section at the paragraph break
    ed = w.editor.sections.editor(first)
    cut = ed.body.toPlainText().index("\n\n") + 2
    ed.focus_at(cut)
    ed.buttons["split"].click()
    assert len(a.sections) == 4
    new_id = a.sections[2].id
    qtbot.waitUntil(lambda: new_id in order_in_dom(qtbot, w), timeout=5000)
    assert "Supporters say" in section_text(qtbot, w, new_id)
    w.editor.sections.editor(first).buttons["merge"].click()
    assert len(a.sections) == 3
    qtbot.waitUntil(lambda: new_id not in order_in_dom(qtbot, w), timeout=5000)
    assert w.flush()
    stored = DraftStore(db_path).load(a.id)
    assert [s.id for s in stored.sections] == [s.id for s in a.sections]
    assert "Supporters say" in stored.sections[1].body


def test_search_filters_the_drafts_list(make_window, qtbot):
    w = make_window()
    w.store.create(Article(headline="Wildfire Smoke Reaches Coast"))
    w.drafts.refresh()
    assert len(w.drafts.visible_ids()) == 2
    qtbot.keyClicks(w.drafts.search, "wildfire")
    qtbot.waitUntil(lambda: len(w.drafts.visible_ids()) == 1, timeout=3000)
    assert "Wildfire" in w.drafts.list.item(0).text()
    w.drafts.search.clear()
    qtbot.waitUntil(lambda: len(w.drafts.visible_ids()) == 2, timeout=3000)
    index = w.drafts.status.findData("approved")
    w.drafts.status.setCurrentIndex(index)
    assert w.drafts.visible_ids() == []


def test_closing_and_reopening_restores_draft_and_cursor(make_window, qtbot, db_path):
    w = make_window()
    other = w.store.create(Article(headline="Second Story", sections=[Section(body="abc def")]))
    w.drafts.refresh()
    w.open_by_id(other.id)
    ed = w.editor.sections.editor(other.sections[0].id)
    ed.focus_at(4)
    qtbot.keyClicks(ed.body, "X")
    w.close()
    again = make_window(db_path)
    assert again.session.article.id == other.id
    assert again.session.article.sections[0].body == "abc Xdef"
    sid = again.editor.current_section()
    assert sid == other.sections[0].id
    assert again.editor.sections.editor(sid).cursor_position() == 5


def test_keyboard_shortcuts_reach_actions(make_window, qtbot):
    w = make_window()
    w.windowHandle().requestActivate()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    count = w.store.count()
    QTest.keySequence(w.windowHandle(), QKeySequence("Ctrl+N"))
    assert w.store.count() == count + 1
    assert w.editor.header.headline.text() == ""
    QTest.keySequence(w.windowHandle(), QKeySequence("Ctrl+F"))
    assert w.drafts.search.hasFocus()
    sections = len(w.session.article.sections)
    w.editor.focus_section(w.session.article.sections[0].id)
    QTest.keySequence(w.windowHandle(), QKeySequence("Ctrl+Return"))
    assert len(w.session.article.sections) == sections + 1


def test_app_works_without_qtwebengine(make_window, qtbot, monkeypatch, db_path):
    monkeypatch.setenv("DESK_DISABLE_WEBENGINE", "1")
    w = make_window()
    assert not w.preview.available
    assert "off" in w.preview.unavailable_reason().lower() or w.preview.unavailable_reason()
    sid = w.session.article.sections[0].id
    ed = w.editor.sections.editor(sid)
    ed.focus_at(0)
    qtbot.keyClicks(ed.body, "Still typing. ")
    qtbot.waitUntil(lambda: w.save_label.text() == "Saved", timeout=3000)
    assert (
        DraftStore(db_path).load(w.session.article.id).sections[0].body.startswith("Still typing. ")
    )


def test_a_long_draft_opens_with_its_first_sections_and_builds_the_rest(make_window, qtbot):
    w = make_window()
    long = Article(headline="Long", sections=[Section(body=f"Part {i}.") for i in range(40)])
    long = w.store.create(long)
    w.open_by_id(long.id)
    sections = w.editor.sections
    assert len(sections.editors) < 40  # the window did not wait for all forty
    qtbot.waitUntil(lambda: len(sections.editors) == 40, timeout=5000)
    assert sections.ordered_ids() == [s.id for s in w.session.article.sections]
    # jumping to a late section, or merging into one not built yet, just works
    w2 = make_window()
    w2.open_by_id(long.id)
    last = w2.session.article.sections[-1].id
    assert w2.editor.focus_section(last) and w2.editor.current_section() == last
    first = w2.session.article.sections[0].id
    w2.session.structural("merge", first)
    assert len(w2.editor.sections.editors) == 39
    assert w2.editor.sections.ordered_ids() == [s.id for s in w2.session.article.sections]


def test_the_deferred_build_waits_while_the_writer_types(make_window, qtbot):
    w = make_window()
    n = 120
    long = w.store.create(
        Article(headline="Long", sections=[Section(body=f"Part {i}.") for i in range(n)])
    )
    w.open_by_id(long.id)
    sections = w.editor.sections
    at_open = len(sections.editors)
    qtbot.waitUntil(lambda: len(sections.editors) > at_open)  # building after the first paint
    first = sections.editor(w.session.article.sections[0].id)
    built = len(sections.editors)
    assert built < n
    qtbot.keyClicks(first.body, "typed first")
    for _ in range(3):
        QApplication.processEvents()
    assert len(sections.editors) == built  # no batch between keystrokes
    assert "typed first" in w.session.article.sections[0].body
    qtbot.waitUntil(lambda: len(sections.editors) == n, timeout=10_000)  # resumes in the pause


def test_a_draft_without_sections_can_get_one(make_window):
    w = make_window()
    empty = w.store.create(Article(headline="No body yet"))
    w.open_by_id(empty.id)
    assert w.session.article.sections == []
    w.actions_.add_section.trigger()
    assert len(w.session.article.sections) == 1
    assert len(w.editor.sections.editors) == 1
