"""Which words a comment is about: the selection in the text box that has the focus.

The comment action used to look at the last section body first, so words
selected in the headline were quietly swapped for an older selection in a
body. Only the focused box counts here, and a box that cannot carry a comment
says so instead of falling back to another one.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from desk.ui.editor.article_editor import ArticleEditor
from desk.ui.review.highlights import codepoint_offset, utf16_offset

#: Header boxes that cannot carry a comment, named as the writer knows them:
#: settings and lists rather than running text a quote could be found in again.
_NOT_COMMENTABLE = {
    "slug": "the slug",
    "city": "the dateline",
    "region": "the dateline",
    "date": "the dateline",
    "category": "the category",
    "tags": "the tags",
    "slug_auto": "the slug",
}
WHERE = "the headline, standfirst, byline, a subheading or a section's text"


@dataclass(frozen=True)
class Selection:
    """A span in one annotation field (code points), or ``problem`` saying why there is none."""

    field: str = ""
    start: int = 0
    end: int = 0
    quote: str = ""
    problem: str = ""


def _text_widgets(editor: ArticleEditor) -> dict[str, QWidget]:
    """Annotation field name -> the box that edits it (built section editors only)."""
    header = editor.header
    boxes: dict[str, QWidget] = {
        "headline": header.headline,
        "standfirst": header.standfirst,
        "byline": header.byline,
    }
    for sid, ed in editor.sections.editors.items():
        boxes[f"subheading:{sid}"] = ed.subheading
        boxes[f"section:{sid}"] = ed.body
    return boxes


def _span(box: QWidget) -> tuple[str, int, int]:
    """The box's text and its selection in UTF-16 units, as Qt counts."""
    if isinstance(box, QLineEdit):
        return box.text(), box.selectionStart(), box.selectionEnd()
    assert isinstance(box, QPlainTextEdit)
    cursor = box.textCursor()
    return box.toPlainText(), cursor.selectionStart(), cursor.selectionEnd()


def focused_selection(editor: ArticleEditor, focus: QWidget | None) -> Selection:
    """The words selected in the focused box of ``editor``, or why a comment cannot go there."""
    if focus is None or not editor.isAncestorOf(focus):
        return Selection(problem=f"Select the words in {WHERE} first, then add the comment.")
    for name, box in _text_widgets(editor).items():
        if box is focus or box.isAncestorOf(focus):
            text, start, end = _span(box)
            if start == end:
                return Selection(field=name, problem="Select the words you want to comment on.")
            a, b = codepoint_offset(text, start), codepoint_offset(text, end)
            return Selection(name, a, b, text[a:b])
    header = editor.header
    for attr, what in _NOT_COMMENTABLE.items():
        box = getattr(header, attr, None)
        if isinstance(box, QWidget) and (box is focus or box.isAncestorOf(focus)):
            return Selection(
                problem=f"Comments cannot go on {what}; select words in {WHERE} instead."
            )
    return Selection(problem=f"Comments go on {WHERE}; select words there first.")


def select_span(editor: ArticleEditor, field: str, start: int, end: int) -> bool:
    """Focus a header field or subheading and select a code-point span in it ("Jump to")."""
    kind, _, sid = field.partition(":")
    if kind == "subheading":
        editor.sections.editor(sid)  # built now if it was still waiting
    box = _text_widgets(editor).get(field)
    if box is None:
        return False
    if isinstance(box, QLineEdit):
        text = box.text()
        at = utf16_offset(text, start)
        box.setSelection(at, utf16_offset(text, end) - at)
    else:
        assert isinstance(box, QPlainTextEdit)
        text = box.toPlainText()
        cursor = box.textCursor()
        cursor.setPosition(utf16_offset(text, start))
        cursor.setPosition(utf16_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
        box.setTextCursor(cursor)
    box.setFocus(Qt.FocusReason.OtherFocusReason)
    editor.scroll.ensureWidgetVisible(box, 0, 40)
    return True
