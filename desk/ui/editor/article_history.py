"""One undo history for the whole article: typing in any field, and section edits.

A writer thinks of the article as one document, so Ctrl+Z takes back the
last thing done to it, wherever that was: a word typed in a section, the
headline (and the slug that followed it), a section deleted, moved, split or
merged. Each field's own Qt undo is switched off and its undo keys come here,
so the two never disagree about what the text was.

Typing is recorded as the field's text before and after, never as a copy of
the article: a keystroke costs two string comparisons, whatever the length of
the draft. A structural edit records the sections' order and texts (shared
strings, not copies), so undo puts back exactly what was there, with the same
section ids, and autosave writes it like any other edit.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from desk.model import editing
from desk.ui.editor.session import HEADER_FIELDS

if TYPE_CHECKING:
    from desk.ui.editor.article_editor import ArticleEditor

#: Seconds without typing after which the next keystroke starts a new undo step.
PAUSE = 1.0
#: Fields whose values are not plain text: consecutive edits merge by time alone.
_MERGE_BY_TIME = ("dateline", "tags")
LABELS = {
    "add": "Add Section",
    "delete": "Delete Section",
    "up": "Move Section",
    "down": "Move Section",
    "move_to": "Move Section",
    "split": "Split Section",
    "merge": "Merge Sections",
}
#: Edits that remove text from view take a revision first, so History has it too.
REVISION_BEFORE = {"delete": "before deleting a section", "merge": "before merging sections"}
_FIELD_PROPERTY = "deskArticleUndo"


class _FieldEdit(QUndoCommand):
    """One field's edit: its text change, and the values that followed it (the slug).

    Text is kept as the change alone (position, removed, inserted), not as
    the field before and after: a long session of typing in a long section
    would otherwise keep two copies of that section per undo step.
    """

    def __init__(
        self,
        history: ArticleHistory,
        field: str,
        change: editing.Change | None,
        before: dict[str, object],
        after: dict[str, object],
        new_run: bool,
    ) -> None:
        super().__init__("Typing")
        self.history = history
        self.field = field
        self.span = change  # the whole step's change of the field's text
        self.last = change  # the last keystroke's: does the next one extend it?
        self.before = before  # other values, and the field's own when it is not text
        self.after = after
        self.new_run = new_run
        self.at = time.monotonic()
        self._applied = True  # pushed after the edit happened

    def id(self) -> int:
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, _FieldEdit)
            or other.new_run
            or other.field != self.field
            or other.at - self.at > PAUSE
        ):
            return False
        if self.span is not None and self.last is not None and other.last is not None:
            if not editing.continues_typing(self.last, other.last):
                return False
            self.span = editing.join_changes(self.span, other.last)
        elif self.field not in _MERGE_BY_TIME:
            return False
        for name, value in other.before.items():
            self.before.setdefault(name, value)
        self.after.update(other.after)
        self.last, self.at = other.last, other.at
        return True

    def _values(self, undo: bool) -> dict[str, object]:
        values = dict(self.before if undo else self.after)
        if self.span is not None:
            position, removed, inserted = self.span
            if undo:
                removed, inserted = inserted, removed
            text = str(self.history._value(self.field) or "")
            values[self.field] = text[:position] + inserted + text[position + len(removed) :]
        return values

    def undo(self) -> None:
        self.history._apply(self.field, self._values(undo=True))

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.history._apply(self.field, self._values(undo=False))


class _StructureEdit(QUndoCommand):
    def __init__(
        self,
        history: ArticleHistory,
        label: str,
        before: editing.SectionsState,
        after: editing.SectionsState,
        focus_before: tuple[str, int],
        focus_after: tuple[str, int],
    ) -> None:
        super().__init__(label)
        self.history = history
        self.before, self.after = before, after
        self.focus_before, self.focus_after = focus_before, focus_after
        self._applied = True

    def undo(self) -> None:
        self.history._restore(self.before, self.focus_before)

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.history._restore(self.after, self.focus_after)


class _UndoKeys(QObject):
    """Sends a text field's undo and redo keys to the article's history."""

    def __init__(self, history: ArticleHistory) -> None:
        super().__init__(history.editor)
        self.history = history

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo):
                self.history.undo()
                return True
            if event.matches(QKeySequence.StandardKey.Redo) or (
                event.key() == Qt.Key.Key_Z
                and event.modifiers()
                == Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
            ):
                self.history.redo()
                return True
        return False


class ArticleHistory(QObject):
    """The undo stack of the open article, fed by the editor's fields and section buttons."""

    def __init__(self, editor: ArticleEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.session = editor.session
        self.stack = QUndoStack(self)
        self._keys = _UndoKeys(self)
        self._applying = False
        self._new_run = True
        self._actions: tuple[QAction, QAction] | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    # --- what the editor reports ----------------------------------------------------

    def adopt(self, *widgets: QWidget) -> None:
        """Route these fields' undo keys here and switch off their own history."""
        for w in widgets:
            if isinstance(w, QPlainTextEdit):
                w.setUndoRedoEnabled(False)
            w.setProperty(_FIELD_PROPERTY, True)
            w.installEventFilter(self._keys)

    @staticmethod
    def owns(widget: QWidget | None) -> bool:
        return widget is not None and bool(widget.property(_FIELD_PROPERTY))

    def header_edited(self, values: dict[str, object]) -> None:
        if self._applying:
            return
        a = self.session.article
        field = next(iter(values))
        before = {name: getattr(a, name) for name in values}
        self.session.set_header(**values)
        self._push_typing(field, before, dict(values))

    def section_edited(self, section_id: str, part: str, text: str) -> None:
        if self._applying:
            return
        section = self.session.article.section(section_id)
        field = f"{part}:{section_id}"
        before: dict[str, object] = {field: getattr(section, part)}
        self.session.set_section_text(section_id, **{part: text})
        self._push_typing(field, before, {field: text})

    def _push_typing(self, field: str, before: dict[str, object], after: dict[str, object]) -> None:
        old, new = before[field], after[field]
        change = None
        if isinstance(old, str) and isinstance(new, str):
            change = editing.text_change(old, new)
            del before[field], after[field]
        self.stack.push(_FieldEdit(self, field, change, before, after, self._new_run))
        self._new_run = False

    def structural(self, op: str, section_id: str, position: int = 0) -> str | None:
        """Do a section edit as one undo step; returns the section the cursor goes to."""
        a = self.session.article
        before = editing.sections_state(a)
        if op in REVISION_BEFORE:
            section = a.section(section_id)
            if op == "merge" or section.body.strip() or section.subheading.strip():
                self.session.keep_revision(REVISION_BEFORE[op])
        focus = self.session.structural(op, section_id, position)
        after = editing.sections_state(a)
        if after != before:
            landing = (focus or section_id, 0 if op in ("split", "add") else position)
            self.stack.push(
                _StructureEdit(self, LABELS[op], before, after, (section_id, position), landing)
            )
        self._new_run = True
        return focus

    def _focus_moved(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self._new_run = True  # typing in another field (or back again) is a new step

    # --- undo and redo ----------------------------------------------------------------

    def undo(self) -> None:
        self.stack.undo()

    def redo(self) -> None:
        self.stack.redo()

    def name_actions(self, undo: QAction, redo: QAction) -> None:
        """Edit ▸ Undo says what it takes back: "Undo Typing", "Undo Delete Section"."""
        self._actions = (undo, redo)
        self.stack.indexChanged.connect(self._name_actions)
        self._name_actions()

    def _name_actions(self, _index: int = 0) -> None:
        if self._actions is None:
            return
        undo, redo = self._actions
        undo.setText(" ".join(("&Undo", self.stack.undoText())).strip())
        redo.setText(" ".join(("&Redo", self.stack.redoText())).strip())

    def _apply(self, field: str, values: dict[str, object]) -> None:
        a = self.session.article
        if field != "slug" and "slug" in values and self.session.slug_fixed():
            values.pop("slug")  # fixed since it followed the headline: links point to it now
        current = self._value(field)
        self._applying = True
        try:
            header = {k: v for k, v in values.items() if k in HEADER_FIELDS}
            if header:
                self.session.set_header(**header)
                self.editor.header.show_values(header)
            for key, value in values.items():
                if ":" not in key:
                    continue
                part, section_id = key.split(":", 1)
                if not any(s.id == section_id for s in a.sections):
                    continue
                self.session.set_section_text(section_id, **{part: value})
                ed = self.editor.sections.editor(section_id)
                if ed is not None:
                    ed.update_from(a.section(section_id))
        finally:
            self._applying = False
        target = values.get(field)
        cursor: int | None = None  # a date or a tag list: focus the field, leave its cursor
        if isinstance(current, str) and isinstance(target, str):
            position, _removed, inserted = editing.text_change(current, target)
            cursor = position + len(inserted)
        self._put_cursor(field, cursor)
        self._new_run = True

    def _value(self, field: str) -> object:
        a = self.session.article
        if ":" not in field:
            return getattr(a, field)
        part, section_id = field.split(":", 1)
        try:
            return getattr(a.section(section_id), part)
        except KeyError:
            return None

    def _put_cursor(self, field: str, position: int | None) -> None:
        if ":" in field:
            part, section_id = field.split(":", 1)
            ed = self.editor.sections.editor(section_id)
            if ed is None:
                return
            if part == "body":
                self.editor.focus_section(section_id, position)
                return
            widget: QWidget | None = ed.subheading
        else:
            widget = self.editor.header.text_field(field)
        if widget is None:
            return
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if position is None:
            return
        if isinstance(widget, QLineEdit):
            widget.setCursorPosition(position)
        elif isinstance(widget, QPlainTextEdit):
            cursor = widget.textCursor()
            cursor.setPosition(max(0, min(position, len(widget.toPlainText()))))
            widget.setTextCursor(cursor)

    def _restore(self, state: editing.SectionsState, focus: tuple[str, int]) -> None:
        self._applying = True
        try:
            self.session.restore_sections(state)
        finally:
            self._applying = False
        section_id, position = focus
        ids = [s.id for s in self.session.article.sections]
        if section_id not in ids and ids:
            section_id, position = ids[0], 0
        if section_id:
            self.editor.focus_section(section_id, position)
        self._new_run = True
