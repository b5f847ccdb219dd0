"""The review widgets: the comments panel and the comment dialog."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QWidget,
)
from review_fixtures import article, card_of, note, threads

from desk.model.annotation import set_resolved
from desk.ui.review import annotations_panel as panel_module
from desk.ui.review.comment_dialog import CommentDialog, get_comment

# --- annotations panel ------------------------------------------------------------


def test_threads_are_listed_in_article_order(panel) -> None:
    a = article()
    panel.set_annotations(threads(a))
    bodies = [panel.cards[i].annotation.body for i in panel.visible_ids()]
    assert bodies == [
        "Say which budget",  # headline
        "How late?",  # standfirst
        "Full name",  # byline
        "Stronger verb",  # section 1 subheading
        "Capital C?",  # section 1, "council" before "Tuesday"
        "Which Tuesday?",
        "Who?",  # section 2
    ]
    labels = [c.findChild(QLabel, "threadField").text() for c in panel.cards.values()]
    assert labels[:5] == ["Headline", "Standfirst", "Byline", "Section 1 subheading", "Section 1"]
    panel.set_section_order(["s2", "s1"])  # sections moved: the list follows
    assert panel.cards[panel.visible_ids()[3]].annotation.body == "Who?"


def test_filter_open_resolved_all(panel) -> None:
    a = article()
    items = threads(a)
    items[0] = set_resolved(items[0], True, "Ed Itor")
    panel.set_annotations(items)
    assert panel.filter.currentData() == "open"
    assert len(panel.visible_ids()) == 6 and items[0].id not in panel.visible_ids()
    assert panel.counts.text() == "6 open · 1 resolved"
    panel.set_filter("resolved")
    assert panel.visible_ids() == [items[0].id]
    assert panel.cards[items[0].id].buttons["resolve"].text() == "Reopen"
    panel.set_filter("all")
    assert len(panel.visible_ids()) == 7


def test_reply_emits_the_new_list_with_author_and_role(panel, qtbot) -> None:
    a = article()
    items = threads(a)
    panel.set_context("art1", "Ed Itor", "editor")
    panel.set_annotations(items)
    card = card_of(panel, "Who?")
    qtbot.mouseClick(card.buttons["reply"], Qt.MouseButton.LeftButton)
    assert card.reply_box.isVisible() and not card.send.isEnabled()
    qtbot.keyClicks(card.reply_edit, "The opposition bloc")
    with qtbot.waitSignal(panel.changed) as sig:
        qtbot.keyClick(card.reply_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    new = {x.id: x for x in sig.args[0]}
    assert len(new) == len(items)
    reply = new[items[0].id].replies[-1]
    assert (reply.author, reply.role, reply.body) == ("Ed Itor", "editor", "The opposition bloc")
    assert all(new[x.id] == x for x in items[1:])  # the others untouched
    assert items[0].replies == []  # the panel made new objects
    shown = card_of(panel, "Who?")
    assert shown.findChild(QWidget, "reply0").findChild(QLabel, "text").text() == (
        "The opposition bloc"
    )
    assert not shown.reply_box.isVisible()


def test_half_typed_reply_survives_a_refresh_and_escape_cancels(panel, qtbot) -> None:
    items = threads(article())
    panel.set_annotations(items)
    card = card_of(panel, "Who?")
    card.buttons["reply"].click()
    qtbot.keyClicks(card.reply_edit, "draft")
    moved = [replace(x, body=x.body + "!") if x.body == "Full name" else x for x in items]
    panel.set_annotations(moved)  # the owner re-anchored: every card is rebuilt
    card = card_of(panel, "Who?")
    assert card.reply_box.isVisible() and card.reply_edit.toPlainText() == "draft"
    card.reply_edit.setFocus()
    qtbot.keyClick(card.reply_edit, Qt.Key.Key_Escape)
    assert not card.reply_box.isVisible() and panel.reply_drafts == {}


def test_resolve_and_reopen(panel, qtbot) -> None:
    items = threads(article())
    panel.set_context("art1", "Ed Itor", "editor")
    panel.set_annotations(items)
    target = items[1]  # "Which Tuesday?"
    with qtbot.waitSignal(panel.changed) as sig:
        panel.cards[target.id].buttons["resolve"].click()
    done = next(x for x in sig.args[0] if x.id == target.id)
    assert done.resolved and done.resolved_by == "Ed Itor" and done.resolved_at is not None
    assert target.id not in panel.visible_ids()  # "Open" filter hides it now
    panel.set_filter("resolved")
    card = panel.cards[target.id]
    assert card.findChild(QLabel, "badge_resolved") is not None
    assert card.findChild(QLabel, "resolvedNote").text().startswith("Resolved by Ed Itor")
    with qtbot.waitSignal(panel.changed) as sig:
        card.buttons["resolve"].click()
    again = next(x for x in sig.args[0] if x.id == target.id)
    assert not again.resolved and again.resolved_by == "" and again.resolved_at is None


def test_orphaned_thread_shows_badge_note_and_old_quote(panel) -> None:
    items = threads(article())
    lost = replace(items[0], orphaned=True)
    panel.set_annotations([lost])
    card = panel.cards[lost.id]
    assert card.findChild(QLabel, "badge_orphaned").text() == "Text not found"
    assert "no longer found" in card.findChild(QLabel, "orphanNote").text()
    assert card.quote.text() == "“Critics”"
    assert not card.buttons["jump"].isEnabled()
    assert "no longer" in card.buttons["jump"].toolTip()
    assert card.findChild(QLabel, "badge_open") is not None  # still needs an answer


def test_jump_emits_field_and_span(panel, qtbot) -> None:
    items = threads(article())
    panel.set_annotations(items)
    t = items[1]
    with qtbot.waitSignal(panel.jumpRequested) as sig:
        qtbot.mouseClick(panel.cards[t.id].buttons["jump"], Qt.MouseButton.LeftButton)
    assert sig.args == ["section:s1", t.position.start, t.position.end]


def test_only_the_author_may_delete(panel, qtbot, monkeypatch) -> None:
    a = article()
    mine = note(a, "headline", "Council", "My own note", author="Ada Writer")
    theirs = note(a, "headline", "budget", "Editor's note")
    panel.set_annotations([mine, theirs])
    assert panel.cards[mine.id].buttons["delete"].isVisibleTo(panel)
    assert not panel.cards[theirs.id].buttons["delete"].isVisibleTo(panel)
    answers = iter([False, True])
    monkeypatch.setattr(panel_module, "confirm", lambda *_a: next(answers))
    with qtbot.assertNotEmitted(panel.changed):
        panel.cards[mine.id].buttons["delete"].click()  # "No"
    with (
        qtbot.waitSignal(panel.deleted) as gone,
        qtbot.waitSignal(panel.changed) as sig,
    ):
        panel.cards[mine.id].buttons["delete"].click()
    assert gone.args == [mine.id]
    assert [x.id for x in sig.args[0]] == [theirs.id]
    with qtbot.assertNotEmitted(panel.changed):
        panel.delete(theirs.id)  # not even by calling it directly


def test_without_a_name_nobody_is_signed_up_for_replies(panel) -> None:
    panel.set_context("art1", "", "writer")
    panel.set_annotations(threads(article()))
    card = next(iter(panel.cards.values()))
    assert not card.buttons["reply"].isEnabled() and not card.buttons["resolve"].isEnabled()
    assert "Preferences" in panel.notice.text() and panel.notice.isVisibleTo(panel)
    panel.set_context("art1", "Ada Writer", "writer")
    assert not panel.notice.isVisibleTo(panel)


def test_empty_state_and_other_articles(panel) -> None:
    assert "No comments yet" in panel.empty.text() and panel.empty.isVisibleTo(panel)
    items = threads(article())
    panel.set_annotations(items)
    panel.set_context("other", "Ada Writer", "writer")  # a different draft opened
    assert panel.visible_ids() == [] and panel.annotations() == []


# --- comment dialog ----------------------------------------------------------------


def test_comment_dialog_needs_text(qtbot) -> None:
    d = CommentDialog("the council voted " * 30)
    qtbot.addWidget(d)
    assert not d.ok.isEnabled() and "…" in d.quote.text()
    qtbot.keyClicks(d.text, "  Check this  ")
    assert d.ok.isEnabled() and d.comment() == "Check this"


def test_get_comment_returns_text_or_none(qtbot) -> None:
    def answer(text: str | None) -> None:
        d = QApplication.activeModalWidget()
        assert isinstance(d, CommentDialog)
        if text is None:
            d.reject()
        else:
            d.text.setPlainText(text)
            d.ok.click()

    QTimer.singleShot(0, lambda: answer("Source?"))
    assert get_comment(None, "seven votes") == "Source?"
    QTimer.singleShot(0, lambda: answer(None))
    assert get_comment(None, "seven votes") is None
