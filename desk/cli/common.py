"""What every command shares: exit codes, the one-line error, opening the store, reading a file."""

from __future__ import annotations

import argparse
from pathlib import Path

from desk.paths import resolve_db_path
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
