"""Test setup: every path a test could write to points into a temp folder.

Qt reads its platform once, so the offscreen platform is chosen before any Qt
import. Chromium refuses to run sandboxed as root, hence the sandbox switch.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --disable-logging")

# QtWebEngine must be imported before the QApplication exists (pytest-qt
# creates it lazily); a machine without it simply runs the fallback tests.
try:
    import PySide6.QtWebEngineWidgets  # noqa: F401

    HAVE_WEBENGINE = True
except ImportError:  # pragma: no cover - depends on the machine
    HAVE_WEBENGINE = False

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Redirect DESK_HOME and the XDG folders so nothing touches the real user's data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DESK_HOME", str(home / "desk"))
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ):
        (home / sub).mkdir(mode=0o700)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def store(tmp_path: Path):
    from desk.store.drafts import DraftStore

    s = DraftStore(tmp_path / "drafts.db")
    yield s
    s.close()


@pytest.fixture
def profile():
    from desk.profiles import load_site_profile

    return load_site_profile()


def run_desk(*args: str, env: dict[str, str] | None = None, input: bytes | None = None):
    """Run the real ``desk`` entry point in a child process."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "desk", *args],
        capture_output=True,
        input=input,
        env={**os.environ, **(env or {})},
        timeout=120,
        cwd=REPO,
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ui.db"


@pytest.fixture
def make_window(qtbot, db_path: Path):
    """Open the real main window on a real database; closes it (saving) at the end."""
    from desk.store.drafts import DraftStore
    from desk.store.seed import ensure_starter
    from desk.ui.main_window import MainWindow

    made = []

    def make(path: Path | None = None):
        store = DraftStore(path or db_path)
        ensure_starter(store)
        window = MainWindow(store)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append((window, store))
        return window

    yield make
    for window, store in made:
        if window.isVisible():
            window.close()
        store.close()


def js(qtbot, preview, script: str, timeout: int = 10_000):
    """Run JavaScript in the preview page and wait for its result."""
    box: list[object] = []
    preview.run_js(script, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    return box[0]


@pytest.fixture
def panel(qtbot):
    """The comments panel, shown, for the review widget tests."""
    from review_fixtures import make_panel

    return make_panel(qtbot)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory):
    """One real S3 server (SeaweedFS) on loopback for the whole session."""
    from s3_fixtures import run_seaweedfs

    with run_seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as server:
        yield server
