"""Leases on open drafts: live windows count, dead ones stop counting."""

from __future__ import annotations

from datetime import timedelta

from desk.model.article import utcnow
from desk.store import open_drafts
from desk.store.open_drafts import LEASE_TTL, claim, others, release, renew


def test_leases_of_other_windows_and_their_end(store):
    article = store.create()
    claim(store, "a", article.id)
    claim(store, "b", article.id)
    assert [lease.window_id for lease in others(store, "a", article.id)] == ["b"]
    first_opened = others(store, "a", article.id)[0].opened_at
    renew(store, "b")
    claim(store, "b", article.id)  # re-opened in the same window: still open since then
    assert others(store, "a", article.id)[0].opened_at == first_opened
    release(store, "b")
    assert others(store, "a", article.id) == []


def test_a_silent_heartbeat_ends_a_lease_even_on_another_computer(store):
    article = store.create()
    claim(store, "far", article.id)
    old = (utcnow() - LEASE_TTL - timedelta(seconds=1)).isoformat()
    store.conn.execute("UPDATE open_drafts SET host = 'elsewhere'")
    assert len(others(store, "me", article.id)) == 1  # another computer, recent: counts
    store.conn.execute("UPDATE open_drafts SET seen_at = ?", (old,))
    assert others(store, "me", article.id) == []
    assert store.conn.execute("SELECT count(*) FROM open_drafts").fetchone()[0] == 0


def test_data_version_moves_only_for_other_connections(store, tmp_path):
    from desk.store.drafts import DraftStore

    article = store.create()
    before = open_drafts.data_version(store)
    claim(store, "mine", article.id)
    assert open_drafts.data_version(store) == before
    other = DraftStore(store.path)
    try:
        claim(other, "theirs", article.id)
    finally:
        other.close()
    assert open_drafts.data_version(store) != before
    assert open_drafts.stored_version(store, article.id)[0] == article.version
