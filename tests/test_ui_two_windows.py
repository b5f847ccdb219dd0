"""Two Desk windows on one draft: warned at open, following saves, clashes explained."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from conftest import REPO, js
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from desk.store import open_drafts
from desk.store.drafts import DraftStore
from desk.store.seed import ensure_starter
from desk.ui.editor.stale import clock
from desk.ui.review.compare_view import CompareView

pytestmark = pytest.mark.webengine


def type_at_end(qtbot, window, text: str, index: int = 0, activate: bool = True) -> str:
    """Type at the end of a section body, as a writer does; returns the section id.

    ``activate``: bring the window to the front first (for its shortcuts); off
    where no timer may run between two steps.
    """
    if activate:
        window.activateWindow()  # the writer clicks into that window first
        qtbot.waitUntil(window.isActiveWindow)
    sid = window.session.article.sections[index].id
    body = window.editor.sections.editor(sid).body
    body.setFocus()
    cursor = body.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    body.setTextCursor(cursor)
    qtbot.keyClicks(body, text)
    return sid


def stored_body(db_path, index: int = 0) -> str:
    store = DraftStore(db_path)
    try:
        article_id = store.get_meta("last_open")
        return store.load(article_id).sections[index].body
    finally:
        store.close()


def test_a_draft_open_in_another_window_is_said_at_open_and_until_it_closes(make_window, qtbot):
    first = make_window()
    assert first.watch.notice.isHidden()
    second = make_window()  # opens the same draft: the one open last
    assert second.session.article.id == first.session.article.id
    assert second.watch.notice.isVisible()
    assert second.watch.notice.text().startswith("Also open in another Desk window since ")
    # the first window learns of the second on its next look at the database
    qtbot.waitUntil(lambda: first.watch.notice.isVisible(), timeout=5000)
    second.close()
    qtbot.waitUntil(lambda: first.watch.notice.isHidden(), timeout=5000)


def test_a_window_without_unsaved_edits_shows_what_the_other_saved(make_window, qtbot, db_path):
    writer, other = make_window(), make_window()
    sid = type_at_end(qtbot, writer, " Typed in the first window.")
    qtbot.keyClick(
        writer.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )  # Save Now
    assert stored_body(db_path).endswith("Typed in the first window.")
    qtbot.waitUntil(
        lambda: other.session.article.sections[0].body.endswith("Typed in the first window."),
        timeout=5000,
    )
    shown = other.editor.sections.editor(sid).body.toPlainText()
    assert shown.endswith("Typed in the first window.")
    assert (
        other.statusBar()
        .currentMessage()
        .startswith("Shows the change saved in another Desk window at ")
    )
    qtbot.waitUntil(lambda: other.preview.available, timeout=20_000)
    script = f"document.getElementById({json.dumps('s-' + sid)}).textContent"
    qtbot.waitUntil(
        lambda: "Typed in the first window" in str(js(qtbot, other.preview, script)),
        timeout=20_000,
    )


def test_saving_over_a_change_made_elsewhere_says_when_and_offers_a_compare(
    make_window, qtbot, monkeypatch, db_path
):
    first, second = make_window(), make_window()
    # No event loop runs between these steps, so no autosave or poll comes between.
    type_at_end(qtbot, second, " Second window's words.", activate=False)  # not saved yet
    type_at_end(qtbot, first, " First window's words.", activate=False)
    first.actions_.save.trigger()
    told: list[str] = []

    def answer(box: QMessageBox) -> int:
        told.append(box.text())
        compare = next(b for b in box.buttons() if b.text() == "Compare…")
        compare.click()
        return 0

    compared: list[CompareView] = []
    monkeypatch.setattr(QMessageBox, "exec", answer)
    monkeypatch.setattr(
        QDialog, "exec", lambda self: compared.extend(self.findChildren(CompareView)) or 0
    )
    second.actions_.save.trigger()
    qtbot.waitUntil(lambda: bool(compared), timeout=5000)

    store = DraftStore(db_path)
    try:
        article = store.load(first.session.article.id)
        kept = store.revisions(article.id)[0]
        changed_at = store.conn.execute(
            "SELECT changed_at FROM articles WHERE id = ?", (article.id,)
        ).fetchone()[0]
    finally:
        store.close()
    from datetime import datetime

    when = clock(datetime.fromisoformat(changed_at))
    assert told == [
        f"This draft was changed in another Desk window at {when}. Your text is kept as a "
        f"version (revision {kept.id}); compare?\n\nThe window now shows the other change."
    ]
    assert kept.reason == "conflict"
    assert article.sections[0].body.endswith("First window's words.")
    # the second window now shows the stored text; its own words are in the revision
    assert second.session.article.sections[0].body == article.sections[0].body
    assert not second.session.unsaved
    diffs = {d.field: d for d in compared[0].diffs}
    section = diffs[f"section:{article.sections[0].id}"]
    assert section.old.endswith("Second window's words.")
    assert section.new.endswith("First window's words.")


CHILD = textwrap.dedent(
    """
    import sys
    from desk.store.drafts import DraftStore
    from desk.store.open_drafts import claim
    store = DraftStore(sys.argv[1])
    claim(store, "child-window", sys.argv[2])
    print("claimed", flush=True)
    sys.stdin.readline()
    """
)


def test_another_process_is_warned_about_and_a_dead_one_is_not(make_window, qtbot, db_path):
    store = DraftStore(db_path)
    article_id = ensure_starter(store).id
    store.set_meta("last_open", article_id)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), article_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=REPO,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "claimed"
        w = make_window()
        assert w.session.article.id == article_id
        assert w.watch.notice.isVisible()
    finally:
        child.kill()
        child.wait()
    # The child died without releasing its lease: reopening the draft no longer warns.
    w.reopen()
    assert w.watch.notice.isHidden()
    assert [lease.window_id for lease in open_drafts.others(store, "", article_id)] == [
        w.watch.window_id
    ]
    store.close()
