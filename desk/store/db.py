"""Opening the SQLite file with the settings every connection needs.

WAL lets the editor read while an autosave writes; ``synchronous=FULL`` makes
each commit durable before the store says "saved"; a busy timeout turns a
second app instance's write into a short wait instead of "database is locked";
``BEGIN IMMEDIATE`` takes the write lock up front, so a read transaction never
has to be upgraded (an upgrade that WAL cannot wait out).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
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


class DatabaseFullError(StoreError):
    """The disk (or file system) has no room for the write; nothing was written."""


class DatabaseBusyError(StoreError):
    """Another process held the write lock longer than the busy timeout."""


class ReadOnlyDatabaseError(StoreError):
    """The file, its folder or its file system cannot be written."""


class NewerDatabaseError(StoreError):
    """The database was migrated by a newer Desk; this one must not write it."""


class EmptyDatabaseError(StoreError):
    """A zero-length file where a database should be: reported, never reused."""


class MissingFolderError(StoreError):
    """A database asked for in a folder that does not exist: a typo until confirmed."""


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


class _Connection(sqlite3.Connection):
    """A connection that remembers why it must not write (a database from a newer Desk)."""

    read_only_reason: str | None = None


# Primary result codes (the low byte of ``sqlite_errorcode``).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26
#: Errors about the program, not the file: these stay as they are.
_NOT_FAULTS = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)


def store_error(exc: sqlite3.Error, path: Path | str | None) -> StoreError:
    """The one line a writer reads for a database fault, chosen by SQLite's result code.

    The wording matters: "not a Desk database" is said only when SQLite says
    the file is not a database at all, because a user told that may delete
    it; a read-only disk or a busy file gets words that say the file is fine.
    """
    where = str(path) if path else "the draft database"
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc)
    if code == _SQLITE_FULL or "database or disk is full" in text:
        return DatabaseFullError(
            f"{where}: the disk is full; nothing was saved (free some space and try again)"
        )
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
        return DatabaseBusyError(
            f"{where}: the database is in use by another program (waited "
            f"{BUSY_TIMEOUT_MS / 1000:g} s); nothing was saved, try again"
        )
    if code == _SQLITE_READONLY or "readonly database" in text:
        return ReadOnlyDatabaseError(
            f"{where}: the database file, its folder or its disk is read-only; "
            "nothing can be saved there"
        )
    if (code == _SQLITE_CANTOPEN or "unable to open database file" in text) and _on_read_only_disk(
        path
    ):
        return ReadOnlyDatabaseError(
            f"{where}: the disk it is on is mounted read-only; Desk needs to write beside the "
            "database even to read it (copy it to a writable folder to open it)"
        )
    if code == _SQLITE_CANTOPEN or "unable to open database file" in text:
        return StoreError(
            f"{where}: cannot open the database file (check that it and its folder "
            "can be read and written)"
        )
    if code in (_SQLITE_NOTADB, _SQLITE_CORRUPT) or "not a database" in text:
        return StoreError(f"{where} is not a Desk database, or is damaged: {text}")
    if code == _SQLITE_IOERR:
        return StoreError(f"{where}: the disk reported an error ({text}); nothing was saved")
    return StoreError(f"{where}: database error: {text}")


def _on_read_only_disk(path: Path | str | None) -> bool:
    if not path or not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(Path(path).parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _translated(exc: BaseException, path: Path | str | None) -> BaseException:
    if isinstance(exc, sqlite3.Error) and not isinstance(exc, _NOT_FAULTS):
        return store_error(exc, path)
    return exc


def connect(path: Path, *, create_folders: bool = True) -> sqlite3.Connection:
    """Open (or create) the draft database at *path*, ready for Desk.

    *create_folders* is for the default location only: a mistyped ``--db``
    must not quietly make folders and a fresh database. An existing empty
    file (a failed copy or sync) is reported, never turned into a new
    database; a database from a newer Desk opens read-only.
    """
    path = Path(path)
    _check_path(path, create_folders)
    try:
        if create_folders:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
        )
    except OSError as exc:
        raise StoreError(f"cannot open the draft database {path}: {exc.strerror or exc}") from exc
    except sqlite3.Error as exc:
        raise store_error(exc, path) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"{path}: cannot switch to WAL journal (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        pending, done = _migration_state(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise store_error(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    unknown = sorted(done - {fn.__name__ for fn in STEPS})
    if unknown:
        conn.read_only_reason = _newer_message(path, len(done), unknown)
        conn.execute("PRAGMA query_only = ON")
        return conn
    if pending:
        try:
            # One IMMEDIATE transaction around every migration (they nest as
            # savepoints), so two first starts on one file migrate one at a time.
            db = as_database(conn)
            with write(db):
                build_migrations().apply(db)
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"cannot prepare the draft database {path}: {exc}") from exc
    return conn


def read_only_reason(conn: sqlite3.Connection) -> str | None:
    """Why *conn* refuses every write (a database from a newer Desk), or None."""
    return getattr(conn, "read_only_reason", None)


def _check_path(path: Path, create_folders: bool) -> None:
    try:
        size = path.stat().st_size if path.exists() else None
    except OSError as exc:
        raise StoreError(f"cannot open the draft database {path}: {exc.strerror}") from exc
    if size == 0:
        # A first start in another process creates the file empty and writes
        # the header within milliseconds: look once more before refusing.
        time.sleep(0.3)
        if path.stat().st_size == 0:
            raise EmptyDatabaseError(
                f"{path} is empty (0 bytes), perhaps a failed copy or sync; not opened and not "
                "replaced (restore it from a backup, or delete it to start a new database)"
            )
    if size is None and not create_folders and not path.parent.is_dir():
        raise MissingFolderError(
            f"{path}: the folder {path.parent} does not exist; check the path, or create a "
            f"new database there with `desk new-db {path}`"
        )


def _newer_message(path: Path, theirs: int, unknown: list[str]) -> str:
    from desk import __version__

    return (
        f"{path} was written by a newer Desk (database schema {theirs}, with "
        f"{unknown[-1]}); this is Desk {__version__} (schema {len(STEPS)}), which may read it "
        "but will not change it: update Desk"
    )


def _migration_state(conn: sqlite3.Connection) -> tuple[bool, set[str]]:
    """Whether any step is unrecorded, and the recorded names, read with plain SQL.

    Plain SQL keeps sqlite-utils out of start-up; names this Desk does not know
    mean a newer Desk has migrated the file.
    """
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return True, set()
    done = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
        )
    }
    return any(fn.__name__ not in done for fn in STEPS), done


def as_database(conn: sqlite3.Connection) -> Database:
    """The sqlite-utils view of a connection, for migrations and table utilities."""
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)


class _HasConn(Protocol):
    @property
    def conn(self) -> sqlite3.Connection: ...


@contextlib.contextmanager
def write(db: _HasConn) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken with the lock up front.

    SQLite faults (full disk, lock held too long, read-only file) leave as
    :class:`StoreError` subclasses with a plain message; the transaction is
    rolled back, so nothing is half-written.
    """
    conn = db.conn
    path = getattr(db, "path", None)
    reason = read_only_reason(conn)
    if reason:
        raise NewerDatabaseError(reason)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise _translated(exc, path) from exc
    try:
        yield conn
    except BaseException as exc:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        translated = _translated(exc, path)
        if translated is exc:
            raise
        raise translated from exc
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise _translated(exc, path) from exc
