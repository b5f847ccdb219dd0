"""The confirmation before a status move, with room for a note to the other side.

A stray Space on a focused status button used to send a draft for review at
once, with no way back. Every move now stops here first: it says what will
happen in plain words, takes an optional note ("Request changes: the second
quote needs a source") and starts with Cancel as the default button.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desk.model.article import Status
from desk.model.workflow import ACTION_LABELS
from desk.ui.review.submit_edit import SubmitEdit

#: What each move does, said before it is done.
EXPLAIN: dict[Status, str] = {
    Status.IN_REVIEW: "The status becomes “In review” and you choose where to save the "
    "review package to send to an editor.",
    Status.CHANGES_REQUESTED: "The status becomes “Changes requested”: the writer reworks "
    "the article and sends it again.",
    Status.APPROVED: "The status becomes “Approved”: the article is ready to publish.",
    Status.PUBLISHED: "The status becomes “Published”.",
    Status.DRAFT: "The status goes back to “Draft”, as if it had not been sent. If you "
    "already sent the package, tell the editor: their copy still says “In review”.",
}
NOTE_HINT: dict[Status, str] = {
    Status.IN_REVIEW: "A note for the editor (optional): what to look at first",
    Status.CHANGES_REQUESTED: "What should change (optional, shown to the writer)",
    Status.APPROVED: "A note for the writer (optional)",
    Status.PUBLISHED: "A note for the history (optional)",
    Status.DRAFT: "Why you withdraw it (optional)",
}
#: Moves that hand the article to the other side can write a package for them
#: (the desk is not shared yet). Sending for review always does: that is its point.
RETURNS_PACKAGE = (Status.CHANGES_REQUESTED, Status.APPROVED)


@dataclass(frozen=True)
class MoveAnswer:
    note: str
    #: Write a review package for the other side after the move.
    package: bool


class MoveDialog(QDialog):
    """Asks to confirm one move; Ctrl+Enter in the note confirms, Esc cancels."""

    def __init__(self, target: Status, headline: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        label = ACTION_LABELS[target]
        self.setWindowTitle(label)
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        title = QLabel(f"{label}: “{headline or 'Untitled'}”?", objectName="moveTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: 600;")
        layout.addWidget(title)
        explain = QLabel(EXPLAIN[target], objectName="moveExplain")
        explain.setTextFormat(Qt.TextFormat.PlainText)
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.note = SubmitEdit()
        self.note.setObjectName("moveNote")
        self.note.setPlaceholderText(NOTE_HINT[target] + " — Ctrl+Enter confirms")
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 4 + 12)
        layout.addWidget(self.note)
        self.package = QCheckBox("Write a review package to send it back to the writer")
        self.package.setObjectName("movePackage")
        self.package.setChecked(True)
        self.package.setVisible(target in RETURNS_PACKAGE)
        layout.addWidget(self.package)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(label)
        self.ok.setAutoDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)  # a stray Enter or Space changes nothing
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.note.submitted.connect(self.accept)
        self.note.setFocus()

    def answer(self) -> MoveAnswer:
        package = self.target == Status.IN_REVIEW or (
            self.target in RETURNS_PACKAGE and self.package.isChecked()
        )
        return MoveAnswer(self.note.toPlainText().strip(), package)


def ask_move(parent: QWidget | None, target: Status, headline: str) -> MoveAnswer | None:
    """The confirmed note (and package choice), or None when cancelled.

    Callers use it through this module's name, so tests can answer for the user.
    """
    dialog = MoveDialog(target, headline, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.answer()
        return None
    finally:
        dialog.deleteLater()
