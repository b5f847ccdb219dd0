"""Shared timing helpers: every benchmark prints median and p99 in milliseconds."""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence

WORDS = [
    "the",
    "council",
    "vote",
    "budget",
    "harbor",
    "security",
    "minister",
    "talks",
    "alliance",
    "deterrence",
    "report",
    "county",
    "ledger",
    "payment",
    "official",
    "said",
    "would",
    "could",
    "market",
    "energy",
    "price",
    "policy",
    "court",
    "election",
    "border",
    "trade",
    "sanctions",
    "missile",
    "defense",
    "treaty",
    "officials",
    "residents",
    "city",
    "state",
    "nation",
    "program",
    "public",
    "record",
    "data",
    "review",
    "plan",
    "week",
    "month",
    "year",
    "government",
    "agency",
    "spokesman",
    "statement",
    "according",
    "sources",
    "familiar",
    "matter",
    "regional",
    "stability",
    "pressure",
]


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def report(name: str, seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    result = {"median": statistics.median(ms), "p99": percentile(ms, 99), "n": len(ms)}
    print(
        f"{name:<58} median {result['median']:8.3f} ms   p99 {result['p99']:8.3f} ms"
        f"   (n={len(ms)})"
    )
    return result


_SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]


def _vocabulary(size: int = 20_000) -> tuple[list[str], list[float]]:
    """A Zipf-distributed vocabulary (s = 1.0), as word use in real prose is.

    The topic words above take the common ranks; made-up words fill the long
    tail, so a query for a rare word behaves as it would on real copy.
    """
    rng = random.Random(99)
    words = list(WORDS)
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    cumulative, total = [], 0.0
    for rank in range(1, size + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


VOCABULARY, _CUMULATIVE = _vocabulary()


def prose(rng: random.Random, words: int) -> str:
    """Deterministic text in paragraphs of about 60 words, Zipf-distributed."""
    out, paragraph = [], []
    picks = rng.choices(VOCABULARY, cum_weights=_CUMULATIVE, k=words)
    for i, word in enumerate(picks):
        paragraph.append(word)
        if len(paragraph) >= 60 or i == words - 1:
            paragraph[0] = paragraph[0].capitalize()
            out.append(" ".join(paragraph) + ".")
            paragraph = []
    return "\n\n".join(out)
