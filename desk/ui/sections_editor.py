"""The ordered list of section editors; widgets are reused across reorders."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desk.model.article import Article
from desk.ui.section_editor import SectionEditor


class SectionsEditor(QWidget):
    bodyEdited = Signal(str, str)
    subheadingEdited = Signal(str, str)
    focused = Signal(str)
    requested = Signal(str, str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)
        self.editors: dict[str, SectionEditor] = {}
        self.current_id = ""
        self.focused.connect(lambda sid: setattr(self, "current_id", sid))

    def _make(self, article: Article, section_id: str) -> SectionEditor:
        ed = SectionEditor(article.section(section_id), self)
        ed.bodyEdited.connect(self.bodyEdited)
        ed.subheadingEdited.connect(self.subheadingEdited)
        ed.focused.connect(self.focused)
        ed.requested.connect(self.requested)
        return ed

    def set_article(self, article: Article) -> None:
        for ed in self.editors.values():
            ed.setParent(None)
            ed.deleteLater()
        self.editors = {}
        self.sync(article)

    def sync(self, article: Article) -> None:
        """Match the widgets to the article's sections: reuse, reorder, add, remove."""
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
        # tab order follows the visible order
        previous: QWidget | None = None
        for sid in wanted:
            ed = self.editors[sid]
            if previous is not None:
                QWidget.setTabOrder(previous, ed.subheading)
            QWidget.setTabOrder(ed.subheading, ed.body)
            previous = ed.body

    def editor(self, section_id: str) -> SectionEditor | None:
        return self.editors.get(section_id)

    def ordered_ids(self) -> list[str]:
        return sorted(self.editors, key=lambda sid: self._layout.indexOf(self.editors[sid]))
