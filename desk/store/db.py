"""Opening the SQLite file with the settings every connection needs.

WAL lets the editor read while an autosave writes; ``synchronous=FULL`` makes
each commit durable before the store says "saved"; a busy timeout turns a
second app instance's write into a short wait instead of "database is locked";
``BEGIN IMMEDIATE`` takes the write lock up front, so a read transaction never
has to be upgraded (an upgrade that WAL cannot wait out).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from desk.store.schema import migrations

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """A store failure with a message fit for a writer's eyes."""


def connect(path: Path) -> Database:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open the draft database {path}: {exc}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"{path}: cannot switch to WAL journal (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path} is not a Desk database: {exc}") from exc
    db = Database(conn)
    try:
        # One IMMEDIATE transaction around every migration (they nest as
        # savepoints), so two first starts on one file migrate one at a time.
        with write(db):
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"cannot prepare the draft database {path}: {exc}") from exc
    return db


@contextlib.contextmanager
def write(db: Database) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken with the lock up front."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
