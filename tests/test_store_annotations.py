"""Annotations in the draft store, and the two serialisations they travel in."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.model.annotation import (
    ANNO_CONTEXT,
    Annotation,
    AnnotationError,
    Reply,
    TextPositionSelector,
    TextQuoteSelector,
    add_reply,
    annotation_from_dict,
    annotation_from_jsonld,
    annotation_to_dict,
    annotation_to_jsonld,
    annotations_from_jsonld,
    annotations_to_jsonld,
    field_text,
    make_annotation,
    set_resolved,
)
from desk.model.article import Article, Section
from desk.store.annotations import (
    delete_annotation,
    load_annotations,
    open_count,
    save_annotations,
)
from desk.store.db import StoreError
from desk.store.drafts import DraftStore

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def sample_article() -> Article:
    return Article(
        id="art1",
        headline="Storm closes harbor",
        byline="Kim Lee",
        standfirst="Ships wait offshore.",
        sections=[Section(id="s1", subheading="Waiting", body="Police named Jon Smith, 42.")],
    )


def thread(art: Article, body: str = "Spelling?", start: int = 13) -> Annotation:
    return make_annotation(art, "section:s1", start, start + 9, body, "Eve", "editor")


# --- model -------------------------------------------------------------------


def test_field_text_covers_every_kind_of_field():
    art = sample_article()
    assert field_text(art, "headline") == "Storm closes harbor"
    assert field_text(art, "byline") == "Kim Lee"
    assert field_text(art, "standfirst") == "Ships wait offshore."
    assert field_text(art, "section:s1") == "Police named Jon Smith, 42."
    assert field_text(art, "subheading:s1") == "Waiting"
    assert field_text(art, "section:gone") is None
    assert field_text(art, "dateline") is None


def test_make_annotation_takes_quote_and_context_from_the_text():
    art = sample_article()
    art.sections[0].body = "x" * 40 + "Jon Smith" + "y" * 40
    a = make_annotation(art, "section:s1", 40, 49, "Spelling?", "Eve", "editor")
    assert a.quote == TextQuoteSelector("Jon Smith", "x" * 32, "y" * 32)
    assert a.position == TextPositionSelector(40, 49)
    assert a.created == a.modified and not a.resolved and not a.orphaned


@pytest.mark.parametrize(
    ("field", "start", "end", "message"),
    [
        ("section:nope", 0, 1, "no such part"),
        ("section:s1", 5, 5, "at least one character"),
        ("section:s1", 0, 999, "at least one character"),
    ],
)
def test_make_annotation_refuses_what_is_not_there(field, start, end, message):
    with pytest.raises(AnnotationError, match=message):
        make_annotation(sample_article(), field, start, end, "x", "Eve", "editor")


def test_resolving_and_replying_return_new_versions():
    a = thread(sample_article())
    r = set_resolved(add_reply(a, "Fixed", "Wes", "writer"), True, "Eve")
    assert r.resolved and r.resolved_by == "Eve" and r.resolved_at is not None
    assert [x.body for x in r.replies] == ["Fixed"] and a.replies == []
    assert r.modified >= a.modified
    reopened = set_resolved(r, False, "Eve")
    assert not reopened.resolved and reopened.resolved_at is None


# --- serialisation -----------------------------------------------------------

times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
ids = st.one_of(st.uuids().map(lambda u: u.hex), st.text(min_size=1, max_size=12))
roles = st.sampled_from(["writer", "editor"])
words = st.text(max_size=12)
replies = st.builds(Reply, ids, words, roles, times, times, words)


@st.composite
def annotations(draw: st.DrawFn) -> Annotation:
    start = draw(st.integers(0, 10_000))
    return Annotation(
        id=draw(ids),
        article_id=draw(ids),
        field=draw(st.sampled_from(["headline", "byline", "section:ab/c#d", "subheading:é x"])),
        quote=TextQuoteSelector(draw(words), draw(words), draw(words)),
        position=TextPositionSelector(start, start + draw(st.integers(0, 500))),
        author=draw(words),
        role=draw(roles),
        created=draw(times),
        modified=draw(times),
        body=draw(words),
        replies=draw(st.lists(replies, max_size=3, unique_by=lambda r: r.id)),
        resolved=draw(st.booleans()),
        resolved_by=draw(words),
        resolved_at=draw(st.none() | times),
        orphaned=draw(st.booleans()),
        history=draw(st.lists(st.dictionaries(st.text(max_size=5), words, max_size=2))),
        current=draw(st.none() | st.builds(TextQuoteSelector, words, words, words)),
    )


def _distinct_ids(items: list[Annotation]) -> bool:
    seen = [a.id for a in items] + [r.id for a in items for r in a.replies]
    return len(seen) == len(set(seen))


@settings(max_examples=200, deadline=None)
@given(st.lists(annotations(), max_size=3).filter(_distinct_ids))
def test_jsonld_and_dict_forms_round_trip_exactly(items):
    docs = json.loads(json.dumps(annotations_to_jsonld(items)))
    assert annotations_from_jsonld(docs) == items
    for a in items:
        assert annotation_from_dict(json.loads(json.dumps(annotation_to_dict(a)))) == a


def test_jsonld_follows_the_w3c_shape():
    art = sample_article()
    a = add_reply(thread(art), "Fixed, thanks", "Wes", "writer")
    root, rep = annotations_to_jsonld([a], "https://news.example/a/")
    assert root["@context"][0] == ANNO_CONTEXT
    assert root["@context"][1]["desk"].startswith("https://")
    assert root["type"] == "Annotation" and root["motivation"] == "commenting"
    assert root["id"].startswith("urn:uuid:")
    assert root["creator"] == {"type": "Person", "name": "Eve", "desk:role": "editor"}
    assert root["body"] == [
        {
            "type": "TextualBody",
            "value": "Spelling?",
            "purpose": "commenting",
            "format": "text/plain",
        }
    ]
    assert root["target"]["source"] == "https://news.example/a/art1#section:s1"
    quote, position = root["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "Jon Smith",
        "prefix": "Police named ",
        "suffix": ", 42.",
    }
    assert position == {"type": "TextPositionSelector", "start": 13, "end": 22}
    assert root["desk:resolved"] is False
    assert rep["motivation"] == "replying" and rep["target"] == root["id"]
    assert rep["body"][0]["value"] == "Fixed, thanks"


def test_a_reply_to_a_reply_joins_the_thread():
    a = add_reply(thread(sample_article()), "Which Smith?", "Wes", "writer")
    root, rep = annotations_to_jsonld([a])
    nested = copy.deepcopy(rep)
    nested["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    nested["target"] = rep["id"]
    (back,) = annotations_from_jsonld([root, nested, rep])
    assert [r.id for r in back.replies] == ["00000000000040008000000000000001", a.replies[0].id]


def _valid() -> dict:
    return annotation_to_jsonld(thread(sample_article()))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("@context"), "not a W3C Web Annotation"),
        (lambda d: d.update(type="Note"), "not a W3C Web Annotation"),
        (lambda d: d.update(created="yesterday"), "created: not an ISO 8601"),
        (lambda d: d.update(creator={"type": "Person"}), "creator.name"),
        (lambda d: d["creator"].update({"desk:role": "boss"}), "unknown role 'boss'"),
        (lambda d: d["target"].update(source="https://x/art1"), "<article uri>#<field>"),
        (lambda d: d["target"].update(selector=[]), "needs a TextQuoteSelector"),
        (lambda d: d["target"]["selector"][1].update(start=-1), "start <= end"),
        (lambda d: d["target"]["selector"][1].update(end=True), "whole numbers"),
        (lambda d: d.update({"desk:resolved": "yes"}), "desk:resolved: expected true or false"),
        (lambda d: d.update({"desk:history": "lost"}), "desk:history"),
        (lambda d: d.update(motivation="replying"), "is a reply"),
    ],
)
def test_malformed_jsonld_is_a_clear_error(mutate, message):
    doc = _valid()
    mutate(doc)
    with pytest.raises(AnnotationError, match=message):
        annotation_from_jsonld(doc)


def test_malformed_threads_are_clear_errors():
    a = add_reply(thread(sample_article()), "ok", "Wes", "writer")
    root, rep = annotations_to_jsonld([a])
    with pytest.raises(AnnotationError, match="not a comment in this file"):
        annotations_from_jsonld([rep])
    with pytest.raises(AnnotationError, match="appears twice"):
        annotations_from_jsonld([root, rep, rep])
    with pytest.raises(AnnotationError, match="expected a JSON list"):
        annotations_from_jsonld(root)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="other"), "not an annotation document"),
        (lambda d: d.update(version=99), "version 99"),
        (lambda d: d.pop("body"), r"annotation\.body"),
        (lambda d: d["replies"].append({"id": "r"}), r"replies\[0\]\.author"),
        (lambda d: d.update(modified="soon"), "modified: not an ISO 8601"),
    ],
)
def test_malformed_dict_is_a_clear_error(mutate, message):
    d = annotation_to_dict(thread(sample_article()))
    mutate(d)
    with pytest.raises(AnnotationError, match=message):
        annotation_from_dict(d)


# --- store -------------------------------------------------------------------


def test_save_and_load_round_trip_in_document_order(store):
    art = sample_article()
    later = thread(art, "second", start=13)
    first = replace(thread(art, "first", start=0), quote=TextQuoteSelector("Police na"))
    head = make_annotation(art, "headline", 0, 5, "Stronger verb?", "Eve", "editor")
    save_annotations(store, [later, add_reply(first, "ok", "Wes", "writer"), head])
    loaded = load_annotations(store, "art1")
    assert [a.body for a in loaded] == ["Stronger verb?", "first", "second"]
    assert loaded[1].replies[0].body == "ok"
    assert load_annotations(store, "other-article") == []


def test_saving_again_updates_in_place(store):
    a = thread(sample_article())
    save_annotations(store, [a])
    save_annotations(store, [set_resolved(replace(a, body="edited"), True, "Eve")])
    (loaded,) = load_annotations(store, a.article_id)
    assert loaded.body == "edited" and loaded.resolved
    assert store.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1


def test_row_modified_is_the_threads_last_activity(store):
    a = replace(thread(sample_article()), modified=T0)
    a = replace(a, replies=[Reply("r", "Wes", "writer", T0, T0 + timedelta(hours=2), "ok")])
    save_annotations(store, [a])
    row = store.conn.execute("SELECT modified FROM annotations WHERE id = ?", (a.id,)).fetchone()
    assert row[0] == (T0 + timedelta(hours=2)).isoformat()


def test_delete_removes_one_thread(store):
    art = sample_article()
    a, b = thread(art, "a"), thread(art, "b")
    save_annotations(store, [a, b])
    assert delete_annotation(store, a.id) is True
    assert delete_annotation(store, a.id) is False
    assert [x.id for x in load_annotations(store, "art1")] == [b.id]


def test_open_count_counts_unresolved_threads_not_replies(store):
    art = sample_article()
    open_one = add_reply(add_reply(thread(art), "r1", "Wes", "writer"), "r2", "Eve", "editor")
    orphan = replace(thread(art), orphaned=True)
    done = set_resolved(thread(art), True, "Eve")
    elsewhere = replace(thread(art), article_id="other")
    save_annotations(store, [open_one, orphan, done, elsewhere])
    assert open_count(store, "art1") == 2
    assert open_count(store, "other") == 1
    assert open_count(store, "nothing") == 0


def test_annotations_survive_reopening_the_store(tmp_path):
    a = add_reply(thread(sample_article()), "ok", "Wes", "writer")
    with DraftStore(tmp_path / "d.db") as s:
        save_annotations(s, [a])
    with DraftStore(tmp_path / "d.db") as s:
        assert load_annotations(s, a.article_id) == [a]


def test_a_damaged_row_is_reported_not_skipped(store):
    a = thread(sample_article())
    save_annotations(store, [a])
    store.conn.execute("UPDATE annotations SET document = '{\"format\": 1}'")
    with pytest.raises(StoreError, match=f"comment {a.id} .* damaged"):
        load_annotations(store, a.article_id)
