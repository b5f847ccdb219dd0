"""The article's images: alt text, caption, credit; a missing alt text is flagged."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.model.article import Article, Image
from desk.model.images import inline_shas

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap

IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.gif *.webp)"


class ImageRow(QFrame):
    changed = Signal()
    removeRequested = Signal(str)

    def __init__(
        self,
        image: Image,
        article: Article,
        thumbnail: QPixmap | None,
        parent: QWidget | None = None,
        inline: bool = False,
    ) -> None:
        super().__init__(parent)
        self.image = image
        self.inline = inline
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        thumb = QLabel()
        thumb.setFixedSize(96, 72)
        thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if thumbnail and not thumbnail.isNull():
            thumb.setPixmap(
                thumbnail.scaled(
                    96,
                    72,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            thumb.setText("no preview")
        row.addWidget(thumb)
        form = QFormLayout()
        self.alt = QLineEdit(
            image.alt, placeholderText="Describe the image for readers who cannot see it"
        )
        self.alt.setToolTip("Alt text is required before export")
        self.alt_warning = QLabel("⚠ Alt text missing")
        self.alt_warning.setObjectName("altWarning")
        self.alt_warning.setStyleSheet("color: #c0392b; font-weight: bold;")
        self.caption = QLineEdit(image.caption, placeholderText="Caption")
        self.credit = QLineEdit(image.credit, placeholderText="Photo: name / agency")
        self.place = QComboBox()
        self.place.setToolTip("The section this image follows")
        for i, s in enumerate(article.sections):
            label = s.subheading or (s.body.strip().split("\n")[0][:40] if s.body.strip() else "")
            self.place.addItem(f"After section {i + 1}: {label}", s.id)
        index = self.place.findData(image.section_id)
        self.place.setCurrentIndex(max(0, index))
        form.addRow("Alt text", self.alt)
        form.addRow("", self.alt_warning)
        form.addRow("Caption", self.caption)
        form.addRow("Credit", self.credit)
        form.addRow("Place", self.place)
        if inline:
            # Shown where the text says ![…](desk-asset:…); its words are in the text.
            note = QLabel("Shown in the text; write its alt text between the brackets of ![…]")
            note.setObjectName("inlineNote")
            note.setWordWrap(True)
            form.addRow("", note)
            for w in (self.alt, self.caption, self.credit, self.place):
                w.setEnabled(False)
        row.addLayout(form, 1)
        remove = QPushButton("Remove")
        remove.setToolTip("Remove this image from the article")
        remove.clicked.connect(lambda: self.removeRequested.emit(self.image.id))
        row.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
        for field in (self.alt, self.caption, self.credit):
            field.textEdited.connect(self._edited)
        self.place.currentIndexChanged.connect(self._edited)
        self._flag()

    def _flag(self) -> None:
        missing = not self.alt.text().strip() and not self.inline
        self.alt_warning.setVisible(missing)

    def _edited(self, *_args: object) -> None:
        self.image.alt = self.alt.text()
        self.image.caption = self.caption.text()
        self.image.credit = self.credit.text()
        self.image.section_id = self.place.currentData() or ""
        self._flag()
        self.changed.emit()


class ImagesPanel(QWidget):
    changed = Signal()
    addRequested = Signal(str)  # a file path chosen by the writer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        title = QLabel("<b>Images</b>")
        head.addWidget(title)
        head.addStretch(1)
        self.add_button = QPushButton("Add image…")
        self.add_button.setToolTip("Copy an image file into this draft")
        self.add_button.clicked.connect(self.choose_file)
        head.addWidget(self.add_button)
        layout.addLayout(head)
        self.rows_box = QVBoxLayout()
        layout.addLayout(self.rows_box)
        self.rows: list[ImageRow] = []
        self.article: Article | None = None
        self.thumbnail: Callable[[Image], QPixmap | None] = lambda _i: None

    def set_article(
        self, article: Article, thumbnail: Callable[[Image], QPixmap | None] | None = None
    ) -> None:
        self.article = article
        if thumbnail:
            self.thumbnail = thumbnail
        for r in self.rows:
            r.setParent(None)
            r.deleteLater()
        self.rows = []
        inline = inline_shas(article)
        for image in article.images:
            row = ImageRow(
                image, article, self.thumbnail(image), self, image.sha256.lower() in inline
            )
            row.changed.connect(self.changed)
            row.removeRequested.connect(self._remove)
            self.rows_box.addWidget(row)
            self.rows.append(row)

    def _remove(self, image_id: str) -> None:
        if self.article is None:
            return
        self.article.images = [i for i in self.article.images if i.id != image_id]
        self.set_article(self.article)
        self.changed.emit()

    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # built on use, not at start-up

        path, _ = QFileDialog.getOpenFileName(self, "Add image", "", IMAGE_FILTER)
        if path:
            self.addRequested.emit(path)

    def focus_image(self, image_id: str) -> bool:
        for r in self.rows:
            if r.image.id == image_id:
                r.alt.setFocus()
                return True
        return False
