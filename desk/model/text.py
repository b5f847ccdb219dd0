"""Word counts and reading time, as a writer's status bar shows them."""

from __future__ import annotations

import math
import re

from desk.model.article import Article

WORDS_PER_MINUTE = 238  # Brysbaert 2019, silent reading of non-fiction

_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WORD = re.compile(r"[^\W_]+(?:['’.\-]+[^\W_]+)*")


def count_words(text: str) -> int:
    """Count words in Markdown; link targets are not words the reader sees."""
    return len(_WORD.findall(_LINK_TARGET.sub("]", text)))


def article_words(article: Article) -> int:
    """Words a reader reads below the headline: standfirst, subheadings, bodies."""
    total = count_words(article.standfirst)
    for s in article.sections:
        total += count_words(s.subheading) + count_words(s.body)
    return total


def reading_minutes(words: int) -> int:
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0
