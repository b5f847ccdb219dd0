"""One change of a merged review: its words, whose change it is, and Accept / Reject.

The row only shows and asks; what accepting means for the draft is decided
by :class:`desk.ui.review.merge_dialog.MergeDialog`, which listens to
``decided``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desk.review.three_way import Hunk

#: Characters of unchanged text shown on each side of a change, for context.
CONTEXT_CHARS = 60
_DEL = "color:#a3201a; background-color:#fde3e1; text-decoration:line-through;"
_INS = "color:#17621c; background-color:#dcf3d8; text-decoration:underline;"


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "¶ ")


def _context(before: str, after: str) -> tuple[str, str]:
    left = before[-CONTEXT_CHARS:]
    right = after[:CONTEXT_CHARS]
    return (
        ("…" if len(before) > len(left) else "") + _esc(left),
        _esc(right) + ("…" if len(after) > len(right) else ""),
    )


def origin_text(hunk: Hunk, sender: str) -> str:
    """Whose change, in words a writer reads at a glance."""
    return {
        "mine": "Your change (already in your draft)",
        "theirs": f"Change by {sender}",
        "both": f"Made by you and {sender} alike",
        "conflict": f"You and {sender} changed these words differently",
    }[hunk.origin]


def change_html(hunk: Hunk, before: str, after: str) -> str:
    """Context, then what the base said struck through, then the new words underlined."""
    left, right = _context(before, after)
    if hunk.origin == "conflict":
        change = (
            f'<span style="{_DEL}">{_esc(hunk.base)}</span>'
            f' yours: <span style="{_INS}">{_esc(hunk.mine) or "(removed)"}</span>'
            f' theirs: <span style="{_INS}">{_esc(hunk.theirs) or "(removed)"}</span>'
        )
    else:
        new = hunk.theirs if hunk.origin == "theirs" else hunk.mine
        old = f'<span style="{_DEL}">{_esc(hunk.base)}</span>' if hunk.base else ""
        ins = f'<span style="{_INS}">{_esc(new)}</span>' if new else ""
        change = old + ins
    return f"{left}{change}{right}"


class ChangeRow(QWidget):
    """``decided(True)`` for Accept, ``decided(False)`` for Reject."""

    decided = Signal(bool)

    def __init__(
        self, hunk: Hunk, before: str, after: str, sender: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.hunk = hunk
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        head = QHBoxLayout()
        self.origin = QLabel(origin_text(hunk, sender), objectName="changeOrigin")
        self.origin.setTextFormat(Qt.TextFormat.PlainText)
        font = self.origin.font()
        font.setBold(True)
        self.origin.setFont(font)
        head.addWidget(self.origin, 1)
        self.state = QLabel("", objectName="changeState")
        head.addWidget(self.state)
        self.accept_button = QPushButton("Accept", objectName="acceptChange")
        self.reject_button = QPushButton("Reject", objectName="rejectChange")
        self.accept_button.setToolTip("Put this change into your draft")
        self.reject_button.setToolTip("Keep your draft's words here")
        self.accept_button.clicked.connect(lambda: self.decided.emit(True))
        self.reject_button.clicked.connect(lambda: self.decided.emit(False))
        head.addWidget(self.accept_button)
        head.addWidget(self.reject_button)
        layout.addLayout(head)
        self.words = QLabel(change_html(hunk, before, after), objectName="changeWords")
        self.words.setTextFormat(Qt.TextFormat.RichText)
        self.words.setWordWrap(True)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.words)
        # Only a change the other side made (alone or against ours) is a decision:
        # yours and shared ones are already in the draft.
        self.actionable = hunk.mine != hunk.theirs and hunk.origin != "mine"
        self.accept_button.setVisible(self.actionable)
        self.reject_button.setVisible(self.actionable)

    def show_state(self, accepted: bool | None, message: str = "") -> None:
        """Accepted, rejected, or undecided (None); ``message`` says why it cannot change."""
        if message:
            self.state.setText(message)
            self.accept_button.setEnabled(False)
            self.reject_button.setEnabled(False)
            return
        self.state.setText({True: "Accepted", False: "Rejected", None: ""}[accepted])
        self.accept_button.setEnabled(accepted is not True)
        self.reject_button.setEnabled(accepted is not False)
