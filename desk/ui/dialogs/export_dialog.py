"""Export: the checklist first, then a publish-ready bundle written where the writer says."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desk.model.article import Article
from desk.model.site import SiteProfile
from desk.model.validation import Finding, Level, blocking
from desk.store.db import StoreError
from desk.store.drafts import DraftStore

#: Qt's own message-box icons: drawn by the style, so never an empty box for a
#: missing emoji font.
ICONS = {
    Level.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Level.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
}


def error_color(palette: QPalette) -> QColor:
    """A red that keeps WCAG AA contrast on the list's background, light or dark."""
    dark = palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5
    return QColor("#ff8a80" if dark else "#b3261e")


class ExportDialog(QDialog):
    jumpRequested = Signal(str)  # a finding's field: the editor goes there

    def __init__(
        self,
        article: Article,
        profile: SiteProfile,
        store: DraftStore,
        open_comments: int,
        destination: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from desk.export.checklist import run_checklist

        self.setWindowTitle(f"Export “{article.headline or 'Untitled'}”")
        self.resize(640, 480)
        self.article, self.profile, self.store = article, profile, store
        self.open_comments = open_comments
        self.result_folder: Path | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Before publishing</b> — double-click an item to fix it:"))
        self.findings: list[Finding] = run_checklist(article, profile, store, open_comments)
        self.checklist = QListWidget()
        red = error_color(self.checklist.palette())
        # What blocks the export comes first, in red and bold: a writer reads it first.
        for f in sorted(self.findings, key=lambda f: f.level is not Level.ERROR):
            item = QListWidgetItem(self.style().standardIcon(ICONS[f.level]), f.message)
            blocks = f.level is Level.ERROR
            item.setToolTip(
                f"{'Blocks the export' if blocks else 'Worth a look'}; double-click to go "
                f"to {f.field}"
            )
            item.setData(256, f.field)
            if blocks:
                item.setForeground(red)
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.checklist.addItem(item)
        if not self.findings:
            ok = self.style().standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
            self.checklist.addItem(QListWidgetItem(ok, "Everything checks out."))
        self.checklist.itemActivated.connect(self._jump)
        layout.addWidget(self.checklist, 1)
        row = QHBoxLayout()
        self.destination = QLineEdit(destination)
        self.destination.setToolTip("The bundle is written into this folder, named after the slug")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row.addWidget(QLabel("Folder"))
        row.addWidget(self.destination, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.zip = QCheckBox("Also write a .zip of the bundle")
        layout.addWidget(self.zip)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # messages quote folder names
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("Open folder")
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(self._open_result)
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        blocked = blocking(self.findings)
        self.export_button.setEnabled(not blocked)
        if blocked:
            n = len(blocked)
            self.status.setText(f"{n} problem{'s' if n > 1 else ''} must be fixed before export.")
            self.status.setStyleSheet(f"color: {red.name()}; font-weight: bold;")
        self.export_button.clicked.connect(self.export)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def _jump(self, item: QListWidgetItem) -> None:
        field = item.data(256)
        if field:
            self.jumpRequested.emit(field)
            self.reject()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", self.destination.text())
        if folder:
            self.destination.setText(folder)

    def _progress(self, done: int, total: int, label: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.status.setText(label)
        QApplication.processEvents()  # keep the bar moving during large images

    def export(self) -> bool:
        from desk.export.bundle import ExportError, export_article

        out = Path(self.destination.text().strip() or ".").expanduser()
        self.progress.setVisible(True)
        self.export_button.setEnabled(False)
        try:
            result = export_article(
                self.article,
                self.profile,
                self.store,
                out,
                make_zip=self.zip.isChecked(),
                open_comments=self.open_comments,
                progress=self._progress,
            )
        except (ExportError, StoreError, OSError, ValueError) as exc:
            self.status.setText(f"Export failed: {exc}")
            self.export_button.setEnabled(True)
            return False
        self.result_folder = result.folder
        self.progress.setValue(self.progress.maximum())
        self.status.setText(f"Exported to {result.folder}\nIPFS: ipfs://{result.cid}")
        self.open_button.setVisible(True)
        return True

    def _open_result(self) -> None:
        if self.result_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_folder)))
