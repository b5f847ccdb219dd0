"""Shared data for the review widget tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from desk.model.annotation import Annotation, field_text, make_annotation
from desk.model.article import Article, Dateline, Section
from desk.ui.review.annotations_panel import AnnotationsPanel

TIMEOUT = 20_000
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def article() -> Article:
    return Article(
        id="art1",
        headline="Council passes the budget",
        dateline=Dateline(city="Lagos", region="Nigeria"),
        byline="Ada Writer",
        standfirst="A late-night vote ends months of talks.",
        sections=[
            Section(id="s1", subheading="The vote", body="The council voted 7 to 2 on Tuesday."),
            Section(
                id="s2",
                subheading="Reaction",
                body='The **mayor** said "we did it" -- twice.\n\nCritics disagreed.',
            ),
        ],
    )


def note(
    a: Article, field: str, words: str, body: str, author: str = "Ed Itor", **kw: object
) -> Annotation:
    text = field_text(a, field) or ""
    start = text.index(words)
    made = make_annotation(a, field, start, start + len(words), body, author, "editor")
    return replace(made, **kw)


def threads(a: Article) -> list[Annotation]:
    return [
        note(a, "section:s2", "Critics", "Who?", created=T0),
        note(a, "section:s1", "Tuesday", "Which Tuesday?", created=T0),
        note(a, "byline", "Ada", "Full name", created=T0),
        note(a, "headline", "budget", "Say which budget", created=T0),
        note(a, "section:s1", "council", "Capital C?", created=T0),
        note(a, "subheading:s1", "vote", "Stronger verb", created=T0),
        note(a, "standfirst", "late-night", "How late?", created=T0),
    ]


def make_panel(qtbot) -> AnnotationsPanel:
    p = AnnotationsPanel()
    qtbot.addWidget(p)
    p.resize(420, 700)
    p.set_context("art1", "Ada Writer", "writer")
    p.set_section_order(["s1", "s2"])
    p.show()
    return p


def card_of(panel: AnnotationsPanel, body: str):
    return next(c for c in panel.cards.values() if c.annotation.body == body)
