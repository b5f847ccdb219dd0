"""The File-menu actions that move a draft out of or into this laptop.

Export, open a review package and the history dialog each need a file
chooser, a store call and a report; kept here so the main window only wires
them (sending for review is a status move: see ``status_moves``). Their Qt
dialog classes are imported on use, so start-up does not build them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desk.store.db import StoreError
from desk.ui.plain_text import plain

if TYPE_CHECKING:
    from desk.review.package import ImportReport
    from desk.ui.main_window import MainWindow

PACKAGE_FILTER = "Desk review packages (*.deskreview)"


class ReviewActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def _ready(self) -> bool:
        return bool(self.w.session) and self.w.flush()

    def export(self) -> None:
        from desk.ui.dialogs.export_dialog import ExportDialog

        if not self._ready():
            return
        w = self.w
        assert w.session is not None
        folder = w.settings.value("export/folder", str(Path.home() / "Desk exports"))
        dialog = ExportDialog(
            w.session.article, w.profile, w.store, w.review.open_count(), str(folder), w
        )
        dialog.jumpRequested.connect(lambda field: w.editor and w.editor.focus_field(field))
        dialog.exec()
        if dialog.result_folder:
            w.settings.setValue("export/folder", dialog.destination.text())

    def open_review_package(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from desk.review.package import PackageError, open_review_package

        w = self.w
        if w.session and not w.flush():
            return
        path, _ = QFileDialog.getOpenFileName(
            w, "Open review package", str(Path.home()), PACKAGE_FILTER
        )
        if not path:
            return
        try:
            report = open_review_package(
                w.store, Path(path), author=w.prefs.writer_name, role=w.prefs.role
            )
        except (PackageError, OSError) as exc:
            QMessageBox.warning(w, "Open review package", plain(f"Nothing was imported: {exc}"))
            return
        w.drafts.refresh()
        if w.session:
            w.session.unsaved = False
        w.open_article(w.store.load(report.article_id))
        QMessageBox.information(w, "Review package", plain(report.message or "Imported."))
        if report.local_revision and report.incoming_revision:
            self.review_changes(report)

    def review_changes(self, report: ImportReport) -> None:
        """Each change of a merged package with its author, to accept or reject one by one."""
        from desk.review.three_way import article_changes, field_value, set_field
        from desk.ui.review.merge_dialog import MergeDialog

        w = self.w
        assert report.local_revision and report.incoming_revision
        changes = article_changes(
            report.base,
            w.store.revision_article(report.local_revision),
            w.store.revision_article(report.incoming_revision),
        )
        if not any(fm.choices() for fm in changes):
            return
        sender = report.sender or "the other side"

        def current(field: str) -> str | None:
            return field_value(w.session.article, field) if w.session else None

        def apply(field: str, expected: str, text: str) -> str | None:
            if not w.session or not w.flush():
                return "Your draft could not be saved first; nothing was changed."
            article = w.session.article.copy()
            if field_value(article, field) != expected:
                return "This part was edited since the merge: compare it in File ▸ History."
            set_field(article, field, text)
            try:
                w.store.save(article, author=w.prefs.writer_name, reason=f"change by {sender}")
            except StoreError as exc:
                return f"Not changed: {exc}"
            w.reopen()
            return None

        dialog = MergeDialog(changes, current, apply, sender, w)
        dialog.exec()

    def compare(self, old_rev: int, new_rev: int, old_title: str, new_title: str) -> None:
        from PySide6.QtWidgets import QDialog, QVBoxLayout

        from desk.ui.review.compare_view import CompareView

        w = self.w
        dialog = QDialog(w)
        dialog.setWindowTitle("Both sides changed the same text")
        dialog.resize(1100, 700)
        view = CompareView(dialog)
        view.set_pair(
            old_title,
            w.store.revision_article(old_rev),
            new_title,
            w.store.revision_article(new_rev),
        )
        QVBoxLayout(dialog).addWidget(view)
        dialog.exec()

    def history(self) -> None:
        from desk.ui.review.history_dialog import HistoryDialog

        if not self._ready():
            return
        w = self.w
        assert w.session is not None
        dialog = HistoryDialog(w.session.article, w.store.revision_article, w)
        dialog.set_revisions(w.store.revisions(w.session.article.id))

        def restore(revision_id: int) -> None:
            w.store.restore_revision(revision_id, author=w.prefs.writer_name)
            w.reopen()

        dialog.restoreRequested.connect(restore)
        dialog.exec()
