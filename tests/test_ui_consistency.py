"""What the writer sees in the window agrees with what the export writes.

Driven through File ▸ Export… and File ▸ Send for Review as a writer uses
them; only the file chooser's answer is patched. The export dialog is modal,
so it is worked from a timer while ``exec()`` runs, as a person would.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
import yaml
from conftest import js, run_desk
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from desk.store.drafts import DraftStore
from desk.ui.dialogs.export_dialog import ExportDialog
from desk.ui.review import move_dialog
from desk.ui.review.move_dialog import MoveAnswer


def wait_loaded(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.preview.available, timeout=20_000)
    qtbot.waitUntil(
        lambda: js(qtbot, window.preview, "!!document.getElementById('article-header')"),
        timeout=20_000,
    )


def with_export_dialog(qtbot, window, work) -> None:
    """File ▸ Export…, then ``work(dialog)`` inside the modal dialog, then Close."""
    seen: list[ExportDialog] = []

    def inside() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog):
            QTimer.singleShot(10, inside)  # not shown yet
            return
        seen.append(dialog)
        try:
            work(dialog)
        finally:
            dialog.reject()

    QTimer.singleShot(0, inside)
    window.actions_.export.trigger()
    assert seen, "File ▸ Export… showed no dialog"


def export_through_menu(qtbot, window, folder: Path, *, make_zip: bool = False) -> Path:
    def work(dialog: ExportDialog) -> None:
        dialog.destination.setText(str(folder))
        dialog.zip.setChecked(make_zip)
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert "Exported to" in dialog.status.text(), dialog.status.text()

    with_export_dialog(qtbot, window, work)
    return folder / window.session.article.slug


def json_ld(page: str) -> dict:
    m = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


@pytest.mark.webengine
def test_standfirst_gets_the_same_curly_quotes_as_the_body(make_window, qtbot, tmp_path, db_path):
    w = make_window()
    wait_loaded(qtbot, w)
    typed = '"Open books" -- it\'s the law...'
    standfirst = w.editor.header.standfirst
    standfirst.setFocus()
    standfirst.selectAll()
    qtbot.keyClicks(standfirst, typed)
    sid = w.session.article.sections[1].id
    ed = w.editor.sections.editor(sid)
    ed.focus_at(len(ed.body.toPlainText()))
    qtbot.keyClick(ed.body, Qt.Key.Key_Return)
    qtbot.keyClick(ed.body, Qt.Key.Key_Return)
    qtbot.keyClicks(ed.body, typed)
    shown = "“Open books” – it’s the law…"

    def page_text(selector: str) -> str:
        return js(qtbot, w.preview, f"document.querySelector({selector!r}).textContent")

    qtbot.waitUntil(lambda: page_text(".standfirst") == shown, timeout=10_000)
    qtbot.waitUntil(lambda: shown in page_text(f"#s-{sid}"), timeout=10_000)
    qtbot.waitUntil(lambda: w.save_label.text() == "Saved", timeout=5000)
    with DraftStore(db_path) as store:  # the writer's characters are kept as typed
        assert store.load(w.session.article.id).standfirst == typed

    bundle = export_through_menu(qtbot, w, tmp_path / "out")
    page = (bundle / "index.html").read_text(encoding="utf-8")
    assert f'<p class="standfirst" dir="auto">{shown}</p>' in page
    assert json_ld(page)["description"] == shown
    ninjs = json.loads((bundle / "article.json").read_text(encoding="utf-8"))
    assert ninjs["descriptions"][0]["value"] == shown
    # article.md is source for a site generator: the writer's own characters.
    source = (bundle / "content" / "article.md").read_text("utf-8")
    assert yaml.safe_load(source.split("---\n")[1])["summary"] == typed


def test_one_word_count_in_the_status_bar_the_export_and_the_cli(make_window, qtbot, tmp_path):
    w = make_window()
    qtbot.waitUntil(lambda: "words" in w.words_label.text())
    shown = int(w.words_label.text().split()[0].replace(",", ""))
    bundle = export_through_menu(qtbot, w, tmp_path / "out")
    ninjs = json.loads((bundle / "article.json").read_text(encoding="utf-8"))
    assert [b["wordCount"] for b in ninjs["bodies"]] == [shown, shown]
    page = (bundle / "index.html").read_text(encoding="utf-8")
    assert json_ld(page)["wordCount"] == shown
    show = run_desk("--db", str(w.store.path), "show", w.session.article.id)
    assert f"\n{shown} words, " in show.stdout.decode()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_zip_and_review_package_get_the_users_umask_like_the_bundle(
    make_window, qtbot, tmp_path, monkeypatch
):
    w = make_window()
    old = os.umask(0o027)
    try:
        bundle = export_through_menu(qtbot, w, tmp_path / "out", make_zip=True)
        package = tmp_path / "story.deskreview"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(package), ""))
        monkeypatch.setattr(move_dialog, "ask_move", lambda _p, _t, _h: MoveAnswer("", True))
        w.actions_.send_review.trigger()
    finally:
        os.umask(old)

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(bundle / "index.html") == 0o640
    assert mode(tmp_path / "out" / f"{bundle.name}.zip") == 0o640
    assert mode(package) == 0o640


def checklist(qtbot, window) -> list[tuple[str, object]]:
    """File ▸ Export…: the checklist rows as (text, item), read while the dialog is open."""
    rows: list[tuple[str, object]] = []

    def work(dialog: ExportDialog) -> None:
        for i in range(dialog.checklist.count()):
            item = dialog.checklist.item(i)
            rows.append((item.text(), item))
        rows.append(("<dialog>", dialog))

    with_export_dialog(qtbot, window, work)
    return rows


def test_the_date_field_and_the_checklist_agree_about_the_dateline(make_window, qtbot, db_path):
    w = make_window()
    w.actions_.new.trigger()
    article_id = w.session.article.id
    field = w.editor.header.date
    assert w.session.article.dateline.date is None
    assert field.text() == "No date"  # not the creation date, as if it had been set
    texts = [text for text, _ in checklist(qtbot, w)]
    assert "The dateline has no date; the creation date will be published." in texts

    # The writer steps the date up once: it starts from the date that would be published.
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Up)
    created = w.session.article.created_at.date()
    assert field.text() == f"{created:%B} {created.day}, {created.year}"
    assert w.session.article.dateline.date == created
    assert w.flush()
    with DraftStore(db_path) as store:
        assert store.load(article_id).dateline.date == created
    texts = [text for text, _ in checklist(qtbot, w)]
    assert not any("has no date" in t for t in texts)


def test_blocking_errors_show_the_critical_icon_in_red_before_warnings(make_window, qtbot):
    from PySide6.QtWidgets import QStyle

    w = make_window()
    headline = w.editor.header.headline
    headline.setFocus()
    headline.selectAll()
    qtbot.keyClick(headline, Qt.Key.Key_Delete)
    assert w.session.article.headline == ""
    *rows, (_, dialog) = checklist(qtbot, w)
    texts = [t for t, _ in rows]
    assert texts[0] == "Write a headline."  # the plain message, no emoji in front
    # every error (bold) comes before every warning
    blocking = [i for i, (_, item) in enumerate(rows) if item.font().bold()]
    assert blocking == list(range(len(blocking))) and 0 < len(blocking) < len(rows)

    def pixels(icon) -> object:
        return icon.pixmap(16, 16).toImage()

    style = dialog.style()
    critical = pixels(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical))
    warning = pixels(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
    assert not critical.isNull() and critical != warning
    for i, (_, item) in enumerate(rows):
        assert pixels(item.icon()) == (critical if i in blocking else warning)
    red, normal = rows[0][1].foreground().color(), rows[-1][1].foreground().color()
    assert red.red() > 150 and red.green() < 100 and red != normal
    assert not dialog.export_button.isEnabled()
    n = len(blocking)
    assert dialog.status.text() == f"{n} problem{'s' * (n > 1)} must be fixed before export."


ARABIC_HEADLINE = "المجلس يفتح سجل الإنفاق"
ARABIC_PARAGRAPH = "وافق المجلس على نشر السجل كاملا."


def type_unicode(widget, text: str) -> None:
    """Keystrokes as an Arabic keyboard layout sends them (QTest only types Latin-1)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(widget, event)


