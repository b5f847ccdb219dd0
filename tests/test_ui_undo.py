"""One undo history for the article, driven by the keys and buttons a writer uses.

Each test checks what the writer sees (the editor's fields, the preview's
DOM) and what the store holds after autosave.
"""

from __future__ import annotations

import json

import pytest
from conftest import js, run_desk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desk.store.drafts import DraftStore

pytestmark = pytest.mark.webengine

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def wait_loaded(qtbot, w) -> None:
    qtbot.waitUntil(lambda: w.preview.available, timeout=20_000)
    qtbot.waitUntil(
        lambda: js(qtbot, w.preview, "!!document.getElementById('article-header')"),
        timeout=20_000,
    )


def activate(qtbot, w) -> None:
    """Shortcuts and focus changes need the window to be the active one."""
    w.windowHandle().requestActivate()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)


def dom_sections(qtbot, w) -> list[list[str]]:
    return json.loads(
        js(
            qtbot,
            w.preview,
            "JSON.stringify(Array.from(document.querySelectorAll('section[data-section-id]'))"
            ".map(s => [s.dataset.sectionId, s.textContent]))",
        )
    )


def editor_state(w) -> list[tuple[str, str, str]]:
    """What the writer sees: each section editor, top to bottom."""
    out = []
    for sid in w.editor.sections.ordered_ids():
        ed = w.editor.sections.editors[sid]
        out.append((sid, ed.subheading.text(), ed.body.toPlainText()))
    return out


def stored_state(w, db_path) -> list[tuple[str, str, str]]:
    assert w.flush()
    other = DraftStore(db_path)
    try:
        a = other.load(w.session.article.id)
        return [(s.id, s.subheading, s.body) for s in a.sections]
    finally:
        other.close()


def undo_key(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Z, CTRL)


def redo_key(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Z, CTRL | SHIFT)


def focused_body(w):
    return w.editor.sections.editor(w.editor.current_section()).body


def test_a_deleted_section_comes_back_with_ctrl_z(make_window, qtbot, db_path, monkeypatch):
    w = make_window()
    wait_loaded(qtbot, w)
    activate(qtbot, w)
    a = w.session.article
    before = editor_state(w)
    gone = a.sections[1]
    gone_id, gone_text = gone.id, gone.body
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *args, **kw: asked.append(args) or QMessageBox.StandardButton.Yes,
    )
    ed = w.editor.sections.editor(gone_id)
    ed.focus_at(0)
    qtbot.keyClick(ed.body, Qt.Key.Key_Delete, CTRL | SHIFT)  # the section's shortcut
    assert asked, "deleting a section with text asks first"
    assert gone_id not in w.editor.sections.editors
    qtbot.waitUntil(lambda: gone_id not in [s for s, _ in dom_sections(qtbot, w)], timeout=5000)
    assert gone_id not in [s for s, _, _ in stored_state(w, db_path)]
    # History holds the text as it was just before the delete
    latest = w.store.revisions(a.id)[0]
    assert latest.reason == "before deleting a section"
    assert gone_text in [s.body for s in w.store.revision_article(latest.id).sections]

    undo_key(qtbot, focused_body(w))
    assert editor_state(w) == before
    qtbot.waitUntil(
        lambda: [s for s, _ in dom_sections(qtbot, w)] == [s for s, _, _ in before], timeout=5000
    )
    dom_text = dict(dom_sections(qtbot, w))[gone_id]
    assert gone_text.split("\n")[0][:40] in dom_text
    assert stored_state(w, db_path) == before

    redo_key(qtbot, focused_body(w))
    assert gone_id not in w.editor.sections.editors
    assert gone_id not in [s for s, _, _ in stored_state(w, db_path)]


def test_move_split_merge_and_add_each_undo_and_redo(make_window, qtbot, db_path):
    w = make_window()
    wait_loaded(qtbot, w)
    activate(qtbot, w)
    a = w.session.article
    first, second = a.sections[0].id, a.sections[1].id

    def move():
        w.editor.sections.editor(second).buttons["up"].click()

    def split():
        ed = w.editor.sections.editor(second)
        ed.focus_at(ed.body.toPlainText().index("\n\n") + 2)
        ed.buttons["split"].click()

    def merge():
        w.editor.sections.editor(first).buttons["merge"].click()

    def add():
        w.editor.sections.editor(first).focus_at(0)
        w.actions_.add_section.trigger()

    for name, op in (("move", move), ("split", split), ("merge", merge), ("add", add)):
        before = editor_state(w)
        op()
        after = editor_state(w)
        assert after != before, name
        undo_key(qtbot, focused_body(w))
        assert editor_state(w) == before, f"undo {name}"
        qtbot.waitUntil(
            lambda b=before: [s for s, _ in dom_sections(qtbot, w)] == [s for s, _, _ in b],
            timeout=5000,
        )
        assert stored_state(w, db_path) == before, f"undo {name} in the store"
        redo_key(qtbot, focused_body(w))
        assert editor_state(w) == after, f"redo {name}"
        qtbot.waitUntil(
            lambda f=after: [s for s, _ in dom_sections(qtbot, w)] == [s for s, _, _ in f],
            timeout=5000,
        )
        assert stored_state(w, db_path) == after, f"redo {name} in the store"
        undo_key(qtbot, focused_body(w))  # back to the starting point for the next edit
        assert editor_state(w) == before


