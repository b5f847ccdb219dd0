"""Draft store: autosave of one section in a 50,000-word article; FTS over 10,000 drafts.

Run: ``uv run python benchmarks/bench_store.py`` (``--drafts N`` to change the corpus).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stats import prose, report

from desk.model.article import Article, Dateline, Section
from desk.store.db import write
from desk.store.drafts import DraftStore


def long_article(rng: random.Random, words: int = 50_000, per_section: int = 300) -> Article:
    return Article(
        headline="A Very Long Investigation",
        dateline=Dateline("Chicago", ""),
        category="Politics",
        sections=[
            Section(subheading=f"Part {i}", body=prose(rng, per_section))
            for i in range(words // per_section)
        ],
    )


def bench_autosave(folder: Path, runs: int) -> None:
    rng = random.Random(1)
    store = DraftStore(folder / "autosave.db")
    article = store.create(long_article(rng))
    store.autosave(article)  # first save of a session takes the base snapshot
    target = article.sections[len(article.sections) // 2]
    times = []
    for i in range(runs):
        target.body += f" word{i}"
        t0 = time.perf_counter()
        store.autosave(article)
        times.append(time.perf_counter() - t0)
    report("autosave: 1 changed section of a 50,000-word article", times)
    store.close()


def bench_search(folder: Path, drafts: int, runs: int) -> None:
    rng = random.Random(2)
    store = DraftStore(folder / "search.db")
    t0 = time.perf_counter()
    with write(store.db):  # one transaction: generating the corpus is not what we measure
        for n in range(drafts):
            article = Article(
                headline=f"{prose(rng, 8)} {n}",
                standfirst=prose(rng, 25),
                sections=[
                    Section(subheading=prose(rng, 3), body=prose(rng, 240)) for _ in range(4)
                ],
            )
            article.slug = f"draft-{n}"
            _insert(store, article)
    print(f"(generated {drafts} drafts of ~1,000 words in {time.perf_counter() - t0:.1f} s)")
    # Real searches are for names and topics: words of middling frequency.
    # The most common words (rank 1-10, in nearly every draft) are the worst
    # case and are reported apart.
    from _stats import VOCABULARY

    typical = [VOCABULARY[r] for r in (60, 150, 400, 900, 2000, 5000)]
    queries = [
        typical[0],
        typical[1],
        typical[2],
        typical[3],
        f"{typical[0]} {typical[4]}",
        f"{typical[1]} {typical[5]}",
    ]
    times = []
    for _ in range(runs):
        for q in queries:
            t0 = time.perf_counter()
            store.search(q, limit=50)
            times.append(time.perf_counter() - t0)
    report(f"search, typical queries over {drafts} drafts (top 50)", times)
    for q in queries:
        n = len(store.search(q, limit=100_000))
        print(f"    {q!r}: {n} matching drafts")
    # The drafts panel searches as the writer types: the last word is a prefix.
    typing = [w[:n] for w in typical[:4] for n in (4, 6)]
    times = []
    for _ in range(max(10, runs // 2)):
        for q in typing:
            t0 = time.perf_counter()
            store.search(q, limit=50, prefix=True)
            times.append(time.perf_counter() - t0)
    report(f"search as you type (prefix), {len(typing)} prefixes", times)
    for q in (VOCABULARY[0], f"{VOCABULARY[1]} {VOCABULARY[3]}"):
        times = []
        for _ in range(max(5, runs // 5)):
            t0 = time.perf_counter()
            store.search(q, limit=50)
            times.append(time.perf_counter() - t0)
        report(f"search, worst case {q!r} (in ~every draft)", times)
    store.close()


def _insert(store: DraftStore, article: Article) -> None:
    """Bulk insert inside the caller's transaction (create() opens its own)."""
    from desk.store import rows

    conn = store.conn
    conn.execute(
        "INSERT INTO articles (id, created_at, updated_at, changed_at, status, version, "
        + ", ".join(rows.HEADER_FIELDS)
        + ") VALUES (?, ?, ?, ?, 'draft', 1, "
        + ", ".join("?" * len(rows.HEADER_FIELDS))
        + ")",
        (
            article.id,
            article.created_at.isoformat(),
            article.updated_at.isoformat(),
            article.updated_at.isoformat(),
            *rows.header_values(article),
        ),
    )
    store._write_sections(conn, article, article.sections)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drafts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_autosave(Path(tmp), args.runs)
        bench_search(Path(tmp), args.drafts, max(30, args.runs // 4))


if __name__ == "__main__":
    main()
