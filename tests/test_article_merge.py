"""The three-way rules a returning review package is merged by."""

from __future__ import annotations

from pathlib import Path

from desk.model.article import Article, Image, Section, Status
from desk.review.article_merge import (
    IMAGE_ORDER,
    SECTION_ORDER,
    UNKNOWN,
    merge_articles,
    merge_status,
    pick,
)
from desk.review.package import choose_base, open_review_package, send_for_review
from desk.review.package_read import read_review_package
from desk.store.drafts import DraftStore
from desk.store.seed import starter_article


def base() -> Article:
    return Article(
        id="a",
        headline="Ledger Opens",
        tags=["budget"],
        sections=[Section(id=f"s{i}", subheading=f"H{i}", body=f"Body {i}.") for i in (1, 2, 3)],
        images=[Image(id="i1", sha256="0" * 64, caption="Chart"), Image(id="i2", sha256="1" * 64)],
    )


def ids(a: Article) -> list[str]:
    return [s.id for s in a.sections]


def test_pick():
    assert pick("b", "x", "x") == "same"
    assert pick("b", "b", "new") == "incoming"
    assert pick("b", "new", "b") == "local"
    assert pick("b", "mine", "theirs") == "conflict"
    assert pick(UNKNOWN, "b", "new") == "conflict"


def test_one_sided_changes_are_taken_and_both_sided_ones_conflict():
    local, incoming = base(), base()
    local.headline = "Ledger Opens Today"
    incoming.tags = ["budget", "county"]
    incoming.sections[0].subheading = "Lead"
    local.sections[0].body = "Local lead."
    local.sections[1].body, incoming.sections[1].body = "Mine.", "Theirs."
    incoming.images[0].caption = "Payments by month"
    result = merge_articles(base(), local, incoming)
    m = result.article
    assert m.headline == "Ledger Opens Today" and m.tags == ["budget", "county"]
    assert (m.sections[0].subheading, m.sections[0].body) == ("Lead", "Local lead.")
    assert m.sections[1].body == "Mine."
    assert m.images[0].caption == "Payments by month"
    assert result.conflicts == ["section:s2"]
    assert result.taken == ["tags", "subheading:s1", "image:i1"]
    incoming.tags.append("x")
    assert m.tags == ["budget", "county"]  # nothing shared with the inputs


def test_without_a_base_every_difference_is_a_conflict():
    local, incoming = base(), base()
    incoming.headline = "Other"
    incoming.sections.append(Section(id="s4", body="New."))
    result = merge_articles(None, local, incoming)
    assert result.article.headline == "Ledger Opens" and ids(result.article) == ["s1", "s2", "s3"]
    assert result.conflicts == ["headline", "section:s4"] and result.taken == []


def test_added_and_deleted_sections():
    local, incoming = base(), base()
    local.sections.insert(1, Section(id="L", body="Local addition."))
    incoming.sections.insert(2, Section(id="I", body="Incoming addition."))
    del incoming.sections[0]  # s1 deleted there, untouched here: goes
    result = merge_articles(base(), local, incoming)
    assert ids(result.article) == ["L", "s2", "I", "s3"]
    assert set(result.taken) == {"section:s1", "section:I"} and result.conflicts == []


def test_delete_against_edit_is_a_conflict_on_either_side():
    local, incoming = base(), base()
    local.sections[0].body = "Edited here."
    del incoming.sections[0]
    del local.sections[2]
    incoming.sections[1].body = "Edited there."  # s3
    result = merge_articles(base(), local, incoming)
    assert ids(result.article) == ["s1", "s2"]  # the local state, both times
    assert result.article.sections[0].body == "Edited here."
    assert result.conflicts == ["section:s1", "section:s3"]


def test_order():
    local, incoming = base(), base()
    incoming.sections.reverse()
    incoming.images.reverse()
    result = merge_articles(base(), local, incoming)
    assert ids(result.article) == ["s3", "s2", "s1"]
    assert [i.id for i in result.article.images] == ["i2", "i1"]
    assert SECTION_ORDER in result.taken and IMAGE_ORDER in result.taken
    local.sections = [local.sections[1], local.sections[0], local.sections[2]]
    result = merge_articles(base(), local, incoming)
    assert ids(result.article) == ["s2", "s1", "s3"] and SECTION_ORDER in result.conflicts


def test_status_later_decision_wins_and_histories_unite():
    mine = [("in_review", "Wanda", "2026-03-01T09:00:00+00:00")]
    theirs = [
        ("in_review", "Wanda", "2026-03-01T09:00:00+00:00"),
        ("changes_requested", "Eddie", "2026-03-01T10:00:00+00:00"),
    ]
    status, rows = merge_status(Status.IN_REVIEW, mine, Status.CHANGES_REQUESTED, theirs)
    assert status == Status.CHANGES_REQUESTED and rows == theirs
    later = [*mine, ("approved", "Ann", "2026-03-01T11:00:00+00:00")]
    status, rows = merge_status(Status.APPROVED, later, Status.CHANGES_REQUESTED, theirs)
    assert (
        status == Status.APPROVED
        and rows is not None
        and [r[0] for r in rows]
        == [
            "in_review",
            "changes_requested",
            "approved",
        ]
    )
    assert merge_status(Status.DRAFT, [], Status.DRAFT, []) == (Status.DRAFT, None)


def test_base_is_what_both_sides_had_when_the_writer_sent_twice(tmp_path: Path):
    """The editor answers the first package; the writer has sent a second since."""
    with DraftStore(tmp_path / "w.db") as writer, DraftStore(tmp_path / "e.db") as editor:
        art = writer.create(starter_article())
        open_review_package(
            editor,
            send_for_review(writer, art.id, tmp_path / "1.deskreview", author="W", role="writer"),
            author="E",
            role="editor",
        )
        mine = writer.load(art.id)
        mine.headline = "Second headline"
        writer.save(mine)
        send_for_review(writer, art.id, tmp_path / "2.deskreview", author="W", role="writer")
        theirs = editor.load(art.id)
        theirs.standfirst = "Editor's standfirst."
        editor.save(theirs)
        back = send_for_review(editor, art.id, tmp_path / "b.deskreview", author="E", role="editor")
        chosen = choose_base(writer, read_review_package(back))
        assert chosen is not None and chosen.headline == art.headline  # the first, not the second
        report = open_review_package(writer, back, author="W", role="writer")
        assert report.conflicts == [] and report.taken_from_incoming == ["standfirst"]
        merged = writer.load(art.id)
        assert merged.headline == "Second headline"
        assert merged.standfirst == "Editor's standfirst."


def test_a_slug_renamed_on_the_other_side_does_not_come_back(tmp_path: Path):
    """The editor's store already had that slug, so the import there became "-2"."""
    with DraftStore(tmp_path / "w.db") as writer, DraftStore(tmp_path / "e.db") as editor:
        art = writer.create(starter_article())
        editor.create(starter_article())
        out = send_for_review(writer, art.id, tmp_path / "1.deskreview", author="W", role="writer")
        open_review_package(editor, out, author="E", role="editor")
        assert editor.load(art.id).slug == f"{art.slug}-2"
        back = send_for_review(editor, art.id, tmp_path / "b.deskreview", author="E", role="editor")
        report = open_review_package(writer, back, author="W", role="writer")
        assert report.taken_from_incoming == [] and writer.load(art.id).slug == art.slug
