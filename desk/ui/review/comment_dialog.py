"""The small "add a comment" dialog: the words being commented on, and a text box.

Showing the quote in the dialog matters because the selection in the editor
is hidden behind the dialog, and a comment on the wrong words is worse than none.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk.ui.plain_text import plain

#: Longer quotes are shortened in the middle; the full text is in the tooltip.
QUOTE_CHARS = 240


def elide_middle(text: str, limit: int) -> str:
    """One line of ``text`` at most ``limit`` characters long, cut in the middle."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    half = (limit - 1) // 2
    return f"{flat[:half].rstrip()} … {flat[-half:].lstrip()}"


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask yes/no with No as the default, for actions that cannot be undone.

    The review widgets call it through their own module's name, so tests can
    replace it there to answer for the user.
    """
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class CommentDialog(QDialog):
    """Asks for a comment on ``quote``; OK stays off until something is typed."""

    def __init__(self, quote: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add comment")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Comment on:"))
        self.quote = QLabel(f"“{elide_middle(quote, QUOTE_CHARS)}”", objectName="commentQuote")
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.quote.setWordWrap(True)
        self.quote.setToolTip(plain(quote))
        self.quote.setStyleSheet(  # Qt ignores the border-left shorthand: longhand
            "QLabel#commentQuote { font-style: italic; padding: 4px 8px; border-style: solid;"
            " border-color: #e0b400; border-width: 0 0 0 3px; }"
        )
        layout.addWidget(self.quote)
        self.text = QPlainTextEdit(objectName="commentText")
        self.text.setPlaceholderText("Your comment (Ctrl+Enter to add it)")
        self.text.setTabChangesFocus(True)
        self.text.setToolTip("What should change here, or why it is good as it is")
        layout.addWidget(self.text, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Add comment")
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._update_ok)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._submit)
        self.text.setFocus()

    def comment(self) -> str:
        return self.text.toPlainText().strip()

    def _update_ok(self) -> None:
        self.ok.setEnabled(bool(self.comment()))

    def _submit(self) -> None:
        if self.comment():
            self.accept()


def get_comment(parent: QWidget | None, quote: str) -> str | None:
    """The comment typed (stripped), or None when cancelled."""
    dialog = CommentDialog(quote, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.comment():
            return dialog.comment()
        return None
    finally:
        dialog.deleteLater()
