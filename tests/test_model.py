import json
from datetime import date

import pytest

from desk.model.article import (
    Article,
    Dateline,
    DocumentError,
    Image,
    Section,
    Status,
    article_from_dict,
    article_to_dict,
    slugify,
    unique_slug,
)
from desk.model.text import article_words, count_words, reading_minutes
from desk.model.validation import Level, blocking, check_category, validate


def full_article() -> Article:
    return Article(
        slug="ports-reopen",
        headline="Ports Reopen — “Finally,” Says Mayor",
        dateline=Dateline("São Paulo", "Brazil", date(2025, 7, 27)),
        category="Defence & Security",
        byline="Ana Lima",
        standfirst="Dock work resumes.",
        tags=["ports", "trade"],
        sections=[Section(body="First para.\n\nSecond."), Section(subheading="Next", body="x")],
        images=[
            Image(
                sha256="ab" * 32,
                filename="dock.jpg",
                alt="A dock",
                caption="Cap",
                credit="AP",
                section_id="s1",
            )
        ],
        status=Status.IN_REVIEW,
        version=7,
    )


def test_document_round_trips_exactly():
    a = full_article()
    doc = article_to_dict(a)
    again = article_from_dict(json.loads(json.dumps(doc)))
    assert again == a
    assert article_to_dict(again) == doc
    assert doc["format"] == "desk.article" and doc["version"] == 1


@pytest.mark.parametrize(
    "doc, message",
    [
        ([], "JSON object"),
        ({"format": "other"}, "format"),
        ({"format": "desk.article", "version": 99}, "version"),
        (
            {
                "format": "desk.article",
                "version": 1,
                "status": "lost",
                "created_at": "2025-01-01",
                "updated_at": "2025-01-01",
            },
            "status",
        ),
        ({"format": "desk.article", "version": 1, "created_at": "yesterday"}, "created_at"),
        (
            {
                "format": "desk.article",
                "version": 1,
                "headline": 3,
                "created_at": "2025-01-01",
                "updated_at": "2025-01-01",
            },
            "headline",
        ),
        (
            {
                "format": "desk.article",
                "version": 1,
                "tags": "a",
                "created_at": "2025-01-01",
                "updated_at": "2025-01-01",
            },
            "tags",
        ),
        (
            {
                "format": "desk.article",
                "version": 1,
                "dateline": {"date": "July"},
                "created_at": "2025-01-01",
                "updated_at": "2025-01-01",
            },
            "dateline.date",
        ),
    ],
)
def test_malformed_documents_are_refused_with_the_field_named(doc, message):
    with pytest.raises(DocumentError, match=message):
        article_from_dict(doc)


@pytest.mark.parametrize(
    "headline, slug",
    [
        (
            "Japan and U.S. Deepen Nuclear Contingency Planning",
            "japan-and-u-s-deepen-nuclear-contingency-planning",
        ),
        ("Défense & Sécurité: China’s l’été", "defense-and-securite-chinas-lete"),
        ("   ", "untitled"),
        ("日本", "untitled"),
        ("A" * 200, "a" * 80),
        # the limit falls just after a word: the word is kept, the next one dropped
        ("x" * 39 + " " + "y" * 40 + " tail", "x" * 39 + "-" + "y" * 40),
        ("x" * 39 + " " + "y" * 45, "x" * 39),
    ],
)
def test_slugify(headline, slug):
    assert slugify(headline) == slug


def test_unique_slug_appends_a_number():
    assert unique_slug("x", {"x", "x-2"}) == "x-3"
    assert unique_slug("y", {"x"}) == "y"


def test_word_count_and_reading_time():
    assert count_words("U.S.-Japan talks, China's [navy](http://a.b/c d) grows — fast.") == 6
    a = Article(standfirst="one two", sections=[Section(subheading="three", body="four " * 240)])
    assert article_words(a) == 243
    assert reading_minutes(243) == 2
    assert reading_minutes(238) == 1
    assert reading_minutes(0) == 0


def test_published_date_comes_from_the_dateline():
    a = full_article()
    assert a.published_date == date(2025, 7, 27)
    a.dateline.date = None
    assert a.published_date == a.created_at.date()


def test_category_must_be_one_of_the_site_categories(profile):
    assert "Defence & Security" in profile.categories
    a = full_article()
    assert check_category(a, profile) == []
    a.category = "Sport"
    [f] = check_category(a, profile)
    assert f.level is Level.ERROR and f.field == "category" and "Sport" in f.message


def test_checklist_blocks_missing_essentials(profile):
    findings = validate(Article(), profile)
    fields = {f.field for f in blocking(findings)}
    assert {"headline", "dateline", "category", "body", "slug"} <= fields


def test_checklist_flags_placeholders_alt_text_and_long_headlines(profile):
    a = full_article()
    a.images[0].alt = ""
    a.sections[1].body = "Quote TK from the mayor."
    a.headline = "H" * (profile.headline_limit + 1)
    found = {(f.field, f.level) for f in validate(a, profile)}
    assert (f"image:{a.images[0].id}", Level.ERROR) in found
    assert (f"section:{a.sections[1].id}", Level.ERROR) in found
    assert ("headline", Level.ERROR) in found


def test_copy_is_deep():
    a = full_article()
    b = a.copy()
    b.sections[0].body = "changed"
    b.tags.append("new")
    assert a.sections[0].body == "First para.\n\nSecond." and a.tags == ["ports", "trade"]


def test_site_profile_names_are_names_not_paths():
    from desk.profiles import ProfileError, load_site_profile

    for bad in ("../etc", "/abs", "", "a/b", "naïve"):
        with pytest.raises(ProfileError):
            load_site_profile(bad)


def test_a_selector_with_a_non_text_type_is_a_clear_error():
    from desk.model.annotation import AnnotationError, annotation_from_jsonld

    doc = {
        "type": "Annotation",
        "id": "urn:uuid:12345678123456781234567812345678",
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": "x"}],
        "target": {"source": "https://x/a#headline", "selector": [{"type": []}]},
    }
    with pytest.raises(AnnotationError):
        annotation_from_jsonld(doc)
