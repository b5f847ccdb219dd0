"""The article's saved revisions, each comparable with the current text and restorable.

The dialog knows nothing about the store: revisions arrive as data and a
revision's article through a loader callback, so it can be tested with plain
objects and the store stays the owner's business. Restoring is only
*requested* (``restoreRequested``): the owner does it, because the owner holds
the open draft, its autosave and its annotations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desk.model.article import Article
from desk.ui.plain_text import plain
from desk.ui.review.comment_dialog import confirm
from desk.ui.review.compare_view import CompareView

ID_ROLE = Qt.ItemDataRole.UserRole


class RevisionLike(Protocol):
    """The fields read from :class:`desk.store.drafts.RevisionInfo`."""

    id: int
    created_at: datetime
    reason: str
    author: str
    version: int


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%d %b %Y, %H:%M")


def describe_revision(r: RevisionLike) -> str:
    """Two lines: number and time, then why it was saved and by whom."""
    who = f" · {r.author}" if r.author else ""
    return f"#{r.id} · {_when(r.created_at)}\n{r.reason or 'saved'}{who} · v{r.version}"


class HistoryDialog(QDialog):
    """Revisions on the left; the selected one against the current text on the right."""

    restoreRequested = Signal(int)

    def __init__(
        self,
        current: Article,
        load: Callable[[int], Article],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.current = current
        self.load = load
        self._revisions: dict[int, RevisionLike] = {}
        self.setWindowTitle(f"History — {current.headline or 'Untitled draft'}")
        self.resize(1100, 700)
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Saved revisions (newest first):"))
        self.list = QListWidget(objectName="revisionList")
        self.list.setToolTip("Pick a revision to compare it with the current text (↑/↓)")
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left_layout.addWidget(self.list, 1)
        splitter.addWidget(left)
        self.compare = CompareView()
        splitter.addWidget(self.compare)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 820])
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton("Restore this revision…", objectName="restoreRevision")
        self.restore_button.setToolTip(
            "Replace the current text with this revision; the current text is kept in history"
        )
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._restore)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.list.currentItemChanged.connect(self._selected)
        self.compare.show_message(
            "Pick a revision on the left to compare it with the current text."
        )

    def set_revisions(self, revisions: Sequence[RevisionLike]) -> None:
        """Fill the list (shown in the order given) and select the first revision."""
        self._revisions = {r.id: r for r in revisions}
        self.list.clear()
        for r in revisions:
            item = QListWidgetItem(describe_revision(r))
            item.setData(ID_ROLE, r.id)
            item.setToolTip(
                plain(
                    f"Revision {r.id}, saved {_when(r.created_at)} ({r.reason or 'saved'}), "
                    f"by {r.author or 'unknown'}, article version {r.version}"
                )
            )
            self.list.addItem(item)
        if not revisions:
            self.compare.show_message("This article has no saved revisions yet.")
        else:
            self.list.setCurrentRow(0)
        self.list.setFocus()

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def _selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self.restore_button.setEnabled(False)
        if item is None:
            self.compare.show_message("Pick a revision on the left.")
            return
        rid = int(item.data(ID_ROLE))
        try:
            old = self.load(rid)
        except Exception as exc:  # a damaged revision must not close the dialog
            self.compare.show_message(f"Revision {rid} cannot be read: {exc}")
            return
        r = self._revisions.get(rid)
        title = f"Revision #{rid}" + (f" · {_when(r.created_at)}" if r else "")
        self.compare.set_pair(title, old, "Current", self.current)
        self.restore_button.setEnabled(True)

    def _restore(self) -> None:
        rid = self.selected_id()
        if rid is None:
            return
        if confirm(
            self,
            "Restore revision",
            f"Replace the current text with revision #{rid}?\n\n"
            "The current text is saved in the history first, so this can be undone "
            "by restoring it again. Status and comments stay as they are.",
        ):
            self.restoreRequested.emit(rid)
            self.accept()