def test_undo_walks_back_across_fields_in_order(make_window, qtbot, db_path):
    w = make_window()
    wait_loaded(qtbot, w)
    activate(qtbot, w)
    a = w.session.article
    standfirst = w.editor.header.standfirst
    old_standfirst = standfirst.toPlainText()
    sid = a.sections[1].id
    ed = w.editor.sections.editor(sid)
    old_body = ed.body.toPlainText()

    standfirst.setFocus()
    standfirst.moveCursor(standfirst.textCursor().MoveOperation.End)
    qtbot.keyClicks(standfirst, "Zebra")
    ed.focus_at(len(old_body))
    qtbot.keyClicks(ed.body, "Quagga")
    old_subheading = ed.subheading.text()
    ed.subheading.setFocus()
    ed.subheading.end(False)
    qtbot.keyClicks(ed.subheading, "Okapi")
    assert a.standfirst == old_standfirst + "Zebra"
    assert a.section(sid).body == old_body + "Quagga"
    assert a.section(sid).subheading == old_subheading + "Okapi"

    undo_key(qtbot, ed.subheading)  # a line edit's own undo would stop here
    assert ed.subheading.text() == old_subheading == a.section(sid).subheading
    assert ed.body.toPlainText() == old_body + "Quagga"
    undo_key(qtbot, ed.subheading)
    assert ed.body.toPlainText() == old_body
    assert standfirst.toPlainText() == old_standfirst + "Zebra"
    qtbot.waitUntil(lambda: "Quagga" not in dict(dom_sections(qtbot, w))[sid], timeout=5000)

    undo_key(qtbot, ed.body)
    assert standfirst.toPlainText() == old_standfirst
    assert standfirst.hasFocus(), "undo shows where the text changed"
    qtbot.waitUntil(
        lambda: "Zebra" not in js(qtbot, w.preview, "document.body.textContent"), timeout=5000
    )
    other = DraftStore(db_path)
    assert w.flush()
    stored = other.load(a.id)
    other.close()
    assert stored.standfirst == old_standfirst
    assert stored.section(sid).body == old_body
    assert stored.section(sid).subheading == old_subheading


def test_headline_undo_takes_back_the_last_word_and_its_slug(make_window, qtbot, db_path):
    w = make_window()
    wait_loaded(qtbot, w)
    activate(qtbot, w)
    w.actions_.new.trigger()
    head, slug = w.editor.header.headline, w.editor.header.slug
    head.setFocus()
    slug_before = slug.text()
    qtbot.keyClicks(head, "Big news")
    assert slug.text() == "big-news"

    undo_key(qtbot, head)
    assert head.text() == "Big "
    assert slug.text() == "big"
    assert w.session.article.slug == "big"
    qtbot.waitUntil(
        lambda: js(qtbot, w.preview, "document.querySelector('h1').textContent").strip() == "Big",
        timeout=5000,
    )
    undo_key(qtbot, head)
    assert head.text() == ""
    assert slug.text() == slug_before == w.session.article.slug
    redo_key(qtbot, head)
    assert w.actions_.redo.text() == "&Redo Typing"
    w.actions_.redo.trigger()  # Edit ▸ Redo, with the headline focused
    assert head.text() == "Big news"
    assert slug.text() == "big-news"
    assert w.flush()
    other = DraftStore(db_path)
    stored = other.load(w.session.article.id)
    other.close()
    assert (stored.headline, stored.slug) == ("Big news", "big-news")


@pytest.mark.parametrize("command", ["export", "send"])
def test_the_slug_stops_following_the_headline_once_out(
    make_window, qtbot, db_path, tmp_path, command
):
    w = make_window()
    wait_loaded(qtbot, w)
    header = w.editor.header
    head = header.headline
    head.selectAll()
    qtbot.keyClicks(head, "Harbor Tunnel Opens")
    assert header.slug.text() == "harbor-tunnel-opens"  # a draft's slug follows
    assert w.flush()
    article_id = w.session.article.id
    if command == "export":
        args = ["export", article_id, "--out", str(tmp_path / "out"), "--force"]
    else:
        args = ["review", "send", article_id, "--out", str(tmp_path / "x.deskreview")]
    done = run_desk("--db", str(db_path), *args)
    assert done.returncode == 0, done.stderr.decode()

    head.moveCursor(head.textCursor().MoveOperation.End)
    qtbot.keyClicks(head, " Early")
    assert header.slug.text() == "harbor-tunnel-opens"
    assert not header.slug_auto.isChecked() and not header.slug_auto.isEnabled()
    # undoing the headline typed before the slug was fixed leaves the slug alone
    headlines = {head.text()}
    for _ in range(3):
        undo_key(qtbot, head)
        headlines.add(head.text())
        assert header.slug.text() == "harbor-tunnel-opens" == w.session.article.slug
    assert len(headlines) == 4
    for _ in range(3):
        redo_key(qtbot, head)
    assert head.text() == "Harbor Tunnel Opens Early"
    assert w.flush()
    other = DraftStore(db_path)
    stored = other.load(article_id)
    other.close()
    assert (stored.headline, stored.slug) == ("Harbor Tunnel Opens Early", "harbor-tunnel-opens")


def test_a_category_choice_is_undone_from_the_combo_box(make_window, qtbot, db_path):
    w = make_window()
    wait_loaded(qtbot, w)
    activate(qtbot, w)
    combo = w.editor.header.category
    before = w.session.article.category
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the next category, as a writer picks one
    chosen = w.session.article.category
    assert chosen != before and combo.currentData() == chosen
    undo_key(qtbot, combo)
    assert combo.currentData() == before == w.session.article.category
    redo_key(qtbot, combo)
    assert w.session.article.category == chosen
    assert w.flush()
    other = DraftStore(db_path)
    assert other.load(w.session.article.id).category == chosen
    other.close()
