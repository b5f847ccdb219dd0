"""A review round trip between two laptops, each with its own draft database.

The writer sends, the editor comments and requests changes, the writer edits
around the comments and resolves some: every comment must still sit on its
words (or be reported orphaned when its words were deleted), and neither
side's text may be lost, whatever the merge decided.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.model.annotation import Annotation, field_text, make_annotation, set_resolved
from desk.model.article import Article, Status
from desk.review.anchoring import reanchor_all
from desk.review.history import compare_articles
from desk.review.package import ImportReport, open_review_package, send_for_review
from desk.store.annotations import load_annotations, save_annotations
from desk.store.drafts import DraftStore
from desk.store.seed import starter_article

LEDGER = "online ledger"
CRITICS = "Critics on the county board argued the project was rushed"
CRITICS_SENTENCE = (
    " Critics on the county board argued the project was rushed and warned that raw "
    "payment data, stripped of context, could mislead readers."
)
MARSH = "Elena Marsh"
QUOTES = (LEDGER, CRITICS, MARSH)


@pytest.fixture
def writer(tmp_path: Path):
    with DraftStore(tmp_path / "writer.db") as store:
        yield store


@pytest.fixture
def editor(tmp_path: Path):
    with DraftStore(tmp_path / "editor.db") as store:
        yield store


def send(store: DraftStore, article_id: str, path: Path, who: str, role: str) -> Path:
    return send_for_review(store, article_id, path, author=who, role=role)


def receive(store: DraftStore, path: Path, who: str, role: str) -> ImportReport:
    return open_review_package(store, path, author=who, role=role)


def comment(article: Article, section: int, quote: str, body: str) -> Annotation:
    sec = article.sections[section]
    start = sec.body.index(quote)
    return make_annotation(
        article, f"section:{sec.id}", start, start + len(quote), body, "Eddie", "editor"
    )


def writer_edits(article: Article) -> None:
    """Words inserted right before and after two quotes; the critics' sentence deleted."""
    lead, ledger = article.sections[0], article.sections[1]
    lead.body = lead.body.replace(
        "opened an online ledger that lists",
        "opened an easily searchable online ledger, free to use, that lists",
    )
    assert CRITICS_SENTENCE in lead.body
    lead.body = lead.body.replace(CRITICS_SENTENCE, "")
    ledger.body = ledger.body.replace(
        "Budget director Elena Marsh told",
        "County budget director Elena Marsh, asked Tuesday, told",
    )


def assert_on_their_words(article: Article, notes: list[Annotation], orphaned: set[str]) -> None:
    for note in notes:
        if note.id in orphaned:
            assert note.orphaned
            continue
        assert not note.orphaned, note.quote.exact
        text = field_text(article, note.field)
        assert text is not None
        assert text[note.position.start : note.position.end] == note.anchor.exact
        assert note.quote.exact in QUOTES


def all_text(store: DraftStore, article_id: str) -> str:
    """The current article and every revision, as one searchable string."""
    docs = [store.load(article_id)]
    docs += [store.revision_article(r.id) for r in store.revisions(article_id)]
    return "\n".join(s.body for a in docs for s in a.sections) + "\n".join(
        a.standfirst for a in docs
    )


def editor_review(editor: DraftStore, article_id: str) -> dict[str, Annotation]:
    """The editor comments on three spans, fixes a section and requests changes."""
    article = editor.load(article_id)
    notes = {
        LEDGER: comment(article, 0, LEDGER, "Link to the ledger here."),
        CRITICS: comment(article, 0, CRITICS, "Which board members? Name them."),
        MARSH: comment(article, 1, MARSH, "Spell-checked: Marsh, not Marshe."),
    }
    save_annotations(editor, list(notes.values()))
    article.sections[2].body = article.sections[2].body.replace(
        "Board members plan to review", "Board members will review"
    )
    article.standfirst = article.standfirst.replace("goes live", "is now online")
    editor.save(article)
    editor.set_status(article_id, Status.CHANGES_REQUESTED, who="Eddie")
    return notes


