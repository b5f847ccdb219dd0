import sqlite3
from datetime import date

import pytest

from desk.model.article import Article, Dateline, Section, Status
from desk.store.db import StoreError
from desk.store.drafts import DraftStore, NotFoundError, SlugTakenError, StaleWriteError
from desk.store.schema import build_migrations
from desk.store.seed import ensure_starter


def sample(headline="Storm Closes Harbor", n=3) -> Article:
    return Article(
        headline=headline,
        dateline=Dateline("Boston", "", date(2026, 1, 2)),
        category="World",
        byline="Kim",
        standfirst="Ships wait offshore.",
        tags=["weather"],
        sections=[
            Section(subheading=f"Part {i}" if i else "", body=f"Body number {i}.") for i in range(n)
        ],
    )


def test_migrations_from_an_empty_file(tmp_path):
    path = tmp_path / "new.db"
    s = DraftStore(path)
    tables = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master")}
    assert {
        "articles",
        "sections",
        "revisions",
        "articles_fts",
        "sections_fts",
        "annotations",
        "status_history",
        "open_drafts",
        "publish_jobs",
        "publish_parts",
        "publications",
    } <= tables
    applied = [m.name for m in build_migrations().applied(s.db)]
    assert applied == [
        "m001_initial",
        "m002_review",
        "m003_open_drafts",
        "m004_publish",
        "m005_status_note",
        "m006_slug_fixed_at",
    ]
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.close()
    again = DraftStore(path)
    assert [m.name for m in build_migrations().applied(again.db)] == applied
    again.close()


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"not a Desk database|cannot"):
        DraftStore(bad)
    assert bad.read_bytes() == b"this is not sqlite" * 100


def test_create_and_load_round_trip(store):
    a = store.create(sample())
    assert a.slug == "storm-closes-harbor" and a.version == 1
    assert store.load(a.id) == a
    assert store.load(a.slug) == a
    assert store.load(a.id[:8]) == a


def test_unknown_id_is_a_clear_error(store):
    with pytest.raises(NotFoundError, match="no draft"):
        store.load("missing")


def test_autosave_writes_only_the_changed_section(store):
    a = store.create(sample(n=5))
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    a.sections[3].body = "Edited text."
    result = store.autosave(a)
    store.conn.set_trace_callback(None)
    assert result.sections_written == 1 and not result.header_written
    written = " ".join(
        s
        for s in statements
        if s.startswith(("INSERT INTO sections", "UPDATE sections", "DELETE FROM sections"))
    )
    assert a.sections[3].id in written
    assert not any(s.id in written for i, s in enumerate(a.sections) if i != 3)
    assert DraftStore(store.path).load(a.id).sections[3].body == "Edited text."
    assert store.autosave(a).wrote is False


def test_autosave_of_header_order_deletion_and_new_section(store):
    a = store.create(sample(n=4))
    a.headline = "Storm Closes Two Harbors"
    a.sections.reverse()
    del a.sections[0]
    a.sections.append(Section(subheading="Late", body="Breaking."))
    store.autosave(a)
    fresh = DraftStore(store.path).load(a.id)
    assert fresh.headline == "Storm Closes Two Harbors"
    assert [s.body for s in fresh.sections] == [s.body for s in a.sections]
    assert fresh.version == a.version == 2


def test_status_change_keeps_content_timestamp(store):
    a = store.create(sample())
    store.set_status(a.id, Status.IN_REVIEW, who="Ed")
    b = store.load(a.id)
    assert b.status is Status.IN_REVIEW and b.updated_at == a.updated_at
    assert store.status_history(a.id)[-1][:2] == ("in_review", "Ed")


def test_full_text_search(store):
    a = store.create(sample("Harbor Pilots Strike"))
    b = store.create(sample("Council Budget Vote"))
    b.sections[2].body = "The mayor’s office said the café would reopen."
    b.sections[1].body = "Pilots were not consulted."
    store.autosave(b)
    assert [r.id for r in store.search("harbor")] == [a.id]
    assert [r.id for r in store.search("cafe")] == [b.id]  # diacritics folded
    assert [r.id for r in store.search("pilots mayor")] == [b.id]  # terms across sections
    assert {r.id for r in store.search("pilot", prefix=True)} == {a.id, b.id}  # as you type
    assert store.search("pilot") == []  # whole words otherwise
    assert store.search('"unbalanced (quote AND') == []  # never FTS syntax
    assert [r.id for r in store.search("ships offshore")] == [a.id, b.id] or {
        r.id for r in store.search("ships offshore")
    } == {a.id, b.id}
    assert store.search("pilots")[0].id == a.id  # headline ranks first
    store.trash(a.id)
    assert [r.id for r in store.search("harbor")] == []
    store.restore(a.id)
    assert [r.id for r in store.search("harbor")] == [a.id]


def test_search_follows_edits_and_deletes(store):
    a = store.create(sample())
    a.sections[1].body = "zeppelin"
    store.autosave(a)
    assert store.search("zeppelin")
    del a.sections[1]
    store.autosave(a)
    assert store.search("zeppelin") == []


