"""The frozen desktop app: build it with PyInstaller, then run what a user would run.

The build takes about a minute on a 2-core machine, so it is reused while it
is newer than everything it is made from (``packaging/build.py --if-stale``);
CI starts from a clean checkout and always builds. Deselect while iterating
with ``-m "not slow"`` (or ``-m "not packaging"``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from desk import __version__
from desk.selftest import ENV_NO_WEBENGINE

pytestmark = [pytest.mark.packaging, pytest.mark.slow]

BUILD_SCRIPT = REPO / "packaging" / "build.py"
APP_DIR = REPO / "packaging" / "dist" / "desk"
EXECUTABLE = APP_DIR / ("desk.exe" if sys.platform == "win32" else "desk")
BUILD_TIMEOUT_S = 15 * 60
RUN_TIMEOUT_S = 180
SELFTEST_CHECKS = (
    "resources",
    "site profile",
    "database",
    "image",
    "render masthead",
    "render headline",
    "render dateline lead",
    "checklist",
    "export",
    "export images",
    "manifest checksums",
    "CID of content/",
    "CAR",
    "QtWebEngine page load",
)


@pytest.fixture(scope="module")
def frozen_desk() -> Path:
    """The built ``desk`` executable, built now unless the last build is still current."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (it is in the dev group: `uv sync`)")
    if sys.platform.startswith("linux") and shutil.which("objdump") is None:
        pytest.fail(
            "PyInstaller needs objdump on Linux: install binutils (apt-get install binutils)"
        )
    proc = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--if-stale"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"the PyInstaller build failed:\n{log[-6000:]}"
    print(log[-2000:])  # build time and size, shown with -s or on failure
    assert EXECUTABLE.is_file(), f"the build did not produce {EXECUTABLE}"
    return EXECUTABLE


def run_frozen(
    executable: Path, *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the frozen app as a user would: offscreen, no test-only Chromium flags.

    It runs from a folder outside the checkout, so nothing can be found
    through the working directory; resources must come from the bundle.
    """
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QTWEBENGINE_CHROMIUM_FLAGS", ENV_NO_WEBENGINE, "PYTHONPATH")
    }
    clean["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [str(executable), *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )


def test_frozen_version(frozen_desk: Path, tmp_path: Path) -> None:
    proc = run_frozen(frozen_desk, "--version", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"desk {__version__}"


def test_frozen_selftest(frozen_desk: Path, tmp_path: Path) -> None:
    # No system time zones, as on Windows: the export's dates need the bundled tzdata.
    no_zones = tmp_path / "no-zoneinfo"
    no_zones.mkdir()
    proc = run_frozen(frozen_desk, "--selftest", cwd=tmp_path, env={"PYTHONTZPATH": str(no_zones)})
    output = proc.stdout
    assert proc.returncode == 0, f"{output}\n{proc.stderr[-4000:]}"
    lines = output.splitlines()
    assert lines[0].startswith(f"desk {__version__} selftest, frozen build in")
    for name in SELFTEST_CHECKS:
        assert any(line.startswith(f"ok      {name}: ") for line in lines), (name, output)
    resources = next(line for line in lines if line.startswith("ok      resources: "))
    assert str(APP_DIR) in resources, "resources must come from inside the bundle"
    assert not [line for line in lines if line.startswith(("FAILED", "skip"))], output
    assert lines[-1].startswith("selftest passed:")


def test_frozen_cli_commands(frozen_desk: Path, tmp_path: Path) -> None:
    """Ordinary commands on a user database: the lazily imported layers are in the bundle."""
    db = str(tmp_path / "frozen.db")
    listed = run_frozen(frozen_desk, "--db", db, "list", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    (starter,) = json.loads(listed.stdout)
    assert starter["headline"].startswith("County Opens Public Ledger")
    exported = run_frozen(
        frozen_desk, "--db", db, "export", starter["id"], "--out", "out", "--zip", cwd=tmp_path
    )
    assert exported.returncode == 0, exported.stderr
    bundle = tmp_path / "out" / starter["slug"]
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tool"]["version"] == __version__
    assert (bundle / manifest["ipfs"]["car"]).is_file()
    assert (tmp_path / "out" / f"{starter['slug']}.zip").is_file()
