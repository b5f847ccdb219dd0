"""The structured editor: header form, sections and images in one scrolling column."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from desk.model.article import Image
from desk.ui.editor.header_form import HeaderForm
from desk.ui.editor.images_panel import ImagesPanel
from desk.ui.editor.sections_editor import SectionsEditor
from desk.ui.editor.session import ArticleSession
from desk.ui.plain_text import plain

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap

MEDIA_TYPES = {
    b"jpeg": "image/jpeg",
    b"jpg": "image/jpeg",
    b"png": "image/png",
    b"gif": "image/gif",
    b"webp": "image/webp",
}
MAX_IMAGE_BYTES = 50 * 1024 * 1024


class ImageError(ValueError):
    pass


def read_image_file(path: str) -> tuple[bytes, str]:
    """The bytes and media type of a real image file, or a clear reason why not."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise ImageError(f"{p.name} is {size // 1_048_576} MB; the limit is 50 MB")
        data = p.read_bytes()
    except OSError as exc:
        raise ImageError(f"cannot read {p.name}: {exc.strerror}") from None
    from PySide6.QtGui import QImageReader  # imported on use: see main_window

    fmt = bytes(QImageReader.imageFormat(QByteArray(data[:64] + data[64:4096])) or b"")
    reader = QImageReader(str(p))
    fmt = bytes(reader.format()) or fmt
    if fmt not in MEDIA_TYPES or not reader.canRead():
        raise ImageError(f"{p.name} is not a JPEG, PNG, GIF or WebP image")
    return data, MEDIA_TYPES[fmt]


class ArticleEditor(QWidget):
    sectionFocused = Signal(str)
    assetsChanged = Signal()

    def __init__(self, session: ArticleSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.header = HeaderForm(session.profile)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

        self.header.changed.connect(lambda name, value: session.set_header(**{name: value}))
        self.sections.bodyEdited.connect(lambda sid, text: session.set_section_text(sid, body=text))
        self.sections.subheadingEdited.connect(
            lambda sid, text: session.set_section_text(sid, subheading=text)
        )
        self.sections.focused.connect(self._focused)
        self.sections.requested.connect(self._structural)
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

    def _structural(self, op: str, section_id: str, position: int) -> None:
        if op == "delete":
            from PySide6.QtWidgets import QMessageBox

            section = self.session.article.section(section_id)
            if (
                section.body.strip()
                and QMessageBox.question(
                    self,
                    "Delete section",
                    "Delete this section and its text?\n(It stays in the draft's history.)",
                )
                != QMessageBox.StandardButton.Yes
            ):
                return
        focus = self.session.structural(op, section_id, position)
        if focus:
            self.focus_section(focus, 0 if op in ("split", "add") else None)

    def focus_section(self, section_id: str, position: int | None = None) -> bool:
        ed = self.sections.editor(section_id)
        if ed is None:
            return False
        self.sections.current_id = section_id  # focus events wait for an active window
        ed.focus_at(ed.cursor_position() if position is None else position)
        self.scroll.ensureWidgetVisible(ed, 0, 40)
        return True

    def add_image_file(self, path: str) -> Image | None:
        try:
            data, media_type = read_image_file(path)
        except ImageError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Add image", plain(str(exc)))
            return None
        sha = self.session.store.add_blob(data, media_type)
        current = self.sections.current_id or (
            self.session.article.sections[0].id if self.session.article.sections else ""
        )
        image = Image(
            sha256=sha, filename=Path(path).name, media_type=media_type, section_id=current
        )
        self.session.article.images.append(image)
        self.images.set_article(self.session.article)
        self.assetsChanged.emit()
        self.session.images_changed()
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

    def current_section(self) -> str:
        return self.sections.current_id

    def restore_cursor(self, section_id: str, position: int) -> None:
        if not self.focus_section(section_id, position):
            self.header.headline.setFocus(Qt.FocusReason.OtherFocusReason)
