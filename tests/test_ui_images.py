"""Images as a writer adds them: Edit ▸ Add Image…, a drop on a section, a paste."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import js
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from test_ui_window import wait_loaded

from desk.store.drafts import DraftStore

pytestmark = pytest.mark.webengine


def write_png(path: Path, width: int = 40, height: int = 30) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert image.save(str(path), "PNG")
    return path.read_bytes()


def stored(db_path: Path, article_id: str):
    other = DraftStore(db_path)
    try:
        article = other.load(article_id)
        return article, {i.sha256: other.blob(i.sha256) for i in article.images}
    finally:
        other.close()


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    said: list[str] = []

    def warning(_parent, _title, text, *args, **kwargs):
        said.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return said


def test_add_image_action_adds_a_figure_to_panel_preview_and_store(
    make_window, qtbot, monkeypatch, tmp_path, db_path, warnings
):
    w = make_window()
    wait_loaded(qtbot, w)
    data = write_png(tmp_path / "bike.png")
    sha = hashlib.sha256(data).hexdigest()
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "bike.png"), "")
    )

    w.actions_.add_image.trigger()

    assert warnings == []
    rows = w.editor.images.rows
    assert [r.image.filename for r in rows] == ["bike.png"]
    assert rows[0].alt_warning.isVisibleTo(rows[0])  # alt text still to write
    figure = "document.querySelector('figure.article-image img')"
    qtbot.waitUntil(
        lambda: js(qtbot, w.preview, f"!!{figure} && {figure}.naturalWidth") == 40, timeout=10_000
    )
    qtbot.waitUntil(lambda: w.save_label.text() == "Saved", timeout=5000)
    article, blobs = stored(db_path, w.session.article.id)
    assert [(i.filename, i.media_type, i.sha256) for i in article.images] == [
        ("bike.png", "image/png", sha)
    ]
    assert blobs[sha] == data


def test_add_image_refuses_a_file_that_is_not_an_image(
    make_window, qtbot, monkeypatch, tmp_path, db_path, warnings
):
    w = make_window()
    wait_loaded(qtbot, w)
    fake = tmp_path / "notes.png"
    fake.write_text("these are my notes, not a picture")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(fake), ""))
    before = w.session.article.copy()

    w.actions_.add_image.trigger()

    assert len(warnings) == 1
    assert "notes.png is not a JPEG, PNG, GIF or WebP image" in warnings[0]
    assert w.editor.images.rows == []
    assert w.session.article.images == before.images == []
    assert w.session.article.sections == before.sections
    w.flush()
    assert stored(db_path, w.session.article.id)[0].images == []


def drop(widget, mime: QMimeData, pos: QPointF) -> None:
    """What a drag from the file manager delivers: enter (Qt then knows the target), drop."""
    copy, left, none = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(pos.toPoint(), copy, mime, left, none)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, QDropEvent(pos, copy, mime, left, none))


def test_dropping_an_image_on_a_section_puts_it_in_the_text(
    make_window, qtbot, tmp_path, db_path, warnings
):
    w = make_window()
    wait_loaded(qtbot, w)
    sid = w.session.article.sections[1].id
    ed = w.editor.sections.editor(sid)
    before = ed.body.toPlainText()
    # wider than any column: the page must shrink it, not overflow
    data = write_png(tmp_path / "wide.png", width=2400, height=60)
    sha = hashlib.sha256(data).hexdigest()
    ed.focus_at(len(before))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "wide.png"))])
    end = ed.body.cursorRect().center()

    drop(ed.body.viewport(), mime, QPointF(end))

    assert warnings == []
    ref = f"![](desk-asset:{sha})"
    assert ed.body.toPlainText() == before + ref
    qtbot.keyClicks(ed.body, "A long panorama")  # the cursor waits between the brackets
    assert ed.body.toPlainText() == before + f"![A long panorama](desk-asset:{sha})"
    img = f"document.querySelector('#s-{sid} p img')"
    qtbot.waitUntil(
        lambda: (
            js(qtbot, w.preview, f"!!{img} && {img}.complete && {img}.alt") == "A long panorama"
        ),
        timeout=10_000,
    )
    # shown once, in the text: not a second time as a figure
    assert js(qtbot, w.preview, "document.querySelectorAll('img').length") == 1
    width, column = json.loads(
        js(
            qtbot,
            w.preview,
            f"JSON.stringify([{img}.getBoundingClientRect().width,"
            f" {img}.closest('.article-body').getBoundingClientRect().width])",
        )
    )
    assert 0 < width <= column
    qtbot.waitUntil(lambda: len(w.editor.images.rows) == 1, timeout=2000)
    row = w.editor.images.rows[0]
    assert row.inline and not row.alt_warning.isVisibleTo(row)
    qtbot.waitUntil(lambda: w.save_label.text() == "Saved", timeout=5000)
    article, blobs = stored(db_path, w.session.article.id)
    assert article.section(sid).body.endswith(f"![A long panorama](desk-asset:{sha})")
    assert [(i.filename, i.section_id) for i in article.images] == [("wide.png", sid)]
    assert blobs[sha] == data


def test_dropping_a_file_that_is_not_an_image_changes_nothing(
    make_window, qtbot, tmp_path, db_path, warnings
):
    w = make_window()
    wait_loaded(qtbot, w)
    sid = w.session.article.sections[0].id
    ed = w.editor.sections.editor(sid)
    before = ed.body.toPlainText()
    (tmp_path / "budget.pdf").write_bytes(b"%PDF-1.7 not an image")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "budget.pdf"))])

    drop(ed.body.viewport(), mime, QPointF(ed.body.cursorRect().center()))

    assert len(warnings) == 1 and "budget.pdf is not a JPEG, PNG, GIF or WebP" in warnings[0]
    assert ed.body.toPlainText() == before
    assert w.session.article.images == []
    w.flush()
    assert stored(db_path, w.session.article.id)[0].images == []


def test_pasting_an_image_puts_it_in_the_text(make_window, qtbot, db_path, warnings):
    w = make_window()
    wait_loaded(qtbot, w)
    sid = w.session.article.sections[0].id
    ed = w.editor.sections.editor(sid)
    ed.focus_at(0)
    picture = QImage(12, 8, QImage.Format.Format_RGB32)
    picture.fill(QColor("orange"))
    mime = QMimeData()
    mime.setImageData(picture)
    QApplication.clipboard().setMimeData(mime)

    qtbot.keyClick(ed.body, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert warnings == []
    assert len(w.session.article.images) == 1
    image = w.session.article.images[0]
    assert (image.media_type, image.section_id) == ("image/png", sid)
    assert ed.body.toPlainText().startswith(f"![](desk-asset:{image.sha256})")
    img = f"document.querySelector('#s-{sid} img')"
    qtbot.waitUntil(
        lambda: js(qtbot, w.preview, f"!!{img} && {img}.complete && {img}.naturalWidth") == 12,
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: w.save_label.text() == "Saved", timeout=5000)
    article, blobs = stored(db_path, w.session.article.id)
    assert article.section(sid).body.startswith(f"![](desk-asset:{image.sha256})")
    assert QImage.fromData(blobs[image.sha256]).size().width() == 12


def test_pasting_text_that_also_comes_as_a_picture_pastes_the_text(make_window, qtbot, warnings):
    w = make_window()
    sid = w.session.article.sections[0].id
    ed = w.editor.sections.editor(sid)
    ed.focus_at(0)
    picture = QImage(12, 8, QImage.Format.Format_RGB32)
    picture.fill(QColor("white"))
    mime = QMimeData()  # what a spreadsheet puts on the clipboard for a few cells
    mime.setText("Budget 2026\t$40m ")
    mime.setImageData(picture)
    QApplication.clipboard().setMimeData(mime)

    qtbot.keyClick(ed.body, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert ed.body.toPlainText().startswith("Budget 2026\t$40m ")
    assert "desk-asset:" not in ed.body.toPlainText()
    assert w.session.article.images == [] and warnings == []


def test_export_from_the_window_blocks_a_typed_local_image(make_window, qtbot):
    from desk.ui.dialogs.export_dialog import ExportDialog

    w = make_window()
    sid = w.session.article.sections[0].id
    ed = w.editor.sections.editor(sid)
    ed.focus_at(len(ed.body.toPlainText()))
    for _ in range(2):
        qtbot.keyClick(ed.body, Qt.Key.Key_Return)
    qtbot.keyClicks(ed.body, "![](bike.png)")
    seen: dict[str, object] = {}

    def look_and_close() -> None:
        [dialog] = [d for d in QApplication.topLevelWidgets() if isinstance(d, ExportDialog)]
        items = [dialog.checklist.item(i) for i in range(dialog.checklist.count())]
        seen["errors"] = [i.text() for i in items if i.data(256) == f"section:{sid}"]
        seen["can_export"] = dialog.export_button.isEnabled()
        dialog.reject()

    QTimer.singleShot(0, look_and_close)
    w.actions_.export.trigger()

    assert seen["can_export"] is False
    errors = seen["errors"]
    assert len(errors) == 2
    assert "“bike.png” in the text is a file on this computer" in errors[0]
    assert "has no alt text" in errors[1]