def test_round_trip_keeps_comments_on_their_words(
    writer: DraftStore, editor: DraftStore, tmp_path: Path
):
    article = writer.create(starter_article("Wanda Writer"))
    first = send(writer, article.id, tmp_path / "to-editor.deskreview", "Wanda", "writer")
    assert receive(editor, first, "Eddie", "editor").created
    notes = editor_review(editor, article.id)
    editor_text = editor.load(article.id)
    back = send(editor, article.id, tmp_path / "to-writer.deskreview", "Eddie", "editor")

    report = receive(writer, back, "Wanda", "writer")
    assert not report.created and report.conflicts == []
    assert report.annotations_added == 3 and report.orphaned == []
    s2 = editor_text.sections[2].id
    assert set(report.taken_from_incoming) == {"standfirst", f"section:{s2}", "status"}
    mine = writer.load(article.id)
    assert mine.status == Status.CHANGES_REQUESTED
    assert mine.sections[2].body == editor_text.sections[2].body
    assert [r[0] for r in writer.status_history(article.id)] == ["changes_requested"]

    # The writer edits around the comments, deletes one commented sentence and
    # resolves two threads; the app re-anchors on every save.
    writer_edits(mine)
    writer.save(mine)
    threads = {n.quote.exact: n for n in load_annotations(writer, article.id)}
    for quote in (LEDGER, MARSH):
        threads[quote] = set_resolved(threads[quote], True, "Wanda")
    anchored = reanchor_all(mine, list(threads.values()))
    save_annotations(writer, anchored)
    critics_id = notes[CRITICS].id
    assert_on_their_words(mine, anchored, {critics_id})

    # Back to the editor: the writer's text is taken (the editor did not touch
    # those sections since), and the editor's comments follow it.
    again = send(writer, article.id, tmp_path / "to-editor-2.deskreview", "Wanda", "writer")
    report = receive(editor, again, "Eddie", "editor")
    assert report.conflicts == [] and report.orphaned == [critics_id]
    assert report.annotations_updated == 2  # the resolved ones; losing words is not an edit
    theirs = editor.load(article.id)
    assert [s.body for s in theirs.sections] == [s.body for s in mine.sections]
    final = load_annotations(editor, article.id)
    assert_on_their_words(theirs, final, {critics_id})
    assert {n.quote.exact for n in final if n.resolved} == {LEDGER, MARSH}

    # Nobody's words are gone: both versions of every section are on record on both sides.
    for store in (writer, editor):
        text = all_text(store, article.id)
        for version in (editor_text, mine, starter_article()):
            for section in version.sections:
                assert section.body in text
            assert version.standfirst in text


def test_edits_made_while_the_package_was_away_are_reanchored_on_import(
    writer: DraftStore, editor: DraftStore, tmp_path: Path
):
    article = writer.create(starter_article("Wanda Writer"))
    receive(
        editor,
        send(writer, article.id, tmp_path / "out.deskreview", "Wanda", "writer"),
        "Eddie",
        "editor",
    )
    notes = editor_review(editor, article.id)
    back = send(editor, article.id, tmp_path / "back.deskreview", "Eddie", "editor")

    mine = writer.load(article.id)
    writer_edits(mine)  # the writer kept working in the meantime
    writer.save(mine)
    report = receive(writer, back, "Wanda", "writer")
    assert report.conflicts == [] and report.orphaned == [notes[CRITICS].id]
    merged = writer.load(article.id)
    assert merged.sections[0].body == mine.sections[0].body  # only the writer changed it
    assert merged.sections[2].body != mine.sections[2].body  # only the editor changed it
    assert_on_their_words(merged, load_annotations(writer, article.id), {notes[CRITICS].id})


def test_both_sides_edited_one_section_conflict_keeps_both(
    writer: DraftStore, editor: DraftStore, tmp_path: Path
):
    article = writer.create(starter_article("Wanda Writer"))
    receive(
        editor,
        send(writer, article.id, tmp_path / "out.deskreview", "Wanda", "writer"),
        "Eddie",
        "editor",
    )
    theirs = editor.load(article.id)
    theirs.sections[1].body = "The editor rewrote this section about how the ledger works."
    theirs.sections[2].subheading = "What Is Still Unclear"
    editor.save(theirs)
    back = send(editor, article.id, tmp_path / "back.deskreview", "Eddie", "editor")

    mine = writer.load(article.id)
    mine.sections[1].body = "The writer rewrote it differently, with new figures."
    writer.save(mine)
    report = receive(writer, back, "Wanda", "writer")

    s1, s2 = mine.sections[1].id, mine.sections[2].id
    assert report.conflicts == [f"section:{s1}"]
    assert f"subheading:{s2}" in report.taken_from_incoming
    merged = writer.load(article.id)
    assert merged.sections[1].body == mine.sections[1].body  # local text kept
    assert merged.sections[2].subheading == "What Is Still Unclear"  # incoming taken
    assert report.local_revision is not None and report.incoming_revision is not None
    local_rev = writer.revision_article(report.local_revision)
    incoming_rev = writer.revision_article(report.incoming_revision)
    assert local_rev.sections[1].body == mine.sections[1].body
    assert incoming_rev.sections[1].body == theirs.sections[1].body
    # What a compare view between the two would show for the conflicting section.
    [diff] = [d for d in compare_articles(local_rev, incoming_rev) if d.field == f"section:{s1}"]
    assert diff.changed and ("delete", "writer") in diff.ops and ("insert", "editor") in diff.ops
    assert f"revision {report.incoming_revision}" in report.message
    # Opening the same package again finds nothing new and writes nothing.
    count = len(writer.revisions(article.id))
    again = receive(writer, back, "Wanda", "writer")
    assert again.conflicts == [] and "Nothing new" in again.message
    assert len(writer.revisions(article.id)) == count
    assert writer.load(article.id).sections[1].body == mine.sections[1].body
