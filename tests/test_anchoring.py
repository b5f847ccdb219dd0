from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.model.annotation import (
    Annotation,
    TextPositionSelector,
    TextQuoteSelector,
    make_annotation,
)
from desk.model.article import Article, Section
from desk.review.anchoring import MIN_SIMILARITY, reanchor, reanchor_all, similarity

BODY = (
    "The mayor said the harbor will reopen on Monday after the storm passes. "
    "Fishermen have waited offshore for four days, and the sea is still too rough."
)
QUOTE = "the harbor will reopen on Monday"


def article(body: str = BODY, **kw: str) -> Article:
    return Article(
        id="a1",
        headline=kw.get("headline", "Storm closes harbor"),
        sections=[Section(id="s1", subheading=kw.get("subheading", "Waiting"), body=body)],
    )


def comment(
    art: Article, quote: str = QUOTE, field: str = "section:s1", nth: int = 0
) -> Annotation:
    text = {
        "section:s1": art.sections[0].body,
        "headline": art.headline,
        "subheading:s1": art.sections[0].subheading,
    }[field]
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return make_annotation(art, field, start, start + len(quote), "Check this", "Eve", "editor")


def test_unchanged_text_is_exact():
    a = comment(article())
    found = reanchor(a, BODY)
    assert (found.how, found.start, found.end) == ("exact", a.position.start, a.position.end)


def test_insert_before_moves_the_span():
    a = comment(article())
    new = "UPDATE: " + BODY
    found = reanchor(a, new)
    assert found.how == "moved"
    assert (found.start, found.end) == (a.position.start + 8, a.position.end + 8)
    assert new[found.start : found.end] == QUOTE


def test_delete_before_moves_the_span():
    a = comment(article())
    new = BODY.replace("The mayor said ", "")
    found = reanchor(a, new)
    assert found.how == "moved"
    assert new[found.start : found.end] == QUOTE


def test_small_edit_inside_the_quote_is_fuzzy_and_keeps_the_words_commented_on():
    art = article()
    a = comment(art)
    art.sections[0].body = BODY.replace("the harbor will reopen", "the harbour would reopen")
    found = reanchor(a, art.sections[0].body)
    assert found.how == "fuzzy"
    assert art.sections[0].body[found.start : found.end] == "the harbour would reopen on Monday"
    assert MIN_SIMILARITY <= found.similarity < 1
    (b,) = reanchor_all(art, [a])
    assert b.quote == a.quote  # W3C ``exact``: the words the comment was made on
    assert b.current is not None and b.edited
    assert b.current.exact == "the harbour would reopen on Monday"
    assert b.current.prefix.endswith("The mayor said ")
    assert b.current.suffix.startswith(" after the storm")
    (c,) = reanchor_all(art, [b])  # the next round starts from the words as they are now
    assert (c.current, c.position) == (b.current, b.position)
    art.sections[0].body = BODY  # edited back: nothing differs any more
    (d,) = reanchor_all(art, [c])
    assert d.current is None and not d.edited and d.position == a.position
    assert not b.orphaned and b.modified == a.modified


@pytest.mark.parametrize(
    "edit",
    [
        ("Fishermen have waited", "Fishermen had been waiting"),  # near the start
        ("offshore for four", "off the coast for four"),  # in the middle
        ("still too rough.", "still far too rough."),  # near the end
        ("Fishermen have waited offshore", "Trawler crews sat at anchor"),  # head rewritten
    ],
)
def test_long_quotes_beyond_bitap_limit_are_found_after_edits(edit):
    quote = "Fishermen have waited offshore for four days, and the sea is still too rough."
    assert len(quote) > 32
    art = article()
    a = comment(art, quote)
    new = "A new lead paragraph. " + BODY.replace(*edit)
    found = reanchor(a, new)
    assert found.how == "fuzzy"
    assert new[found.start : found.end] == quote.replace(*edit)


def test_repeated_quote_is_told_apart_by_its_context():
    body = "Smith said no. Then Jones said no."
    art = article(body)
    a = comment(art, "said no", nth=1)  # Jones's
    new = "Late on Friday, Smith said no. Then Jones said no."
    # Position alone would now land on Smith's words:
    assert new[a.position.start : a.position.end] != "said no"
    assert new.count("said no") == 2
    found = reanchor(a, new)
    assert found.how == "moved"
    assert new[found.start - 6 : found.end] == "Jones said no"


def test_when_context_ties_the_nearest_occurrence_wins():
    # A foreign annotation without context: every occurrence scores the same.
    a = replace(
        comment(article()), quote=TextQuoteSelector("storm"), position=TextPositionSelector(40, 45)
    )
    new = "storm ........................... storm ............ storm"
    assert new[40:45] != "storm"
    found = reanchor(a, new)
    assert (found.how, found.start, found.end) == ("moved", 34, 39)


def test_deleted_quote_is_orphaned_with_selectors_untouched():
    art = article()
    a = comment(art)
    art.sections[0].body = "Fishermen have waited offshore for four days, and longer."
    assert reanchor(a, art.sections[0].body).how == "orphaned"
    (b,) = reanchor_all(art, [a])
    assert b.orphaned
    assert (b.quote, b.position) == (a.quote, a.position)


@pytest.mark.parametrize(
    ("body", "quote", "new"),
    [
        ("The cat sat on the mat.", "cat", "The dog sat on the mat."),
        ("Shares fell 12% on Monday.", "12%", "Analysts expect growth of 13% next year."),
        ("He paid $4,000 for the boat.", "$4,000", "The engine alone cost $4,500 last year."),
    ],
)
def test_short_quote_does_not_jump_to_a_look_alike_elsewhere(body, quote, new):
    a = comment(article(body), quote)
    assert reanchor(a, new).how == "orphaned"