def test_trash_restore_and_purge(store):
    a = store.create(sample())
    store.trash(a.id)
    assert store.list_drafts() == [] and [d.id for d in store.list_drafts(trashed=True)] == [a.id]
    store.restore(a.id)
    assert [d.id for d in store.list_drafts()] == [a.id]
    with pytest.raises(NotFoundError):
        store.purge(a.id)  # only from the trash
    store.trash(a.id)
    store.purge(a.id)
    assert store.count() == 0
    assert store.conn.execute("SELECT count(*) FROM sections").fetchone()[0] == 0


def test_revisions_list_and_restore(store):
    a = store.create(sample())
    rev = store.snapshot(a, "manual")
    a.sections[0].body = "Rewritten lead."
    store.autosave(a)
    restored = store.restore_revision(rev)
    assert restored.sections[0].body == "Body number 0."
    assert store.load(a.id).sections[0].body == "Body number 0."
    reasons = [r.reason for r in store.revisions(a.id)]
    assert reasons[0].startswith("restored revision") and "before restore" in reasons
    before = next(r for r in store.revisions(a.id) if r.reason == "before restore")
    assert store.revision_article(before.id).sections[0].body == "Rewritten lead."


def test_stale_write_is_detected_and_local_text_kept(tmp_path):
    path = tmp_path / "shared.db"
    one, two = DraftStore(path), DraftStore(path)
    a = one.create(sample())
    mine, theirs = one.load(a.id), two.load(a.id)
    theirs.sections[0].body = "Their edit."
    two.autosave(theirs)
    mine.sections[0].body = "My edit."
    with pytest.raises(StaleWriteError) as info:
        one.autosave(mine)
    assert one.load(a.id).sections[0].body == "Their edit."
    kept = one.revision_article(info.value.kept_revision)
    assert kept.sections[0].body == "My edit."
    assert "changed elsewhere" in str(info.value)


def test_slugs_are_unique(store):
    a = store.create(sample())
    b = store.create(sample())
    assert b.slug == "storm-closes-harbor-2"
    b.slug = a.slug
    with pytest.raises(SlugTakenError):
        store.autosave(b)


def test_duplicate_makes_an_independent_draft(store):
    a = store.create(sample())
    b = store.duplicate(a.id)
    assert b.id != a.id and b.slug != a.slug and b.headline.endswith("(copy)")
    assert {s.id for s in a.sections}.isdisjoint({s.id for s in b.sections})
    b.sections[0].body = "changed"
    store.autosave(b)
    assert store.load(a.id).sections[0].body == "Body number 0."


def test_blobs_are_content_addressed(store):
    digest = store.add_blob(b"\x89PNG fake", "image/png")
    assert store.add_blob(b"\x89PNG fake", "image/png") == digest
    assert store.blob(digest) == b"\x89PNG fake"


def test_starter_is_seeded_once(store):
    article = ensure_starter(store)
    assert article and len(article.sections) >= 2 and article.dateline.city
    assert article.category == "Politics"
    assert ensure_starter(store) is None
    store.trash(article.id)
    store.purge(article.id)
    assert ensure_starter(store) is None and store.count() == 0


def test_busy_database_waits_instead_of_failing(tmp_path):
    path = tmp_path / "busy.db"
    one, two = DraftStore(path), DraftStore(path)
    a = one.create(sample())
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    import threading

    timer = threading.Timer(0.3, lambda: blocker.execute("COMMIT"))
    timer.start()
    b = two.load(a.id)
    b.sections[0].body = "waited"
    two.autosave(b)  # would raise "database is locked" without the busy timeout
    timer.join()
    assert one.load(a.id).sections[0].body == "waited"


def test_publishing_fixes_the_slug_and_a_copy_starts_free(store):
    a = store.create(sample())
    assert not store.slug_fixed(a.id)
    store.set_status(a.id, Status.PUBLISHED, who="Kim")
    assert store.slug_fixed(a.id)
    copy = store.duplicate(a.id)
    assert not store.slug_fixed(copy.id)


def test_the_slug_migration_marks_drafts_already_exported_sent_or_published(tmp_path, monkeypatch):
    import desk.store.db as db_module
    import desk.store.schema as schema

    path = tmp_path / "old.db"
    steps = list(schema.STEPS)
    monkeypatch.setattr(schema, "STEPS", steps[:2])  # a database from before m003
    monkeypatch.setattr(db_module, "STEPS", steps[:2])
    old = DraftStore(path)
    exported, sent, published, plain = (old.create(sample(f"Story {i}")) for i in range(4))
    old.snapshot(exported, "export")
    old.snapshot(sent, "sent for review")
    with old.conn:
        old.conn.execute(
            "INSERT INTO status_history (article_id, status, who, at) VALUES (?, ?, '', ?)",
            (published.id, "published", "2026-01-02T00:00:00+00:00"),
        )
    old.close()
    monkeypatch.setattr(schema, "STEPS", steps)
    monkeypatch.setattr(db_module, "STEPS", steps)
    s = DraftStore(path)
    assert [s.slug_fixed(a.id) for a in (exported, sent, published, plain)] == [
        True,
        True,
        True,
        False,
    ]
    s.close()
