"""Plain-text fields that grow with their text instead of scrolling inside the page."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit


def fit_to_text(edit: QPlainTextEdit, min_lines: int) -> None:
    """Give ``edit`` the fixed height that shows all its text (at least ``min_lines``).

    documentSize() counts blocks not yet laid out as one line each, so the real
    block heights are summed instead (which lays them out).
    """
    document = edit.document()
    layout = document.documentLayout()
    block = document.begin()
    content = 0.0
    while block.isValid():
        content += layout.blockBoundingRect(block).height()
        block = block.next()
    content = max(content, min_lines * edit.fontMetrics().lineSpacing())
    margins = edit.contentsMargins()
    height = int(content + 2 * document.documentMargin() + margins.top() + margins.bottom() + 2)
    if edit.height() != height:
        edit.setFixedHeight(height)
