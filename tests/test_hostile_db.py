"""Database faults and surprises (issue 12, items 14-16), from the command line.

Each case ends as one line on stderr and exit 1, says what is wrong with
words that never suggest deleting a good file, and leaves the database as
it was. Faults are real, not mocked: a tmpfs that fills up, ``chattr +i``,
a file system remounted read-only (tests run as root, and root ignores
``chmod``; see ``hostile_fs``), a second connection holding the write lock.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hostile_fs import immutable, remount_read_only, tmpfs

from desk import __version__
from desk.cli import main
from desk.store import db as store_db
from desk.store.drafts import DraftStore
from desk.store.schema import STEPS


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], *args: object) -> str:
    """Run a command that must fail; return its one line."""
    code, _, err = run(capsys, *args)
    assert code == 1, err
    [line] = err.splitlines()
    assert line.startswith("desk: ") and "not a Desk database" not in line, line
    return line


def ids(capsys: pytest.CaptureFixture[str], db: Path) -> list[str]:
    code, out, err = run(capsys, "--db", db, "list", "--json")
    assert code == 0, err
    return [d["id"] for d in json.loads(out)]


def big_markdown(tmp_path: Path, paragraphs: int = 600) -> Path:
    md = tmp_path / "big.md"
    body = "\n\n".join(f"Paragraph {i} " + "word " * 200 for i in range(paragraphs))
    md.write_text(f"---\ntitle: A Very Long Report\n---\n{body}\n", encoding="utf-8")
    return md


# --- 14: full disk, lock held, read-only ------------------------------------------


def test_import_onto_a_full_disk_is_one_line_and_loses_nothing(tmp_path, capsys) -> None:
    """A 512 KiB tmpfs holds the new database (~140 KB) but not a 600 KB import."""
    md = big_markdown(tmp_path)
    with tmpfs(tmp_path / "disk", "512k") as disk:
        db = disk / "desk.db"
        before = ids(capsys, db)
        line = refused(capsys, "--db", db, "import", md)
        assert "the disk is full" in line and "nothing was saved" in line
        assert ids(capsys, db) == before
        assert run(capsys, "--db", db, "new", "--headline", "Small")[0] == 0  # still usable


def test_a_write_while_another_process_holds_the_lock(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 300)
    db = tmp_path / "desk.db"
    before = ids(capsys, db)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        line = refused(capsys, "--db", db, "new", "--headline", "Blocked")
        assert "in use by another program" in line and "0.3 s" in line
        line = refused(capsys, "--db", db, "import", big_markdown(tmp_path, 3))
        assert "in use by another program" in line
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ids(capsys, db) == before


def test_an_immutable_database_file_is_reported_as_read_only(tmp_path, capsys) -> None:
    """``chattr +i``: SQLite opens the file read-only; reading works, writing is one line."""
    db = tmp_path / "desk.db"
    before = ids(capsys, db)
    with immutable(db):
        assert ids(capsys, db) == before
        line = refused(capsys, "--db", db, "new", "--headline", "Nope")
        assert "read-only" in line and "nothing can be saved" in line
    assert ids(capsys, db) == before


def test_a_read_only_file_system_is_not_called_a_bad_database(tmp_path, capsys) -> None:
    """Before the fix this said "is not a Desk database", which invites deleting a good file."""
    with tmpfs(tmp_path / "disk", "2m") as disk:
        db = disk / "desk.db"
        before = ids(capsys, db)
        remount_read_only(disk)
        for args in (("list",), ("new", "--headline", "Nope")):
            line = refused(capsys, "--db", db, *args)
            assert "mounted read-only" in line
        assert db.stat().st_size > 0
    assert before


# --- 15: a database from a newer Desk ----------------------------------------------


def make_newer(db: Path) -> None:
    with DraftStore(db):
        pass
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('desk', 'm099_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()


def test_a_newer_database_is_read_but_never_written(tmp_path, capsys) -> None:
    db = tmp_path / "desk.db"
    before = ids(capsys, db)
    make_newer(db)
    assert ids(capsys, db) == before  # reading is safe
    for args in (("new", "--headline", "X"), ("import", big_markdown(tmp_path, 2))):
        line = refused(capsys, "--db", db, *args)
        assert "newer Desk" in line and f"Desk {__version__}" in line
        assert f"schema {len(STEPS) + 1}" in line and f"schema {len(STEPS)})" in line
        assert "m099_from_the_future" in line
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(before)
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(STEPS) + 1
    conn.close()


# --- 16: empty files and mistyped paths ----------------------------------------------


def test_an_empty_database_file_is_reported_not_reused(tmp_path, capsys) -> None:
    """Before the fix a 0-byte desk.db silently became a new database with the starter."""
    db = tmp_path / "desk.db"
    db.touch()
    for args in (("list",), ("new", "--headline", "X")):
        line = refused(capsys, "--db", db, *args)
        assert "is empty (0 bytes)" in line
    assert db.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["desk.db"]


def test_an_empty_database_at_the_default_place_is_reported_too(capsys, isolated_home) -> None:
    default = isolated_home / "desk" / "desk.db"
    default.parent.mkdir(parents=True)
    default.touch()
    line = refused(capsys, "list")
    assert str(default) in line and "is empty" in line
    assert default.stat().st_size == 0


def test_a_mistyped_db_path_creates_nothing(tmp_path, capsys) -> None:
    """Before the fix ``--db a/b/c/desk.db`` made the folders and a database."""
    db = tmp_path / "a" / "b" / "c" / "desk.db"
    line = refused(capsys, "--db", db, "list")
    assert "does not exist" in line and f"desk new-db {db}" in line
    assert not (tmp_path / "a").exists()


def test_new_db_creates_a_database_where_asked_and_never_replaces_one(tmp_path, capsys) -> None:
    db = tmp_path / "a" / "b" / "desk.db"
    code, out, err = run(capsys, "new-db", db)
    assert code == 0 and out.strip() == str(db), err
    assert len(ids(capsys, db)) == 1  # the starter, as at the default place
    line = refused(capsys, "new-db", db)
    assert "already exists" in line
    empty = tmp_path / "empty.db"
    empty.touch()
    assert "already exists" in refused(capsys, "new-db", empty)
    assert empty.stat().st_size == 0
