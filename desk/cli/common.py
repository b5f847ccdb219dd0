"""What every command shares: exit codes, the one-line error, opening the store, reading a file."""

from __future__ import annotations

import argparse
import configparser
import re
from pathlib import Path

from desk.paths import resolve_db_path, settings_path
from desk.store.drafts import DraftStore
from desk.store.seed import ensure_starter

EXIT_OK, EXIT_ERROR, EXIT_BLOCKED = 0, 1, 3


class CliError(Exception):
    """An expected failure: its message is the whole story for the user."""


def open_store(args: argparse.Namespace) -> DraftStore:
    store = DraftStore(resolve_db_path(args.db))
    ensure_starter(store)
    return store


def read_text_file(path: str) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not valid UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror}") from None


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
