"""Format operations as plain functions: no window, only text and a selection."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument

from desk.ui.editor.formatting import apply, emphasis, link


def run(change, text: str) -> tuple[str, str]:
    """The text after the change, and the words it leaves selected."""
    for e in change.edits:
        text = text[: e.at] + e.insert + text[e.at + e.length :]
    return text, text[change.select[0] : change.select[1]]


@pytest.mark.parametrize(
    ("text", "words", "marker", "after", "selected"),
    [
        ("The council voted.", "council", "**", "The **council** voted.", "council"),
        ("The council voted.", "council", "*", "The *council* voted.", "council"),
        ("The **council** voted.", "council", "**", "The council voted.", "council"),
        ("The **council** voted.", "**council**", "**", "The council voted.", "council"),
        ("The *council* voted.", "council", "*", "The council voted.", "council"),
        # bold is not mistaken for italic, nor italic for bold
        ("The **council** voted.", "council", "*", "The ***council*** voted.", "council"),
        ("The *council* voted.", "council", "**", "The ***council*** voted.", "council"),
        ("The ***council*** voted.", "council", "**", "The *council* voted.", "council"),
        ("The ***council*** voted.", "council", "*", "The **council** voted.", "council"),
    ],
)
def test_emphasis_wraps_and_unwraps(text, words, marker, after, selected):
    start = text.index(words)
    assert run(emphasis(text, start, start + len(words), marker), text) == (after, selected)


def test_emphasis_without_a_selection_puts_the_cursor_between_the_markers():
    change = emphasis("ab", 1, 1, "**")
    assert run(change, "ab") == ("a****b", "")
    assert change.select == (3, 3)


def test_link_selects_the_url_to_type_over():
    text = "Read the full report today."
    start = text.index("full report")
    assert run(link(text, start, start + 11), text) == (
        "Read the [full report](https://) today.",
        "https://",
    )


def test_link_without_a_selection_selects_the_words_to_type():
    assert run(link("Read .", 5, 5), "Read .") == ("Read [link text](https://).", "link text")


def test_link_stops_at_the_end_of_the_paragraph():
    text = "one two\n\nthree"
    assert run(link(text, 4, len(text)), text)[0] == "one [two](https://)\n\nthree"


def test_apply_on_a_cursor_counts_utf16_like_qt(qapp):
    doc = QTextDocument("🚲 bike lanes open")
    cursor = QTextCursor(doc)
    start = len("🚲 bike ".encode("utf-16-le")) // 2  # Qt's position: the emoji is 2 units
    cursor.setPosition(start)
    cursor.setPosition(start + len("lanes"), QTextCursor.MoveMode.KeepAnchor)
    apply(cursor, "bold")
    assert doc.toPlainText() == "🚲 bike **lanes** open"
    assert cursor.selectedText() == "lanes"
    doc.undo()  # one undo step takes the whole change back
    assert doc.toPlainText() == "🚲 bike lanes open"