@pytest.mark.webengine
def test_arabic_reads_right_to_left_and_gets_a_stable_slug(make_window, qtbot, tmp_path, db_path):
    w = make_window()
    w.actions_.new.trigger()
    article_id = w.session.article.id
    type_unicode(w.editor.header.headline, ARABIC_HEADLINE)
    assert w.editor.header.slug.text() == f"article-{article_id[:8]}"  # not "untitled"
    sid = w.session.article.sections[0].id
    body = w.editor.sections.editor(sid).body
    body.setFocus()
    type_unicode(body, ARABIC_PARAGRAPH)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, "An English paragraph.")
    # A Latin dateline opens the Arabic paragraph; the checklist also wants a category.
    qtbot.keyClicks(w.editor.header.city, "Cairo")
    qtbot.keyClicks(w.editor.header.category, "World")
    assert w.session.article.category == "World"
    wait_loaded(qtbot, w)

    def direction(selector: str) -> str:
        return js(
            qtbot, w.preview, f"getComputedStyle(document.querySelector({selector!r})).direction"
        )

    qtbot.waitUntil(
        lambda: js(qtbot, w.preview, "document.querySelector('h1').textContent") == ARABIC_HEADLINE,
        timeout=10_000,
    )
    qtbot.waitUntil(
        lambda: (
            js(qtbot, w.preview, f"document.querySelectorAll('#s-{sid} p').length") == 2
            and "CAIRO" in js(qtbot, w.preview, f"document.getElementById('s-{sid}').textContent")
        ),
        timeout=10_000,
    )
    assert direction("h1") == "rtl"
    assert direction(f"#s-{sid} p:first-of-type") == "rtl"
    assert direction(f"#s-{sid} p:last-of-type") == "ltr"
    assert js(qtbot, w.preview, "document.documentElement.lang") == w.profile.language
    assert w.flush()
    with DraftStore(db_path) as store:
        assert store.load(article_id).slug == f"article-{article_id[:8]}"

    bundle = export_through_menu(qtbot, w, tmp_path / "out")
    assert bundle.name == f"article-{article_id[:8]}"
    page = (bundle / "index.html").read_text(encoding="utf-8")
    assert f'<h1 class="headline" dir="auto">{ARABIC_HEADLINE}</h1>' in page
    # The Latin dateline is isolated so the paragraph still reads right to left.
    lead = '<span class="dateline" dir="auto">CAIRO —</span> '
    assert f'<p dir="auto">{lead}{ARABIC_PARAGRAPH}</p>' in page
    assert '<p dir="auto">An English paragraph.</p>' in page
    assert f'<html lang="{w.profile.language}">' in page


def test_headline_slug_falls_back_to_the_id_only_without_any_ascii_form():
    from desk.model.article import headline_slug

    article_id = "0123456789abcdef" * 2
    assert headline_slug(ARABIC_HEADLINE, article_id) == "article-01234567"
    assert headline_slug("Ελλάδα", article_id) == "article-01234567"
    assert headline_slug("Café in Zürich", article_id) == "cafe-in-zurich"  # transliterated
    assert headline_slug("Untitled", article_id) == "untitled"
    assert headline_slug("", article_id) == "untitled"  # nothing written yet
