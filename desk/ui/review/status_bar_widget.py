"""The article's review state and the next steps this person may take.

Buttons come from :func:`desk.model.workflow.allowed_transitions` for the
current role, so the widget never offers a move the model would refuse; when
the next step belongs to someone else it says so instead of showing nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desk.model.article import Status
from desk.model.workflow import ACTION_LABELS, allowed_transitions
from desk.ui.plain_text import plain
from desk.ui.review.comment_dialog import elide_middle

#: (background, text) per state: readable on light and dark palettes alike.
STATUS_COLORS: dict[Status, tuple[str, str]] = {
    Status.DRAFT: ("#e3e5e8", "#30343a"),
    Status.IN_REVIEW: ("#dbe8fb", "#1d3f73"),
    Status.CHANGES_REQUESTED: ("#fde2cf", "#7a3510"),
    Status.APPROVED: ("#dff2d8", "#245a1c"),
    Status.PUBLISHED: ("#d4efe9", "#0f5146"),
}
HISTORY_LINES = 12

ACTION_TIPS: dict[Status, str] = {
    Status.IN_REVIEW: "Ask an editor to review this article",
    Status.CHANGES_REQUESTED: "Send the article back to the writer with changes to make",
    Status.APPROVED: "Mark the article ready to publish",
    Status.PUBLISHED: "Mark the article as published",
    Status.DRAFT: "Take the submission back to draft while nobody has picked it up",
}
#: The last move's note is shown in the bar, cut to this many characters.
NOTE_CHARS = 60


def _parse(at: datetime | str) -> datetime:
    when = at if isinstance(at, datetime) else datetime.fromisoformat(at)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _entry(row: Sequence[Any]) -> tuple[Status, str, datetime, str]:
    """A history row, with or without its note."""
    status, who, at, *note = row
    return Status(status), str(who), _parse(at), str(note[0]) if note else ""


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%d %b %Y, %H:%M")


class WorkflowWidget(QWidget):
    """Status pill plus one button per step allowed to the current role."""

    transitionRequested = Signal(object)  # Status

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._status = Status.DRAFT
        self._role = "writer"
        self._history_tip = ""
        self._withdrawable = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.status_label = QLabel(objectName="workflowStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status_label)
        self.note = QLabel(objectName="workflowNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setEnabled(False)  # greyed: a hint, not a control
        layout.addWidget(self.note)
        self.last_note = QLabel(objectName="workflowLastNote")
        self.last_note.setTextFormat(Qt.TextFormat.PlainText)
        self.last_note.setVisible(False)
        layout.addWidget(self.last_note)
        self._button_row = QHBoxLayout()
        self._button_row.setSpacing(4)
        layout.addLayout(self._button_row)
        self.buttons: dict[Status, QPushButton] = {}
        self._refresh()

    # --- API ---------------------------------------------------------------------

    def set_state(self, status: Status, role: str) -> None:
        """Show ``status`` and the steps ``role`` (writer/editor) may take from it."""
        self._status, self._role = Status(status), role
        self._refresh()

    def set_status(self, status: Status) -> None:
        self.set_state(status, self._role)

    def set_role(self, role: str) -> None:
        self.set_state(self._status, role)

    def set_withdrawable(self, allowed: bool) -> None:
        """Offer "Withdraw" (in review → draft): the owner decides, from the status history."""
        if allowed != self._withdrawable:
            self._withdrawable = allowed
            self._refresh()

    def set_history(self, history: Sequence[Sequence[Any]]) -> None:
        """``(status, who, at[, note])`` entries, any order; shown newest first in the tooltip.

        ``at`` may be an ISO 8601 string, so ``DraftStore.status_history`` rows fit as they are.
        The newest move's note is also shown in the bar: it is what the other side said.
        """
        rows = sorted(map(_entry, history), key=lambda h: h[2], reverse=True)
        lines = [
            f"{s.label} — {who or 'someone'}, {_when(at)}" + (f": “{note}”" if note else "")
            for s, who, at, note in rows[:HISTORY_LINES]
        ]
        if len(rows) > HISTORY_LINES:
            lines.append(f"… and {len(rows) - HISTORY_LINES} earlier changes")
        self._history_tip = "\n".join(lines)
        latest = rows[0] if rows else None
        if latest is not None and latest[3]:
            s, who, at, note = latest
            self.last_note.setText(f"{who or 'Someone'}: “{elide_middle(note, NOTE_CHARS)}”")
            self.last_note.setToolTip(
                f"{ACTION_LABELS.get(s, s.label)} — {who}, {_when(at)}:\n{note}"
            )
        else:
            self.last_note.setText("")
        self.last_note.setVisible(bool(self.last_note.text()))
        self._update_tooltip()

    @property
    def status(self) -> Status:
        return self._status

    # --- display -----------------------------------------------------------------

    def _refresh(self) -> None:
        bg, fg = STATUS_COLORS[self._status]
        self.status_label.setText(self._status.label)
        self.status_label.setStyleSheet(
            f"QLabel#workflowStatus {{ background: {bg}; color: {fg}; border-radius: 8px;"
            " padding: 1px 9px; font-weight: 600; }"
        )
        self.status_label.setAccessibleName(f"Review status: {self._status.label}")
        for b in self.buttons.values():
            self._button_row.removeWidget(b)
            b.hide()  # gone now, not when the event loop next deletes it
            b.deleteLater()
        self.buttons = {}
        allowed = allowed_transitions(self._status, self._role)
        withdraw = [Status.DRAFT] if self._withdrawable and self._status == Status.IN_REVIEW else []
        for target in [*withdraw, *allowed]:
            button = QPushButton(ACTION_LABELS[target], objectName=f"workflow_{target.value}")
            button.setToolTip(f"{ACTION_TIPS[target]} (status becomes “{target.label}”)")
            button.clicked.connect(lambda _c=False, t=target: self.transitionRequested.emit(t))
            self._button_row.addWidget(button)
            button.show()  # now, like the hide above: not on Qt's queued show
            self.buttons[target] = button
        others = [t for t in allowed_transitions(self._status) if t not in allowed]
        waiting = others and not allowed and self._status != Status.PUBLISHED
        self.note.setText("Waiting for an editor" if waiting else "")
        self.note.setVisible(bool(self.note.text()))
        self.note.setToolTip(
            "An editor can: " + ", ".join(ACTION_LABELS[t].lower() for t in others)
            if others and not allowed
            else ""
        )
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        tip = f"Review status: {self._status.label}"
        if self._history_tip:
            tip += "\n\nHistory (newest first):\n" + self._history_tip
        self.status_label.setToolTip(plain(tip))