def test_short_quote_follows_a_correction_in_place():
    art = article("Police named the driver as Jon Smith, 42, of Leeds.")
    a = comment(art, "Jon Smith")
    new = "Police named the driver as John Smith, 42, of Leeds."
    found = reanchor(a, new)
    assert found.how == "fuzzy" and new[found.start : found.end] == "John Smith"


def test_short_quote_at_the_edges_of_a_shrunken_text_is_still_found():
    a = comment(article(BODY), "mayor said the harbor")
    found = reanchor(a, "mayor said the harbour")
    assert found.how == "fuzzy" and (found.start, found.end) == (0, 22)


def test_deleted_section_orphans_its_comments():
    art = article()
    a, h = comment(art), comment(art, "closes", field="headline")
    art.sections = []
    b, h2 = reanchor_all(art, [a, h])
    assert b.orphaned and (b.quote, b.position) == (a.quote, a.position)
    assert not h2.orphaned and h2.position == h.position


def test_orphan_is_found_again_when_the_text_returns():
    art = article()
    a = comment(art)
    art.sections[0].body = "Nothing to see."
    (orphan,) = reanchor_all(art, [a])
    assert orphan.orphaned
    art.sections[0].body = "Breaking. " + BODY
    (back,) = reanchor_all(art, [orphan])
    assert not back.orphaned
    assert art.sections[0].body[back.position.start : back.position.end] == QUOTE


def test_subheading_and_headline_fields_anchor_too():
    art = article(subheading="Waiting offshore")
    s, h = comment(art, "offshore", field="subheading:s1"), comment(art, "harbor", "headline")
    art.sections[0].subheading = "Still waiting offshore"
    art.headline = "Storm shuts the harbor"
    s2, h2 = reanchor_all(art, [s, h])
    assert art.sections[0].subheading[s2.position.start : s2.position.end] == "offshore"
    assert art.headline[h2.position.start : h2.position.end] == "harbor"


def test_reanchor_all_returns_copies_and_keeps_replies():
    art = article()
    a = comment(art)
    art.sections[0].body = "UPDATE: " + BODY
    before = replace(a)
    (b,) = reanchor_all(art, [a])
    assert a == before and b is not a
    assert b.replies == a.replies and b.id == a.id


# --- properties --------------------------------------------------------------

WORDS = ["the", "harbor", "mayor", "said", "no", "storm", "a", "é", "🌊", "\n", "day"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)
inserts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(lambda w: " ".join(w) + " ")
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def occurrences(text: str, quote: str) -> int:
    """Occurrences that may overlap: str.count misses "no the n" twice in "no the no the no"."""
    return sum(text.startswith(quote, i) for i in range(len(text)))


@st.composite
def anchored(draw: st.DrawFn) -> tuple[Article, Annotation]:
    body = draw(texts)
    start = draw(st.integers(0, len(body) - 1))
    end = draw(st.integers(start + 1, min(len(body), start + 60)))
    art = article(body)
    return art, make_annotation(art, "section:s1", start, end, "note", "Eve", "editor")


@FAST
@given(anchored(), st.data())
def test_edits_outside_the_span_keep_the_exact_words(case, data):
    art, a = case
    text, start, end = art.sections[0].body, a.position.start, a.position.end
    for _ in range(data.draw(st.integers(1, 5))):
        if data.draw(st.booleans()):
            at = data.draw(st.sampled_from([*range(0, start + 1), *range(end, len(text) + 1)]))
            ins = data.draw(inserts)
            text = text[:at] + ins + text[at:]
            if at <= start:
                start, end = start + len(ins), end + len(ins)
        else:
            spans = [(0, start), (end, len(text))]
            lo, hi = data.draw(st.sampled_from(spans))
            if hi == lo:
                continue
            x = data.draw(st.integers(lo, hi))
            y = data.draw(st.integers(x, hi))
            text = text[:x] + text[y:]
            if y <= start:
                start, end = start - (y - x), end - (y - x)
    assert text[start:end] == a.quote.exact  # the edit model itself is right
    found = reanchor(a, text)
    assert found.how in ("exact", "moved")
    assert text[found.start : found.end] == a.quote.exact
    if occurrences(text, a.quote.exact) == 1:
        assert (found.start, found.end) == (start, end)


@FAST
@given(anchored(), st.data())
def test_any_edit_never_loses_an_annotation(case, data):
    art, a = case
    text = art.sections[0].body
    for _ in range(data.draw(st.integers(1, 6))):
        x = data.draw(st.integers(0, len(text)))
        y = data.draw(st.integers(x, min(len(text), x + 20)))
        text = text[:x] + data.draw(st.sampled_from(["", *WORDS])) + text[y:]
    art.sections[0].body = text
    found = reanchor(a, text)
    (b,) = reanchor_all(art, [a])
    assert b.id == a.id and b.body == a.body
    if found.orphaned:
        assert b.orphaned and (b.quote, b.position) == (a.quote, a.position)
    else:
        assert 0 <= found.start < found.end <= len(text)
        assert similarity(a.quote.exact, text[found.start : found.end]) >= MIN_SIMILARITY
        assert not b.orphaned and b.anchor.exact == text[found.start : found.end]
        assert b.quote == a.quote


@FAST
@given(anchored())
def test_unchanged_text_always_anchors_exactly_in_place(case):
    art, a = case
    found = reanchor(a, art.sections[0].body)
    assert (found.how, found.start, found.end) == ("exact", a.position.start, a.position.end)
