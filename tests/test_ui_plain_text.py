"""User text in tooltips and message boxes shows as typed, never as HTML (issue 12, item 17).

Qt renders a tooltip or message box text as HTML whenever it *looks* like
HTML, so a headline or a quoted phrase starting with a tag would load a local
``file://`` image or pose as Desk's own words. Each test reads the tooltip
Qt would show on hover (or the text of the box an action opened) and lays
it out as Qt does, then compares it with what the writer typed. (Showing
the tooltip itself is not possible offscreen: the platform plugin warns.)
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from desk.model.annotation import field_text, make_annotation
from desk.model.article import Article, Section
from desk.store.annotations import save_annotations
from desk.store.drafts import DraftStore

HOSTILE = '<img src="file:///etc/desk-spy.png"><b>Desk:</b> your drafts were deleted'


def as_shown(text: str) -> str:
    """The characters Qt puts on screen for a tooltip or message box text."""
    if not Qt.mightBeRichText(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def test_drafts_list_tooltip_shows_a_tag_like_headline_as_text(qtbot, make_window, db_path):
    with DraftStore(db_path) as store:
        article = store.create(Article(headline=HOSTILE, sections=[Section(body="Text.")]))
    w = make_window()
    lst = w.drafts.list
    [item] = [
        lst.item(i)
        for i in range(lst.count())
        if lst.item(i).data(Qt.ItemDataRole.UserRole) == article.id
    ]
    shown = as_shown(item.toolTip())
    assert HOSTILE in shown and f"id: {article.id}" in shown
    with DraftStore(db_path) as store:
        assert store.load(article.id).headline == HOSTILE


def test_comment_quote_tooltip_shows_a_tag_like_quote_as_text(qtbot, make_window, db_path):
    body = f"Before {HOSTILE} after."
    with DraftStore(db_path) as store:
        article = store.create(Article(headline="Quotes", sections=[Section(body=body)]))
        field = f"section:{article.sections[0].id}"
        start = (field_text(article, field) or "").index(HOSTILE)
        note = make_annotation(
            article, field, start, start + len(HOSTILE), "Is this real?", "Ed", "editor"
        )
        save_annotations(store, [note])
    w = make_window()
    w.open_article(DraftStore(db_path).load(article.id))

    def quotes() -> list[QLabel]:
        return [q for q in w.findChildren(QLabel, "threadQuote") if q.isVisible()]

    qtbot.waitUntil(lambda: len(quotes()) == 1)
    [quote] = quotes()
    assert HOSTILE[:20] in quote.text()  # the label itself is plain text already
    assert as_shown(quote.toolTip()) == HOSTILE


def test_review_package_refusal_is_shown_as_text(qtbot, make_window, monkeypatch, tmp_path):
    """A refusal naming a hostile file name: the message box shows the name as typed."""
    name = tmp_path / '<img src="file:x.png">.deskreview'
    name.write_bytes(b"not a zip")
    w = make_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(name), ""))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: said.append(text))
    w.actions_.open_review.trigger()
    assert said, "the refusal was not shown"
    assert Path(name).name in as_shown(said[0]) and "Nothing was imported" in as_shown(said[0])
