"""The open draft: its model, its renderer and its autosave, without widgets.

Editors report edits here; the session updates the Article, renders just the
changed part for the preview on the next turn of the event loop (so a burst
of keystrokes renders once, never blocking typing), and saves through the
store when the autosave timer says so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desk.model import editing
from desk.model.article import Article, Image
from desk.model.site import SiteProfile
from desk.model.text import count_words, reading_minutes, section_words
from desk.store.db import StoreError
from desk.store.drafts import DraftStore, StaleWriteError
from desk.ui.editor.autosave import AutosaveTimer

if TYPE_CHECKING:
    from desk.render.page import PageRenderer

HEADER_FIELDS = ("headline", "slug", "category", "byline", "standfirst", "tags", "dateline")


def asset_name(image: Image) -> str:
    """Content-hashed file name, the same in the preview folder and in exports."""
    ext = {"image/png": "png", "image/gif": "gif", "image/webp": "webp"}.get(
        image.media_type, "jpg"
    )
    return f"assets/{image.sha256[:16]}.{ext}"


class ArticleSession(QObject):
    saveState = Signal(str)  # "saved", "saving", "unsaved", "error"
    saveMessage = Signal(str)
    stats = Signal(int, int)  # words, minutes
    sectionHtml = Signal(str, str)  # section id, html
    headerHtml = Signal(str)
    bylineHtml = Signal(str)
    structureHtml = Signal(list, dict)  # section order, html of sections not shown yet
    structureChanged = Signal()  # sections added/removed/moved: editors rebuild
    saved = Signal(int)  # new version
    conflict = Signal(object)  # StaleWriteError: changed elsewhere, this text kept as a revision

    def __init__(
        self,
        store: DraftStore,
        profile: SiteProfile,
        article: Article,
        author: Callable[[], str] = lambda: "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.profile = profile
        self.article = article
        self.author = author
        self._renderer: PageRenderer | None = None
        self._words = {s.id: section_words(s) for s in article.sections}
        self._standfirst_words = count_words(article.standfirst)
        self._dirty_sections: set[str] = set()
        self._uncounted: set[str] = set()
        self._dirty_header = False
        self._dirty_structure = False
        self._render_timer = QTimer(self, singleShot=True, interval=0)
        self._render_timer.timeout.connect(self._render_pending)
        self.autosave = AutosaveTimer(self.save_now, self)
        self.unsaved = False
        self.last_error = ""
        self._shown: dict[str, str] = {}  # section id -> the html the preview holds

    @property
    def renderer(self) -> PageRenderer:
        """Built on first use: the preview starts after the window is on screen."""
        if self._renderer is None:
            from desk.render.page import PageRenderer

            self._renderer = PageRenderer(self.profile, image_src=asset_name)
        return self._renderer

    # --- edits -------------------------------------------------------------------

    def words(self) -> int:
        for sid in self._uncounted & self._words.keys():
            self._words[sid] = section_words(self.article.section(sid))
        self._uncounted.clear()
        return self._standfirst_words + sum(self._words.values())

    def _emit_stats(self) -> None:
        words = self.words()
        self.stats.emit(words, reading_minutes(words))

    def _edited(self) -> None:
        if not self.unsaved:
            self.unsaved = True
            self.saveState.emit("unsaved")
        self.autosave.touch()
        self._render_timer.start()

    def set_section_text(
        self, section_id: str, *, subheading: str | None = None, body: str | None = None
    ) -> None:
        section = self.article.section(section_id)
        if subheading is not None:
            section.subheading = subheading
        if body is not None:
            section.body = body
        # Counted after the preview patch has gone out (see _render_pending):
        # the status bar can wait a millisecond, the preview should not.
        self._uncounted.add(section_id)
        self._dirty_sections.add(section_id)
        self._edited()

    def set_header(self, **values: object) -> None:
        """Header fields by name; the dateline also changes the lead in section one."""
        for name, value in values.items():
            if name not in HEADER_FIELDS:
                raise KeyError(name)
            setattr(self.article, name, value)
        if "standfirst" in values:
            self._standfirst_words = count_words(self.article.standfirst)
            self._emit_stats()
        if "dateline" in values and self.article.sections:
            self._dirty_sections.add(self.article.sections[0].id)
        self._dirty_header = True
        self._edited()

    def images_changed(self) -> None:
        self._dirty_structure = True
        self._edited()

    def structural(self, op: str, section_id: str, arg: int = 0) -> str | None:
        """Add, delete, move, split or merge; returns the id the cursor should go to."""
        a = self.article
        focus: str | None = section_id
        if op == "add":
            focus = editing.add_section(a, section_id).id
        elif op == "delete":
            index = a.section_index(section_id)
            editing.delete_section(a, section_id)
            focus = a.sections[min(index, len(a.sections) - 1)].id
        elif op == "up":
            editing.move_section(a, section_id, -1)
        elif op == "down":
            editing.move_section(a, section_id, +1)
        elif op == "move_to":
            editing.move_section_to(a, section_id, arg)
        elif op == "split":
            focus = editing.split_section(a, section_id, arg).id
        elif op == "merge":
            editing.merge_with_next(a, section_id)
        else:
            raise ValueError(op)
        self._structure_edited()
        return focus

    def restore_sections(self, state: editing.SectionsState) -> None:
        """Undo or redo of a structural edit: the sections as they were, saved as any edit."""
        editing.restore_sections(self.article, state)
        self._structure_edited()

    def _structure_edited(self) -> None:
        a = self.article
        self._words = {s.id: section_words(s) for s in a.sections}
        self._uncounted.clear()
        self._dirty_structure = True
        self._emit_stats()
        self.structureChanged.emit()
        self._edited()

    def keep_revision(self, reason: str) -> bool:
        """A revision of the text as it is now, before an edit that removes some of it."""
        try:
            self.store.snapshot(self.article, reason, author=self.author())
        except (StoreError, OSError, sqlite3.Error) as exc:
            self.saveMessage.emit(f"Could not keep a revision: {exc}")
            return False
        return True

    def slug_fixed(self) -> bool:
        """Exported, published or sent: the slug is an address others may already use."""
        try:
            return self.store.slug_fixed(self.article.id)
        except (StoreError, sqlite3.Error):
            return False

    # --- preview -------------------------------------------------------------------

    def render_now(self) -> None:
        self._render_timer.stop()
        self._render_pending()

    def _render_pending(self) -> None:
        a = self.article
        if self._dirty_structure:
            order = [s.id for s in a.sections]
            shown = {sid: self.renderer.render_section(a, sid) for sid in order}
            fresh = {sid: html for sid, html in shown.items() if self._shown.get(sid) is not html}
            self.renderer.forget(set(order))
            self._shown = shown
            self._dirty_structure = False
            self._dirty_sections.clear()
            self.structureHtml.emit(order, fresh)
        for sid in list(self._dirty_sections):
            if sid in self._shown:
                html = self.renderer.render_section(a, sid)
                if self._shown[sid] is not html:
                    self._shown[sid] = html
                    self.sectionHtml.emit(sid, html)
        self._dirty_sections.clear()
        if self._dirty_header:
            self.headerHtml.emit(self.renderer.render_header(a))
            self.bylineHtml.emit(self.renderer.render_byline(a))
            self._dirty_header = False
        if self._uncounted:
            self._emit_stats()

    def full_page(self) -> str:
        """The whole page, for the one full load when a draft opens."""
        page = self.renderer.render_page(self.article)
        self._shown = {
            s.id: self.renderer.render_section(self.article, s.id) for s in self.article.sections
        }
        return page

    def assets(self) -> dict[str, Callable[[], bytes]]:
        return {
            asset_name(i): (lambda sha=i.sha256: self.store.blob(sha)) for i in self.article.images
        }

    # --- saving --------------------------------------------------------------------

    def save_now(self) -> bool:
        """Write what changed; on a conflict the text is kept as a revision and reported."""
        if not self.unsaved:
            return True
        self.saveState.emit("saving")
        try:
            result = self.store.autosave(self.article, author=self.author())
        except StaleWriteError as exc:
            self.last_error = str(exc)
            self.saveState.emit("error")
            self.saveMessage.emit(str(exc))
            self.conflict.emit(exc)
            return False
        except (StoreError, OSError, sqlite3.Error) as exc:
            # Disk full, file gone: keep the text in memory and try again later.
            self.last_error = f"Could not save: {exc}"
            self.saveState.emit("error")
            self.saveMessage.emit(self.last_error)
            self.autosave.touch()
            return False
        self.unsaved = False
        self.last_error = ""
        self.saveState.emit("saved")
        self.saved.emit(result.version)
        return True
