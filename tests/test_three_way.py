"""Three-way comparison of a returned review: whose change each is, resolved one by one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desk.model.article import Article, Image, Section
from desk.review.three_way import article_changes, merge3, resolve, set_field

BASE = "The council met on Monday. The budget passed. Residents objected."


def origins(hunks):
    return [(h.origin, h.base, h.mine, h.theirs) for h in hunks if h.changed]


def test_the_writers_new_sentence_is_the_writers_and_the_editors_edit_the_editors():
    mine = BASE + " A vote follows in May."
    theirs = BASE.replace("The budget passed.", "The budget passed narrowly.")
    hunks = merge3(BASE, mine, theirs)
    assert origins(hunks) == [
        ("theirs", "", "", " narrowly"),
        ("mine", "", " A vote follows in May.", ""),
    ]
    assert resolve(hunks) == mine  # rejecting everything keeps the writer's text
    editor_change = next(i for i, h in enumerate(hunks) if h.origin == "theirs")
    assert resolve(hunks, {editor_change}) == (
        "The council met on Monday. The budget passed narrowly. Residents objected."
        " A vote follows in May."
    )


def test_same_change_on_both_sides_and_a_real_conflict():
    mine = BASE.replace("Monday", "Tuesday").replace("Residents", "Many residents")
    theirs = BASE.replace("Monday", "Tuesday").replace("Residents", "Few residents")
    hunks = merge3(BASE, mine, theirs)
    assert [h.origin for h in hunks if h.changed] == ["both", "conflict"]
    conflict = next(h for h in hunks if h.origin == "conflict")
    assert (conflict.base, conflict.mine, conflict.theirs) == (
        "Residents",
        "Many residents",
        "Few residents",
    )


def test_words_replaced_together_are_one_change():
    hunks = merge3("a big red car", "a big red car", "a small blue car")
    assert origins(hunks) == [("theirs", "big red", "big red", "small blue")]


words = st.lists(st.sampled_from(["a", "b", "c", "dog", "cat", ".", ",", " ", "\n"]), max_size=25)
texts = words.map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, texts, texts)
def test_every_side_is_made_of_its_pieces_and_resolving_gives_the_sides(base, mine, theirs):
    hunks = merge3(base, mine, theirs)
    assert "".join(h.base for h in hunks) == base
    assert resolve(hunks) == mine  # rejecting every change equals mine
    assert resolve(hunks, range(len(hunks))) == theirs
    for h in hunks:
        if h.origin == "theirs":
            assert h.mine == h.base
        if h.origin == "mine":
            assert h.theirs == h.base


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_accepting_all_of_theirs_where_mine_did_not_change_equals_theirs(base, theirs):
    hunks = merge3(base, base, theirs)
    assert all(h.origin in ("same", "theirs") for h in hunks)
    assert resolve(hunks, [i for i, h in enumerate(hunks) if h.origin == "theirs"]) == theirs


def article(body: str, headline: str = "Ledger") -> Article:
    return Article(
        id="a",
        headline=headline,
        sections=[Section(id="s1", body=body), Section(id="s2", body="Unchanged.")],
        images=[Image(id="i1", sha256="0" * 64, caption="Chart")],
    )


def test_article_changes_lists_only_parts_that_changed_with_their_labels():
    base = article(BASE)
    mine = article(BASE + " Later.")
    theirs = article(BASE, headline="Ledger Opens")
    theirs.images[0].caption = "Payments"
    changes = {c.field: c for c in article_changes(base, mine, theirs)}
    assert set(changes) == {"headline", "section:s1", "image:i1:caption"}
    assert changes["section:s1"].label == "Section 1"
    assert [h.origin for h in changes["headline"].hunks if h.changed] == ["theirs"]
    body = changes["section:s1"]
    assert body.accepted_in(mine.sections[0].body) == set()
    assert body.accepted_in("edited since") is None
    caption = changes["image:i1:caption"]
    set_field(mine, "image:i1:caption", caption.text(caption.choices()))
    assert mine.images[0].caption == "Payments"


def test_without_a_base_every_difference_is_a_conflict():
    changes = article_changes(None, article(BASE + " Later."), article(BASE))
    assert [h.origin for c in changes for h in c.hunks if h.changed] == ["conflict"]


def test_changes_close_together_stay_apart_when_a_shared_word_separates_them():
    base = "The budget passed. Residents objected."
    mine = base.replace("Residents", "Few residents")
    theirs = base.replace("passed", "passed narrowly").replace("Residents", "Many residents")
    assert origins(merge3(base, mine, theirs)) == [
        ("theirs", "", "", " narrowly"),
        ("conflict", "Residents", "Few residents", "Many residents"),
    ]
