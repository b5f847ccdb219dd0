"""``desk --selftest``: prove, without a window, that this copy of Desk works.

It exists for the frozen (PyInstaller) build above all: a bundle that starts
but has lost a template, a lazily imported module or QtWebEngine's helper
process only fails when a writer first exports or opens the preview. The
selftest walks the same path a writer does, on a throw-away database, and
says in one line per check what worked:

    resources → site profile → database + starter draft → images → render
    → checklist → export (images in it) → manifest checksums → CID → CAR
    → QtWebEngine

Nothing outside a temporary folder is written: the user's drafts, settings
and QtWebEngine profile are never touched. The exit status is 0 only if every
check passed, so CI can run the frozen binary and trust the answer.

``DESK_SELFTEST_NO_WEBENGINE=1`` skips the QtWebEngine page load (for callers
that cannot start Chromium); a skip is reported as such and is not a failure.
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from markupsafe import escape

from desk import __version__

ENV_NO_WEBENGINE = "DESK_SELFTEST_NO_WEBENGINE"
#: Chromium's first start on a cold, slow CI machine takes a few seconds; a
#: minute means something is wrong rather than slow.
WEBENGINE_TIMEOUT_S = 60.0
#: Resource files the app cannot work without, relative to ``resources_dir()``.
REQUIRED_RESOURCES = (
    "sites/openvoicenews/profile.json",
    "sites/openvoicenews/page.html.j2",
    "sites/openvoicenews/fragments.html.j2",
    "sites/openvoicenews/style.css",
    "icons/desk.svg",
)

OK, FAILED, SKIP = "ok", "FAILED", "skip"


class CheckFailed(Exception):
    """A check found something wrong; the message is the line the user reads."""


class _NotRun(Exception):
    """A check could not run because one it depends on failed."""


@dataclass
class Report:
    """Prints each result as it happens, so a hang still shows how far the test got."""

    out: TextIO
    results: list[tuple[str, str, str]] = field(default_factory=list)

    def line(self, status: str, name: str, detail: str) -> None:
        self.results.append((status, name, detail))
        print(f"{status:<7} {name}: {detail}", file=self.out, flush=True)

    def check(self, name: str, fn: Callable[[], str]) -> bool:
        """Run one check; any exception is a failure of that check, never a traceback."""
        try:
            detail = fn()
        except CheckFailed as exc:
            self.line(FAILED, name, str(exc))
            return False
        except _NotRun as exc:
            self.line(FAILED, name, f"not run ({exc})")
            return False
        except Exception as exc:
            self.line(FAILED, name, f"{type(exc).__name__}: {exc}")
            return False
        self.line(OK, name, detail)
        return True

    @property
    def failures(self) -> int:
        return sum(1 for status, _, _ in self.results if status == FAILED)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def where_running() -> str:
    """Frozen or from source: the two have different ways of finding resources."""
    if getattr(sys, "frozen", False):
        return f"frozen build in {Path(sys.executable).resolve().parent}"
    return f"from source in {Path(__file__).resolve().parent}"


# --- the checks -----------------------------------------------------------------------


@dataclass
class _State:
    """What one check hands to the next (``None`` until the check that makes it passed)."""

    tmp: Path
    profile: Any = None
    store: Any = None
    article: Any = None
    page: str | None = None
    export: Any = None
    images: dict[str, bytes] = field(default_factory=dict)  # sha256 -> the file's bytes

    def need(self, attr: str, made_by: str) -> Any:
        value = getattr(self, attr)
        if value is None:
            raise _NotRun(f"{made_by} failed")
        return value


def check_resources() -> str:
    from desk.paths import resources_dir

    root = resources_dir()
    missing = [rel for rel in REQUIRED_RESOURCES if not (root / rel).is_file()]
    _require(not missing, f"{root}: missing {', '.join(missing)}")
    return f"{root} ({len(REQUIRED_RESOURCES)} required files present)"


def check_profile(state: _State) -> str:
    from desk.profiles import DEFAULT_SITE, load_site_profile

    state.profile = load_site_profile(DEFAULT_SITE)
    _require(bool(state.profile.name), "the site profile has no name")
    return f"{state.profile.name} ({state.profile.key}), {len(state.profile.categories)} categories"


def check_database(state: _State) -> str:
    from desk.store.drafts import DraftStore
    from desk.store.seed import ensure_starter

    state.store = DraftStore(state.tmp / "selftest.db")
    seeded = ensure_starter(state.store)
    _require(seeded is not None, "a new database was not given the starter draft")
    state.article = state.store.load(seeded.id)
    _require(state.article.headline == seeded.headline, "the starter draft did not read back")
    return f"temporary database, starter draft {state.article.id} saved and read back"


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG made without Qt, so the image check needs nothing the export does not."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(rows))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + idat + chunk(b"IEND", b"")


def check_image(state: _State) -> str:
    """Add a figure and an image in the text, as Add Image and a drop do, and read them back."""
    from desk.model.article import Image
    from desk.store.image_files import read_image_file

    article = state.need("article", "database")
    store = state.store
    for name, rgb, alt in (
        ("figure.png", (155, 28, 28), "A red square"),
        ("inline.png", (29, 79, 145), "A blue band"),
    ):
        (state.tmp / name).write_bytes(_png(24, 16, rgb))
        data, media_type = read_image_file(state.tmp / name)
        sha = store.add_blob(data, media_type)
        image = Image(sha256=sha, filename=name, media_type=media_type, alt=alt)
        image.section_id = article.sections[0].id
        article.images.append(image)
        state.images[sha] = data
    article.sections[-1].body += f"\n\n![A blue band](desk-asset:{article.images[-1].sha256})"
    store.save(article)
    state.article = store.load(article.id)
    back = {i.sha256: store.blob(i.sha256) for i in state.article.images}
    _require(back == state.images, "the images did not read back from the store")
    return f"{len(back)} PNG images stored (a figure and one in the text) and read back"


def check_render(state: _State) -> str:
    from desk.render.page import render_article

    article = state.need("article", "database")
    profile = state.need("profile", "site profile")
    state.page = render_article(article, profile)
    return f"{len(state.page):,} characters of HTML"


def check_masthead(state: _State) -> str:
    page = state.need("page", "render")
    name = str(escape(state.profile.name))
    _require('class="masthead"' in page, "no masthead element in the page")
    _require(name in page, f"the site name {state.profile.name!r} is not on the page")
    return state.profile.name


def check_headline(state: _State) -> str:
    page = state.need("page", "render")
    headline = state.article.headline
    needle = f'<h1 class="headline" dir="auto">{escape(headline)}</h1>'
    _require(needle in page, f"the headline {headline!r} is not the page's h1")
    return _short(headline)


def check_dateline(state: _State) -> str:
    from desk.render.dateline import dateline_lead

    page = state.need("page", "render")
    d = state.article.dateline
    lead = dateline_lead(d.city, d.region, state.profile.dateline)
    _require(bool(lead), "the starter draft has no dateline lead")
    needle = f'<span class="dateline" dir="auto">{escape(lead)}</span>'
    _require(needle in page, f"the dateline lead {lead!r} is not on the page")
    return lead


def check_checklist(state: _State) -> str:
    """The starter draft must be exportable: a blocking error here is a bug in Desk."""
    from desk.export.checklist import run_checklist
    from desk.model.validation import blocking

    article = state.need("article", "database")
    profile = state.need("profile", "site profile")
    findings = run_checklist(article, profile, state.store)
    errors = blocking(findings)
    _require(
        not errors,
        "the starter draft has blocking problems: " + "; ".join(f.message for f in errors),
    )
    warnings = [f.field for f in findings if f not in errors]
    more = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''}: " if warnings else ""
    return "no blocking problems" + (f"{more}{', '.join(warnings)})" if warnings else "")


def check_export(state: _State) -> str:
    from desk.export.bundle import export_article

    article = state.need("article", "database")
    profile = state.need("profile", "site profile")
    # Forced: the starter is a draft (a warning); the export itself is what is tested.
    state.export = export_article(article, profile, state.store, state.tmp / "out", force=True)
    files = [p for p in state.export.folder.rglob("*") if p.is_file()]
    return f"bundle {state.export.folder.name}/ with {len(files)} files"


def check_bundle_images(state: _State) -> str:
    """Each image is in content/assets byte for byte, and the page and Markdown show it once."""
    from desk.export.context import asset_name

    result = state.need("export", "export")
    page = (result.folder / "index.html").read_text(encoding="utf-8")
    markdown = (result.folder / "content" / "article.md").read_text(encoding="utf-8")
    _require(bool(state.images), "the image check added no images")
    for image in state.article.images:
        name = asset_name(image)
        path = result.folder / "content" / "assets" / name
        _require(path.is_file(), f"content/assets/{name} is missing")
        _require(path.read_bytes() == state.images[image.sha256], f"{name}: bytes differ")
        shown = page.count(f'src="content/assets/{name}"')
        _require(shown == 1, f"index.html shows {image.filename} {shown} times, not once")
        _require(f"](assets/{name})" in markdown, f"article.md does not show {image.filename}")
    return f"{len(state.images)} images in content/assets/, each shown once in the page"


def check_manifest(state: _State) -> str:
    from desk.export.manifest import MANIFEST_NAME

    result = state.need("export", "export")
    folder: Path = result.folder
    listed = result.manifest["files"]
    for entry in listed:
        path = folder / entry["path"]
        _require(path.is_file(), f"{entry['path']} is listed but missing")
        data = path.read_bytes()
        _require(len(data) == entry["size"], f"{entry['path']}: size differs from the manifest")
        digest = hashlib.sha256(data).hexdigest()
        _require(digest == entry["sha256"], f"{entry['path']}: SHA-256 differs from the manifest")
    on_disk = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST_NAME
    }
    unlisted = sorted(on_disk - {e["path"] for e in listed})
    _require(not unlisted, f"files not in the manifest: {', '.join(unlisted)}")
    return f"{len(listed)} files, sizes and SHA-256 match, nothing unlisted"


def check_cid(state: _State) -> str:
    from desk.export.ipfs import import_directory

    result = state.need("export", "export")
    ipfs = result.manifest["ipfs"]
    recomputed = import_directory(result.folder / ipfs["root"]).root_cid
    _require(
        recomputed == ipfs["cid"] == result.cid,
        f"{ipfs['root']}/ hashes to {recomputed}, the manifest says {ipfs['cid']}",
    )
    return f"{ipfs['root']}/ recomputed = manifest = {recomputed}"


def check_car(state: _State) -> str:
    from desk.export.ipfs import extract_car, read_car

    result = state.need("export", "export")
    ipfs = result.manifest["ipfs"]
    car = result.folder / ipfs["car"]
    roots, blocks = read_car(car)
    _require(roots == [ipfs["cid"]], f"CAR roots {roots}, the manifest says [{ipfs['cid']}]")
    content = result.folder / ipfs["root"]
    expected = {
        p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*") if p.is_file()
    }
    _require(extract_car(car) == expected, f"the CAR does not hold exactly {ipfs['root']}/")
    return f"root = CID, {len(blocks)} blocks, {len(expected)} files re-extracted byte for byte"


# --- QtWebEngine ----------------------------------------------------------------------


def _qt_application() -> tuple[Any, str]:
    """The running QApplication, or a new one; ``(None, reason)`` when WebEngine cannot start.

    QtWebEngine has to be imported before the QApplication exists. A fresh
    process (``desk --selftest``) always manages that; a caller that already
    made a QApplication without it (some test runners) gets a skip, not a
    false failure.
    """
    from desk.ui.app import prepare_environment

    prepare_environment()
    already = "PySide6.QtWebEngineWidgets" in sys.modules
    from PySide6.QtCore import QCoreApplication, Qt

    existing = QCoreApplication.instance()
    shared_gl = Qt.ApplicationAttribute.AA_ShareOpenGLContexts
    if existing is not None and not already and not existing.testAttribute(shared_gl):
        return None, "a QApplication was made before QtWebEngine was imported"
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must come before QApplication())
    from PySide6.QtWidgets import QApplication

    if existing is None:
        return QApplication([sys.argv[0] if sys.argv else "desk"]), ""
    if not isinstance(existing, QApplication):
        return None, "the running Qt application has no widgets (not a QApplication)"
    return existing, ""


def load_page_in_webengine(page_file: Path, timeout_s: float = WEBENGINE_TIMEOUT_S) -> str:
    """Load *page_file* in an offscreen QWebEngineView and return the text of its h1.

    This starts Chromium's render process (QtWebEngineProcess), which is the
    part of a frozen build most likely to be missing or broken.
    """
    import shiboken6
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineScript
    from PySide6.QtWebEngineWidgets import QWebEngineView

    loop = QEventLoop()
    outcome: dict[str, object] = {}

    def finish(key: str, value: object) -> None:
        outcome.setdefault(key, value)
        loop.quit()

    view = QWebEngineView()
    profile = QWebEngineProfile()  # no storage name: off the record, nothing on disk
    page = QWebEnginePage(profile, view)
    profile.setParent(page)  # a profile must outlive its page; deleted after it
    view.setPage(page)
    view.resize(1024, 768)
    world = QWebEngineScript.ScriptWorldId.ApplicationWorld

    def loaded(ok: bool) -> None:
        if not ok:
            finish("error", "the page did not load")
            return
        page.runJavaScript(
            "(() => { const h = document.querySelector('h1'); "
            "return h ? h.textContent.trim() : ''; })()",
            world,
            lambda value: finish("h1", value),
        )

    def gone(status: object, code: int) -> None:
        finish("error", f"the render process ended ({status}, exit code {code})")

    page.loadFinished.connect(loaded)
    page.renderProcessTerminated.connect(gone)
    timer = QTimer(singleShot=True)
    timer.timeout.connect(lambda: finish("error", f"no answer within {timeout_s:g} s"))
    timer.start(int(timeout_s * 1000))
    view.load(QUrl.fromLocalFile(str(page_file)))
    try:
        if not outcome:
            loop.exec()
    finally:
        timer.stop()
        page.loadFinished.disconnect(loaded)
        page.renderProcessTerminated.disconnect(gone)
        # Now, not at interpreter exit: the view owns the page, which owns the profile,
        # so one delete tears them down in the order QtWebEngine needs.
        shiboken6.delete(view)
    if "error" in outcome:
        raise CheckFailed(str(outcome["error"]))
    return str(outcome.get("h1", ""))


def check_webengine(state: _State, report: Report) -> None:
    name = "QtWebEngine page load"
    if os.environ.get(ENV_NO_WEBENGINE) == "1":
        report.line(SKIP, name, f"turned off by {ENV_NO_WEBENGINE}=1")
        return
    try:
        page_html = state.need("page", "render")
    except _NotRun as exc:
        report.line(FAILED, name, f"not run ({exc})")
        return
    try:
        app, reason = _qt_application()
    except ImportError as exc:
        report.line(FAILED, name, f"QtWebEngine cannot be imported: {exc}")
        return
    if app is None:
        report.line(SKIP, name, f"{reason}; run `desk --selftest` in its own process")
        return

    def run() -> str:
        page_file = state.tmp / "page.html"
        page_file.write_text(page_html, encoding="utf-8")
        started = time.perf_counter()
        h1 = load_page_in_webengine(page_file)
        _require(
            h1 == state.article.headline,
            f"the h1 read back was {h1!r}, expected {state.article.headline!r}",
        )
        return f"h1 read back by JavaScript: {_short(h1)!r} ({time.perf_counter() - started:.1f} s)"

    report.check(name, run)


# --- the run ---------------------------------------------------------------------------


def run_selftest(out: TextIO | None = None) -> int:
    """Run every check, print one line each, return 0 only if none failed.

    Safe to call in a process that already has a QApplication (it is reused)
    and safe to call repeatedly: all state lives in a temporary folder that
    is removed afterwards.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report = Report(out if out is not None else sys.stdout)
    print(f"desk {__version__} selftest, {where_running()}", file=report.out, flush=True)
    with tempfile.TemporaryDirectory(prefix="desk-selftest-", ignore_cleanup_errors=True) as tmp:
        state = _State(Path(tmp))
        try:
            report.check("resources", check_resources)
            report.check("site profile", lambda: check_profile(state))
            report.check("database", lambda: check_database(state))
            report.check("image", lambda: check_image(state))
            report.check("render", lambda: check_render(state))
            report.check("render masthead", lambda: check_masthead(state))
            report.check("render headline", lambda: check_headline(state))
            report.check("render dateline lead", lambda: check_dateline(state))
            report.check("checklist", lambda: check_checklist(state))
            report.check("export", lambda: check_export(state))
            report.check("export images", lambda: check_bundle_images(state))
            report.check("manifest checksums", lambda: check_manifest(state))
            report.check("CID of content/", lambda: check_cid(state))
            report.check("CAR", lambda: check_car(state))
            check_webengine(state, report)
        finally:
            if state.store is not None:
                state.store.close()
    total = len(report.results)
    if report.failures:
        print(f"selftest FAILED: {report.failures} of {total} checks failed", file=report.out)
        return 1
    skipped = sum(1 for status, _, _ in report.results if status == SKIP)
    extra = f" ({skipped} skipped)" if skipped else ""
    print(f"selftest passed: {total - skipped} checks{extra}", file=report.out, flush=True)
    return 0
