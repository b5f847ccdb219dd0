"""A text box that sends what was typed on Ctrl+Enter.

The window's Add Section action also listens for Ctrl+Enter. Two shortcuts
on one key make Qt refuse both ("Ambiguous shortcut overload"), so a reply
could not be sent from the keyboard. A focused text box owns its keys: this
one claims Ctrl+Enter in the shortcut-override step, before any window
shortcut is looked up, and handles it as an ordinary key press.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget


def is_submit_key(event: QKeyEvent) -> bool:
    """Ctrl+Return, or Ctrl+Enter on the keypad."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return (
        event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        and modifiers == Qt.KeyboardModifier.ControlModifier
    )


class SubmitEdit(QPlainTextEdit):
    """Plain text; Tab moves on; Ctrl+Enter emits ``submitted`` and nothing else fires."""

    submitted = Signal()

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTabChangesFocus(True)

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and is_submit_key(event)
        ):
            event.accept()  # ours: delivered as a key press, not to a window shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_submit_key(event):
            event.accept()
            self.submitted.emit()
            return
        super().keyPressEvent(event)
