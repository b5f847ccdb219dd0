"""The headline field: one line of text that wraps, so a long headline is read whole.

A news headline runs to 60-110 characters, more than a single-line field of
a readable width shows; a writer should never have to scroll sideways to
reread it. The field grows to as many lines as the headline needs, refuses
line breaks (Enter moves on, pasted breaks become spaces) and speaks enough
of QLineEdit's language that the form and the review tools treat it alike.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

from desk.ui.editor.fit_height import fit_to_text

if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QKeyEvent


_BREAK = re.compile("[ \t]*[\r\n\u2028\u2029]+[ \t]*")


def one_line(text: str) -> str:
    """Each line break (with the blanks around it) and each tab becomes one space."""
    return _BREAK.sub(" ", text).replace("\t", " ")


class HeadlineEdit(QPlainTextEdit):
    textEdited = Signal(str)  # changed by the writer, not by setText

    def __init__(self, parent: QWidget | None = None, *, placeholderText: str = "") -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholderText)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._last = ""
        self._setting = False
        self.textChanged.connect(self._changed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    # --- QLineEdit's vocabulary ------------------------------------------------------

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self._setting = True
        try:
            self.setPlainText(one_line(text))
            self._last = self.toPlainText()
        finally:
            self._setting = False

    def setCursorPosition(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(position, len(self.toPlainText()))))
        self.setTextCursor(cursor)

    def cursorPosition(self) -> int:
        return self.textCursor().position()

    def hasSelectedText(self) -> bool:
        return self.textCursor().hasSelection()

    def selectionStart(self) -> int:
        return self.textCursor().selectionStart()

    def selectedText(self) -> str:
        return self.textCursor().selectedText()

    # --- one line ------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focusNextChild()  # Enter finishes the headline, as in a line edit
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        self.insertPlainText(one_line(source.text()))

    def _changed(self) -> None:
        text = self.toPlainText()
        if self._setting or text == self._last:
            return
        flat = one_line(text)
        if flat != text:  # a break slipped in (input method, drop): flatten, keep the cursor
            position = self.cursorPosition()
            self.setText(flat)
            self.setCursorPosition(position)
            text = flat
        self._last = text
        self.textEdited.emit(text)

    # --- height --------------------------------------------------------------------

    def _fit(self, *_args: object) -> None:
        fit_to_text(self, min_lines=1)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()
