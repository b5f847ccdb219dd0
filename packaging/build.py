"""Build the desktop app: ``uv run python packaging/build.py``.

Runs PyInstaller on ``packaging/desk.spec`` with the repository's fixed paths
(work files in ``packaging/build``, the app in ``packaging/dist/desk``), then
prints how long it took and how big the result is, the two numbers that
decide whether a trim or a new dependency was worth it.

``--if-stale`` skips the build when the last one is still current, meaning
it started after every file it is made from last changed (a cheap mtime
check). The packaging test uses it so a second local test run does not spend
a minute rebuilding; CI starts from a clean checkout and always builds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "desk.spec"
DIST = HERE / "dist"
WORK = HERE / "build"
APP_DIR = DIST / "desk"
EXECUTABLE = APP_DIR / ("desk.exe" if sys.platform == "win32" else "desk")
#: Touched with the time a successful build *started*: a file saved during the
#: build is then newer than the stamp and the next ``--if-stale`` rebuilds.
STAMP = DIST / "desk.stamp"
#: What the frozen app is made of. uv.lock stands for the installed dependencies.
INPUTS = (
    ROOT / "desk",
    ROOT / "resources",
    SPEC,
    HERE / "desk_main.py",
    ROOT / "uv.lock",
)


def _input_files() -> Iterator[Path]:
    for item in INPUTS:
        if item.is_file():
            yield item
        elif item.is_dir():
            for path in item.rglob("*"):
                # Bytecode caches change whenever anything imports the package.
                if path.is_file() and "__pycache__" not in path.parts:
                    yield path


def stale_reason() -> str:
    """Why a build is needed, or ``""`` when the last build is newer than all its inputs."""
    if not EXECUTABLE.is_file() or not STAMP.is_file():
        return "no previous build"
    if STAMP.read_text(encoding="utf-8").strip() != "trimmed":
        return "the last build was not trimmed"
    built = STAMP.stat().st_mtime
    for path in _input_files():
        if path.stat().st_mtime > built:
            return f"{path.relative_to(ROOT)} changed since the last build"
    return ""


def folder_size(folder: Path) -> int:
    """Bytes of all regular files below *folder* (symlinks not followed)."""
    total = 0
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def build(*, clean: bool = False, trim: bool = True) -> int:
    """Run PyInstaller; return its exit status."""
    started = time.time()
    STAMP.unlink(missing_ok=True)  # an interrupted build must not look current
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
        "--log-level",
        "WARN",
    ]
    if clean:
        command.append("--clean")
    env = dict(os.environ)
    if not trim:
        env["DESK_BUILD_NO_TRIM"] = "1"
    print("$ " + " ".join(command), flush=True)
    code = subprocess.call(command, cwd=ROOT, env=env)
    elapsed = time.time() - started
    if code != 0:
        print(f"PyInstaller failed (exit {code}) after {elapsed:.0f} s", file=sys.stderr)
        return code
    STAMP.write_text("trimmed\n" if trim else "untrimmed\n", encoding="utf-8")
    os.utime(STAMP, (started, started))
    size = folder_size(APP_DIR)
    print(f"built {EXECUTABLE.relative_to(ROOT)} in {elapsed:.0f} s")
    print(f"{APP_DIR.relative_to(ROOT)}/: {size / 1e6:.0f} MB in files")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--if-stale", action="store_true", help="do nothing if the last build is still current"
    )
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first")
    parser.add_argument(
        "--no-trim", action="store_true", help="leave in what desk.spec normally trims"
    )
    args = parser.parse_args(argv)
    if args.if_stale:
        reason = stale_reason()
        if not reason:
            print(f"{EXECUTABLE.relative_to(ROOT)} is current; not rebuilding")
            return 0
        print(f"building: {reason}", flush=True)
    return build(clean=args.clean, trim=not args.no_trim)


if __name__ == "__main__":
    raise SystemExit(main())
