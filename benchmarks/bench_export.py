"""Export bundle: a 5,000-word article with three 2 MB images, CID and CAR included.

Run: ``uv run python benchmarks/bench_export.py`` (``--runs N``, ``--zip``).
The budget is a median of 300 ms: the editor clicks Export and waits for the
bundle, its CID and the verified CAR. Each run replaces the previous bundle
in the same folder, as repeated exports do, so the atomic swap and the
clean-up of the old bundle are part of the time; so are every fsync, the
checklist, the "export" snapshot in the store, and reading the CAR back.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stats import prose, report

from desk.export.bundle import export_article
from desk.model.article import Article, Dateline, Image, Section, Status
from desk.model.text import article_words
from desk.profiles import load_site_profile
from desk.store.drafts import DraftStore

BUDGET_MS = 300.0


def build_article(store: DraftStore, words: int = 5_000, per_section: int = 500) -> Article:
    """Deterministic copy and three incompressible 2 MB "photos" (shake-256 bytes)."""
    rng = random.Random(11)
    article = Article(
        slug="long-read",
        headline="Ports, Power and the Price of Delay: A Long Read",
        dateline=Dateline("Baltimore", "Maryland"),
        category="Economy",
        byline="Desk Benchmarks",
        standfirst="A deterministic 5,000-word article for timing exports.",
        tags=["benchmark", "ports"],
        sections=[
            Section(subheading=f"Part {i}" if i else "", body=prose(rng, per_section))
            for i in range(words // per_section)
        ],
        status=Status.APPROVED,
    )
    article = store.create(article)
    for i in range(3):
        data = hashlib.shake_256(f"photo{i}".encode()).digest(2_000_000)
        article.images.append(
            Image(
                sha256=store.add_blob(data, "image/jpeg"),
                filename=f"photo-{i}.jpg",
                alt=f"Photo {i}",
                caption=f"Caption {i}.",
                credit="Desk",
                section_id=article.sections[i * 3].id,
            )
        )
    store.save(article)
    return store.load(article.id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--zip", action="store_true", help="also time the zip")
    args = parser.parse_args()
    profile = load_site_profile()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with DraftStore(root / "bench.db") as store:
            article = build_article(store)
            out = root / "out"
            export_article(article, profile, store, out)  # warm caches and templates
            plain, zipped = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                result = export_article(article, profile, store, out)
                plain.append(time.perf_counter() - start)
                if args.zip:
                    start = time.perf_counter()
                    export_article(article, profile, store, out, make_zip=True)
                    zipped.append(time.perf_counter() - start)
        size = sum(f["size"] for f in result.manifest["files"])
        print(
            f"article: {article_words(article):,} words, 3 x 2 MB images; "
            f"bundle {size:,} bytes; CID {result.cid}"
        )
        stats = report("export_article (bundle + CID + CAR + verify)", plain)
        if zipped:
            report("export_article with --zip", zipped)
        verdict = "within" if stats["median"] <= BUDGET_MS else "OVER"
        print(f"median {stats['median']:.1f} ms is {verdict} the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    main()
