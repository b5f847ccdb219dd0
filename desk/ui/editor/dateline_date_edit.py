"""The dateline date field, which can say "no date" instead of showing one that is not there.

A draft without a dateline date publishes under its creation date. The field
used to show that creation date as if it had been set, while the export
checklist said "the dateline has no date": both were right about different
things and the writer could not tell. An empty date now looks empty; the
first step, wheel turn or calendar page starts from the date that would be
published.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QDateEdit, QWidget

#: The field's minimum, shown as the special value text: "no date".
NO_DATE = QDate(1900, 1, 1)


class DatelineDateEdit(QDateEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("MMMM d, yyyy")
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText("No date")
        self._fallback = date.today()

    def set_value(self, value: date | None, fallback: date) -> None:
        """Show *value*, or "No date" when None; *fallback* is the date published then."""
        self._fallback = fallback
        self.setToolTip(
            "Dateline date; it is also the published date. With no date the creation "
            f"date, {fallback:%B} {fallback.day}, {fallback.year}, is published."
        )
        self.setDate(QDate(value.year, value.month, value.day) if value else NO_DATE)

    def value(self) -> date | None:
        q = self.date()
        return None if q == NO_DATE else date(q.year(), q.month(), q.day())

    def _start_from_fallback(self) -> bool:
        if self.value() is not None:
            return False
        f = self._fallback
        self.setDate(QDate(f.year, f.month, f.day))
        return True

    def stepBy(self, steps: int) -> None:
        # From "no date", arrow keys and the wheel land on the published date
        # rather than on January 1900.
        if not self._start_from_fallback():
            super().stepBy(steps)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        calendar = self.calendarWidget()
        if self.value() is None and calendar is not None and calendar.isVisible():
            # Show the month that would be published; selecting a day sets the date.
            calendar.setCurrentPage(self._fallback.year, self._fallback.month)
