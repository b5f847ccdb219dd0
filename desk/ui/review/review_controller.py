"""Comments and workflow for the open draft: the glue between store, panel, editors, preview.

Not a widget: it keeps the annotations of the open article anchored as the
text changes, saves them, and paints their highlights in the section editors
and in the preview.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox

from desk.model.annotation import Annotation, make_annotation
from desk.model.article import Status
from desk.review.anchoring import reanchor_all
from desk.store.annotations import delete_annotation, load_annotations, save_annotations
from desk.store.drafts import DraftStore
from desk.store.status import status_changes
from desk.ui.editor.article_editor import ArticleEditor
from desk.ui.editor.session import ArticleSession
from desk.ui.preview.preview import PreviewPane
from desk.ui.review.annotations_panel import AnnotationsPanel
from desk.ui.review.comment_dialog import get_comment
from desk.ui.review.highlights import (
    apply_editor_highlights,
    occurrence_index,
    preview_highlight_by_quote_script,
    utf16_offset,
)
from desk.ui.review.selection import focused_selection, select_span
from desk.ui.review.status_bar_widget import WorkflowWidget
from desk.ui.review.status_moves import StatusMoves, withdraw_problem
from desk.ui.settings import Preferences

REANCHOR_MS = 400


class ReviewController(QObject):
    statusChanged = Signal(object)  # Status
    threads = Signal(int)  # how many threads the open draft has, after each refresh

    def __init__(
        self,
        store: DraftStore,
        panel: AnnotationsPanel,
        preview: PreviewPane,
        workflow: WorkflowWidget,
        parent: QMainWindow,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.panel = panel
        self.preview = preview
        self.workflow = workflow
        self.window = parent
        self.session: ArticleSession | None = None
        self.editor: ArticleEditor | None = None
        self.prefs = Preferences()
        self.annotations: list[Annotation] = []
        self._marked: set[str] = set()  # fields whose words are marked in the page
        self._painted: set[str] = set()  # sections whose editors show highlights
        self._reanchor = QTimer(self, singleShot=True, interval=REANCHOR_MS)
        self._reanchor.timeout.connect(self.refresh)
        self._highlight = QTimer(self, singleShot=True, interval=0)
        self._highlight.timeout.connect(self.highlight_preview)
        panel.changed.connect(self._panel_changed)
        panel.deleted.connect(lambda aid: delete_annotation(self.store, aid))
        panel.jumpRequested.connect(self.jump)
        self.moves = StatusMoves(store, parent)
        self.moves.moved.connect(self._moved)
        workflow.transitionRequested.connect(self.transition)
        preview.loaded.connect(self._page_loaded)
        preview.patched.connect(lambda _seq: self._marked and self._highlight.start())

    def _page_loaded(self, _ok: bool) -> None:
        self._marked = set()  # a fresh page has no marks
        self._highlight.start()

    def set_session(
        self, session: ArticleSession, editor: ArticleEditor, prefs: Preferences
    ) -> None:
        self.session, self.editor, self.prefs = session, editor, prefs
        self._painted = set()
        editor.sections.ready.connect(self.highlight_editors)
        article = session.article
        self.panel.set_context(article.id, prefs.writer_name, prefs.role)
        self.workflow.set_state(article.status, prefs.role)
        session.saveState.connect(lambda state: state == "unsaved" or self._reanchor.start())
        session.structureChanged.connect(self._reanchor.start)
        self.annotations = load_annotations(self.store, article.id)
        # The panel may still list the previous draft's threads: always reset it.
        self.panel.set_section_order([s.id for s in article.sections])
        self.panel.set_annotations(self.annotations)
        self._show_history()
        self.refresh()

    def set_preferences(self, prefs: Preferences) -> None:
        self.prefs = prefs
        if self.session:
            self.panel.set_context(self.session.article.id, prefs.writer_name, prefs.role)
            self.workflow.set_role(prefs.role)
            self._show_history()

    # --- anchoring and highlights ---------------------------------------------------

    def refresh(self) -> None:
        """Re-anchor against the current text, then show the threads and highlights."""
        if not self.session:
            return
        if not self.annotations and not self._painted and not self._marked:
            self.threads.emit(0)
            return  # nothing to anchor: keep autosaves of uncommented drafts free
        article = self.session.article
        self.annotations = reanchor_all(article, self.annotations)
        self.panel.set_section_order([s.id for s in article.sections])
        self.panel.set_annotations(self.annotations)
        self.threads.emit(len(self.annotations))
        self.highlight_editors()
        self._highlight.start()

    def highlight_editors(self) -> None:
        """Paint spans in the editors that have (or just lost) comments, no others."""
        if not self.editor or not self.session:
            return
        spans: dict[str, list[tuple[int, int, bool]]] = {}
        for a in self.annotations:
            if a.field.startswith("section:") and not a.orphaned:
                spans.setdefault(a.field.split(":", 1)[1], []).append(
                    (a.position.start, a.position.end, a.resolved)
                )
        for sid in set(spans) | self._painted:
            ed = self.editor.sections.editor(sid)
            if ed is not None:
                apply_editor_highlights(ed.body, spans.get(sid, []))
        self._painted = set(spans)

    def highlight_preview(self) -> None:
        """Mark commented words in the page; only fields that have (or had) comments.

        Patches replace elements and so drop their marks; this runs after
        every load and patch, so it must stay cheap on a long article.
        """
        if not self.session or not self.preview.available:
            return
        wanted: dict[str, list[tuple[str, bool, int]]] = {}
        for a in self.annotations:
            if a.orphaned:
                continue
            text = self._field_text(a.field)
            if text is None:
                continue
            wanted.setdefault(a.field, []).append(
                (
                    a.anchor.exact,
                    a.resolved,
                    occurrence_index(text, a.anchor.exact, a.position.start),
                )
            )
        for name in set(wanted) | (self._marked - set(wanted)):
            self.preview.run_js(preview_highlight_by_quote_script(name, wanted.get(name, [])))
        self._marked = set(wanted)

    def _field_text(self, field: str) -> str | None:
        from desk.model.annotation import field_text

        assert self.session is not None
        return field_text(self.session.article, field)

    # --- user actions -------------------------------------------------------------------

    def add_comment(self) -> None:
        """Comment on the words selected in the focused text box, never on an older selection."""
        if not self.session or not self.editor:
            return
        if not self.prefs.writer_name:
            QMessageBox.information(
                self.window,
                "Add comment",
                "Set your name in Preferences first: comments are signed.",
            )
            return
        chosen = focused_selection(self.editor, self.window.focusWidget())
        if chosen.problem:
            QMessageBox.information(self.window, "Add comment", chosen.problem)
            return
        from desk.model.annotation import AnnotationError

        body = get_comment(self.window, chosen.quote)
        if not body:
            return
        try:
            note = make_annotation(
                self.session.article,
                chosen.field,
                chosen.start,
                chosen.end,
                body,
                self.prefs.writer_name,
                self.prefs.role,
            )
        except AnnotationError as exc:
            QMessageBox.warning(self.window, "Add comment", f"The comment was not added: {exc}")
            return
        self.annotations.append(note)
        save_annotations(self.store, [note])
        self.refresh()

    def _panel_changed(self, annotations: list[Annotation]) -> None:
        self.annotations = list(annotations)
        save_annotations(self.store, self.annotations)
        self.highlight_editors()
        self._highlight.start()

    def jump(self, field: str, start: int, end: int) -> None:
        if not self.editor:
            return
        if field.startswith("section:"):
            sid = field.split(":", 1)[1]
            ed = self.editor.sections.editor(sid)
            if ed is not None:
                text = ed.body.toPlainText()
                self.editor.focus_section(sid)
                ed.select(utf16_offset(text, start), utf16_offset(text, end))
                self.preview.follow_section(sid)
            return
        if not select_span(self.editor, field, start, end):
            self.editor.focus_field(field)

    def open_count(self) -> int:
        return sum(1 for a in self.annotations if not a.resolved)

    def transition(self, new: Status) -> None:
        """A status button: confirm, note, package, move (see :mod:`status_moves`)."""
        if self.session:
            self.moves.move(self.session, self.prefs, new, self.annotations)

    def send_for_review(self) -> None:
        """File ▸ Send for Review: the same flow as the status bar's button."""
        if self.session:
            self.moves.send_for_review(self.session, self.prefs, self.annotations)

    def _moved(self, new: Status) -> None:
        self.workflow.set_status(new)
        self._show_history()
        self.statusChanged.emit(new)

    def _show_history(self) -> None:
        """Status history with notes in the bar, and whether "Withdraw" is offered."""
        if not self.session:
            return
        article = self.session.article
        changes = status_changes(self.store, article.id)
        self.workflow.set_history([(c.status, c.who, c.at, c.note) for c in changes])
        who = self.prefs.writer_name or self.prefs.role
        self.workflow.set_withdrawable(
            not withdraw_problem(self.store, article, who, self.annotations)
        )
