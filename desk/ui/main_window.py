"""The main window: composes the drafts list, the editor and the preview, and wires them.

Qt classes only a dialog needs (message boxes, icons) are imported where they
are used: the first time Python touches a Qt class, PySide builds its type and
enums, a few milliseconds each that the first frame should not wait for.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QWidget,
)

from desk import __version__
from desk.model.article import Article, Section
from desk.paths import icon_path
from desk.profiles import load_site_profile
from desk.store.drafts import DraftStore, NotFoundError
from desk.store.rows import DraftSummary
from desk.ui.actions import SECTION_OPS, Actions
from desk.ui.drafts.drafts_panel import DraftsPanel
from desk.ui.editor.article_editor import ArticleEditor
from desk.ui.editor.session import ArticleSession
from desk.ui.editor.stale import DraftWatch
from desk.ui.first_paint import after_first_paint
from desk.ui.preview.preview import PreviewPane
from desk.ui.review.review_actions import ReviewActions
from desk.ui.review.status_bar_widget import WorkflowWidget
from desk.ui.settings import Preferences, load_preferences, open_settings, save_preferences
from desk.ui.theme import apply_theme
from desk.ui.window_layout import DEFAULT_COMMENTS, DEFAULT_SIZES, apply_panel_limits

if TYPE_CHECKING:
    from desk.ui.review.annotations_panel import AnnotationsPanel
    from desk.ui.review.review_controller import ReviewController

SAVE_TEXT = {"saved": "Saved", "saving": "Saving…", "unsaved": "Editing…", "error": "Not saved!"}


class MainWindow(QMainWindow):
    def __init__(self, store: DraftStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = open_settings()
        self.prefs: Preferences = load_preferences(self.settings)
        self.profile = load_site_profile(self.prefs.site_profile)
        self.setWindowTitle("Desk")
        self.actions_ = Actions(self)
        self.drafts = DraftsPanel(store, self.profile.categories)
        self.preview = PreviewPane(enabled=self.prefs.preview_enabled, defer=True)
        self.editor_host = QSplitter(Qt.Orientation.Horizontal)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.drafts)
        self.splitter.addWidget(self.editor_host)
        self.splitter.addWidget(self.preview)
        self.setCentralWidget(self.splitter)
        # The comments panel and its controller are built after the first frame
        # (see `review`); the dock exists now so the saved window state finds it.
        self._review: ReviewController | None = None
        self.annotations_dock = QDockWidget("Comments", self)
        self.annotations_dock.setObjectName("commentsDock")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.annotations_dock)
        apply_panel_limits(self)
        self.resizeDocks([self.annotations_dock], [DEFAULT_COMMENTS], Qt.Orientation.Horizontal)
        # Writers get the room; the comments open when a draft has some.
        self.annotations_dock.hide()
        self.workflow = WorkflowWidget()
        self.review_actions = ReviewActions(self)
        self.save_label = QLabel("")
        self.words_label = QLabel("")
        self.watch = DraftWatch(store, lambda: self.reopen(restore_cursor=True), self)
        # Permanent, so a status message is drawn left of the workflow buttons
        # instead of hiding them (or drawing under them).
        self.statusBar().addPermanentWidget(self.workflow)
        self.statusBar().addPermanentWidget(self.watch.notice)
        self.statusBar().addPermanentWidget(self.words_label)
        self.statusBar().addPermanentWidget(self.save_label)
        self.session: ArticleSession | None = None
        self.editor: ArticleEditor | None = None
        self._build_menus()
        self._connect_signals()
        self._restore_window()
        self.open_article(self._initial_article(), restore_cursor=True)
        if not self.annotations_dock.isHidden() or (
            self.session and store.has_annotations(self.session.article.id)
        ):
            self._attach_review()  # the first frame shows the comments, no panel pops in
        after_first_paint(self.statusBar(), self._after_first_frame)

    def _after_first_frame(self) -> None:
        from PySide6.QtGui import QIcon  # 4 ms of Qt type set-up the first frame can skip

        if icon_path().exists():
            self.setWindowIcon(QIcon(str(icon_path())))
        self._attach_review()

    @property
    def review(self) -> ReviewController:
        """Comments and workflow of the open draft (built on first use at the latest)."""
        return self._review or self._attach_review()

    def _attach_review(self) -> ReviewController:
        if self._review is not None:
            return self._review
        from desk.ui.review.annotations_panel import AnnotationsPanel
        from desk.ui.review.review_controller import ReviewController

        panel = AnnotationsPanel()
        self.annotations_dock.setWidget(panel)
        review = self._review = ReviewController(
            self.store, panel, self.preview, self.workflow, self
        )
        review.threads.connect(lambda n: n and self.annotations_dock.show())
        review.statusChanged.connect(lambda _s: self.drafts.refresh())
        if self.session and self.editor:
            review.set_session(self.session, self.editor, self.prefs)
        return review

    @property
    def annotations(self) -> AnnotationsPanel:
        return self.review.panel

    def _comments_shown(self, shown: bool) -> None:
        if shown:
            self._attach_review()  # opened from the View menu before it was attached
        if self.isVisible():
            self.actions_.toggle_annotations.setChecked(shown)

    # --- composition -------------------------------------------------------------

    def _build_menus(self) -> None:
        a = self.actions_.all
        menus = {
            "&File": [
                "new",
                "duplicate",
                "trash",
                None,
                "save",
                "export",
                "publish",
                None,
                "send_review",
                "open_review",
                "history",
                None,
                "preferences",
                None,
                "quit",
            ],
            "&Edit": ["undo", "redo", None, "find", "comment", None, "add_section", "add_image"],
            "F&ormat": ["bold", "italic", "link"],
            "&Section": ["add_section", None, *SECTION_OPS],
            "&View": ["toggle_drafts", "toggle_preview", "toggle_annotations"],
            "&Help": ["shortcuts", "markdown_guide", None, "about"],
        }
        for title, names in menus.items():
            menu = self.menuBar().addMenu(title)
            for name in names:
                if name is None:
                    menu.addSeparator()
                else:
                    menu.addAction(a[name])
                    self.addAction(a[name])

    def _connect_signals(self) -> None:
        a = self.actions_
        a.new.triggered.connect(self.new_draft)
        a.duplicate.triggered.connect(lambda: self.duplicate(self.current_id()))
        a.trash.triggered.connect(lambda: self.trash(self.current_id()))
        a.save.triggered.connect(self.flush)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(lambda: self._on_focus("undo"))
        a.redo.triggered.connect(lambda: self._on_focus("redo"))
        a.find.triggered.connect(self._find)
        a.add_section.triggered.connect(self._add_section)
        a.add_image.triggered.connect(lambda: self.editor and self.editor.images.choose_file())
        a.preferences.triggered.connect(self.edit_preferences)
        a.about.triggered.connect(self.about)
        a.shortcuts.triggered.connect(self.show_shortcuts)
        a.markdown_guide.triggered.connect(self.show_markdown_guide)
        for name in ("bold", "italic", "link"):
            a.all[name].triggered.connect(lambda _c=False, op=name: self._format(op))
        for name, op in SECTION_OPS.items():
            a.all[name].triggered.connect(
                lambda _c=False, op=op: self.editor and self.editor.section_operation(op)
            )
        a.toggle_preview.toggled.connect(self.preview.setVisible)
        a.toggle_drafts.toggled.connect(self.drafts.setVisible)
        a.toggle_annotations.toggled.connect(self.annotations_dock.setVisible)
        self.annotations_dock.visibilityChanged.connect(self._comments_shown)
        a.comment.triggered.connect(lambda: self.review.add_comment())
        a.export.triggered.connect(self.review_actions.export)
        a.publish.triggered.connect(self._publish)
        a.send_review.triggered.connect(lambda: self.review.send_for_review())
        a.open_review.triggered.connect(self.review_actions.open_review_package)
        a.history.triggered.connect(self.review_actions.history)
        self.watch.refreshed.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.preview.ready.connect(self._reload_preview)
        self.preview.out_of_sync.connect(lambda _why: self._reload_preview())
        self.drafts.openRequested.connect(self.open_by_id)
        self.drafts.newRequested.connect(self.new_draft)
        self.drafts.duplicateRequested.connect(self.duplicate)
        self.drafts.trashRequested.connect(self.trash)
        self.drafts.restoreRequested.connect(self.restore)

    def _publish(self) -> None:
        from desk.ui.dialogs.publish_dialog import open_publish_dialog

        self.publish_dialog = open_publish_dialog(self)

    def _wire_session(self, session: ArticleSession, editor: ArticleEditor) -> None:
        session.sectionHtml.connect(self.preview.patch_section)
        session.headerHtml.connect(self.preview.patch_header)
        session.bylineHtml.connect(self.preview.patch_byline)
        session.structureHtml.connect(self.preview.set_sections)
        session.saveState.connect(self._save_state)
        session.saveMessage.connect(self._save_problem)
        session.stats.connect(self._stats)
        session.saved.connect(lambda _v: self._draft_saved())
        editor.sectionFocused.connect(self.preview.follow_section)
        editor.history.name_actions(self.actions_.undo, self.actions_.redo)
        editor.addActions(self.actions_.in_section_text)  # the section text's right-click menu
        editor.assetsChanged.connect(lambda: self.preview.ensure_assets(session.assets()))

    # --- drafts --------------------------------------------------------------------

    def _initial_article(self) -> Article:
        last = self.store.get_meta("last_open")
        if last:
            try:
                return self.store.load(last)
            except NotFoundError:
                pass
        drafts = self.store.list_drafts()
        if drafts:
            return self.store.load(drafts[0].id)
        return self.store.create(Article(sections=[Section()]))

    def reopen(self, restore_cursor: bool = False) -> None:
        """Show the stored draft again (after a restore, an import or a conflict)."""
        if self.session:
            self.session.unsaved = False
            self.open_article(self.store.load(self.session.article.id), restore_cursor)

    def current_id(self) -> str:
        return self.session.article.id if self.session else ""

    def flush(self) -> bool:
        if not self.session:
            return True
        self.session.render_now()
        return self.session.save_now()

    def open_by_id(self, article_id: str) -> None:
        if self.session and article_id == self.session.article.id:
            return
        try:
            article = self.store.load(article_id)
        except NotFoundError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Open draft", str(exc))
            return
        self.open_article(article)

    def open_article(self, article: Article, restore_cursor: bool = False) -> None:
        self.flush()
        self._remember_cursor()
        if self.editor:
            self.editor.setParent(None)
            self.editor.deleteLater()
        if self.session:
            self.session.deleteLater()
        self.session = ArticleSession(
            self.store, self.profile, article, author=lambda: self.prefs.writer_name, parent=self
        )
        self.editor = ArticleEditor(self.session)
        self.editor_host.addWidget(self.editor)
        self._wire_session(self.session, self.editor)
        self.watch.watch(self.session)
        self._reload_preview()
        # The status pill is in the first frame; its history and the comments
        # come with the review controller.
        self.workflow.set_state(article.status, self.prefs.role)
        if self._review is not None:
            self._review.set_session(self.session, self.editor, self.prefs)
        self.store.set_meta("last_open", article.id)
        self.drafts.mark_current(article.id)
        self.session._emit_stats()
        self._save_state("saved")
        self.setWindowTitle(f"{article.headline or 'Untitled'} – Desk")
        if restore_cursor:
            self._restore_cursor(article)
        elif article.sections:
            self.editor.focus_section(article.sections[0].id, 0)

    def _draft_saved(self) -> None:
        if not self.session:
            return
        a = self.session.article
        self.drafts.update_item(
            DraftSummary(
                id=a.id,
                slug=a.slug,
                headline=a.headline,
                status=a.status,
                category=a.category,
                updated_at=a.updated_at,
                changed_at=a.updated_at,
                trashed=False,
            )
        )

    def _reload_preview(self) -> None:
        """The one full page load per opened draft (or after the preview lost track)."""
        if self.session and self.preview.available:
            self.session.render_now()
            self.preview.show_page(self.session.full_page(), self.session.assets())

    def new_draft(self) -> None:
        byline = self.prefs.writer_name
        article = self.store.create(Article(byline=byline, sections=[Section()]))
        self.drafts.refresh()
        self.open_article(article)
        self.editor.header.headline.setFocus()

    def duplicate(self, article_id: str) -> None:
        if not article_id:
            return
        self.flush()
        copy = self.store.duplicate(article_id)
        self.drafts.refresh()
        self.open_article(copy)

    def trash(self, article_id: str) -> None:
        if not article_id:
            return
        if article_id == self.current_id():
            self.flush()
        self.store.trash(article_id)
        self.drafts.refresh()
        if article_id == self.current_id():
            self.store.set_meta("last_open", "")
            self.session.unsaved = False
            self.open_article(self._initial_article())
        self.statusBar().showMessage("Moved to the trash (File ▸ Show trash to restore)", 5000)

    def restore(self, article_id: str) -> None:
        self.store.restore(article_id)
        self.drafts.refresh()

    # --- cursor and window state ------------------------------------------------

    def _remember_cursor(self) -> None:
        if self.session and self.editor:
            sid = self.editor.current_section()
            ed = self.editor.sections.editor(sid) if sid else None
            if ed is not None:
                self.store.set_meta(
                    f"cursor:{self.session.article.id}",
                    json.dumps({"section": sid, "position": ed.cursor_position()}),
                )

    def _restore_cursor(self, article: Article) -> None:
        raw = self.store.get_meta(f"cursor:{article.id}")
        try:
            where = json.loads(raw) if raw else {}
        except ValueError:
            where = {}
        if self.editor and where.get("section"):
            self.editor.restore_cursor(str(where["section"]), int(where.get("position", 0)))

    def _restore_window(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        sizes = self.settings.value("window/splitter")
        if isinstance(sizes, QByteArray) and not sizes.isEmpty():
            self.splitter.restoreState(sizes)
        else:
            self.splitter.setSizes(list(DEFAULT_SIZES))
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        from PySide6.QtWidgets import QMessageBox

        if (
            not self.flush()
            and QMessageBox.question(
                self,
                "Quit",
                "The last changes could not be saved:\n"
                f"{self.session.last_error if self.session else ''}\n\nQuit anyway?",
            )
            != QMessageBox.StandardButton.Yes
        ):
            event.ignore()
            return
        self._remember_cursor()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()
        self.watch.stop()
        self.preview.shutdown()
        event.accept()

    # --- small actions ---------------------------------------------------------------

    def _on_focus(self, method: str) -> None:
        """Undo/redo: the article's history, unless a box outside the article has focus."""
        widget = QApplication.focusWidget()
        if self.editor and (self.editor.history.owns(widget) or not hasattr(widget, method)):
            getattr(self.editor.history, method)()
        elif widget is not None and hasattr(widget, method):
            getattr(widget, method)()

    def _find(self) -> None:
        self.drafts.setVisible(True)
        self.actions_.toggle_drafts.setChecked(True)
        self.drafts.search.setFocus()
        self.drafts.search.selectAll()

    def _add_section(self) -> None:
        if self.session and self.editor:
            sections = self.session.article.sections
            current = self.editor.current_section() or (sections[-1].id if sections else "")
            self.editor.structural("add", current)

    def _format(self, operation: str) -> None:
        if not (self.editor and self.editor.format_selection(operation)):
            self.statusBar().showMessage("Bold, italic and links work in a section's text", 4000)

    def _save_state(self, state: str) -> None:
        self.save_label.setText(SAVE_TEXT.get(state, state))
        self.save_label.setProperty("state", state)
        self.save_label.setStyleSheet(
            "color: #c0392b; font-weight: bold;" if state == "error" else ""
        )
        if state == "saved" and self.session:
            self.setWindowTitle(f"{self.session.article.headline or 'Untitled'} – Desk")

    def _save_problem(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)

    def _stats(self, words: int, minutes: int) -> None:
        self.words_label.setText(f"{words:,} words · {minutes} min read")

    def edit_preferences(self) -> None:
        from desk.ui.dialogs.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self.prefs, self)
        if dialog.exec():
            self.prefs = dialog.preferences()
            save_preferences(self.settings, self.prefs)
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, self.prefs.theme, self.prefs.font_size)
            self.preview.setVisible(self.prefs.preview_enabled)
            if self._review is not None:
                self._review.set_preferences(self.prefs)
            self.actions_.toggle_preview.setChecked(self.prefs.preview_enabled)

    def show_shortcuts(self) -> None:
        from desk.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog.show_for(self.actions_, self)

    def show_markdown_guide(self) -> None:
        from desk.ui.dialogs.markdown_guide import MarkdownGuide

        MarkdownGuide.show_for(self)

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "About Desk",
            f"<h3>Desk {__version__}</h3><p>Offline editorial authoring for "
            f"{self.profile.name}: <i>{self.profile.tagline}</i></p>"
            "<p>Drafts are saved on this computer as you type.</p>",
        )
