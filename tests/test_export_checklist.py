"""The pre-export checklist as the export layer wires it: links, slugs, images, comments."""

from __future__ import annotations

from test_export_support import add_image, stored_starter

from desk.export.checklist import run_checklist
from desk.model.article import Article, Image
from desk.model.validation import Level, blocking
from desk.store.seed import starter_article


def test_starter_article_passes_once_approved(store, profile):
    article = stored_starter(store)
    assert run_checklist(article, profile, store) == []


def test_refused_links_are_errors_on_their_section(store, profile):
    article = stored_starter(store, images=0)
    section = article.sections[1]
    section.body += (
        "\n\n[click](javascript:alert(1)) and [ok](https://example.org) and "
        "[hidden](jav&#x09;ascript:alert(1)) and ![x](data:image/svg+xml;base64,PHN2Zz4=)"
    )
    findings = run_checklist(article, profile, store)
    errors = blocking(findings)
    assert [f.field for f in errors] == [f"section:{section.id}"] * 3
    assert "javascript:alert(1)" in errors[0].message
    assert "SVG" in errors[2].message


def test_inline_store_image_must_be_attached(store, profile):
    article = stored_starter(store, images=1)
    attached = article.images[0].sha256
    article.sections[0].body += f"\n\n![ok](desk-asset:{attached})"
    assert blocking(run_checklist(article, profile, store)) == []
    article.sections[0].body += "\n\n![stray](desk-asset:" + "ab" * 32 + ")"
    [error] = blocking(run_checklist(article, profile, store))
    assert "not among the article's images" in error.message


def test_slug_taken_by_another_draft_even_in_the_trash(store, profile):
    other = store.create(starter_article())
    store.trash(other.id)
    mine = Article(**{**vars(stored_starter(store, images=0)), "slug": other.slug})
    errors = blocking(run_checklist(mine, profile, store))
    assert [(f.field, f.level) for f in errors] == [("slug", Level.ERROR)]
    # without a store nothing is known about other drafts
    assert blocking(run_checklist(mine, profile)) == []


def test_images_must_be_exportable_and_present(store, profile):
    article = stored_starter(store, images=0)
    add_image(store, article, "vector", media_type="image/svg+xml")
    article.images.append(Image(sha256="cd" * 32, alt="gone", filename="gone.jpg"))
    messages = [f.message for f in blocking(run_checklist(article, profile, store))]
    assert any("image/svg+xml" in m for m in messages)
    assert any("missing from the draft store" in m for m in messages)


def test_open_comments_warn_but_do_not_block(store, profile):
    article = stored_starter(store, images=0)
    findings = run_checklist(article, profile, store, open_comments=2)
    assert blocking(findings) == []
    [warning] = findings
    assert warning.field == "review" and "2 review comments are still open" in warning.message


def test_a_local_image_in_the_text_blocks_until_it_is_in_the_draft(store, profile):
    article = stored_starter(store, images=0)
    section = article.sections[1]
    section.body += "\n\n![A bike](photos/bike.png) and ![Web](https://example.org/w.png)"
    [error] = blocking(run_checklist(article, profile, store))
    assert error.field == f"section:{section.id}"
    assert "“bike.png” in the text is a file on this computer" in error.message


def test_an_image_in_the_text_without_alt_text_is_flagged_once(store, profile):
    article = stored_starter(store, images=1)
    image = article.images[0]
    image.alt = ""  # the text carries the words of an image it shows
    section = article.sections[0]
    section.body += f"\n\n![](desk-asset:{image.sha256})\n\n`![](not-an-image.png)`"
    [error] = blocking(run_checklist(article, profile, store))
    assert error.field == f"section:{section.id}"
    assert "has no alt text" in error.message
    section.body = section.body.replace("![]", "![The harbour at dawn]", 1)
    assert blocking(run_checklist(article, profile, store)) == []
