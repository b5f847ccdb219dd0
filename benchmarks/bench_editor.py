"""Keystroke → preview DOM latency, start-up time and memory of the editor window.

Run: ``uv run python benchmarks/bench_editor.py [keys] [full] [memory] [startup]``
(all four by default; offscreen, in-process, real widgets and real QtWebEngine).
For each article size it types into a section editor and times until the
preview page has run the patch for that keystroke (the patch script returns its
sequence number: a JavaScript round trip); then the same with a full-page
re-render per keystroke, for comparison.

Keys are first sent back to back, each as soon as the previous one reached the
page: a stress test, since the frames Chromium paints for one key compete with
the next. The paced run sends a key every PACE_MS, as a fast writer types.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

import psutil
from _stats import prose, report

HERE = Path(__file__).resolve().parent
SETTLE_MS = 600
# 150 words a minute, faster than most writers type for long
PACE_MS = 80


def make_db(path: Path, words: int) -> str:
    from desk.model.article import Article, Dateline, Section
    from desk.store.drafts import DraftStore

    # A writer who has said who they are: a first start would ask, and wait.
    config = path.parent / "config"
    config.mkdir(exist_ok=True)
    (config / "desk.ini").write_text("[preferences]\nwriter_name=Bench Writer\n")
    rng = random.Random(words)
    per = 300
    store = DraftStore(path)
    article = store.create(
        Article(
            headline=f"A {words:,}-word article",
            dateline=Dateline("Boston", ""),
            category="Politics",
            sections=[
                Section(subheading=f"Part {i}" if i else "", body=prose(rng, per))
                for i in range(max(1, words // per))
            ],
        )
    )
    store.set_meta("last_open", article.id)
    store.close()
    return article.id


def keystrokes(words: int, runs: int, full: bool, pace: float = 0.0) -> list[float]:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    from desk.store.drafts import DraftStore
    from desk.ui.main_window import MainWindow

    folder = Path(tempfile.mkdtemp())
    os.environ["DESK_HOME"] = str(folder)
    make_db(folder / "desk.db", words)
    store = DraftStore(folder / "desk.db")
    w = MainWindow(store)
    w.resize(1400, 900)
    w.show()
    loop = QEventLoop()
    w.preview.loaded.connect(lambda _ok: loop.quit())
    QTimer.singleShot(30_000, loop.quit)
    loop.exec()
    session, preview = w.session, w.preview
    target = session.article.sections[len(session.article.sections) // 2]
    editor = w.editor.sections.editor(target.id)
    editor.focus_at(len(editor.body.toPlainText()))
    # The writer clicks into the section, the preview scrolls to it, then they type:
    # let the window lay out every section editor and the scroll finish first.
    settle = QEventLoop()
    QTimer.singleShot(SETTLE_MS, settle.quit)
    settle.exec()
    if full:
        # what a whole-document previewer does: render everything, load it again
        session.sectionHtml.disconnect(preview.patch_section)
        session.sectionHtml.connect(
            lambda *_: preview.show_page(session.renderer.render_page(session.article), {})
        )
    done = {"seq": 0, "loaded": False}
    preview.patched.connect(lambda seq: done.__setitem__("seq", seq))
    preview.loaded.connect(lambda _ok: done.__setitem__("loaded", True))
    times = []
    app_loop = QEventLoop()
    for i in range(runs):
        before = done["seq"]
        done["loaded"] = False
        t0 = time.perf_counter()
        QTest.keyClick(editor.body, Qt.Key.Key_A if i % 2 else Qt.Key.Key_B)
        deadline = t0 + 10
        while time.perf_counter() < deadline:
            app_loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
            if done["loaded"] if full else done["seq"] > before:
                break
        times.append(time.perf_counter() - t0)
        if pace:
            idle_until = t0 + pace
            while time.perf_counter() < idle_until:
                app_loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
    # correctness: the DOM holds what was typed
    typed = "".join("a" if i % 2 else "b" for i in range(runs))
    box: list[object] = []
    preview.run_js(f"document.getElementById('s-{target.id}').textContent", box.append)
    while not box:
        app_loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    assert typed in str(box[0]).replace(" ", ""), "the preview did not receive the keystrokes"
    session.unsaved = False
    w.close()
    store.close()
    return times


def app_script(db: Path, body: str) -> str:
    """A child process that opens the app on ``db`` the way ``desk`` does, then runs ``body``."""
    return (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from desk.ui.app import create_window\n"
        f"app, w, store = create_window(Path({str(db)!r}))\n"
        "from PySide6.QtCore import Qt, QTimer\n" + body + "app.exec()\n"
    )


def spawn(script: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """Run an ``app_script`` in a fresh Python, its lines readable from ``stdout``."""
    return subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def startup(words: int, starts: int = 5) -> tuple[list[float], list[float]]:
    """Process start → main window shown with a draft of ``words`` words, and → its page.

    "Shown" is the window's first frame: drafts list, the draft in the editor,
    the preview pane saying it is starting. "Page" is when the preview then
    holds the rendered article (Chromium starts after the first frame).
    """
    folder = Path(tempfile.mkdtemp())
    make_db(folder / "desk.db", words)
    script = app_script(
        folder / "desk.db",
        "w.preview._placeholder.painted.connect(lambda: print('SHOWN', flush=True))\n"
        "w.preview.loaded.connect(lambda ok: (print('PAGE', ok, flush=True), os._exit(0)))\n",
    )
    env = {**os.environ, "DESK_HOME": str(folder)}
    # As on a writer's laptop: Python keeps compiled modules in __pycache__
    # (some CI machines forbid it, which makes every start compile jinja2,
    # markdown-it and sqlite-utils again). One unmeasured start warms it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    shown, page = [], []
    for n in range(starts + 1):
        t0 = time.perf_counter()
        proc = spawn(script, env)
        assert proc.stdout is not None
        tree = []
        for line in proc.stdout:
            if line.startswith("SHOWN") and n:
                shown.append(time.perf_counter() - t0)
            elif line.startswith("PAGE"):
                if n:
                    page.append(time.perf_counter() - t0)
                with contextlib.suppress(psutil.Error):
                    tree = psutil.Process(proc.pid).children(recursive=True)
                assert line.split()[1] == "True", "the preview page did not load"
                break
        proc.wait()
        # Chromium's helpers outlive the app by a moment: let them go before the next start.
        psutil.wait_procs(tree, timeout=10)
    return shown, page


def app_memory(words: int) -> tuple[int, int]:
    """Peak memory of one app's process tree (QtWebEngine helpers included), while typing.

    Returns (sum of PSS, sum of RSS). Chromium's processes share most of their
    pages (one zygote forks the others), so summing RSS counts shared pages
    once per process; PSS splits each shared page between its sharers and is
    the honest total, as long as the measuring process does not map the same
    Qt libraries itself (``main`` runs this before it imports Qt). Both are
    reported.
    """
    folder = Path(tempfile.mkdtemp())
    make_db(folder / "desk.db", words)
    script = app_script(
        folder / "desk.db",
        "from PySide6.QtTest import QTest\n"
        "def typing():\n"
        "    s = w.session.article.sections[len(w.session.article.sections) // 2]\n"
        "    ed = w.editor.sections.editor(s.id); ed.focus_at(0)\n"
        "    for _ in range(100):\n"
        "        QTest.keyClick(ed.body, Qt.Key.Key_A); app.processEvents()\n"
        "    QTimer.singleShot(2000, lambda: (print('DONE', flush=True), os._exit(0)))\n"
        "w.preview.loaded.connect(lambda _ok: QTimer.singleShot(500, typing))\n",
    )
    proc = spawn(script, {**os.environ, "DESK_HOME": str(folder)})
    root = psutil.Process(proc.pid)
    peak_pss = peak_rss = 0
    while proc.poll() is None:
        pss = rss = 0
        for p in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                info = p.memory_full_info()
                pss += info.pss
                rss += info.rss
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        time.sleep(0.1)
    return peak_pss, peak_rss


def main() -> None:
    parts = sys.argv[1:] or ["keys", "full", "memory", "startup"]
    if "memory" in parts:
        # First, while this process has no Qt loaded: PSS splits each shared page
        # among every process mapping it, so a parent holding the same Qt
        # libraries would take half of them off the app's bill.
        for words in (5_000, 50_000):
            pss, rss = app_memory(words)
            print(
                f"peak memory of one app's process tree (incl. QtWebEngine helpers), "
                f"{words:,}-word draft, typing: PSS {pss / 1_048_576:.0f} MB "
                f"(RSS summed: {rss / 1_048_576:.0f} MB)"
            )
    import PySide6.QtWebEngineWidgets  # noqa: F401  (before QApplication)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841
    if "keys" in parts:
        results, paced = {}, {}
        for words in (800, 5_000, 50_000):
            keystrokes(words, 20, full=False)  # warm-up
            results[words] = report(
                f"keystroke → preview DOM, {words:,} words, back to back",
                keystrokes(words, 400, full=False),
            )
            paced[words] = report(
                f"keystroke → preview DOM, {words:,} words, a key every {PACE_MS} ms",
                keystrokes(words, 200, full=False, pace=PACE_MS / 1000),
            )
        for name, r in (("back to back", results), ("paced", paced)):
            print(
                f"difference in median 800 vs 50,000 words, {name}: "
                f"{abs(r[50_000]['median'] - r[800]['median']):.3f} ms"
            )
    if "full" in parts:
        for words in (800, 50_000):
            report(
                f"keystroke → preview DOM, {words:,} words (full re-render, comparison)",
                keystrokes(words, 15 if words > 800 else 40, full=True),
            )
    if "startup" in parts:
        shown, page = startup(5_000)
        report("start-up: process start → window shown, 5,000-word draft", shown)
        report("start-up: process start → preview page loaded, same draft", page)


if __name__ == "__main__":
    main()
