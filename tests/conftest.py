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
