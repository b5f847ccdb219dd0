"""Re-render the page after an edit to one ~300-word section of a 50,000-word article.

Run: ``uv run python benchmarks/bench_render.py``. Also prints, from the same
run, a full render (cold cache) for comparison, and the single-section
fragment the live preview patches.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stats import prose, report

from desk.model.article import Article, Dateline, Section
from desk.profiles import load_site_profile
from desk.render.page import PageRenderer


def long_article(words: int = 50_000, per_section: int = 300) -> Article:
    rng = random.Random(7)
    return Article(
        headline="A Very Long Investigation",
        dateline=Dateline("Chicago", "Illinois"),
        category="Politics",
        sections=[
            Section(subheading=f"Part {i}" if i else "", body=prose(rng, per_section))
            for i in range(words // per_section)
        ],
    )


def main(runs: int = 200) -> None:
    profile = load_site_profile()
    article = long_article()
    target = article.sections[len(article.sections) // 2]

    full = []
    for _ in range(max(10, runs // 10)):
        t0 = time.perf_counter()
        PageRenderer(profile).render_page(article)
        full.append(time.perf_counter() - t0)

    renderer = PageRenderer(profile)
    renderer.render_page(article)
    page_times, section_times = [], []
    for i in range(runs):
        target.body += f" edit{i}"
        t0 = time.perf_counter()
        renderer.render_page(article)
        page_times.append(time.perf_counter() - t0)
        target.body += "."
        t0 = time.perf_counter()
        renderer.render_section(article, target.id)
        section_times.append(time.perf_counter() - t0)
    assert renderer.markdown_renders == len(article.sections) + 2 * runs
    print(f"article: {len(article.sections)} sections, 50,000 words")
    report("full render, cold cache (comparison)", full)
    report("page re-render after one section edit (cached parts)", page_times)
    report("render_section for the edited section (preview patch)", section_times)


if __name__ == "__main__":
    main()
