"""Schema migrations, recorded by sqlite-utils ``Migrations``.

Full-text search uses FTS5 tables with *external content* on articles and on
sections, kept current by triggers. Per-section rows mean an edit to one
section re-indexes that section only, which is what keeps autosave cheap on a
50,000-word article. Triggers fire only on the indexed columns, so reordering
sections or bumping a version never touches the index.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "desk"
#: In order. Plain functions here; ``build_migrations`` registers them with
#: sqlite-utils only when a database needs them, so an up-to-date database
#: opens without importing sqlite-utils at all (a fifth of start-up time).
STEPS: list[Callable[[Database], None]] = []


def step(fn: Callable[[Database], None]) -> Callable[[Database], None]:
    STEPS.append(fn)
    return fn


def build_migrations() -> Migrations:
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for fn in STEPS:
        migrations()(fn)
    return migrations


# No prefix indexes: they tripled the cost of re-indexing a section on every
# autosave, and prefix queries stay fast enough on the plain index.
_TOKENIZE = 'tokenize = "unicode61 remove_diacritics 2"'


def _fts_sql(table: str, columns: list[str]) -> str:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    return f"""
    CREATE VIRTUAL TABLE {fts} USING fts5(
      {cols}, content='{table}', content_rowid='rid', {_TOKENIZE});
    CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN
      INSERT INTO {fts}(rowid, {cols}) VALUES (new.rid, {new});
    END;
    CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN
      INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rid, {old});
    END;
    CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {table} BEGIN
      INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rid, {old});
      INSERT INTO {fts}(rowid, {cols}) VALUES (new.rid, {new});
    END;
    """


@step
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE articles (
          rid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          slug TEXT NOT NULL UNIQUE,
          headline TEXT NOT NULL DEFAULT '',
          dateline_city TEXT NOT NULL DEFAULT '',
          dateline_region TEXT NOT NULL DEFAULT '',
          dateline_date TEXT,
          category TEXT NOT NULL DEFAULT '',
          byline TEXT NOT NULL DEFAULT '',
          standfirst TEXT NOT NULL DEFAULT '',
          tags TEXT NOT NULL DEFAULT '[]',
          status TEXT NOT NULL DEFAULT 'draft',
          site TEXT NOT NULL DEFAULT 'openvoicenews',
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          changed_at TEXT NOT NULL,
          version INTEGER NOT NULL DEFAULT 1,
          trashed_at TEXT
        );
        CREATE TABLE sections (
          rid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          subheading TEXT NOT NULL DEFAULT '',
          body TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX sections_by_article ON sections(article_id, position);
        CREATE TABLE images (
          id TEXT PRIMARY KEY,
          article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          sha256 TEXT NOT NULL,
          filename TEXT NOT NULL DEFAULT '',
          media_type TEXT NOT NULL DEFAULT 'image/jpeg',
          alt TEXT NOT NULL DEFAULT '',
          caption TEXT NOT NULL DEFAULT '',
          credit TEXT NOT NULL DEFAULT '',
          section_id TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX images_by_article ON images(article_id, position);
        CREATE TABLE blobs (
          sha256 TEXT PRIMARY KEY,
          media_type TEXT NOT NULL,
          size INTEGER NOT NULL,
          data BLOB NOT NULL
        );
        CREATE TABLE revisions (
          id INTEGER PRIMARY KEY,
          article_id TEXT NOT NULL,
          created_at TEXT NOT NULL,
          reason TEXT NOT NULL,
          author TEXT NOT NULL DEFAULT '',
          version INTEGER NOT NULL,
          document TEXT NOT NULL
        );
        CREATE INDEX revisions_by_article ON revisions(article_id, id);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
        + _fts_sql("articles", ["headline", "standfirst"])
        + _fts_sql("sections", ["subheading", "body"])
    )


@step
def m002_review(db: Database) -> None:
    """Annotations and the status history of the review workflow."""
    db.executescript(
        """
        CREATE TABLE annotations (
          id TEXT PRIMARY KEY,
          article_id TEXT NOT NULL,
          document TEXT NOT NULL,
          modified TEXT NOT NULL
        );
        CREATE INDEX annotations_by_article ON annotations(article_id);
        CREATE TABLE status_history (
          id INTEGER PRIMARY KEY,
          article_id TEXT NOT NULL,
          status TEXT NOT NULL,
          who TEXT NOT NULL DEFAULT '',
          at TEXT NOT NULL
        );
        CREATE INDEX status_history_by_article ON status_history(article_id, id);
        """
    )


@step
def m003_open_drafts(db: Database) -> None:
    """Which Desk window has which draft open, so a second window on it can warn.

    One row per window (a lease), refreshed by a heartbeat; rows of a process
    that died are ignored once its pid is gone or its heartbeat is old.
    """
    db.executescript(
        """
        CREATE TABLE open_drafts (
          window_id TEXT PRIMARY KEY,
          article_id TEXT NOT NULL,
          pid INTEGER NOT NULL,
          host TEXT NOT NULL,
          opened_at TEXT NOT NULL,
          seen_at TEXT NOT NULL
        );
        CREATE INDEX open_drafts_by_article ON open_drafts(article_id);
        """
    )


@step
def m004_publish(db: Database) -> None:
    """The publish queue (one job per article and destination) and what was published.

    A job keeps everything needed to resume after a dropped connection or a
    killed app: which files are sent, the multipart upload id and the parts the
    server has. ``published_objects`` remembers the ETag of every key Desk wrote,
    so a republish can make conditional writes (``If-Match``) and notice a
    newer version someone else published.
    """
    db.executescript(
        """
        CREATE TABLE publish_jobs (
          id INTEGER PRIMARY KEY,
          article_id TEXT NOT NULL,
          destination TEXT NOT NULL,
          slug TEXT NOT NULL,
          bundle TEXT NOT NULL,
          manifest_sha256 TEXT NOT NULL,
          cid TEXT NOT NULL,
          state TEXT NOT NULL,
          bytes_done INTEGER NOT NULL DEFAULT 0,
          bytes_total INTEGER NOT NULL DEFAULT 0,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_retry_at TEXT,
          error TEXT NOT NULL DEFAULT '',
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX publish_jobs_by_article ON publish_jobs(article_id, destination);
        CREATE TABLE publish_files (
          job_id INTEGER NOT NULL,
          key TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          size INTEGER NOT NULL,
          state TEXT NOT NULL DEFAULT 'pending',
          etag TEXT NOT NULL DEFAULT '',
          upload_id TEXT NOT NULL DEFAULT '',
          part_size INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (job_id, key)
        );
        CREATE TABLE publish_parts (
          job_id INTEGER NOT NULL,
          key TEXT NOT NULL,
          part_number INTEGER NOT NULL,
          etag TEXT NOT NULL,
          size INTEGER NOT NULL,
          PRIMARY KEY (job_id, key, part_number)
        );
        CREATE TABLE published_objects (
          destination TEXT NOT NULL,
          key TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          etag TEXT NOT NULL,
          PRIMARY KEY (destination, key)
        );
        CREATE TABLE publications (
          id INTEGER PRIMARY KEY,
          article_id TEXT NOT NULL,
          destination TEXT NOT NULL,
          published_at TEXT NOT NULL,
          url TEXT NOT NULL,
          cid TEXT NOT NULL,
          manifest_sha256 TEXT NOT NULL,
          who TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX publications_by_article ON publications(article_id, id);
        """
    )


@step
def m005_status_note(db: Database) -> None:
    """A note with each status move ("Request changes: …"), shown to the other side."""
    db.execute("ALTER TABLE status_history ADD COLUMN note TEXT NOT NULL DEFAULT ''")


@step
def m006_slug_fixed_at(db: Database) -> None:
    """When the slug stopped following the headline: first export, send or publication.

    Drafts exported, sent or published before this column existed are marked
    from what the store already recorded of those events.
    """
    db.executescript(
        """
        ALTER TABLE articles ADD COLUMN slug_fixed_at TEXT;
        UPDATE articles SET slug_fixed_at = coalesce(
          (SELECT min(created_at) FROM revisions r WHERE r.article_id = articles.id
             AND r.reason IN ('export', 'sent for review')),
          (SELECT min(at) FROM status_history h WHERE h.article_id = articles.id
             AND h.status = 'published'));
        """
    )
