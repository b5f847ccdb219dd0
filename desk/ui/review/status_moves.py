"""Moving a draft through the review workflow, the one way for every button and menu.

A move is: check it is allowed, confirm it with an optional note
(:func:`desk.ui.review.move_dialog.ask_move`), choose where the review package
goes when the move hands the article to the other side, save the text, record
the move with its note, and write the package. Cancelling at any question
changes nothing.

The desk is not shared yet (no common Git folder), so the package is the only
way the other side learns of a move: sending for review always writes one,
and requesting changes or approving offers to. File ▸ Send for Review runs the
same flow as the status bar's button; when the draft cannot be sent for review
(already in review, or an editor returning it) it writes the package alone.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from desk.model.annotation import Annotation, activity_by_others
from desk.model.article import Article, Status
from desk.model.workflow import (
    ACTION_LABELS,
    WorkflowError,
    allowed_transitions,
    check_transition,
    check_withdraw,
)
from desk.review.package import PackageError, send_for_review
from desk.store.drafts import DraftStore
from desk.store.status import status_changes
from desk.ui.editor.session import ArticleSession
from desk.ui.review import move_dialog
from desk.ui.review.review_actions import PACKAGE_FILTER
from desk.ui.settings import Preferences

DONE: dict[Status, str] = {
    Status.IN_REVIEW: "Sent for review",
    Status.CHANGES_REQUESTED: "Changes requested",
    Status.APPROVED: "Approved",
    Status.PUBLISHED: "Marked as published",
    Status.DRAFT: "Withdrawn: back to draft",
}


def withdraw_problem(
    store: DraftStore, article: Article, who: str, annotations: list[Annotation]
) -> str:
    """Why ``who`` cannot withdraw the submission now ("" when they can)."""
    try:
        check_withdraw(
            article.status,
            status_changes(store, article.id),
            who,
            activity_by_others(annotations, who),
        )
    except WorkflowError as exc:
        return str(exc)
    return ""


class StatusMoves(QObject):
    """Runs moves for the open draft; ``moved`` says the status changed."""

    moved = Signal(object)  # Status

    def __init__(self, store: DraftStore, window: QMainWindow) -> None:
        super().__init__(window)
        self.store = store
        self.window = window

    def send_for_review(
        self, session: ArticleSession, prefs: Preferences, annotations: list[Annotation]
    ) -> bool:
        """File ▸ Send for Review: the status move when it is possible, else the package alone."""
        if Status.IN_REVIEW in allowed_transitions(session.article.status, prefs.role):
            return self.move(session, prefs, Status.IN_REVIEW, annotations)
        return self.send_package(session, prefs)

    def move(
        self,
        session: ArticleSession,
        prefs: Preferences,
        target: Status,
        annotations: list[Annotation],
    ) -> bool:
        article = session.article
        who = prefs.writer_name or prefs.role
        if target == Status.DRAFT:
            problem = withdraw_problem(self.store, article, who, annotations)
        else:
            try:
                check_transition(article.status, target, prefs.role)
                problem = ""
            except WorkflowError as exc:
                problem = str(exc)
        if problem:
            QMessageBox.warning(self.window, "Status", problem)
            return False
        answer = move_dialog.ask_move(self.window, target, article.headline)
        if answer is None:
            return False
        path = self._ask_path(article, ACTION_LABELS[target]) if answer.package else ""
        if answer.package and not path:
            return False  # no package, no move: the two are one step
        if not session.save_now():
            QMessageBox.warning(
                self.window,
                "Status",
                f"The status was not changed: the draft could not be saved. {session.last_error}",
            )
            return False
        article.version = self.store.set_status(article.id, target, who=who, note=answer.note)
        article.status = target
        self.store.load(article.id)  # the store's memory of what it wrote follows
        self.moved.emit(target)
        message = DONE[target]
        if path:
            if not self._write(article, path, prefs, ACTION_LABELS[target]):
                return True
            message += f"; review package written: {path}"
        self.window.statusBar().showMessage(message, 8000)
        return True

    def send_package(self, session: ArticleSession, prefs: Preferences) -> bool:
        """Write the package without moving the status (resend, or an editor's return)."""
        if not session.save_now():
            QMessageBox.warning(
                self.window, "Send review package", f"Not saved: {session.last_error}"
            )
            return False
        path = self._ask_path(session.article, "Send review package")
        if not path or not self._write(session.article, path, prefs, "Send review package"):
            return False
        self.window.statusBar().showMessage(f"Review package written: {path}", 8000)
        return True

    def _ask_path(self, article: Article, title: str) -> str:
        suggested = str(Path.home() / f"{article.slug or 'draft'}.deskreview")
        path, _ = QFileDialog.getSaveFileName(self.window, title, suggested, PACKAGE_FILTER)
        return path

    def _write(self, article: Article, path: str, prefs: Preferences, title: str) -> bool:
        try:
            send_for_review(
                self.store, article.id, Path(path), author=prefs.writer_name, role=prefs.role
            )
        except (PackageError, OSError) as exc:
            QMessageBox.warning(
                self.window,
                title,
                f"The status is “{article.status.label}”, but the package was not written: "
                f"{exc}\nFile ▸ Send for Review writes it again.",
            )
            return False
        return True
