"""The ordered list of section editors; widgets are reused across reorders.

A long draft's editors are built a few at a time once the first ones are on
screen: 166 section editors (a 50,000-word article) take most of a second to
build, and the writer sees only the first few at once. Each batch stops after
a few milliseconds, and none runs while the writer is typing, so opening a
long draft never holds up a keystroke.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desk.model.article import Article
from desk.ui.editor.section_editor import SectionEditor
from desk.ui.first_paint import after_first_paint


class SectionsEditor(QWidget):
    bodyEdited = Signal(str, str)
    subheadingEdited = Signal(str, str)
    focused = Signal(str)
    requested = Signal(str, str, int)
    ready = Signal()  # every section has its editor (after a deferred build)
    editorAdded = Signal(object)  # a SectionEditor just built

    #: Editors built at once when a draft opens: at most FIRST, and no more
    #: than hold about a screenful of text (FIRST_CHARS); the rest follow in
    #: batches after the first paint. One 300-word section already fills the
    #: space below the header form of a 900-pixel window.
    FIRST = 4
    FIRST_CHARS = 3000
    #: Seconds one deferred batch may take before it yields to the event loop.
    SLICE = 0.008
    #: The deferred build waits while the writer types: seconds since the last edit.
    IDLE = 0.3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)
        self.editors: dict[str, SectionEditor] = {}
        self.current_id = ""
        self.focused.connect(lambda sid: setattr(self, "current_id", sid))
        self._article: Article | None = None
        self._pending: list[str] = []  # section ids whose editors are still to build
        self._builder = QTimer(self, singleShot=True, interval=0)
        self._builder.timeout.connect(self._build_batch)
        self._last_edit = 0.0
        self.bodyEdited.connect(self._edited)
        self.subheadingEdited.connect(self._edited)
        self._painted = False  # the deferred build waits for the first paint
        after_first_paint(self, self._first_painted)

    def _first_painted(self) -> None:
        self._painted = True
        if self._pending:
            self._builder.start(0)

    def _make(self, article: Article, section_id: str) -> SectionEditor:
        ed = SectionEditor(article.section(section_id), self)
        ed.bodyEdited.connect(self.bodyEdited)
        ed.subheadingEdited.connect(self.subheadingEdited)
        ed.focused.connect(self.focused)
        ed.requested.connect(self.requested)
        self.editorAdded.emit(ed)
        return ed

    def set_article(self, article: Article) -> None:
        for ed in self.editors.values():
            ed.setParent(None)
            ed.deleteLater()
        self.editors = {}
        self._article = article
        ids = [s.id for s in article.sections]
        first, chars = 0, 0
        while first < min(self.FIRST, len(ids)) and (first == 0 or chars < self.FIRST_CHARS):
            section = article.sections[first]
            chars += len(section.body) + len(section.subheading) + 80  # + the editor's chrome
            first += 1
        self._pending = ids
        self._build_now(first)
        if self._pending and self._painted:
            self._builder.start(0)

    def _append(self, ids: list[str], order: bool = True) -> None:
        assert self._article is not None
        total = len(self._article.sections)
        present = {s.id for s in self._article.sections}
        for sid in ids:
            if sid not in present:
                continue  # merged away or deleted before its editor was built
            index = self._article.section_index(sid)
            ed = self.editors[sid] = self._make(self._article, sid)
            self._layout.addWidget(ed)
            ed.set_position_state(index == 0, index == total - 1, total == 1)
        if order:
            self._tab_order([s.id for s in self._article.sections if s.id in self.editors])

    def _edited(self, *_args: object) -> None:
        self._last_edit = time.perf_counter()

    def _build_batch(self) -> None:
        assert self._article is not None
        quiet = time.perf_counter() - self._last_edit
        if quiet < self.IDLE:  # a writer typing comes first; build in the next pause
            self._builder.start(int((self.IDLE - quiet) * 1000) + 1)
            return
        deadline = time.perf_counter() + self.SLICE
        while self._pending:
            self._append([self._pending.pop(0)], order=False)
            if time.perf_counter() >= deadline:
                break
        self._build_now(0)  # the tab order, and `ready` once none is left
        if self._pending:
            self._builder.start(0)

    def _build_now(self, count: int) -> None:
        """Build the next ``count`` waiting editors at once."""
        now, self._pending = self._pending[:count], self._pending[count:]
        self._append(now)
        if not self._pending:
            self._builder.stop()
            self.ready.emit()

    def finish(self) -> None:
        """Build every editor still waiting (before a structural change, or a jump)."""
        if self._pending:
            self._build_now(len(self._pending))

    def _tab_order(self, ids: list[str]) -> None:
        previous: QWidget | None = None
        for sid in ids:
            ed = self.editors[sid]
            if previous is not None:
                QWidget.setTabOrder(previous, ed.subheading)
            QWidget.setTabOrder(ed.subheading, ed.body)
            previous = ed.body

    def sync(self, article: Article) -> None:
        """Match the widgets to the article's sections: reuse, reorder, add, remove."""
        self.finish()
        self._article = article
        wanted = [s.id for s in article.sections]
        for sid in [sid for sid in self.editors if sid not in wanted]:
            ed = self.editors.pop(sid)
            ed.setParent(None)
            ed.deleteLater()
        for index, section in enumerate(article.sections):
            ed = self.editors.get(section.id)
            if ed is None:
                ed = self.editors[section.id] = self._make(article, section.id)
            else:
                ed.update_from(section)
            if self._layout.indexOf(ed) != index:
                self._layout.insertWidget(index, ed)
            ed.set_position_state(index == 0, index == len(wanted) - 1, len(wanted) == 1)
        self._tab_order(wanted)

    def editor(self, section_id: str) -> SectionEditor | None:
        """The section's editor, built now (with those before it) if still waiting."""
        if section_id not in self.editors and section_id in self._pending:
            self._build_now(self._pending.index(section_id) + 1)
        return self.editors.get(section_id)

    def ordered_ids(self) -> list[str]:
        return sorted(self.editors, key=lambda sid: self._layout.indexOf(self.editors[sid]))
