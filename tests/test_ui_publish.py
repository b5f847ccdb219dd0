"""File ▸ Publish… in the window, against the real S3 server."""

from __future__ import annotations

from publish_fixtures import make_destination
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desk.publish.destinations import validate
from desk.store.publish_queue import PublishQueue


def open_dialog(window):
    window.actions_.publish.trigger()
    dialog = window.publish_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_publish_from_the_menu_shows_progress_then_the_link(
    qtbot, make_window, s3_server, monkeypatch
):
    dest = make_destination(s3_server, monkeypatch)
    window = make_window()
    article = window.session.article
    dialog = open_dialog(window)
    row = dialog.rows["site"]
    states: list[str] = []

    def watch() -> bool:
        states.append(row.state.text())
        return row.state.text() == "Published"

    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(watch, timeout=30_000)
    assert any(s.startswith("Uploading") or s in ("Queued", "Verifying") for s in states)
    url = f"https://openvoicenews.example/articles/{article.slug}/"
    assert url in row.link.text() and "ipfs://" in row.link.text()
    qtbot.mouseClick(row.copy_url, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == url
    (pub,) = PublishQueue(window.store).publications(article.id)
    assert pub.url == url and pub.destination == dest.name
    assert "Published to site" in window.statusBar().currentMessage()
    dialog.close()


def test_offline_destination_is_paused_and_retried(qtbot, make_window, monkeypatch):
    from s3_fixtures import free_ports

    from desk.publish.destinations import add_destination

    (port,) = free_ports(1)
    add_destination(
        validate(
            {"name": "away", "kind": "s3", "endpoint": f"http://127.0.0.1:{port}", "bucket": "b"}
        )
    )
    monkeypatch.setenv("DESK_AWAY_ACCESS_KEY", "k")
    monkeypatch.setenv("DESK_AWAY_SECRET_KEY", "s")
    window = make_window()
    dialog = open_dialog(window)
    dialog.retry_ms = 50
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    row = dialog.rows["away"]
    qtbot.waitUntil(lambda: row.state.text() == "Paused — resumes when online", timeout=30_000)
    queue = PublishQueue(window.store)
    qtbot.waitUntil(lambda: queue.jobs(window.session.article.id)[0].attempts >= 2, timeout=30_000)
    assert "cannot reach away" in row.link.text()
    dialog.close()
    assert not dialog.is_running()


def test_conflict_offers_overwrite(qtbot, make_window, s3_server, monkeypatch, tmp_path):
    from desk.publish.runner import Publisher
    from desk.store.drafts import DraftStore

    dest = make_destination(s3_server, monkeypatch)
    window = make_window()
    article = window.session.article
    with DraftStore(tmp_path / "elsewhere.db") as other:  # another desk published it first
        other.create(window.store.load(article.id))
        Publisher(other, dest, who="Ben").publish(article.id)
    dialog = open_dialog(window)
    row = dialog.rows["site"]
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.state.text() == "Conflict", timeout=30_000)
    assert "Ben published a newer version" in row.link.text()
    assert row.overwrite.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(row.overwrite, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.state.text() == "Published", timeout=30_000)
    dialog.close()


def test_shortcut_opens_the_dialog_without_destinations(qtbot, make_window):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    window = make_window()
    QTest.keySequence(window.windowHandle(), QKeySequence("Ctrl+Shift+P"))
    qtbot.waitUntil(lambda: getattr(window, "publish_dialog", None) is not None)
    dialog = window.publish_dialog
    assert dialog.isVisible()
    assert not dialog.publish_button.isEnabled()
    assert dialog.rows == {}
    dialog.close()
