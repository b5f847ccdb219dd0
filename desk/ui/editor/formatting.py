"""Markdown formatting of a section body: bold, italic, link.

The edits are computed by plain functions on text and a selection, so they are
tested without a window; :func:`apply` replays them on a ``QTextCursor`` as one
undo step, touching only the characters that change (the rest of the section,
its highlights and the writer's scroll position stay as they are).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QTextCursor

from desk.ui.review.highlights import codepoint_offset, utf16_offset

#: What Ctrl+K puts in the link's parentheses, selected so the writer types over it.
URL_PLACEHOLDER = "https://"
#: The link text when nothing was selected, selected for the same reason.
TEXT_PLACEHOLDER = "link text"


@dataclass(frozen=True)
class Edit:
    """Replace ``length`` characters at ``at`` with ``insert``; then select ``select``."""

    at: int
    length: int
    insert: str


@dataclass(frozen=True)
class Change:
    edits: tuple[Edit, ...]  # back to front, so earlier offsets stay valid
    select: tuple[int, int]  # in the text after the edits


def _run(text: str, at: int, step: int) -> int:
    """How many ``*`` run from ``at`` in direction ``step`` (-1 left, +1 right)."""
    n, i = 0, at if step > 0 else at - 1
    while 0 <= i < len(text) and text[i] == "*":
        n += 1
        i += step
    return n


def _wrapped(left: int, right: int, marker: str) -> bool:
    """Do runs of ``left`` and ``right`` stars hold ``marker``? In ``***both***``
    the inner ``*`` is the italic and the outer ``**`` the bold."""
    return min(left, right) in ((2, 3) if marker == "**" else (1, 3))


def emphasis(text: str, start: int, end: int, marker: str) -> Change:
    """Wrap the selection in ``marker`` (``**`` bold, ``*`` italic), or unwrap it
    when it is already wrapped, so a second Ctrl+B undoes the first.

    With no selection the markers are inserted with the cursor between them.
    """
    n = len(marker)
    if start < end and _wrapped(_run(text, start, -1), _run(text, end, +1), marker):
        return Change((Edit(end, n, ""), Edit(start - n, n, "")), (start - n, end - n))
    words = text[start:end]
    if len(words) > 2 * n and _wrapped(_run(words, 0, +1), _run(words, len(words), -1), marker):
        return Change((Edit(start, end - start, words[n:-n]),), (start, end - 2 * n))
    return Change((Edit(start, end - start, f"{marker}{words}{marker}"),), (start + n, end + n))


def link(text: str, start: int, end: int) -> Change:
    """``[selection](https://)`` with the URL selected; with nothing selected,
    ``[link text](https://)`` with the link text selected."""
    words = text[start:end]
    if "\n" in words:  # a link cannot span paragraphs: link the first line only
        end = start + words.index("\n")
        words = text[start:end]
    label = words or TEXT_PLACEHOLDER
    inserted = f"[{label}]({URL_PLACEHOLDER})"
    if words:
        url_at = start + len(label) + 3
        select = (url_at, url_at + len(URL_PLACEHOLDER))
    else:
        select = (start + 1, start + 1 + len(label))
    return Change((Edit(start, end - start, inserted),), select)


OPERATIONS = {
    "bold": lambda text, s, e: emphasis(text, s, e, "**"),
    "italic": lambda text, s, e: emphasis(text, s, e, "*"),
    "link": link,
}


def apply(cursor: QTextCursor, operation: str) -> None:
    """Run ``operation`` (bold, italic, link) on the cursor's selection, as one undo step.

    Qt counts UTF-16 units and Python code points: an emoji before the
    selection would shift every offset by one without the conversions.
    """
    text = cursor.document().toPlainText()
    start = codepoint_offset(text, cursor.selectionStart())
    end = codepoint_offset(text, cursor.selectionEnd())
    change = OPERATIONS[operation](text, start, end)
    cursor.beginEditBlock()
    try:
        for edit in change.edits:  # back to front: the text before each edit is unchanged
            cursor.setPosition(utf16_offset(text, edit.at))
            cursor.setPosition(
                utf16_offset(text, edit.at + edit.length), QTextCursor.MoveMode.KeepAnchor
            )
            cursor.insertText(edit.insert)
    finally:
        cursor.endEditBlock()
    after = cursor.document().toPlainText()
    cursor.setPosition(utf16_offset(after, change.select[0]))
    cursor.setPosition(utf16_offset(after, change.select[1]), QTextCursor.MoveMode.KeepAnchor)
