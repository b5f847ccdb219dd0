"""The live preview: the site page in QtWebEngine, kept current by small DOM patches.

A draft's page is loaded once, from a private temp folder (``setHtml`` is capped
at 2 MB and gives the page no folder for its images); every edit after that is a
patch through ``runJavaScript``, so typing never reloads the page or moves the reader.
The page is sealed off: an off-the-record profile, an interceptor letting through
only ``data:`` and the pane's own files, page JavaScript off (ours runs in Qt's
isolated ApplicationWorld), navigation refused. QtWebEngine is imported only when a
pane is built; without it the pane says why and every method quietly does nothing.
"""

from __future__ import annotations

import atexit
import functools
import itertools
import json
import logging
import os
import shutil
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desk.paths import cache_dir

log = logging.getLogger(__name__)

ENV_DISABLE = "DESK_DISABLE_WEBENGINE"
FOLDER_PREFIX = "preview-"
Assets = dict[str, Callable[[], bytes]]
_folder_numbers = itertools.count(1)
_live_folders: set[str] = set()  # removed at exit if no pane got to do it


@atexit.register
def _remove_live_folders() -> None:
    for folder in list(_live_folders):
        shutil.rmtree(folder, ignore_errors=True)


def _remove_folder(folder: str) -> None:
    _live_folders.discard(folder)
    shutil.rmtree(folder, ignore_errors=True)


def url_allowed(url: str, root: Path) -> bool:
    """The interceptor's rule: ``data:`` URLs and files inside ``root``, nothing else."""
    qurl = QUrl(url)
    scheme = qurl.scheme().lower()
    if scheme == "data":
        return True
    if scheme != "file" or qurl.host():
        return False
    target = os.path.normcase(os.path.realpath(qurl.toLocalFile()))
    base = os.path.normcase(os.path.realpath(root))
    try:
        return os.path.commonpath([target, base]) == base
    except ValueError:  # another drive
        return False


def remove_stale_folders(parent: Path) -> None:
    """Delete preview folders left by Desk processes that died without cleaning up."""
    if not parent.is_dir() or os.name != "posix":
        return
    for folder in parent.glob(f"{FOLDER_PREFIX}*-*"):
        try:
            pid = int(folder.name.split("-")[1])
            if pid != os.getpid():
                os.kill(pid, 0)
        except ProcessLookupError:  # no such process: its folder is litter
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, IndexError, OSError):  # not ours, or alive under another user
            continue


# --- the scripts ---------------------------------------------------------------------
from desk.ui.preview.preview_scripts import _FOLLOW, _REPLACE, _SET_SECTIONS, _SETUP  # noqa: E402


@functools.cache
def _engine() -> SimpleNamespace:
    """The QtWebEngine classes, imported on first use (ImportError when missing)."""
    from PySide6 import QtWebEngineCore as core
    from PySide6.QtWebEngineWidgets import QWebEngineView

    class Interceptor(core.QWebEngineUrlRequestInterceptor):
        """Blocks every request but the pane's own files; keeps a record for tests and logs."""

        def __init__(self, root: Path, parent: Any) -> None:
            super().__init__(parent)
            self.root = root
            self.blocked: deque[str] = deque(maxlen=200)

        def interceptRequest(self, info: Any) -> None:
            url = info.requestUrl().toString()
            if not url_allowed(url, self.root):
                info.block(True)
                self.blocked.append(url)

    nav = core.QWebEnginePage.NavigationType

    class Page(core.QWebEnginePage):
        """Navigates only to the load the pane asked for: no links, reloads or history."""

        expected = QUrl()

        def acceptNavigationRequest(self, url: QUrl, kind: Any, main_frame: bool) -> bool:
            if not main_frame:
                return False
            if kind in (nav.NavigationTypeReload, nav.NavigationTypeBackForward):
                return False
            return url.toString().partition("#")[0] == self.expected.toString()

        def javaScriptConsoleMessage(
            self, level: Any, message: str, line: int, source: str
        ) -> None:
            # CSP reports and the like belong to the page, not to the app's warnings.
            log.debug("preview console %s:%s: %s", source, line, message)

    return SimpleNamespace(core=core, View=QWebEngineView, Interceptor=Interceptor, Page=Page)


#: Page settings switched off. JavaScript is off for the page itself (it has none;
#: ours runs in ApplicationWorld). LocalContentCanAccessFileUrls stays on for the
#: assets/ folder beside index.html, which the interceptor fences in.
# fmt: off
SETTINGS_OFF = [
    "JavascriptEnabled", "LocalContentCanAccessRemoteUrls", "LocalStorageEnabled",
    "PluginsEnabled", "PdfViewerEnabled", "AutoLoadIconsForPage", "DnsPrefetchEnabled",
    "ErrorPageEnabled", "NavigateOnDropEnabled",
    "FocusOnNavigationEnabled",  # the caret stays in the editor on every load
]
# fmt: on


class _Placeholder(QLabel):
    """Tells when the window has first been painted, so Chromium starts after that."""

    painted = Signal()

    def __init__(self, text: str) -> None:
        super().__init__(text, alignment=Qt.AlignmentFlag.AlignCenter)

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        self.painted.emit()


