"""No acknowledged keystroke is ever lost, whatever happens to the process."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk.model.article import Article, Section
from desk.store.drafts import DraftStore

WRITER = Path(__file__).with_name("writer_process.py")
REPO = Path(__file__).resolve().parents[1]


def spawn(db: Path, article_id: str, limit: int = 100_000) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), article_id, str(limit)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def make_article(db: Path, sections: int = 4) -> str:
    with DraftStore(db) as store:
        return store.create(
            Article(headline="Durability", sections=[Section(body="") for _ in range(sections)])
        ).id


@pytest.mark.slow
def test_sigkill_mid_write_loses_no_acknowledged_write(tmp_path):
    db = tmp_path / "kill.db"
    article_id = make_article(db)
    rng = random.Random(20261125)
    acked: set[int] = set()
    kills = 0
    for _ in range(60):
        proc = spawn(db, article_id)
        assert proc.stdout is not None
        wanted = rng.randint(1, 25)
        got = 0
        for line in proc.stdout:
            if line.startswith("ACK "):
                acked.add(int(line.split()[1]))
                got += 1
                if got >= wanted:
                    break
        # land the kill at a random point of the next transaction
        deadline = time.perf_counter() + rng.random() * 0.004
        while time.perf_counter() < deadline:
            pass
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        acked.update(int(x.split()[1]) for x in out.splitlines() if x.startswith("ACK "))
        assert proc.returncode == -signal.SIGKILL, err
        kills += 1
    assert kills >= 50
    with DraftStore(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        article = store.load(article_id)
        stored = {int(t) for s in article.sections for t in s.body.split()}
        store.conn.execute("INSERT INTO sections_fts(sections_fts) VALUES('integrity-check')")
    missing = acked - stored
    assert not missing, f"{len(missing)} acknowledged writes lost: {sorted(missing)[:10]}"
    assert len(acked) > 200


@pytest.mark.slow
def test_two_processes_on_one_database_never_fail_with_locked(tmp_path):
    db = tmp_path / "two.db"
    first, second = make_article(db), make_article(db)
    procs = [spawn(db, first, limit=300), spawn(db, second, limit=300)]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
        assert out.count("ACK") == 300
    with DraftStore(db) as store:
        for article_id in (first, second):
            body = " ".join(s.body for s in store.load(article_id).sections)
            assert sorted(int(t) for t in body.split()) == list(range(1, 301))
