"""Durable files, all-or-nothing folder replacement, and reproducible zips.

A bundle is built in a hidden temp folder next to its destination (same
file system, so the final ``rename`` is atomic), every file and folder is
fsynced, and only then does the bundle take the destination's name. A bundle
already there is moved aside first and deleted only once the new one (and
its zip) are in place; any failure puts it back. POSIX cannot rename a
folder over a non-empty folder, so there is a moment with the new bundle not
yet in place; it never holds a partial bundle.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

#: Zip entries that are already compressed gain nothing from deflate.
_STORED_SUFFIXES = (".jpg", ".png", ".gif", ".webp", ".avif", ".car", ".bin")
_ZIP_FILE_MODE = 0o100644  # regular file, rw-r--r--
_ZIP_UNIX = 3


def write_file(path: Path, data: bytes) -> None:
    """Write and fsync: after a crash the file is either whole or the bundle is not in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def fsync_dir(path: Path) -> None:
    """Make a folder's entries durable (a no-op where folders cannot be opened, i.e. Windows)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    for folder, _, _ in os.walk(root):
        fsync_dir(Path(folder))


def current_umask() -> int:
    """The process umask, read without changing it where Linux allows (``/proc``)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temp_dir_beside(dest: Path, tag: str) -> Path:
    """A hidden folder in ``dest``'s parent; readable like any published folder."""
    path = Path(tempfile.mkdtemp(prefix=f".{dest.name}.{tag}-", dir=dest.parent))
    path.chmod(0o755)  # mkdtemp makes 0700, which a web server could not read
    return path


def temp_file_beside(dest: Path, tag: str) -> Path:
    """A hidden file in ``dest``'s parent, with the mode ``open()`` would have given it.

    mkstemp makes 0600, so a zip or review package ended up private while the
    bundle beside it was not; the user's umask decides, as for any file they save.
    """
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.{tag}-", dir=dest.parent)
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o666 & ~current_umask())
    finally:
        os.close(fd)
    return Path(name)


def replace_file(dest: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``dest`` whole or not at all, through a temp file nobody can plant.

    ``mkstemp`` creates the temp file with ``O_EXCL`` under an unpredictable
    name in ``dest``'s folder, so a symlink planted at a guessable name cannot
    redirect the write to another file; the rename then replaces ``dest``
    itself (a symlink at ``dest`` is replaced, not followed). On any failure
    the temp file is removed and ``dest`` is as it was.
    """
    if dest.is_dir():
        raise IsADirectoryError(21, "is a folder", str(dest))
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.chmod(mode)  # mkstemp makes 0600; a page is for reading
        os.replace(tmp, dest)
    except BaseException:
        remove_quietly(tmp)
        raise


#: A temp folder or zip untouched this long belongs to an export that was killed.
STALE_AFTER_S = 15 * 60
#: What ``temp_dir_beside(dest, "tmp")`` and ``temp_file_beside(zip, "tmp")`` name
#: (``mkdtemp``/``mkstemp`` add eight characters of ``[a-z0-9_]``).
_TEMP_DIR = re.compile(r"\.[^/]+\.tmp-[a-z0-9_]{8}")
_TEMP_ZIP = re.compile(r"\.[^/]+\.zip\.tmp-[a-z0-9_]{8}")
#: Everything a bundle under construction can hold at its top level.
_BUNDLE_ENTRIES = frozenset({"content", "ipfs", "index.html", "article.json", "manifest.json"})


def clean_stale_temps(folder: Path, *, max_age: float = STALE_AFTER_S) -> list[Path]:
    """Remove what killed exports left in *folder*; return what was removed.

    Only entries that are certainly ours go: the temp names Desk makes, owned
    by this user, untouched for *max_age* seconds (an export still running in
    another process writes far more often), and for folders nothing but what
    a bundle holds. Moved-aside old bundles (``.old-``) are never touched:
    after a kill at the wrong moment they are the only copy.
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        is_zip = bool(_TEMP_ZIP.fullmatch(entry.name))
        is_dir = not is_zip and bool(_TEMP_DIR.fullmatch(entry.name))
        if not (is_dir or is_zip):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if now - info.st_mtime < max_age:
                continue
            if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
                continue
            if is_zip and stat.S_ISREG(info.st_mode):
                os.unlink(entry.path)
            elif is_dir and stat.S_ISDIR(info.st_mode):
                if not set(os.listdir(entry.path)) <= _BUNDLE_ENTRIES:
                    continue
                shutil.rmtree(entry.path)
            else:
                continue
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def remove_quietly(path: Path | None) -> None:
    """Best-effort cleanup on the failure path: never mask the original error."""
    if path is None:
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def install(
    new_dir: Path, dest_dir: Path, new_zip: Path | None = None, dest_zip: Path | None = None
) -> None:
    """Put a complete bundle (and its zip) in place, keeping the old one until both are.

    On any failure the destination is left exactly as it was and the new
    files stay where they were, for the caller to remove.
    """
    backup: Path | None = None
    if dest_dir.exists():
        backup = temp_dir_beside(dest_dir, "old")
        backup.rmdir()  # keep the unique name, free it for the rename
        os.rename(dest_dir, backup)
    try:
        os.rename(new_dir, dest_dir)
        try:
            if new_zip is not None and dest_zip is not None:
                os.replace(new_zip, dest_zip)
        except BaseException:
            os.rename(dest_dir, new_dir)
            raise
    except BaseException:
        if backup is not None:
            os.rename(backup, dest_dir)
        raise
    fsync_dir(dest_dir.parent)
    remove_quietly(backup)


def zip_timestamp(when: datetime) -> tuple[int, int, int, int, int, int]:
    """A zip date from the article's own time (UTC), clamped to what zip can store."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    t = aware.astimezone(UTC)
    if t.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if t.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)


def write_zip(dest: Path, files: Mapping[str, bytes], *, prefix: str, when: datetime) -> None:
    """A reproducible zip: sorted entries, one fixed timestamp, fixed permissions, no extras.

    Entries are ``<prefix>/<path>`` so unzipping recreates the bundle folder.
    """
    stamp = zip_timestamp(when)
    with open(dest, "wb") as fh:
        with zipfile.ZipFile(fh, "w") as zf:
            for path in sorted(files):
                info = zipfile.ZipInfo(f"{prefix}/{path}", date_time=stamp)
                info.create_system = _ZIP_UNIX
                info.external_attr = _ZIP_FILE_MODE << 16
                stored = path.lower().endswith(_STORED_SUFFIXES)
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                zf.writestr(info, files[path], compresslevel=None if stored else 6)
        fh.flush()
        os.fsync(fh.fileno())
