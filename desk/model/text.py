"""Word counts and reading time, as a writer's status bar shows them."""

from __future__ import annotations

import math
import re

from desk.model.article import Article, Section

WORDS_PER_MINUTE = 238  # Brysbaert 2019, silent reading of non-fiction

_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WORD = re.compile(r"[^\W_]+(?:['’.\-]+[^\W_]+)*")


def count_words(text: str) -> int:
    """Count words in Markdown; link targets are not words the reader sees."""
    return len(_WORD.findall(_LINK_TARGET.sub("]", text)))


def section_words(section: Section) -> int:
    return count_words(section.subheading) + count_words(section.body)


def article_words(article: Article) -> int:
    """Words a reader reads below the headline: standfirst, subheadings, bodies."""
    return count_words(article.standfirst) + sum(section_words(s) for s in article.sections)


def reading_minutes(words: int) -> int:
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0
