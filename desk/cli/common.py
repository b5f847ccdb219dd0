"""What every command shares: exit codes, the one-line error, opening the store, reading a file."""

from __future__ import annotations

import argparse
import configparser
import errno
import os
import re
import stat

from desk.paths import resolve_db_path, settings_path
from desk.store.db import read_only_reason
from desk.store.drafts import DraftStore
from desk.store.seed import ensure_starter

EXIT_OK, EXIT_ERROR, EXIT_BLOCKED = 0, 1, 3


class CliError(Exception):
    """An expected failure: its message is the whole story for the user."""


def open_store(args: argparse.Namespace) -> DraftStore:
    """The store named by ``--db`` (which must be in an existing folder) or the default one."""
    store = DraftStore(resolve_db_path(args.db), create_folders=not args.db)
    try:
        if not read_only_reason(store.conn):
            ensure_starter(store)
    except BaseException:
        store.close()
        raise
    return store


#: A 50,000-word article is about 350 KB; this is room for any real one.
MAX_TEXT_FILE = 32 * 1024 * 1024


def read_text_file(path: str, limit: int = MAX_TEXT_FILE) -> str:
    """Read a UTF-8 file the user named, refusing what would hang or flood the process.

    ``O_NONBLOCK`` keeps opening a FIFO from waiting for a writer; the
    ``fstat`` of the opened descriptor (not of the name, which could change in
    between) then refuses FIFOs, devices (``/dev/zero`` never ends) and
    sockets, and the size is checked before a byte is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise CliError(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise CliError(f"{path}: not a regular file (a pipe, device or socket)")
        if info.st_size > limit:
            raise CliError(f"{path}: too large ({info.st_size:,} bytes; at most {limit:,})")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:  # grew while we read
            raise CliError(f"{path}: too large (more than {limit:,} bytes)")
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not valid UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise CliError(f"{path}: is a folder, not a file") from None
        raise CliError(f"{path}: {exc.strerror}") from None
    finally:
        os.close(fd)


_INI_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def _qsettings_string(raw: str) -> str | None:
    """A string value as QSettings writes it to INI: maybe quoted, escaped, ``@@`` for ``@``.

    Any other ``@Type(...)`` value is not a string and gives None.
    """
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = re.sub(
            r"\\(x[0-9a-fA-F]{1,4}|.)",
            lambda m: (
                chr(int(m.group(1)[1:], 16))
                if m.group(1)[0] == "x"
                else _INI_ESCAPES.get(m.group(1), m.group(1))
            ),
            value[1:-1],
        )
    if value.startswith("@@"):
        return value[1:]
    return None if value.startswith("@") else value


def preference(name: str) -> str:
    """One of the writer's Preferences (``writer_name``, ``role``) without importing Qt.

    The window keeps them with QSettings in an INI file; reading it here means
    a writer who set their name once is the same person on the command line.
    An unreadable or absent file is the same as an empty preference.
    """
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read(settings_path(), encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return ""
    raw = parser.get("preferences", name, fallback="")
    return (_qsettings_string(raw) or "").strip()
