"""The headline field wraps a long headline and keeps it one line of text."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from desk.ui.editor.headline_edit import HeadlineEdit, one_line

LONG = "County Opens Public Ledger of Spending After Years of Requests From Residents"


_hosts: list[QWidget] = []  # pytest-qt closes them, but does not keep them alive


def make(qtbot, width: int = 320) -> tuple[HeadlineEdit, QLineEdit]:
    host = QWidget()
    _hosts.append(host)
    layout = QVBoxLayout(host)
    head, after = HeadlineEdit(placeholderText="Headline"), QLineEdit()
    layout.addWidget(head)
    layout.addWidget(after)
    qtbot.addWidget(host)
    host.resize(width, 300)
    host.show()
    qtbot.waitExposed(host)
    return head, after


def test_a_long_headline_grows_the_field_instead_of_scrolling_sideways(qtbot):
    head, _ = make(qtbot)
    one = head.height()
    head.setText(LONG)

    def lines() -> int:
        return head.document().begin().layout().lineCount()

    # every line of the headline fits inside the field: nothing hidden, no scrolling
    qtbot.waitUntil(
        lambda: lines() >= 2 and head.viewport().height() >= lines() * head.fontMetrics().height()
    )
    assert head.height() > one
    head.setText("Short")
    qtbot.waitUntil(lambda: head.height() == one)


def test_enter_moves_on_and_breaks_never_enter_the_headline(qtbot):
    head, after = make(qtbot)
    edited: list[str] = []
    head.textEdited.connect(edited.append)
    head.setFocus()
    qtbot.keyClicks(head, "Harbor Tunnel")
    qtbot.keyClick(head, Qt.Key.Key_Return)
    assert head.text() == "Harbor Tunnel"
    assert head.window().focusWidget() is after
    head.setFocus()
    head.setCursorPosition(len(head.text()))
    pasted = QMimeData()
    pasted.setText(" Opens\nAfter\r\n Delays")
    head.insertFromMimeData(pasted)
    assert head.text() == "Harbor Tunnel Opens After Delays"
    assert edited[-1] == "Harbor Tunnel Opens After Delays"


def test_set_text_is_not_an_edit_and_selection_reads_like_a_line_edit(qtbot):
    head, _ = make(qtbot)
    edited: list[str] = []
    head.textEdited.connect(edited.append)
    head.setText("Council\nVotes")
    assert head.text() == "Council Votes" and edited == []
    head.selectAll()
    assert head.hasSelectedText() and head.selectionStart() == 0
    assert head.selectedText() == "Council Votes"


def test_one_line_keeps_plain_text_as_it_is():
    assert one_line("Plain  spaced") == "Plain  spaced"
    assert one_line("Two\nlines") == "Two lines"
    assert one_line("Tab\tand \r\n break") == "Tab and break"
