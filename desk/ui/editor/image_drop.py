"""Dropping or pasting an image into a section body.

Qt sends both a drop and a paste through ``insertFromMimeData``, so one
override serves the two. The image's bytes go into the draft store, the image
joins the article's images, and the body gets ``![](desk-asset:<sha256>)``
where the drop or the cursor was, with the cursor left between the brackets
so the writer types the alt text straight away (the checklist flags it until
then). Anything that is not an image keeps Qt's ordinary behaviour.

Section editors are made by the sections list, which is not ours to change;
the editor that owns the article is found up the widget tree instead, the
way Qt itself hands events to parents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData
from PySide6.QtGui import QImage, QPixmap, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

if TYPE_CHECKING:
    from desk.model.article import Image


class ImageTarget(Protocol):
    def add_image_data(
        self, data: bytes, name: str, section_id: str, inline: bool = False
    ) -> Image | None: ...
    def add_image_path(self, path: str, section_id: str, inline: bool = False) -> Image | None: ...


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def local_files(mime: QMimeData) -> list[str]:
    """The local files a drop or paste carries (a file manager copies URLs, not bytes)."""
    if not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


def carries_image(mime: QMimeData) -> bool:
    """Files, or a picture with no words: a spreadsheet or word processor copies a
    selection as text *and* as a picture of it, and then the writer wants the text."""
    if local_files(mime):
        return True
    return mime.hasImage() and not mime.text().strip()


class ImageDropMixin:
    """For a QPlainTextEdit inside a section editor: images dropped or pasted become assets."""

    def _image_target(self) -> tuple[ImageTarget, str] | None:
        widget: QWidget | None = self.parentWidget()  # type: ignore[attr-defined]
        section_id = ""
        while widget is not None:
            if not section_id:
                section_id = getattr(widget, "section_id", "") or ""
            if hasattr(widget, "add_image_data") and section_id:
                return widget, section_id  # type: ignore[return-value]
            widget = widget.parentWidget()
        return None

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if carries_image(source) and self._image_target() is not None:
            return True
        return QPlainTextEdit.canInsertFromMimeData(self, source)  # type: ignore[arg-type]

    def insertFromMimeData(self, source: QMimeData) -> None:
        found = self._image_target() if carries_image(source) else None
        if found is None:
            QPlainTextEdit.insertFromMimeData(self, source)  # type: ignore[arg-type]
            return
        target, section_id = found
        images: list[Image | None] = []
        files = local_files(source)
        if files:
            images = [target.add_image_path(path, section_id, inline=True) for path in files]
        else:
            picture = source.imageData()
            if isinstance(picture, QPixmap):
                picture = picture.toImage()
            if not isinstance(picture, QImage) or picture.isNull():
                QPlainTextEdit.insertFromMimeData(self, source)  # type: ignore[arg-type]
                return
            data = _png_bytes(picture)
            images = [target.add_image_data(data, "pasted image.png", section_id, inline=True)]
        refs = [f"![](desk-asset:{img.sha256})" for img in images if img is not None]
        if not refs:
            return  # the target said why; the text is untouched
        cursor: QTextCursor = self.textCursor()  # type: ignore[attr-defined]
        cursor.insertText("\n\n".join(refs))
        # between the last image's brackets, ready for its alt text
        cursor.setPosition(cursor.position() - len(refs[-1]) + 2)
        self.setTextCursor(cursor)  # type: ignore[attr-defined]
