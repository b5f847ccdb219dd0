"""The open draft's session: saving when the disk says no, and what the writer sees."""

from __future__ import annotations

import sqlite3

from desk.profiles import load_site_profile
from desk.store.drafts import DraftStore
from desk.store.seed import starter_article
from desk.ui.editor.session import ArticleSession


def test_a_full_disk_keeps_the_text_and_saves_when_it_can(qtbot, tmp_path, monkeypatch):
    store = DraftStore(tmp_path / "s.db")
    article = store.create(starter_article())
    session = ArticleSession(store, load_site_profile(), article)
    states: list[str] = []
    session.saveState.connect(states.append)
    real = store.autosave

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "autosave", full)
    session.set_section_text(article.sections[0].id, body="Words typed while the disk is full.")
    assert session.save_now() is False
    assert states[-1] == "error" and "disk is full" in session.last_error
    assert session.unsaved and session.autosave.pending  # it will try again
    monkeypatch.setattr(store, "autosave", real)
    qtbot.waitUntil(lambda: states[-1] == "saved", timeout=6000)
    assert DraftStore(tmp_path / "s.db").load(article.id).sections[0].body == (
        "Words typed while the disk is full."
    )


def test_word_count_follows_edits_without_recounting_everything(qtbot, tmp_path):
    store = DraftStore(tmp_path / "w.db")
    article = store.create(starter_article())
    session = ArticleSession(store, load_site_profile(), article)
    seen: list[tuple[int, int]] = []
    session.stats.connect(lambda w, m: seen.append((w, m)))
    before = session.words()
    session.set_section_text(article.sections[1].id, body=article.sections[1].body + " two more")
    # the count follows on the next turn of the event loop, after the preview patch
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == before + 2)
    assert session.words() == before + 2
    assert len(seen) == 1
