"""Word diffs and article comparison for the compare view."""

from __future__ import annotations

from datetime import date
from itertools import accumulate, pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from desk.model.article import Article, Dateline, Image, Section
from desk.review import history
from desk.review.history import compare_articles, tokenize, word_diff


def sides(ops: list[tuple[str, str]]) -> tuple[str, str]:
    old = "".join(t for op, t in ops if op != "insert")
    new = "".join(t for op, t in ops if op != "delete")
    return old, new


def test_words_change_whole_and_whitespace_is_kept():
    ops = word_diff("The county ledger shows payments.", "The county ledgers show every payment.")
    assert ops == [
        ("equal", "The county "),
        ("delete", "ledger shows payments"),
        ("insert", "ledgers show every payment"),
        ("equal", "."),
    ]
    ops = word_diff("Critics  said\tit was rushed.", "Critics  argued\tit was rushed, and late.")
    assert ("delete", "said") in ops and ("insert", "argued") in ops
    assert ("insert", ", and late") in ops
    assert sides(ops) == (
        "Critics  said\tit was rushed.",
        "Critics  argued\tit was rushed, and late.",
    )


def test_trivial_cases():
    assert word_diff("", "") == []
    assert word_diff("same text", "same text") == [("equal", "same text")]
    assert word_diff("", "new words") == [("insert", "new words")]
    assert word_diff("old words", "") == [("delete", "old words")]


def test_tokens_keep_contractions_and_split_punctuation():
    assert tokenize("Don't pay $5,000.") == ["Don't", " ", "pay", " ", "$", "5", ",", "000", "."]
    assert "".join(tokenize("a\n\n  b — ü’s")) == "a\n\n  b — ü’s"


def test_many_distinct_tokens_fall_back_to_characters(monkeypatch):
    monkeypatch.setattr(history, "MAX_TOKENS", 2)
    ops = word_diff("alpha beta gamma", "alpha beta delta")
    assert sides(ops) == ("alpha beta gamma", "alpha beta delta")


def _boundaries(text: str) -> set[int]:
    return {0, *accumulate(len(t) for t in tokenize(text))}


words = st.lists(
    st.sampled_from(["the", "county", "ledger", "Marsh", "$5,000", "é", "  ", "\n\n", ".", ","]),
    max_size=30,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(words, words)
def test_diff_rebuilds_both_sides_on_token_boundaries(old: str, new: str):
    ops = word_diff(old, new)
    assert sides(ops) == (old, new)
    assert all(text for _, text in ops)
    assert all(a[0] != b[0] for a, b in pairwise(ops))
    old_at = new_at = 0
    old_cuts, new_cuts = _boundaries(old), _boundaries(new)
    for op, text in ops:
        if op != "insert":
            old_at += len(text)
            assert old_at in old_cuts
        if op != "delete":
            new_at += len(text)
            assert new_at in new_cuts


def article() -> Article:
    return Article(
        id="a",
        headline="Ledger Opens",
        dateline=Dateline("Denver", "Colorado", date(2026, 11, 24)),
        category="Politics",
        byline="Wanda",
        standfirst="A list of payments.",
        tags=["budget", "county"],
        sections=[
            Section(id="s1", body="Lead paragraph."),
            Section(id="s2", subheading="How It Works", body="The system draws data."),
            Section(id="s3", subheading="Questions", body="Some payments are withheld."),
        ],
        images=[Image(id="i1", sha256="0" * 64, filename="chart.png", alt="A chart")],
    )


def by_field(diffs):
    return {d.field: d for d in diffs}


def test_identical_articles_have_no_changes():
    diffs = compare_articles(article(), article())
    assert not any(d.changed for d in diffs)
    assert [d.field for d in diffs[:6]] == [
        "headline",
        "dateline",
        "category",
        "byline",
        "standfirst",
        "tags",
    ]
    assert by_field(diffs)["dateline"].old == "Denver, Colorado 2026-11-24"
    assert "image:i1:alt" in by_field(diffs) and "subheading:s1" not in by_field(diffs)


def test_header_sections_and_images_are_compared():
    old, new = article(), article()
    new.headline = "Ledger Opens to the Public"
    new.tags = ["budget"]
    new.dateline.city = "Boulder"
    new.sections[1].body = "The system draws data nightly."
    new.sections[2].subheading = "Open Questions"
    new.images[0].caption = "Payments by month."
    d = by_field(compare_articles(old, new))
    assert d["headline"].changed and ("insert", " to the Public") in d["headline"].ops
    assert d["tags"].old == "budget, county" and d["tags"].new == "budget"
    assert d["dateline"].changed and not d["byline"].changed
    assert d["section:s2"].ops == [
        ("equal", "The system draws data"),
        ("insert", " nightly"),
        ("equal", "."),
    ]
    assert d["subheading:s3"].changed and not d["section:s3"].changed
    assert d["image:i1:caption"].changed and not d["image:i1:alt"].changed
    assert d["image:i1:caption"].label == "chart.png caption"


def test_added_removed_and_moved_sections_are_labelled():
    old, new = article(), article()
    s1, _, s3 = new.sections
    new.sections = [s3, s1, Section(id="s4", body="A new ending.")]
    new.images = [Image(id="i2", sha256="1" * 64, alt="A photo")]
    diffs = compare_articles(old, new)
    d = by_field(diffs)
    assert d["section:s2"].kind == "removed" and d["section:s2"].new == ""
    assert d["section:s2"].label == "Section 2 (removed)"
    assert d["section:s4"].kind == "added" and d["section:s4"].old == ""
    assert d["section:s4"].label == "Section 3 (added)"
    moved = {k for k, v in d.items() if v.kind == "moved"}
    assert moved == {"section:s1", "section:s3", "subheading:s3"}
    assert all(d[k].changed for k in moved)
    assert d["section:s3"].label == "Section 1 (moved from 3)"
    assert d["image:i1:alt"].kind == "removed" and d["image:i2:alt"].kind == "added"
    sections = [x.field for x in diffs if x.field.startswith("section:")]
    # New order first, the removed section where it used to be (after s1).
    assert sections == ["section:s3", "section:s1", "section:s2", "section:s4"]
