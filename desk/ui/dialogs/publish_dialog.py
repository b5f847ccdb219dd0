"""File ▸ Publish…: one row per destination, Queued → Uploading 43 % → Verifying → Published.

The upload runs in :class:`PublishWorker`'s thread; this dialog only shows
what it reports. A destination that cannot be reached is *paused* and tried
again on a timer, so a writer on a train can press Publish and close the lid.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.publish.destinations import Destination, DestinationError, load_destinations
from desk.ui.dialogs.publish_worker import PublishWorker

if TYPE_CHECKING:
    from desk.ui.main_window import MainWindow

#: How long a paused destination waits before the next try.
RETRY_MS = 30_000


def mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


class DestinationRow:
    """The widgets of one destination's row; plain text everywhere user data shows."""

    def __init__(self, dest: Destination, grid: QGridLayout, row: int) -> None:
        self.dest = dest
        self.check = QCheckBox(dest.name)
        self.check.setChecked(True)
        self.check.setToolTip(f"{dest.kind} · {dest.endpoint}")
        self.state = QLabel("Ready")
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        self.link = QLabel("")
        self.link.setOpenExternalLinks(True)
        self.link.setWordWrap(True)
        self.copy_url = QPushButton("Copy link")
        self.copy_cid = QPushButton("Copy ipfs://")
        self.overwrite = QPushButton("Overwrite…")
        for button in (self.copy_url, self.copy_cid, self.overwrite):
            button.setVisible(False)
        self.url = self.cid = ""
        self.copy_url.clicked.connect(lambda: QApplication.clipboard().setText(self.url))
        self.copy_cid.clicked.connect(
            lambda: QApplication.clipboard().setText(f"ipfs://{self.cid}")
        )
        grid.addWidget(self.check, row, 0)
        grid.addWidget(self.bar, row, 1)
        grid.addWidget(self.state, row, 2)
        buttons = QHBoxLayout()
        for button in (self.copy_url, self.copy_cid, self.overwrite):
            buttons.addWidget(button)
        grid.addLayout(buttons, row, 3)
        grid.addWidget(self.link, row + 1, 1, 1, 3)

    def show_progress(self, state: str, done: int, total: int, label: str) -> None:
        if state == "uploading" and total:
            pct = int(100 * done / total)
            self.bar.setValue(pct)
            self.state.setText(f"Uploading {pct} % ({mb(done)} of {mb(total)})")
        elif state == "verifying":
            self.bar.setValue(100)
            self.state.setText("Verifying")
        elif state == "queued":
            self.state.setText("Queued")

    def show_published(self, url: str, cid: str) -> None:
        self.url, self.cid = url, cid
        self.bar.setValue(100)
        self.state.setText("Published")
        safe = html.escape(url, quote=True)
        self.link.setTextFormat(Qt.TextFormat.RichText)
        self.link.setText(f'<a href="{safe}">{safe}</a><br>ipfs://{html.escape(cid)}')
        self.copy_url.setVisible(True)
        self.copy_cid.setVisible(True)
        self.overwrite.setVisible(False)

    def show_failure(self, state: str, message: str) -> None:
        self.state.setText(
            {"paused": "Paused — resumes when online", "conflict": "Conflict"}.get(state, "Failed")
        )
        self.link.setTextFormat(Qt.TextFormat.PlainText)
        self.link.setText(message)
        self.overwrite.setVisible(state == "conflict")


class PublishDialog(QDialog):
    statusMessage = Signal(str)

    def __init__(
        self,
        db_path: Path,
        article_id: str,
        headline: str,
        destinations: list[Destination],
        *,
        who: str,
        role: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Publish")
        self.resize(720, 200 + 60 * max(1, len(destinations)))
        self.db_path, self.article_id = db_path, article_id
        self.who, self.role = who, role
        self.retry_ms = RETRY_MS
        self._thread: QThread | None = None
        self._worker: PublishWorker | None = None
        self._pending: list[tuple[list[Destination], bool]] = []
        layout = QVBoxLayout(self)
        title = QLabel(f"Publish “{headline or 'Untitled'}” to:")
        title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(title)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.rows: dict[str, DestinationRow] = {}
        for i, dest in enumerate(destinations):
            row = DestinationRow(dest, grid, 2 * i)
            row.overwrite.clicked.connect(lambda _=False, d=dest: self._overwrite(d))
            self.rows[dest.name] = row
        layout.addLayout(grid)
        if not destinations:
            layout.addWidget(
                QLabel(
                    "No destinations yet. Add the site's storage with\n"
                    "desk destinations add NAME --kind s3 --endpoint URL --bucket B "
                    "--public-url URL\nand its keys with desk destinations login NAME."
                )
            )
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.publish_button = QPushButton("Publish")
        self.publish_button.setDefault(True)
        self.publish_button.setEnabled(bool(destinations))
        self.publish_button.clicked.connect(self.publish)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.publish_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.timeout.connect(self._retry_paused)

    # --- running ------------------------------------------------------------------

    def chosen(self) -> list[Destination]:
        return [r.dest for r in self.rows.values() if r.check.isChecked()]

    def publish(self) -> None:
        self._start(self.chosen(), overwrite=False)

    def _start(self, dests: list[Destination], overwrite: bool) -> None:
        if not dests:
            return
        if self._thread is not None:  # one run at a time; this one follows
            self._pending.append((dests, overwrite))
            return
        self.publish_button.setEnabled(False)
        for dest in dests:
            self.rows[dest.name].show_progress("queued", 0, 0, "")
        worker = PublishWorker(
            self.db_path, self.article_id, dests, who=self.who, role=self.role, overwrite=overwrite
        )
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self._progress)
        worker.published.connect(self._published)
        worker.failed.connect(self._failed)
        worker.done.connect(thread.quit)
        thread.finished.connect(self._finished)
        self._thread, self._worker = thread, worker
        thread.start()

    def _progress(self, name: str, state: str, done: int, total: int, label: str) -> None:
        self.rows[name].show_progress(state, done, total, label)
        if state == "uploading" and total:
            self.statusMessage.emit(f"Publishing to {name}: {int(100 * done / total)} %")

    def _published(self, name: str, outcome: object) -> None:
        self.rows[name].show_published(outcome.url, outcome.cid)  # type: ignore[attr-defined]
        self.statusMessage.emit(f"Published to {name}: {outcome.url}")  # type: ignore[attr-defined]

    def _failed(self, name: str, state: str, message: str) -> None:
        self.rows[name].show_failure(state, message)
        self.statusMessage.emit(f"Publishing to {name}: {message}")
        if state == "paused":
            self.retry.start(self.retry_ms)

    def _finished(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = self._worker = None
        self.publish_button.setEnabled(True)
        if self._pending:
            dests, overwrite = self._pending.pop(0)
            self._start(dests, overwrite)

    def _retry_paused(self) -> None:
        paused = [r.dest for r in self.rows.values() if r.state.text().startswith("Paused")]
        self._start(paused, overwrite=False)

    def _overwrite(self, dest: Destination) -> None:
        answer = QMessageBox.question(
            self,
            "Replace the newer version?",
            f"Someone else published a newer version of this article to {dest.name}.\n\n"
            "Replace it with yours? Their version stays only in their Desk.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._start([dest], overwrite=True)

    def is_running(self) -> bool:
        return self._thread is not None

    def done(self, result: int) -> None:
        """Closing stops the upload between two parts; the queue keeps its place."""
        if self._worker is not None:
            self._worker.cancel.set()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait(30_000)
        self.retry.stop()
        super().done(result)


def open_publish_dialog(window: MainWindow) -> PublishDialog | None:
    """File ▸ Publish…: save first, then show the destinations of the open draft."""
    if not window.session or not window.flush():
        return None
    try:
        dests = load_destinations(window.profile.destinations)
    except DestinationError as exc:
        QMessageBox.warning(window, "Publish", str(exc))
        return None
    article = window.session.article
    dialog = PublishDialog(
        window.store.path,
        article.id,
        article.headline,
        dests,
        who=window.prefs.writer_name,
        role=window.prefs.role,
        parent=window,
    )
    dialog.statusMessage.connect(lambda text: window.statusBar().showMessage(text, 8000))
    dialog.open()
    return dialog
