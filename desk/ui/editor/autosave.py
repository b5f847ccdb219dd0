"""When to save: within a second of a pause, and every few seconds while typing.

A writer who types without pause for a minute must not risk a minute of
text, and one who pauses must see "Saved" almost at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

IDLE_MS = 700
MAX_MS = 4000


class AutosaveTimer(QObject):
    """Calls ``save`` IDLE_MS after the last edit, and at most MAX_MS after the first."""

    def __init__(
        self,
        save: Callable[[], None],
        parent: QObject | None = None,
        idle_ms: int = IDLE_MS,
        max_ms: int = MAX_MS,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._idle = QTimer(self, singleShot=True, interval=idle_ms)
        self._max = QTimer(self, singleShot=True, interval=max_ms)
        self._idle.timeout.connect(self.fire)
        self._max.timeout.connect(self.fire)

    def touch(self) -> None:
        self._idle.start()
        if not self._max.isActive():
            self._max.start()

    @property
    def pending(self) -> bool:
        return self._idle.isActive() or self._max.isActive()

    def fire(self) -> None:
        self._idle.stop()
        self._max.stop()
        self._save()
