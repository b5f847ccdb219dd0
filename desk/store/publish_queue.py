"""The publish queue and the record of publications, in the draft database.

The queue lives beside the drafts so that a publish survives whatever happens
to the process: every finished file and every multipart part is committed the
moment the server confirms it, and a restarted publish reads from here where
it stopped. Nothing secret is kept: credentials stay in the keychain.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from desk.model.article import utcnow
from desk.store.db import write

if TYPE_CHECKING:
    from desk.store.drafts import DraftStore

#: Job states. ``paused`` is a failure that a retry may fix (offline, a 500);
#: ``failed`` needs a person (credentials, bucket); ``conflict`` needs a decision.
STATES = ("queued", "uploading", "verifying", "published", "paused", "failed", "conflict")
OPEN_STATES = ("queued", "uploading", "verifying", "paused", "failed", "conflict")


@dataclass(frozen=True)
class Job:
    id: int
    article_id: str
    destination: str
    slug: str
    bundle: str
    manifest_sha256: str
    cid: str
    state: str
    bytes_done: int
    bytes_total: int
    attempts: int
    next_retry_at: str | None
    error: str


@dataclass(frozen=True)
class FileRow:
    key: str
    sha256: str
    size: int
    state: str
    etag: str
    upload_id: str
    part_size: int


@dataclass(frozen=True)
class Publication:
    article_id: str
    destination: str
    published_at: datetime
    url: str
    cid: str
    manifest_sha256: str
    who: str


_JOB_COLS = (
    "id, article_id, destination, slug, bundle, manifest_sha256, cid, state, bytes_done, "
    "bytes_total, attempts, next_retry_at, error"
)


class PublishQueue:
    """Queue rows of one store; every method is one short transaction."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    # --- jobs -----------------------------------------------------------------

    def open_job(self, article_id: str, destination: str, manifest_sha256: str) -> Job | None:
        """An unfinished job for exactly this bundle: the one to resume."""
        row = self.conn.execute(
            f"SELECT {_JOB_COLS} FROM publish_jobs WHERE article_id = ? AND destination = ? "
            f"AND manifest_sha256 = ? AND state IN ({','.join('?' * len(OPEN_STATES))}) "
            "ORDER BY id DESC LIMIT 1",
            (article_id, destination, manifest_sha256, *OPEN_STATES),
        ).fetchone()
        return Job(*row) if row else None

    def superseded(self, article_id: str, destination: str, manifest_sha256: str) -> list[Job]:
        """Unfinished jobs for an older bundle of the article: their uploads can be dropped."""
        rows = self.conn.execute(
            f"SELECT {_JOB_COLS} FROM publish_jobs WHERE article_id = ? AND destination = ? "
            f"AND manifest_sha256 != ? AND state IN ({','.join('?' * len(OPEN_STATES))})",
            (article_id, destination, manifest_sha256, *OPEN_STATES),
        ).fetchall()
        return [Job(*r) for r in rows]

    def create_job(
        self,
        *,
        article_id: str,
        destination: str,
        slug: str,
        bundle: str,
        manifest_sha256: str,
        cid: str,
        files: list[tuple[str, str, int]],
    ) -> Job:
        """A queued job with its files (key, sha256, size) in upload order."""
        now = utcnow().isoformat()
        total = sum(size for _, _, size in files)
        with write(self.store) as conn:
            cur = conn.execute(
                "INSERT INTO publish_jobs (article_id, destination, slug, bundle, "
                "manifest_sha256, cid, state, bytes_total, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
                (article_id, destination, slug, bundle, manifest_sha256, cid, total, now, now),
            )
            job_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO publish_files (job_id, key, sha256, size) VALUES (?, ?, ?, ?)",
                [(job_id, key, sha, size) for key, sha, size in files],
            )
        return self.job(job_id)

    def job(self, job_id: int) -> Job:
        row = self.conn.execute(
            f"SELECT {_JOB_COLS} FROM publish_jobs WHERE id = ?", (job_id,)
        ).fetchone()
        return Job(*row)

    def jobs(self, article_id: str) -> list[Job]:
        rows = self.conn.execute(
            f"SELECT {_JOB_COLS} FROM publish_jobs WHERE article_id = ? ORDER BY id",
            (article_id,),
        ).fetchall()
        return [Job(*r) for r in rows]

    def set_state(
        self,
        job_id: int,
        state: str,
        *,
        error: str = "",
        retry_at: datetime | None = None,
        attempt: bool = False,
    ) -> None:
        if state not in STATES:
            raise ValueError(f"unknown publish state {state!r}")
        with write(self.store) as conn:
            conn.execute(
                "UPDATE publish_jobs SET state = ?, error = ?, next_retry_at = ?, "
                "attempts = attempts + ?, updated_at = ? WHERE id = ?",
                (
                    state,
                    error,
                    retry_at.isoformat() if retry_at else None,
                    1 if attempt else 0,
                    utcnow().isoformat(),
                    job_id,
                ),
            )

    def add_bytes(self, job_id: int, n: int) -> None:
        with write(self.store) as conn:
            conn.execute(
                "UPDATE publish_jobs SET bytes_done = MIN(bytes_total, bytes_done + ?), "
                "updated_at = ? WHERE id = ?",
                (n, utcnow().isoformat(), job_id),
            )

    # --- files and parts --------------------------------------------------------

    def files(self, job_id: int) -> list[FileRow]:
        rows = self.conn.execute(
            "SELECT key, sha256, size, state, etag, upload_id, part_size FROM publish_files "
            "WHERE job_id = ? ORDER BY rowid",
            (job_id,),
        ).fetchall()
        return [FileRow(*r) for r in rows]

    def file_done(self, job_id: int, key: str, state: str, etag: str) -> None:
        """``sent`` or ``skipped``; the file's bytes count as done either way."""
        with write(self.store) as conn:
            conn.execute(
                "UPDATE publish_files SET state = ?, etag = ?, upload_id = '' "
                "WHERE job_id = ? AND key = ?",
                (state, etag, job_id, key),
            )
            conn.execute("DELETE FROM publish_parts WHERE job_id = ? AND key = ?", (job_id, key))

    def start_multipart(self, job_id: int, key: str, upload_id: str, part_size: int) -> None:
        with write(self.store) as conn:
            conn.execute(
                "UPDATE publish_files SET upload_id = ?, part_size = ? "
                "WHERE job_id = ? AND key = ?",
                (upload_id, part_size, job_id, key),
            )
            conn.execute("DELETE FROM publish_parts WHERE job_id = ? AND key = ?", (job_id, key))

    def part_done(self, job_id: int, key: str, number: int, etag: str, size: int) -> None:
        with write(self.store) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO publish_parts (job_id, key, part_number, etag, size) "
                "VALUES (?, ?, ?, ?, ?)",
                (job_id, key, number, etag, size),
            )
            conn.execute(
                "UPDATE publish_jobs SET bytes_done = MIN(bytes_total, bytes_done + ?), "
                "updated_at = ? WHERE id = ?",
                (size, utcnow().isoformat(), job_id),
            )

    def parts(self, job_id: int, key: str) -> dict[int, tuple[str, int]]:
        return {
            n: (etag, size)
            for n, etag, size in self.conn.execute(
                "SELECT part_number, etag, size FROM publish_parts WHERE job_id = ? AND key = ?",
                (job_id, key),
            )
        }

    # --- what the destination holds ----------------------------------------------

    def known_etag(self, destination: str, key: str) -> str:
        row = self.conn.execute(
            "SELECT etag FROM published_objects WHERE destination = ? AND key = ?",
            (destination, key),
        ).fetchone()
        return row[0] if row else ""

    def remember_objects(self, destination: str, objects: dict[str, tuple[str, str]]) -> None:
        """``key -> (sha256, etag)`` of what Desk wrote or found intact at the destination."""
        with write(self.store) as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO published_objects (destination, key, sha256, etag) "
                "VALUES (?, ?, ?, ?)",
                [(destination, k, sha, etag) for k, (sha, etag) in objects.items()],
            )

    def record_publication(self, job_id: int, url: str, who: str) -> Publication:
        job = self.job(job_id)
        now = utcnow()
        with write(self.store) as conn:
            conn.execute(
                "INSERT INTO publications (article_id, destination, published_at, url, cid, "
                "manifest_sha256, who) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    job.article_id,
                    job.destination,
                    now.isoformat(),
                    url,
                    job.cid,
                    job.manifest_sha256,
                    who,
                ),
            )
            conn.execute(
                "UPDATE publish_jobs SET state = 'published', error = '', next_retry_at = NULL, "
                "bytes_done = bytes_total, updated_at = ? WHERE id = ?",
                (now.isoformat(), job_id),
            )
        return Publication(
            job.article_id, job.destination, now, url, job.cid, job.manifest_sha256, who
        )

    def publications(self, article_id: str) -> list[Publication]:
        rows = self.conn.execute(
            "SELECT article_id, destination, published_at, url, cid, manifest_sha256, who "
            "FROM publications WHERE article_id = ? ORDER BY id",
            (article_id,),
        ).fetchall()
        return [
            Publication(a, d, datetime.fromisoformat(at), u, c, m, w)
            for a, d, at, u, c, m, w in rows
        ]
