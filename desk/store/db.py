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
from typing import TYPE_CHECKING, Protocol

from desk.store.schema import MIGRATION_SET, STEPS, build_migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """A store failure with a message fit for a writer's eyes."""


class NotFoundError(StoreError):
    pass


class SlugTakenError(StoreError):
    pass


class StaleWriteError(StoreError):
    """The draft changed elsewhere since it was loaded; nothing was overwritten."""

    def __init__(self, article_id: str, expected: int, actual: int, kept_revision: int) -> None:
        super().__init__(
            f"draft {article_id} was changed elsewhere (version {actual}, this copy is based "
            f"on {expected}); your text was kept as revision {kept_revision}"
        )
        self.article_id = article_id
        self.expected = expected
        self.actual = actual
        self.kept_revision = kept_revision


def connect(path: Path) -> sqlite3.Connection:
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
        pending = _pending_migrations(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path} is not a Desk database: {exc}") from exc
    if pending:
        try:
            # One IMMEDIATE transaction around every migration (they nest as
            # savepoints), so two first starts on one file migrate one at a time.
            db = as_database(conn)
            with write(db):
                build_migrations().apply(db)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"cannot prepare the draft database {path}: {exc}") from exc
    return conn


def _pending_migrations(conn: sqlite3.Connection) -> bool:
    """Whether any step is unrecorded, read with plain SQL (no sqlite-utils import)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return True
    done = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
        )
    }
    return any(fn.__name__ not in done for fn in STEPS)


def as_database(conn: sqlite3.Connection) -> Database:
    """The sqlite-utils view of a connection, for migrations and table utilities."""
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)


class _HasConn(Protocol):
    @property
    def conn(self) -> sqlite3.Connection: ...


@contextlib.contextmanager
def write(db: _HasConn) -> Iterator[sqlite3.Connection]:
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