class PreviewPane(QWidget):
    """The site page as it will be published, patched live while the writer types."""

    patched = Signal(int)  # sequence number, once that patch's script has run in the page
    loaded = Signal(bool)  # after each full load (show_page)
    ready = Signal()  # a deferred engine has started: show the page now
    #: The page no longer matches the article (renderer crash, patch target missing):
    #: call show_page again.
    out_of_sync = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, enabled: bool = True, defer: bool = False
    ) -> None:
        super().__init__(parent)
        self._seq = 0
        self._ready = False
        self._queue: list[tuple[str, Callable[[object], None] | None]] = []
        self._zoom = 1.0
        self._loads = 0
        self._expected = QUrl()
        self._reason = ""
        self._view: Any = None
        self._page: Any = None
        self._interceptor: Any = None
        self.message: QLabel | None = None  # the explanation, when the preview is off
        self.folder = cache_dir() / f"{FOLDER_PREFIX}{os.getpid()}-{next(_folder_numbers)}"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._placeholder: QLabel | None = None
        if not enabled:
            self._reason = "it is turned off in Preferences"
        elif os.environ.get(ENV_DISABLE) == "1":
            self._reason = f"QtWebEngine could not start ({ENV_DISABLE}=1 is set)"
        elif defer:
            # Starting Chromium costs a few hundred milliseconds: the window
            # shows the draft first and the preview follows a moment later.
            self._placeholder = _Placeholder("Preparing the preview…")
            self._placeholder.painted.connect(
                lambda: QTimer.singleShot(0, self._start_engine),
                Qt.ConnectionType.SingleShotConnection,
            )
            layout.addWidget(self._placeholder)
            return
        else:
            self._try_build(layout)
        self._show_reason(layout)

    def _try_build(self, layout: QVBoxLayout) -> None:
        try:
            self._build_engine(layout)
        except Exception as exc:  # ImportError, a broken install, no QtWebEngineProcess
            log.warning("live preview unavailable: %s", exc)
            self._reason = f"QtWebEngine could not start ({exc})"
            if self._view is not None:
                self._view.deleteLater()
            self._view = self._page = self._interceptor = None

    def _show_reason(self, layout: QVBoxLayout) -> None:
        if self._reason:
            text = f"The live preview is off: {self._reason}. Your text is still saved."
            self.message = QLabel(text, wordWrap=True, objectName="previewUnavailable")
            self.message.setTextFormat(Qt.TextFormat.PlainText)
            self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(self.message)

    def _start_engine(self) -> None:
        if self._placeholder is None:
            return  # already started
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        if self._placeholder is not None:
            self._placeholder.deleteLater()
            self._placeholder = None
        self._try_build(layout)
        self._show_reason(layout)
        if self.available:
            self.ready.emit()

    def _build_engine(self, layout: QVBoxLayout) -> None:
        e = _engine()
        attribute = e.core.QWebEngineSettings.WebAttribute
        remove_stale_folders(self.folder.parent)
        self.folder.mkdir(parents=True, exist_ok=True)
        folder = str(self.folder)
        _live_folders.add(folder)
        self.destroyed.connect(functools.partial(_remove_folder, folder))
        # No storage name: off the record, nothing written to disk.
        profile = e.core.QWebEngineProfile()
        profile.setSpellCheckEnabled(False)
        self._interceptor = e.Interceptor(self.folder, profile)
        profile.setUrlRequestInterceptor(self._interceptor)
        self._view = e.View(self)
        self._page = e.Page(profile, self._view)
        # A profile must outlive its pages. As the page's child it is deleted by the
        # page's own destructor, after the page, whoever deletes the pane and when.
        profile.setParent(self._page)
        settings = self._page.settings()
        for name in SETTINGS_OFF:
            settings.setAttribute(getattr(attribute, name), False)
        settings.setAttribute(attribute.LocalContentCanAccessFileUrls, True)
        self._view.setPage(self._page)
        self._page.loadingChanged.connect(self._loading_changed)
        self._page.renderProcessTerminated.connect(self._render_gone)
        self._world = e.core.QWebEngineScript.ScriptWorldId.ApplicationWorld
        self._status = e.core.QWebEngineLoadingInfo.LoadStatus
        layout.addWidget(self._view)

    # --- state ---------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False when the pane is only a message (QtWebEngine missing, off or shut down)."""
        return self._page is not None

    def unavailable_reason(self) -> str:
        return self._reason

    @property
    def blocked_urls(self) -> list[str]:
        """Requests the interceptor refused, oldest first (the last 200)."""
        return list(self._interceptor.blocked) if self._interceptor else []

    # --- full loads ----------------------------------------------------------------

    def show_page(self, html: str, assets: Assets) -> None:
        """Load a whole page: on opening a draft, or after a change patches cannot express.

        Patches still queued for an earlier load are dropped: this page already has them.
        """
        if not self.available:
            return
        self._ready = False
        self._queue.clear()
        self.folder.mkdir(parents=True, exist_ok=True)
        _live_folders.add(str(self.folder))
        self.ensure_assets(assets)
        index = self.folder / "index.html"
        tmp = index.with_suffix(".tmp")
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, index)
        # A fresh query per load tells this load's signals from a superseded one's.
        self._loads += 1
        url = QUrl.fromLocalFile(str(index))
        url.setQuery(f"load={self._loads}")
        self._expected = self._page.expected = url
        self._page.load(url)

    def ensure_assets(self, assets: Assets) -> None:
        """Write the asset files the folder lacks; existing ones are never produced again."""
        if not self.available:
            return
        root = self.folder.resolve()
        for rel, produce in assets.items():
            target = (self.folder / rel).resolve()
            if target == root or not target.is_relative_to(root):
                log.warning("preview asset outside its folder refused: %r", rel)
                continue
            if target.exists():
                continue
            try:
                data = produce()
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(target.name + ".tmp")
                tmp.write_bytes(data)
                os.replace(tmp, target)
            except Exception:  # a missing image must not break the preview
                log.exception("preview asset %r could not be written", rel)

    def _loading_changed(self, info: Any) -> None:
        if info.url() != self._expected:
            return  # a superseded load
        status = info.status()
        if status == self._status.LoadSucceededStatus:
            self._js(_SETUP, None)
            self._view.setZoomFactor(self._zoom)
            self._ready = True
            queued, self._queue = self._queue, []
            for script, callback in queued:
                self._run(script, callback)
            self.loaded.emit(True)
        elif status == self._status.LoadFailedStatus:
            self._queue.clear()
            self.loaded.emit(False)

    def _render_gone(self, status: Any, code: int) -> None:
        self._ready = False
        self._queue.clear()
        log.warning("preview renderer ended (%s, %s)", status, code)
        self.out_of_sync.emit("renderer")

    # --- patches -------------------------------------------------------------------

    def _run(self, script: str, callback: Callable[[object], None] | None) -> None:
        if self._ready:
            self._js(script, callback)
        else:
            self._queue.append((script, callback))

    def _js(self, script: str, callback: Callable[[object], None] | None) -> None:
        if callback is None:
            self._page.runJavaScript(script, self._world)
        else:
            self._page.runJavaScript(script, self._world, callback)

    def _patch(self, template: str, *args: object) -> int:
        self._seq += 1
        if self.available:
            values = tuple(json.dumps(a, ensure_ascii=False) for a in args)
            self._run(template % (*values, self._seq), self._patch_done)
        return self._seq

    def _patch_done(self, result: object) -> None:
        if not isinstance(result, int | float) or not result:
            return
        seq = int(result)
        if seq < 0:
            self.out_of_sync.emit("patch")
        self.patched.emit(abs(seq))

    def patch_section(self, section_id: str, html: str) -> int:
        """Replace one section's element; returns the number ``patched`` will carry."""
        return self._patch(_REPLACE, "s-" + section_id, html)

    def patch_header(self, html: str) -> int:
        return self._patch(_REPLACE, "article-header", html)

    def patch_byline(self, html: str) -> int:
        return self._patch(_REPLACE, "article-byline", html)

    def set_sections(self, order: list[str], new_html: dict[str, str]) -> int:
        """Reorder, add and remove sections in place; new_html may also refresh existing ones."""
        return self._patch(_SET_SECTIONS, list(order), dict(new_html))

    def follow_section(self, section_id: str) -> None:
        """Mark the section the writer is in and bring it into view if it is not."""
        if self.available:
            self._run(_FOLLOW % json.dumps("s-" + section_id), None)

    def run_js(self, script: str, callback: Callable[[object], None] | None = None) -> None:
        """Run a script in the page's isolated world once the page is loaded.

        The result is the value of a single expression (wrap statements in an IIFE that
        returns); keep it a number, boolean or string and ``JSON.stringify`` anything
        structured, as PySide6 versions differ in how they convert the rest. The
        callback is never called while the preview is off.
        """
        if self.available:
            self._run(script, callback)

    # --- view ----------------------------------------------------------------------

    def set_zoom(self, factor: float) -> None:
        self._zoom = max(0.25, min(5.0, float(factor)))
        if self.available:
            self._view.setZoomFactor(self._zoom)

    def grab_png(self, path: str | os.PathLike[str]) -> None:
        """Save what the pane shows (the message, when the preview is off)."""
        (self._view or self).grab().save(os.fspath(path), "PNG")

    def shutdown(self) -> None:
        """Tear the engine down now (window closing) and delete the temp folder; then inert.

        Not deleteLater: the event loop may be over, and QtWebEngine warns (and can
        crash) when pages outlive QApplication. The view takes the page, the page its profile.
        """
        self._ready = False
        self._queue.clear()
        if self._view is not None:
            self._page.loadingChanged.disconnect(self._loading_changed)
            self._page.renderProcessTerminated.disconnect(self._render_gone)
            view, self._view, self._page, self._interceptor = self._view, None, None, None
            if shiboken6.isValid(view):
                shiboken6.delete(view)
            self._reason = "the preview was shut down"
        _remove_folder(str(self.folder))

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)
