"""Help ▸ Keyboard Shortcuts: every action of the window that has keys.

The list is read from the live actions (``desk.ui.actions``), never written by
hand, so it cannot fall behind a new action or a changed key.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.ui.actions import SCOPES, Actions

ANYWHERE = "anywhere in the window"


def shortcut_rows(actions: Actions) -> list[tuple[str, str, str]]:
    """(what it does, keys, where the keys work) for each action with keys, menu order."""
    rows = []
    for name, action in actions.all.items():
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            rows.append((text.rstrip("…"), keys, SCOPES.get(name, ANYWHERE)))
    return rows


class ShortcutsDialog(QDialog):
    """A table with a filter; it stays open beside the window while the writer tries keys."""

    def __init__(self, actions: Actions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(520, 560)
        layout = QVBoxLayout(self)
        self.filter = QLineEdit(placeholderText="Filter: type part of a name or a key")
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Action", "Keys", "Works"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)

    def rows(self) -> list[tuple[str, str, str]]:
        """What the table shows now, top to bottom (hidden rows left out)."""
        return [
            tuple(self.table.item(r, c).text() for c in range(3))  # type: ignore[misc]
            for r in range(self.table.rowCount())
            if not self.table.isRowHidden(r)
        ]

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for r in range(self.table.rowCount()):
            cells = " ".join(self.table.item(r, c).text() for c in range(3)).casefold()
            self.table.setRowHidden(r, bool(needle) and needle not in cells)

    @classmethod
    def show_for(cls, actions: Actions, parent: QWidget) -> ShortcutsDialog:
        """Show the window's one shortcuts dialog (made on first use), in front."""
        dialog = parent.findChild(cls, "shortcutsDialog", Qt.FindChildOption.FindDirectChildrenOnly)
        if dialog is None:
            dialog = cls(actions, parent)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog
