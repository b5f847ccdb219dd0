"""The app facing database faults (issue 12, items 14-16): a dialog or "Not saved!", never a crash.

The start-up cases go through ``open_database``, the step of ``create_window``
that opens the store (the rest of it restyles the whole test application);
the message boxes' answers are the only thing patched.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QMessageBox

from desk.store import db as store_db
from desk.store.drafts import DraftStore
from desk.ui.dialogs.open_database import open_database


def shown(text: str) -> str:
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def test_typing_while_another_program_holds_the_lock_keeps_the_text_and_retries(
    make_window, qtbot, db_path, monkeypatch
) -> None:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 300)
    w = make_window()
    sid = w.session.article.sections[0].id
    ed = w.editor.sections.editor(sid)
    ed.focus_at(len(ed.body.toPlainText()))
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        qtbot.keyClicks(ed.body, " Typed while locked.")
        qtbot.waitUntil(lambda: w.save_label.text() == "Not saved!", timeout=10_000)
        assert "in use by another program" in w.statusBar().currentMessage()
        assert ed.body.toPlainText().endswith(" Typed while locked.")
    finally:
        other.execute("ROLLBACK")
        other.close()
    qtbot.waitUntil(lambda: w.save_label.text() == "Saved", timeout=10_000)
    with DraftStore(db_path) as store:
        body = store.load(w.session.article.id).sections[0].body
    assert body.endswith(" Typed while locked.")


def boxes(monkeypatch, answer=QMessageBox.StandardButton.No) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []

    def critical(_parent, _title, text, *a, **k):
        said.append(("critical", shown(text)))
        return QMessageBox.StandardButton.Ok

    def question(_parent, _title, text, *a, **k):
        said.append(("question", shown(text)))
        return answer

    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(QMessageBox, "question", question)
    return said


def test_start_on_an_empty_database_file_says_so_and_keeps_it(qtbot, tmp_path, monkeypatch):
    said = boxes(monkeypatch)
    db = tmp_path / "desk.db"
    db.touch()
    assert open_database(db) is None
    [(kind, text)] = said
    assert kind == "critical" and "is empty (0 bytes)" in text and str(db) in text
    assert db.stat().st_size == 0


def test_start_on_a_newer_database_refuses_with_both_versions(qtbot, tmp_path, monkeypatch):
    from desk import __version__

    db = tmp_path / "desk.db"
    with DraftStore(db):
        pass
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('desk', 'm099_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    said = boxes(monkeypatch)
    assert open_database(db) is None
    [(kind, text)] = said
    assert kind == "critical" and "newer Desk" in text and f"Desk {__version__}" in text


def test_start_with_a_db_in_a_missing_folder_asks_first(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "typo" / "desk.db"
    said = boxes(monkeypatch, QMessageBox.StandardButton.No)
    assert open_database(db, create_folders=False) is None
    assert [k for k, _ in said] == ["question"] and str(db) in said[0][1]
    assert not (tmp_path / "typo").exists()

    said = boxes(monkeypatch, QMessageBox.StandardButton.Yes)
    store = open_database(db, create_folders=False)
    assert store is not None
    try:
        [draft] = store.list_drafts()
        assert draft.headline.startswith("County Opens")
    finally:
        store.close()
