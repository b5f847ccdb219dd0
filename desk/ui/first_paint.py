"""Running work once a widget is on screen, so the first frame never waits for it.

Start-up is what a writer feels every morning: whatever the first frame of
the window does not show (the comments machinery, the editors of sections
below the fold) is built right after that frame instead of before it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # After the whole paint pass, not inside it.
            QTimer.singleShot(0, self._callback)
            self.deleteLater()
        return False


def after_first_paint(widget: QWidget, callback: Callable[[], object]) -> None:
    """Call ``callback`` on the event loop turn after ``widget`` first paints."""
    _FirstPaint(widget, callback)
