"""File-system faults for the hardening tests: a tiny tmpfs that fills up, a read-only mount.

Tests run as root here, and root ignores file permissions (a ``chmod 0444``
database is still writable to root), so faults are made the way the kernel
enforces them for everyone: a tmpfs of a few KiB that really runs out of
space, and a mount remounted read-only. Where mounting is not allowed (not
root, a container without CAP_SYS_ADMIN) the tests using it skip, saying so.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _run(*cmd: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=30)
    except FileNotFoundError:
        return subprocess.CompletedProcess(cmd, 127, b"", f"{cmd[0]}: not installed".encode())


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of *size* (``mount -o size=``) at *where*, unmounted afterwards."""
    where.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()})")
    try:
        yield where
    finally:
        _run("umount", "-l", str(where))


def remount_read_only(where: Path) -> None:
    done = _run("mount", "-o", "remount,ro", str(where))
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only here ({done.stderr.decode().strip()})")


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[Path]:
    """``chattr +i``: not even root may write, rename or delete the file while it is set."""
    done = _run("chattr", "+i", str(path))
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not available here ({done.stderr.decode().strip()})")
    try:
        yield path
    finally:
        _run("chattr", "-i", str(path))
