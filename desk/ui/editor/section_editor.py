"""One section: an optional subheading and a Markdown body that grows with its text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk.model.article import Section
from desk.ui.editor.fit_height import fit_to_text
from desk.ui.editor.image_drop import ImageDropMixin

BUTTONS = (
    # op, text, tooltip, shortcut (active while the section has focus)
    ("up", "↑", "Move this section up (Alt+Up)", "Alt+Up"),
    ("down", "↓", "Move this section down (Alt+Down)", "Alt+Down"),
    ("split", "✂", "Split this section at the cursor (Ctrl+Shift+Return)", "Ctrl+Shift+Return"),
    ("merge", "⤓", "Merge the next section into this one (Ctrl+Shift+M)", "Ctrl+Shift+M"),
    ("add", "+", "Add a section after this one (Ctrl+Return)", ""),
    ("delete", "✕", "Delete this section (Ctrl+Shift+Delete)", "Ctrl+Shift+Delete"),
)


#: Keys of the window's Format menu that Qt's text editing would keep for itself
#: (on Linux Ctrl+K deletes to the end of the line).
FORMAT_KEYS = ("Ctrl+B", "Ctrl+I", "Ctrl+K")


class BodyEdit(ImageDropMixin, QPlainTextEdit):
    """A plain-text Markdown editor without its own scrollbar: the article scrolls.

    Its right-click menu is Qt's (undo, copy, paste…) followed by the actions
    the article editor carries (comment, format, section operations), so the
    menu offers what the window's menus do, next to the words. Images dropped
    or pasted into it join the article (see image_drop).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self._fit()

    def _fit(self, *_args: object) -> None:
        if self.isVisible():  # sized on show, once the width (and so the wrapping) is known
            fit_to_text(self, min_lines=3)

    def resizeEvent(self, event: QEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and any(
            QKeySequence(event.keyCombination()) == QKeySequence(k) for k in FORMAT_KEYS
        ):
            event.ignore()  # the shortcut, not the text edit, gets the key
            return False
        return super().event(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        owner = self.parentWidget()
        while owner is not None and not owner.actions():
            owner = owner.parentWidget()
        if owner is not None:
            menu.addSeparator()
            menu.addActions(owner.actions())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())  # not exec(): no nested event loop under the writer


class SectionEditor(QFrame):
    bodyEdited = Signal(str, str)
    subheadingEdited = Signal(str, str)
    focused = Signal(str)
    requested = Signal(str, str, int)  # op, section id, argument (cursor position)

    def __init__(self, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section_id = section.id
        self.setObjectName("sectionEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        top = QHBoxLayout()
        self.subheading = QLineEdit(section.subheading, placeholderText="Subheading (optional)")
        self.subheading.setToolTip("Shown as a section heading on the page; leave empty for none")
        font = self.subheading.font()
        font.setBold(True)
        self.subheading.setFont(font)
        top.addWidget(self.subheading, 1)
        self.buttons: dict[str, QToolButton] = {}
        for op, text, tip, shortcut in BUTTONS:
            b = QToolButton(text=text, toolTip=tip, autoRaise=True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys reach them through shortcuts
            b.clicked.connect(lambda _c=False, o=op: self._request(o))
            top.addWidget(b)
            self.buttons[op] = b
            if shortcut:  # "add" is the window's action, so it works from anywhere
                sc = QShortcut(
                    QKeySequence(shortcut),
                    self,
                    context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
                )
                sc.activated.connect(lambda o=op: self._request(o))
        layout.addLayout(top)
        self.body = BodyEdit()
        self.body.setPlaceholderText(
            "Write in Markdown: blank line between paragraphs, "
            "**bold**, *italic*, [link](https://…)"
        )
        self.body.setPlainText(section.body)
        layout.addWidget(self.body)
        try:
            from desk.ui.editor.markdown_highlighter import MarkdownHighlighter

            self.highlighter = MarkdownHighlighter(self.body.document())
        except ImportError:  # highlighting is a comfort, never a reason not to edit
            self.highlighter = None
        self._last_body = section.body
        self.body.textChanged.connect(self._body_changed)
        self.subheading.textEdited.connect(lambda t: self.subheadingEdited.emit(self.section_id, t))
        for w in (self.body, self.subheading):
            w.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self.focused.emit(self.section_id)
        return False

    def _body_changed(self) -> None:
        # textChanged also fires for formatting-only changes (the highlighter);
        # only real text changes are edits.
        text = self.body.toPlainText()
        if text != self._last_body:
            self._last_body = text
            self.bodyEdited.emit(self.section_id, text)

    def _request(self, op: str) -> None:
        self.requested.emit(op, self.section_id, self.body.textCursor().position())

    def set_position_state(self, first: bool, last: bool, only: bool) -> None:
        self.buttons["up"].setEnabled(not first)
        self.buttons["down"].setEnabled(not last)
        self.buttons["merge"].setEnabled(not last)
        self.buttons["delete"].setEnabled(not only)

    def update_from(self, section: Section) -> None:
        """Show text changed elsewhere (split/merge) without touching an unchanged field."""
        if self.subheading.text() != section.subheading:
            self.subheading.setText(section.subheading)
        if self.body.toPlainText() != section.body:
            self._last_body = section.body
            self.body.setPlainText(section.body)

    def focus_at(self, position: int = 0) -> None:
        cursor = self.body.textCursor()
        cursor.setPosition(max(0, min(position, len(self.body.toPlainText()))))
        self.body.setTextCursor(cursor)
        self.body.setFocus(Qt.FocusReason.OtherFocusReason)

    def cursor_position(self) -> int:
        return self.body.textCursor().position()

    def select(self, start: int, end: int) -> None:
        cursor = self.body.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.body.setTextCursor(cursor)
