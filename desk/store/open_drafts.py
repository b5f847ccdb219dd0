"""Which windows have which draft open: leases with a heartbeat, across processes.

Two Desk windows (or two copies of Desk) may open one database. The version
counter already keeps either from overwriting the other; these leases let the
second window *say* so when the draft opens. A lease is one row per window
(``window_id``), renewed by :func:`renew`; a row counts only while its
heartbeat is recent and, on this computer, while its process still exists,
so a crashed Desk never warns forever.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from desk.model.article import utcnow
from desk.store.db import write
from desk.store.drafts import DraftStore

#: A window renews its lease well within this; older rows are from dead windows.
LEASE_TTL = timedelta(minutes=2)
#: This computer's name, without importing ``socket`` or ``platform`` at start-up.
HOST = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")


@dataclass(frozen=True)
class Lease:
    window_id: str
    article_id: str
    pid: int
    host: str
    opened_at: datetime
    seen_at: datetime


def _alive(pid: int, host: str) -> bool:
    """Whether the process is still there; unknowable for another computer's (then: yes)."""
    if host != HOST or os.name != "posix":
        # On Windows os.kill(pid, 0) would *terminate* the process: rely on the heartbeat.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def claim(store: DraftStore, window_id: str, article_id: str) -> None:
    """This window now shows ``article_id`` (replacing what it showed before)."""
    now = utcnow().isoformat()
    with write(store) as conn:
        conn.execute(
            "INSERT INTO open_drafts (window_id, article_id, pid, host, opened_at, seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(window_id) DO UPDATE SET "
            "article_id = excluded.article_id, opened_at = CASE WHEN "
            "open_drafts.article_id = excluded.article_id THEN open_drafts.opened_at "
            "ELSE excluded.opened_at END, seen_at = excluded.seen_at, pid = excluded.pid",
            (window_id, article_id, os.getpid(), HOST, now, now),
        )


def renew(store: DraftStore, window_id: str) -> None:
    with write(store) as conn:
        conn.execute(
            "UPDATE open_drafts SET seen_at = ? WHERE window_id = ?",
            (utcnow().isoformat(), window_id),
        )


def release(store: DraftStore, window_id: str) -> None:
    try:
        with write(store) as conn:
            conn.execute("DELETE FROM open_drafts WHERE window_id = ?", (window_id,))
    except sqlite3.Error:  # closing anyway; the heartbeat runs out on its own
        pass


def others(store: DraftStore, window_id: str, article_id: str) -> list[Lease]:
    """Live leases of other windows on ``article_id``, oldest first; dead ones are removed."""
    now = utcnow()
    rows = store.conn.execute(
        "SELECT window_id, article_id, pid, host, opened_at, seen_at FROM open_drafts "
        "WHERE article_id = ? AND window_id != ? ORDER BY opened_at",
        (article_id, window_id),
    ).fetchall()
    live: list[Lease] = []
    dead: list[str] = []
    for wid, aid, pid, host, opened, seen in rows:
        lease = Lease(
            wid, aid, pid, host, datetime.fromisoformat(opened), datetime.fromisoformat(seen)
        )
        if now - lease.seen_at > LEASE_TTL or not _alive(pid, host):
            dead.append(wid)
        else:
            live.append(lease)
    if dead:
        with write(store) as conn:
            conn.executemany("DELETE FROM open_drafts WHERE window_id = ?", [(w,) for w in dead])
    return live


def data_version(store: DraftStore) -> int:
    """Changes whenever *another* connection commits: a cheap "anything new?" poll."""
    return int(store.conn.execute("PRAGMA data_version").fetchone()[0])


def stored_version(store: DraftStore, article_id: str) -> tuple[int, datetime] | None:
    """The draft's version counter and last content change, or None once it is gone."""
    row = store.conn.execute(
        "SELECT version, changed_at FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    return None if row is None else (int(row[0]), datetime.fromisoformat(row[1]))
