"""The comment threads of the open article, in reading order, with their actions.

The panel never writes anything itself: every action builds new
:class:`~desk.model.annotation.Annotation` objects with the model's functions
(``add_reply``, ``set_resolved``) and hands the whole new list to its owner
through ``changed`` so that saving, re-anchoring and highlighting stay in one
place. Threads are rebuilt from data on every change; what the user was in the
middle of (a half-typed reply, the focused button, the scroll position)
survives the rebuild, because the owner may call ``set_annotations`` at any
moment, e.g. after re-anchoring on an edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk.model.annotation import Annotation, AnnotationError, add_reply, set_resolved
from desk.ui.plain_text import plain
from desk.ui.review.comment_dialog import confirm, elide_middle
from desk.ui.review.submit_edit import SubmitEdit

FILTERS = (("open", "Open"), ("resolved", "Resolved"), ("all", "All"))
HEADER_FIELDS = ("headline", "standfirst", "byline")
QUOTE_CHARS = 160
BADGES = {  # state: (text, background, foreground) — light pills, readable on any palette
    "open": ("Open", "#fff1a8", "#5a4a00"),
    "resolved": ("Resolved", "#dff2d8", "#245a1c"),
    "orphaned": ("Text not found", "#fde2cf", "#7a3510"),
}
EDGES = {"open": "#e0b400", "resolved": "#5fa052", "orphaned": "#e07a3c"}  # quote bars


def when(at: datetime) -> str:
    return at.astimezone().strftime("%d %b %Y, %H:%M")


def field_order(field: str, sections: Sequence[str]) -> tuple[int, int, int]:
    """Headline, standfirst, byline, then each section's subheading and body;
    parts no longer in the article last."""
    if field in HEADER_FIELDS:
        return (0, HEADER_FIELDS.index(field), 0)
    kind, _, sid = field.partition(":")
    if sid in sections and kind in ("subheading", "section"):
        return (1, sections.index(sid), 0 if kind == "subheading" else 1)
    return (2, 0, 0)


def thread_key(a: Annotation, sections: Sequence[str]) -> tuple[object, ...]:
    """Reading order; ties (same words) oldest first, then by id for stability."""
    where = field_order(a.field, sections)
    return (where, a.field, a.position.start, a.position.end, a.created, a.id)


def field_label(field: str, sections: Sequence[str]) -> str:
    if field in HEADER_FIELDS:
        return field.capitalize()
    kind, _, sid = field.partition(":")
    if sid not in sections:
        return "A removed section"
    number = f"Section {sections.index(sid) + 1}"
    return f"{number} subheading" if kind == "subheading" else number


def _label(text: str, name: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text, objectName=name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def _badge(state: str) -> QLabel:
    text, bg, fg = BADGES[state]
    badge = _label(text, f"badge_{state}", wrap=False)
    badge.setStyleSheet(
        f"background: {bg}; color: {fg}; border-radius: 7px; padding: 0 7px; font-weight: 600;"
    )
    return badge


class ThreadCard(QFrame):
    """One thread: quote, comment, replies, state and the buttons acting on it."""

    def __init__(self, a: Annotation, panel: AnnotationsPanel) -> None:
        super().__init__(objectName="annotationThread")
        self.annotation = a
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#annotationThread { border: 1px solid palette(mid); border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        top = QHBoxLayout()
        where = _label(field_label(a.field, panel.section_order), "threadField", wrap=False)
        where.setStyleSheet("font-weight: 600;")
        top.addWidget(where, 1)
        for state in ("orphaned",) * a.orphaned + ("resolved" if a.resolved else "open",):
            top.addWidget(_badge(state))
        layout.addLayout(top)
        if a.orphaned:
            note = _label("Text no longer found in the article. The comment was on:", "orphanNote")
            note.setStyleSheet("color: #b3541e; font-weight: 600;")
            layout.addWidget(note)
        self.quote = _label(f"“{elide_middle(a.quote.exact, QUOTE_CHARS)}”", "threadQuote")
        self.quote.setToolTip(plain(a.quote.exact))
        edge = EDGES["orphaned" if a.orphaned else "resolved" if a.resolved else "open"]
        self.quote.setStyleSheet(  # the border-left shorthand is ignored by Qt: longhand
            f"font-style: italic; padding-left: 6px; border-style: solid;"
            f" border-color: {edge}; border-width: 0 0 0 3px;"
        )
        layout.addWidget(self.quote)
        self.current: QLabel | None = None
        if a.edited and a.current is not None and not a.orphaned:
            # The quote stays what the reviewer read; the text as it reads now is shown apart.
            self.current = _label(
                f"Now reads: “{elide_middle(a.current.exact, QUOTE_CHARS)}”", "threadCurrent"
            )
            self.current.setToolTip(f"The words were edited after this comment:\n{a.current.exact}")
            self.current.setStyleSheet("padding-left: 9px;")
            layout.addWidget(self.current)
        layout.addWidget(_message(a.author, a.role, a.created, a.body, "threadBody", 0))
        for i, r in enumerate(a.replies):
            layout.addWidget(_message(r.author, r.role, r.created, r.body, f"reply{i}", 14))
        if a.resolved:
            who = f" by {a.resolved_by}" if a.resolved_by else ""
            at = f", {when(a.resolved_at)}" if a.resolved_at else ""
            layout.addWidget(_label(f"Resolved{who}{at}", "resolvedNote"))
        layout.addWidget(self._reply_box(a, panel))
        layout.addLayout(self._buttons(a, panel, where.text()))

    def _reply_box(self, a: Annotation, panel: AnnotationsPanel) -> QWidget:
        self.reply_box = QWidget(objectName="replyBox")
        box = QVBoxLayout(self.reply_box)
        box.setContentsMargins(0, 2, 0, 0)
        self.reply_edit = SubmitEdit(panel.reply_drafts.get(a.id, ""))
        self.reply_edit.setObjectName("replyEdit")
        self.reply_edit.setPlaceholderText("Write a reply (Ctrl+Enter sends, Esc cancels)")
        self.reply_edit.setFixedHeight(self.reply_edit.fontMetrics().lineSpacing() * 4 + 12)
        box.addWidget(self.reply_edit)
        row = QHBoxLayout()
        self.send = QPushButton("Send reply", toolTip="Add your reply to this thread (Ctrl+Enter)")
        self.cancel = QPushButton("Cancel", toolTip="Close the reply box (Esc)")
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.send)
        box.addLayout(row)
        self.reply_box.setVisible(a.id in panel.replying)
        self.send.setEnabled(bool(self.reply_edit.toPlainText().strip()))
        self.send.clicked.connect(lambda: panel.send_reply(a.id))
        self.cancel.clicked.connect(lambda: panel.close_reply(a.id))
        self.reply_edit.textChanged.connect(lambda: panel.draft_changed(a.id, self))
        # Ctrl+Enter is the box's own key (the window's Add Section uses it too).
        self.reply_edit.submitted.connect(self.send.click)
        QShortcut(
            QKeySequence("Escape"),
            self.reply_box,
            activated=self.cancel.click,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        return self.reply_box

    def _buttons(self, a: Annotation, panel: AnnotationsPanel, where: str) -> QHBoxLayout:
        row = QHBoxLayout()
        named = bool(panel.author)
        no_name = "Set your name in Preferences first, so others know who answered"
        resolve_tip = "Open the thread again" if a.resolved else "Mark this thread as dealt with"
        gone = "The quoted text is no longer in the article"
        specs = {  # key: (text, tooltip, enabled, action)
            "reply": (
                "Reply",
                "Answer this comment" if named else no_name,
                named,
                panel.open_reply,
            ),
            "resolve": (
                "Reopen" if a.resolved else "Resolve",
                resolve_tip if named else no_name,
                named,
                panel.toggle_resolved,
            ),
            "jump": (
                "Jump to",
                gone if a.orphaned else "Select the quoted text in the editor",
                not a.orphaned,
                panel.jump,
            ),
            "delete": ("Delete", "Delete this thread and its replies", True, panel.delete),
        }
        self.buttons: dict[str, QPushButton] = {}
        for key, (text, tip, enabled, action) in specs.items():
            b = QPushButton(text, objectName=f"thread_{key}", toolTip=tip, enabled=enabled)
            # Narrower than the style's 80-pixel buttons when the dock is: four
            # buttons stay on one row at a laptop's dock width, none cut off.
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance(text) + 18)
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            b.setAccessibleName(f"{text}: {where}, comment by {a.author}")
            b.clicked.connect(lambda _c=False, act=action: act(a.id))
            row.addWidget(b)
            self.buttons[key] = b
        self.buttons["delete"].setVisible(named and a.author == panel.author)  # only its author
        row.addStretch(1)
        return row


def _message(author: str, role: str, at: datetime, body: str, name: str, indent: int) -> QWidget:
    """Who said what when: a muted meta line over the text."""
    w = QWidget(objectName=name)
    v = QVBoxLayout(w)
    v.setContentsMargins(indent, 2, 0, 0)
    v.setSpacing(0)
    meta = _label(f"{author or 'Someone'} · {role.capitalize()} · {when(at)}", "meta")
    meta.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    text = _label(body, "text")
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    v.addWidget(meta)
    v.addWidget(text)
    return w


class AnnotationsPanel(QWidget):
    """Comment threads of one article; emits the whole new list after any change."""

    changed = Signal(list)  # list[Annotation], everything the owner should save
    deleted = Signal(str)  # id of a removed thread: the owner deletes its row
    jumpRequested = Signal(str, int, int)  # field, start, end (code points)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.article_id = ""
        self.author = ""
        self.role = "writer"
        self.section_order: list[str] = []
        self.reply_drafts: dict[str, str] = {}
        self.replying: set[str] = set()
        self._annotations: list[Annotation] = []
        self.cards: dict[str, ThreadCard] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        show = QLabel("&Show:")
        self.filter = QComboBox(objectName="commentFilter")
        self.filter.setToolTip("Which comment threads to list")
        for key, text in FILTERS:
            self.filter.addItem(text, key)
        show.setBuddy(self.filter)
        self.counts = _label("", "commentCounts", wrap=False)
        top.addWidget(show)
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.counts)
        layout.addLayout(top)
        self.notice = _label("", "commentNotice")
        self.notice.setVisible(False)
        layout.addWidget(self.notice)
        self.scroll = QScrollArea(objectName="commentScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.container = QWidget()
        self.list_layout = QVBoxLayout(self.container)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.empty = _label("", "commentsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_layout.addWidget(self.empty)
        self.list_layout.addStretch(1)
        self.scroll.setWidget(self.container)
        layout.addWidget(self.scroll, 1)
        self.filter.currentIndexChanged.connect(lambda _i: self._rebuild())
        self._rebuild()

    # --- API ---------------------------------------------------------------------

    def set_context(self, article_id: str, author: str, role: str) -> None:
        """Whose panel this is: replies and resolutions are signed with it."""
        if article_id != self.article_id:
            self._annotations = [a for a in self._annotations if a.article_id == article_id]
            self.reply_drafts.clear()
            self.replying.clear()
        self.article_id, self.author, self.role = article_id, author, role
        self._rebuild()

    def set_section_order(self, section_ids: Sequence[str]) -> None:
        """The article's section ids in order, for sorting threads and naming sections."""
        if list(section_ids) != self.section_order:
            self.section_order = list(section_ids)
            self._rebuild()

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        """Show these threads (re-anchored by the owner, so ``orphaned`` is current)."""
        new = list(annotations)
        if new == self._annotations:
            return
        self._annotations = new
        ids = {a.id for a in new}
        self.replying &= ids
        self.reply_drafts = {k: v for k, v in self.reply_drafts.items() if k in ids}
        self._rebuild()

    def annotations(self) -> list[Annotation]:
        return list(self._annotations)

    def set_filter(self, key: str) -> None:
        self.filter.setCurrentIndex(self.filter.findData(key))

    def visible_ids(self) -> list[str]:
        """Thread ids as listed, top to bottom."""
        return list(self.cards)

    # --- actions (called by the cards) -------------------------------------------

    def _find(self, ident: str) -> Annotation | None:
        return next((a for a in self._annotations if a.id == ident), None)

    def _commit(self, new: Annotation | None, ident: str, focus: str = "") -> None:
        if new is None:
            self._annotations = [a for a in self._annotations if a.id != ident]
        else:
            self._annotations = [new if a.id == ident else a for a in self._annotations]
        self._rebuild(focus_id=ident, focus_button=focus)
        if new is None:
            self.deleted.emit(ident)
        self.changed.emit(list(self._annotations))

    def open_reply(self, ident: str) -> None:
        self.replying.add(ident)
        card = self.cards.get(ident)
        if card:
            card.reply_box.setVisible(True)
            card.reply_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(card.reply_box)

    def close_reply(self, ident: str) -> None:
        self.replying.discard(ident)
        card = self.cards.get(ident)
        if card:
            card.reply_edit.clear()
            card.reply_box.setVisible(False)
            card.buttons["reply"].setFocus(Qt.FocusReason.OtherFocusReason)
        self.reply_drafts.pop(ident, None)  # after clear(): that edits the draft too

    def draft_changed(self, ident: str, card: ThreadCard) -> None:
        text = card.reply_edit.toPlainText()
        self.reply_drafts[ident] = text
        card.send.setEnabled(bool(text.strip()))

    def send_reply(self, ident: str) -> None:
        a, text = self._find(ident), self.reply_drafts.get(ident, "").strip()
        if a is None or not text or not self.author:
            return
        try:
            new = add_reply(a, text, self.author, self.role)
        except AnnotationError as exc:
            self._show_notice(f"The reply was not added: {exc}")
            return
        self.replying.discard(ident)
        self.reply_drafts.pop(ident, None)
        self._commit(new, ident, "reply")

    def jump(self, ident: str) -> None:
        a = self._find(ident)
        if a is not None and not a.orphaned:
            self.jumpRequested.emit(a.field, a.position.start, a.position.end)

    def toggle_resolved(self, ident: str) -> None:
        a = self._find(ident)
        if a is not None and self.author:
            self._commit(set_resolved(a, not a.resolved, self.author), ident, "resolve")

    def delete(self, ident: str) -> None:
        a = self._find(ident)
        if a is None or not self.author or a.author != self.author:
            return
        replies = f" and its {len(a.replies)} replies" if a.replies else ""
        if confirm(self, "Delete comment", f"Delete this comment{replies}? This cannot be undone."):
            self._commit(None, ident)

    # --- display -----------------------------------------------------------------

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _mine(self) -> list[Annotation]:
        ident = self.article_id
        return [a for a in self._annotations if not ident or a.article_id == ident]

    def _shown(self) -> list[Annotation]:
        key = self.filter.currentData()
        mine = self._mine()
        if key == "open":
            mine = [a for a in mine if not a.resolved]
        elif key == "resolved":
            mine = [a for a in mine if a.resolved]
        return sorted(mine, key=lambda a: thread_key(a, self.section_order))

    def _rebuild(self, focus_id: str = "", focus_button: str = "") -> None:
        old_ids = list(self.cards)
        focused = QApplication.focusWidget()
        if not focus_id and focused is not None:  # keep the focus where the user had it
            for ident, card in self.cards.items():
                if card.isAncestorOf(focused):
                    focus_id = ident
                    focus_button = next(
                        (k for k, b in card.buttons.items() if b.hasFocus()),
                        "reply_edit" if card.reply_edit.hasFocus() else "",
                    )
        scroll = self.scroll.verticalScrollBar().value()
        for card in self.cards.values():
            self.list_layout.removeWidget(card)
            # Hidden now: deleteLater waits for the event loop level it was called
            # from, so under a message box (a merge's report) the old cards would
            # stay drawn beneath the new ones.
            card.hide()
            card.deleteLater()
        self.cards = {}
        shown = self._shown()
        for i, a in enumerate(shown):
            card = ThreadCard(a, self)
            self.list_layout.insertWidget(i, card)
            card.show()  # now, not on the queued show-if-not-hidden: focus can go there
            self.cards[a.id] = card
        self._update_labels(shown)
        self.scroll.verticalScrollBar().setValue(scroll)
        if focus_id:
            self._restore_focus(focus_id, focus_button, old_ids)

    def _restore_focus(self, ident: str, button: str, old_ids: list[str]) -> None:
        card = self.cards.get(ident)
        if card is None:  # filtered away: the thread that was after it, else before it
            at = old_ids.index(ident) if ident in old_ids else 0
            nearby = old_ids[at + 1 :] + old_ids[:at][::-1]
            card, button = next((self.cards[i] for i in nearby if i in self.cards), None), ""
        if card is None:
            self.filter.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        widget = card.reply_edit if button == "reply_edit" else card.buttons.get(button)
        if widget is None or not widget.isEnabled() or widget.isHidden():
            widget = next((b for b in card.buttons.values() if b.isEnabled()), card)
        if widget is card.reply_edit:
            card.reply_edit.moveCursor(QTextCursor.MoveOperation.End)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll.ensureWidgetVisible(card)

    def _update_labels(self, shown: list[Annotation]) -> None:
        mine = self._mine()
        open_n = sum(1 for a in mine if not a.resolved)
        self.counts.setText(f"{open_n} open · {len(mine) - open_n} resolved")
        filtered = {"open": "No open comments.", "resolved": "No resolved comments."}
        nothing = "No comments yet. Select text in the editor and add a comment."
        self.empty.setText(filtered.get(self.filter.currentData(), "") if mine else nothing)
        self.empty.setVisible(not shown)
        if not self.author:
            self._show_notice("Set your name in Preferences to reply to or resolve comments.")
        elif self.notice.text().startswith("Set your name"):
            self._show_notice("")
