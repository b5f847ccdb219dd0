"""The drafts list: live full-text search, status and category filters, trash."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.model.article import Status
from desk.store.drafts import DraftStore
from desk.store.rows import DraftSummary
from desk.ui.plain_text import plain


def describe(d: DraftSummary) -> str:
    when = d.changed_at.astimezone().strftime("%b %d, %H:%M")
    meta = " · ".join(p for p in (d.status.label, d.category, when) if p)
    return f"{d.headline or '(untitled)'}\n{meta}"


class DraftsPanel(QWidget):
    openRequested = Signal(str)
    newRequested = Signal()
    duplicateRequested = Signal(str)
    trashRequested = Signal(str)
    restoreRequested = Signal(str)

    def __init__(
        self, store: DraftStore, categories: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.search = QLineEdit(placeholderText="Search drafts (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Searches headlines, standfirsts and the text of every section")
        layout.addWidget(self.search)
        filters = QHBoxLayout()
        self.status = QComboBox(toolTip="Show drafts in this review state")
        self.status.addItem("All statuses", "")
        for s in Status:
            self.status.addItem(s.label, s.value)
        self.category = QComboBox(toolTip="Show drafts in this category")
        self.category.addItem("All categories", "")
        for c in categories:
            self.category.addItem(c, c)
        for combo in (self.status, self.category):  # they narrow with the panel (and elide)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(5)
            filters.addWidget(combo, 1)
        layout.addLayout(filters)
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.setToolTip("Enter or double-click opens a draft")
        layout.addWidget(self.list, 1)
        self.show_trash = QCheckBox("Show trash")
        layout.addWidget(self.show_trash)
        buttons = QGridLayout()  # two a row: the panel stays narrow at laptop widths
        self.new_button = QPushButton("New", toolTip="New draft (Ctrl+N)")
        self.duplicate_button = QPushButton("Duplicate", toolTip="Copy the selected draft")
        self.trash_button = QPushButton("Trash", toolTip="Move the selected draft to the trash")
        self.restore_button = QPushButton("Restore", toolTip="Bring the draft back from the trash")
        for i, b in enumerate(
            (self.new_button, self.duplicate_button, self.trash_button, self.restore_button)
        ):
            buttons.addWidget(b, i // 2, i % 2)
        layout.addLayout(buttons)

        self._search_timer = QTimer(self, singleShot=True, interval=120)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.status.currentIndexChanged.connect(self.refresh)
        self.category.currentIndexChanged.connect(self.refresh)
        self.show_trash.toggled.connect(self.refresh)
        self.list.itemActivated.connect(lambda item: self._open(item))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.new_button.clicked.connect(self.newRequested)
        self.duplicate_button.clicked.connect(lambda: self._with_selected(self.duplicateRequested))
        self.trash_button.clicked.connect(lambda: self._with_selected(self.trashRequested))
        self.restore_button.clicked.connect(lambda: self._with_selected(self.restoreRequested))
        self.current_article = ""
        self.refresh()

    def selected_id(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    def _with_selected(self, signal: Signal) -> None:
        sid = self.selected_id()
        if sid:
            signal.emit(sid)

    def _open(self, item: QListWidgetItem) -> None:
        if not self.show_trash.isChecked():
            self.openRequested.emit(item.data(Qt.ItemDataRole.UserRole))

    def _update_buttons(self) -> None:
        trash = self.show_trash.isChecked()
        has = bool(self.selected_id())
        self.duplicate_button.setEnabled(has and not trash)
        self.trash_button.setEnabled(has and not trash)
        self.restore_button.setVisible(trash)
        self.restore_button.setEnabled(has and trash)

    def items(self) -> list[DraftSummary]:
        query = self.search.text().strip()
        status = self.status.currentData() or None
        category = self.category.currentData() or None
        trash = self.show_trash.isChecked()
        if query:
            found = self.store.search(query, limit=500, trashed=trash, prefix=True)
            return [
                d
                for d in found
                if (not status or d.status == status) and (not category or d.category == category)
            ]
        return self.store.list_drafts(
            status=Status(status) if status else None, category=category, trashed=trash
        )

    def refresh(self) -> None:
        keep = self.selected_id() or self.current_article
        self.list.clear()
        for d in self.items():
            item = QListWidgetItem(describe(d))
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            item.setToolTip(plain(f"{d.headline}\nslug: {d.slug}\nid: {d.id}"))
            self.list.addItem(item)
            if d.id == keep:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def update_item(self, summary: DraftSummary) -> None:
        """Show one draft's new headline, status or time without rebuilding the list.

        Called after every autosave, so it must stay cheap with thousands of drafts.
        """
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == summary.id:
                item.setText(describe(summary))
                return

    def visible_ids(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def mark_current(self, article_id: str) -> None:
        self.current_article = article_id
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == article_id:
                self.list.setCurrentItem(item)
