"""The open draft and other Desk windows: warn, follow their saves, explain a clash.

Several windows (in one process or several) may open one database. The store
already refuses to overwrite a draft whose version moved on; this object
turns that into what a writer can act on:

* at open, a lease says which other windows show this draft, and the status
  bar says so for as long as they do;
* a cheap poll (``PRAGMA data_version``, which moves only when *another*
  connection commits) notices a save made elsewhere, and a window with no
  unsaved edits simply shows the new text;
* when this window saves over a change made elsewhere, the store keeps this
  text as a revision, and the writer is told when the other change was made,
  with a Compare button.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desk.store import open_drafts
from desk.store.drafts import DraftStore, StaleWriteError
from desk.ui.editor.session import ArticleSession

POLL_MS = 1000
HEARTBEAT_MS = 30_000


def clock(at: datetime) -> str:
    """Local wall-clock time, as a writer would say it."""
    return at.astimezone().strftime("%H:%M")


def elsewhere_text(leases: list[open_drafts.Lease]) -> str:
    if not leases:
        return ""
    first = min(lease.opened_at for lease in leases)
    where = "another Desk window" if len(leases) == 1 else f"{len(leases)} other Desk windows"
    return f"Also open in {where} since {clock(first)}"


def conflict_text(changed_at: datetime, kept_revision: int) -> str:
    return (
        f"This draft was changed in another Desk window at {clock(changed_at)}. "
        f"Your text is kept as a version (revision {kept_revision}); compare?\n\n"
        "The window now shows the other change."
    )


class DraftWatch(QObject):
    """One per main window; ``reload()`` is asked to show the stored draft again."""

    #: Another window saved this draft and this one had nothing unsaved: shown anew
    #: (with a line for the status bar).
    refreshed = Signal(str)

    def __init__(self, store: DraftStore, reload: Callable[[], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.reload = reload
        self.window = parent
        self.window_id = os.urandom(12).hex()
        self.session: ArticleSession | None = None
        self.notice = QLabel("", objectName="openElsewhere")
        self.notice.setStyleSheet("color: #b35900; font-weight: bold;")
        self.notice.hide()
        self._data_version = -1
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self.poll)
        self._heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._renew)

    def watch(self, session: ArticleSession) -> None:
        """A draft was opened in this window: take the lease and say who else has it."""
        self.session = session
        session.conflict.connect(self.stale_write)
        with contextlib.suppress(sqlite3.Error):  # a locked file: the warning is a nicety
            open_drafts.claim(self.store, self.window_id, session.article.id)
        self._data_version = open_drafts.data_version(self.store)
        self._show_others()
        self._poll.start()
        self._heartbeat.start()

    def stop(self) -> None:
        """The window closes: its lease goes, so nobody is warned about it."""
        self._poll.stop()
        self._heartbeat.stop()
        open_drafts.release(self.store, self.window_id)

    def _renew(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            open_drafts.renew(self.store, self.window_id)

    def _show_others(self) -> None:
        if not self.session:
            return
        text = elsewhere_text(
            open_drafts.others(self.store, self.window_id, self.session.article.id)
        )
        self.notice.setText(text)
        self.notice.setToolTip(
            "Edits are not shared live between windows: a window with no unsaved edits "
            "shows the other's saves, and a clash keeps both texts (File ▸ History)."
        )
        self.notice.setVisible(bool(text))

    def poll(self) -> None:
        """Anything committed elsewhere since the last look? Then check this draft."""
        if not self.session:
            return
        try:
            version = open_drafts.data_version(self.store)
            if version == self._data_version:
                return
            self._data_version = version
            session = self.session
            stored = open_drafts.stored_version(self.store, session.article.id)
            if (
                stored is not None
                and stored[0] != session.article.version
                and not session.unsaved
                and not session.autosave.pending
            ):
                self.reload()  # which calls watch() again, and so looks at the leases
                self.refreshed.emit(
                    f"Shows the change saved in another Desk window at {clock(stored[1])}"
                )
                return
            self._show_others()
        except sqlite3.Error:  # the database went away under us: the next save will say
            return

    def stale_write(self, exc: StaleWriteError) -> None:
        """This window tried to save over a change made elsewhere (its text is a revision now).

        Explained on the next turn of the event loop: the save may have been
        asked for by a window that is busy opening another draft.
        """
        QTimer.singleShot(0, lambda: self._explain(exc))

    def _explain(self, exc: StaleWriteError) -> None:
        from PySide6.QtWidgets import QMessageBox

        if not self._poll.isActive():
            return  # the window closed meanwhile (it asked about unsaved text itself)
        try:
            changed = open_drafts.stored_version(self.store, exc.article_id)
        except sqlite3.Error:
            changed = None
        if changed is None:
            return  # purged meanwhile: the text is in the revision all the same
        if self.session and self.session.article.id == exc.article_id:
            self.session.unsaved = False
            self.reload()
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Draft changed in another window")
        box.setText(conflict_text(changed[1], exc.kept_revision))
        compare = box.addButton("Compare…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(compare)
        box.exec()
        if box.clickedButton() is compare:
            self.compare(exc.kept_revision)

    def compare(self, revision_id: int) -> None:
        from PySide6.QtWidgets import QDialog, QVBoxLayout

        from desk.ui.review.compare_view import CompareView

        mine = self.store.revision_article(revision_id)
        current = self.store.load(mine.id)
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Your text and the other window's")
        dialog.resize(1100, 700)
        view = CompareView(dialog)
        view.set_pair(
            f"Your text (revision {revision_id})",
            mine,
            f"Now in the draft (changed {clock(current.updated_at)})",
            current,
        )
        QVBoxLayout(dialog).addWidget(view)
        dialog.exec()
