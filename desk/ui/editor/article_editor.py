"""The structured editor: header form, sections and images in one scrolling column."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from desk.model.article import Image
from desk.store.image_files import ImageError, check_image_bytes, read_image_file
from desk.ui.editor.article_history import ArticleHistory
from desk.ui.editor.header_form import HeaderForm
from desk.ui.editor.images_panel import ImagesPanel
from desk.ui.editor.sections_editor import SectionsEditor
from desk.ui.editor.session import ArticleSession
from desk.ui.plain_text import plain

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap


class ArticleEditor(QWidget):
    sectionFocused = Signal(str)
    assetsChanged = Signal()

    def __init__(self, session: ArticleSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.header = HeaderForm(session.profile, slug_fixed=session.slug_fixed)
        self.sections = SectionsEditor()
        self.images = ImagesPanel()
        column = QWidget()
        col = QVBoxLayout(column)
        col.setContentsMargins(12, 12, 12, 12)
        col.addWidget(self.header)
        label = QLabel("<b>Sections</b>")
        col.addWidget(label)
        col.addWidget(self.sections)
        col.addSpacing(12)
        col.addWidget(self.images)
        col.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(column)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # The column never scrolls sideways: it is never narrower than its fields
        # need, and the window's other panels give way (see window_layout).
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(
            column.minimumSizeHint().width() + self.scroll.verticalScrollBar().sizeHint().width()
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

        self.history = ArticleHistory(self)
        h = self.header
        self.history.adopt(
            h.headline, h.slug, h.city, h.region, h.date, h.category, h.byline, h.standfirst, h.tags
        )
        self.header.changed.connect(self.history.header_edited)
        self.sections.bodyEdited.connect(
            lambda sid, text: self.history.section_edited(sid, "body", text)
        )
        self.sections.subheadingEdited.connect(
            lambda sid, text: self.history.section_edited(sid, "subheading", text)
        )
        self.sections.editorAdded.connect(lambda ed: self.history.adopt(ed.subheading, ed.body))
        self.sections.focused.connect(self._focused)
        self.sections.requested.connect(self.structural)
        self.images.changed.connect(session.images_changed)
        self.images.addRequested.connect(self.add_image_file)
        session.structureChanged.connect(lambda: self.sections.sync(session.article))

        self.header.set_article(session.article)
        self.sections.set_article(session.article)
        self.images.set_article(session.article, self._thumbnail)

    def _thumbnail(self, image: Image) -> QPixmap | None:
        from PySide6.QtGui import QPixmap

        pix = QPixmap()
        try:
            pix.loadFromData(self.session.store.blob(image.sha256))
        except Exception:  # a missing blob shows "no preview", the text still edits
            return None
        return pix

    def _focused(self, section_id: str) -> None:
        self.sectionFocused.emit(section_id)
        ed = self.sections.editor(section_id)
        if ed is not None:
            QTimer.singleShot(0, lambda: self.scroll.ensureWidgetVisible(ed, 0, 40))

    def structural(self, op: str, section_id: str, position: int = 0) -> None:
        """A section button or shortcut: one undo step, and the cursor where the writer expects."""
        if op == "delete":
            from PySide6.QtWidgets import QMessageBox

            section = self.session.article.section(section_id)
            if (
                section.body.strip()
                and QMessageBox.question(
                    self,
                    "Delete section",
                    "Delete this section and its text?\n"
                    "Edit ▸ Undo (Ctrl+Z) brings it back; File ▸ History keeps it too.",
                )
                != QMessageBox.StandardButton.Yes
            ):
                return
        focus = self.history.structural(op, section_id, position)
        if focus:
            self.focus_section(focus, 0 if op in ("split", "add") else None)

    def section_operation(self, op: str) -> None:
        """A Section menu entry: press the current section's own tool button, so
        menu, keys and buttons share one path (and its enabled state)."""
        sections = self.session.article.sections
        sid = self.current_section() or (sections[0].id if sections else "")
        ed = self.sections.editor(sid) if sid else None
        if ed is not None:
            ed.buttons[op].click()

    def format_selection(self, operation: str) -> bool:
        """Bold, italic or link in the section body that has the focus; False
        when the focus is elsewhere (the header's fields are plain text)."""
        from PySide6.QtWidgets import QApplication

        from desk.ui.editor.formatting import apply

        focus = QApplication.focusWidget()
        ed = next((e for e in self.sections.editors.values() if e.body is focus), None)
        if ed is None:
            return False
        cursor = ed.body.textCursor()
        apply(cursor, operation)
        ed.body.setTextCursor(cursor)
        return True

    def focus_section(self, section_id: str, position: int | None = None) -> bool:
        ed = self.sections.editor(section_id)
        if ed is None:
            return False
        self.sections.current_id = section_id  # focus events wait for an active window
        ed.focus_at(ed.cursor_position() if position is None else position)
        self.scroll.ensureWidgetVisible(ed, 0, 40)
        return True

    def add_image_file(self, path: str) -> Image | None:
        """Edit ▸ Add Image: a figure after the current section."""
        current = self.sections.current_id or (
            self.session.article.sections[0].id if self.session.article.sections else ""
        )
        return self.add_image_path(path, current)

    def add_image_path(self, path: str, section_id: str, inline: bool = False) -> Image | None:
        """A file from the dialog or a drop; refused with a message when it is no image.

        ``inline`` images are about to be referenced from the body text (a
        drop or paste): the cursor stays in the text, and the images panel is
        refreshed once the reference is there, to show them as in the text.
        """
        try:
            data, media_type = read_image_file(path)
        except ImageError as exc:
            return self._refuse_image(str(exc))
        return self._add_image(data, media_type, Path(path).name, section_id, inline)

    def add_image_data(
        self, data: bytes, name: str, section_id: str, inline: bool = False
    ) -> Image | None:
        """Bytes pasted from the clipboard; refused with a message when they are no image."""
        try:
            media_type = check_image_bytes(data, name)
        except ImageError as exc:
            return self._refuse_image(str(exc))
        return self._add_image(data, media_type, name, section_id, inline)

    def _refuse_image(self, reason: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, "Add image", plain(f"The image was not added: {reason}."))

    def _add_image(
        self, data: bytes, media_type: str, name: str, section_id: str, inline: bool
    ) -> Image:
        sha = self.session.store.add_blob(data, media_type)
        image = Image(sha256=sha, filename=name, media_type=media_type, section_id=section_id)
        self.session.article.images.append(image)
        self.assetsChanged.emit()
        self.session.images_changed()
        if inline:
            QTimer.singleShot(0, lambda: self.images.set_article(self.session.article))
        else:
            self.images.set_article(self.session.article)
            self.images.focus_image(image.id)
        return image

    def focus_field(self, field: str) -> bool:
        """Jump to a checklist finding's field: header names, section:<id>, image:<id>."""
        if field.startswith("section:"):
            return self.focus_section(field.split(":", 1)[1])
        if field.startswith("image:"):
            ok = self.images.focus_image(field.split(":", 1)[1])
            self.scroll.ensureWidgetVisible(self.images)
            return ok
        if field == "body" and self.session.article.sections:
            return self.focus_section(self.session.article.sections[0].id)
        return self.header.focus_field(field)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab goes round the form (see :mod:`desk.ui.editor.tab_cycle`), never out of it."""
        from desk.ui.editor.tab_cycle import form_stops, step_focus

        # Editors still being built after opening a long draft join the cycle once built.
        built = self.sections.editors
        pairs = [(built[sid].subheading, built[sid].body) for sid in self.sections.ordered_ids()]
        if step_focus(form_stops(self.header, pairs, self.images), next):
            return True
        return super().focusNextPrevChild(next)

    def current_section(self) -> str:
        return self.sections.current_id

    def restore_cursor(self, section_id: str, position: int) -> None:
        if not self.focus_section(section_id, position):
            self.header.headline.setFocus(Qt.FocusReason.OtherFocusReason)
