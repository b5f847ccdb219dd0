"""Screenshots of the review widgets, for a person to look at (not a test).

Usage::

    uv run python tests/screens/make_review_screens.py OUTPUT_FOLDER

Builds a small article with three comment threads (one open with replies,
one resolved, one whose text was edited away) and saves, offscreen:

* ``annotations-panel.png`` / ``annotations-panel-dark.png`` — the threads
  (filter "All") in the light and dark themes;
* ``editor-highlights.png`` / ``editor-highlights-dark.png`` — a section
  editor body with open (yellow) and resolved (green) highlights;
* ``comment-dialog.png`` — the "add comment" dialog with a quote and a comment;
* ``workflow.png`` — the status widget for an editor on an article in review;
* ``history-dialog.png`` — the history dialog comparing a revision with the
  current text;
* ``preview-highlights.png`` — the live preview with the quotes marked
  (only when QtWebEngine works).
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --disable-logging")
with contextlib.suppress(ImportError):  # before the QApplication exists; else no preview shot
    import PySide6.QtWebEngineWidgets  # noqa: F401

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

from desk.model.annotation import (
    Annotation,
    add_reply,
    field_text,
    make_annotation,
    set_resolved,
)
from desk.model.article import Article, Dateline, Section, Status
from desk.review.anchoring import reanchor_all
from desk.ui.editor.section_editor import SectionEditor
from desk.ui.review.annotations_panel import AnnotationsPanel
from desk.ui.review.comment_dialog import CommentDialog
from desk.ui.review.highlights import apply_editor_highlights, preview_highlight_by_quote_script
from desk.ui.review.history_dialog import HistoryDialog
from desk.ui.review.status_bar_widget import WorkflowWidget
from desk.ui.theme import apply_theme, dark_palette

T0 = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def build_article() -> Article:
    return Article(
        id="demo",
        headline="County opens its spending ledger to the public",
        dateline=Dateline(city="Denver", region="Colorado", date=date(2025, 3, 4)),
        category="Politics",
        byline="Ada Writer",
        standfirst="Every payment over $500 will be searchable online from April.",
        sections=[
            Section(
                id="s1",
                body=(
                    "The county board voted 4 to 1 on Tuesday to publish every payment "
                    "over $500 in a searchable online ledger.\n\n"
                    "Supporters said the change would let residents see where their "
                    "money goes, while the treasurer warned about the cost."
                ),
            ),
            Section(
                id="s2",
                subheading="What it will cost",
                body=(
                    "The treasurer's office put the set-up cost at **$180,000**, with "
                    'running costs of about $40,000 a year. "It is money well spent," '
                    "said board chair Maria Lopez."
                ),
            ),
        ],
        status=Status.IN_REVIEW,
    )


def comment(a: Article, field: str, words: str, body: str, who: str, role: str) -> Annotation:
    text = field_text(a, field) or ""
    start = text.index(words)
    return make_annotation(a, field, start, start + len(words), body, who, role)


def build_threads(a: Article) -> tuple[Article, list[Annotation]]:
    """Three threads on the original text, then the text edited under one of them."""
    open_one = comment(
        a, "section:s1", "voted 4 to 1 on Tuesday", "Who was the one?", "Ed Itor", "editor"
    )
    open_one = replace(open_one, created=T0, modified=T0)
    open_one = add_reply(open_one, "Commissioner Reyes. Adding her name.", "Ada Writer", "writer")
    open_one.replies[0].created = T0 + timedelta(minutes=12)
    resolved = comment(
        a, "headline", "spending ledger", "“Ledger” is jargon — “payments”?", "Ed Itor", "editor"
    )
    resolved = set_resolved(
        replace(resolved, created=T0 + timedelta(minutes=3)), True, "Ada Writer"
    )
    resolved = replace(resolved, resolved_at=T0 + timedelta(minutes=20))
    lost = comment(
        a,
        "section:s2",
        "running costs of about $40,000 a year",
        "Source for this figure?",
        "Ed Itor",
        "editor",
    )
    lost = replace(lost, created=T0 + timedelta(minutes=5))
    edited = a.copy()
    edited.sections[1].body = (
        "The treasurer's office put the set-up cost at **$180,000**. "
        '"It is money well spent," said board chair Maria Lopez.'
    )
    return edited, reanchor_all(edited, [open_one, resolved, lost])


def settle(app: QApplication, ms: int = 50) -> None:
    """Let layouts and queued shows happen before a grab."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def shoot(widget: QWidget, path: Path, app: QApplication) -> None:
    widget.show()
    settle(app)
    widget.grab().save(str(path), "PNG")
    print(path)


def panel_shot(a: Article, threads: list[Annotation], path: Path, app: QApplication) -> None:
    panel = AnnotationsPanel()
    panel.resize(420, 860)
    panel.set_context(a.id, "Ed Itor", "editor")
    panel.set_section_order([s.id for s in a.sections])
    panel.set_annotations(threads)
    panel.set_filter("all")
    shoot(panel, path, app)
    panel.close()


def editor_shot(a: Article, threads: list[Annotation], path: Path, app: QApplication) -> None:
    box = QWidget()
    layout = QVBoxLayout(box)
    editor = SectionEditor(a.sections[0])
    layout.addWidget(editor)
    spans = [
        (t.position.start, t.position.end, t.resolved) for t in threads if t.field == "section:s1"
    ]
    spans.append(
        (
            editor.body.toPlainText().index("treasurer"),
            editor.body.toPlainText().index("treasurer") + 9,
            True,
        )
    )
    apply_editor_highlights(editor.body, spans)
    box.resize(640, 220)
    shoot(box, path, app)
    box.close()


def workflow_shot(path: Path, app: QApplication) -> None:
    box = QWidget()
    row = QHBoxLayout(box)
    w = WorkflowWidget()
    w.set_state(Status.IN_REVIEW, "editor")
    w.set_history([(Status.IN_REVIEW, "Ada Writer", T0)])
    row.addWidget(w)
    row.addStretch(1)
    box.resize(520, 48)
    shoot(box, path, app)
    box.close()


def history_shot(a: Article, path: Path, app: QApplication) -> None:
    old = a.copy()
    old.headline = "County to open spending records"
    old.sections[0].body = old.sections[0].body.replace("4 to 1 on Tuesday", "on Tuesday")
    revisions = [
        SimpleNamespace(
            id=12,
            created_at=T0 + timedelta(hours=2),
            reason="autosave",
            author="Ada Writer",
            version=9,
        ),
        SimpleNamespace(
            id=9, created_at=T0, reason="sent for review", author="Ada Writer", version=6
        ),
        SimpleNamespace(
            id=4, created_at=T0 - timedelta(days=1), reason="conflict", author="", version=2
        ),
    ]
    dialog = HistoryDialog(a, lambda _rid: old)
    dialog.set_revisions(revisions)
    dialog.list.setCurrentRow(1)
    dialog.resize(1100, 640)
    shoot(dialog, path, app)
    dialog.close()


def comment_dialog_shot(path: Path, app: QApplication) -> None:
    dialog = CommentDialog("running costs of about $40,000 a year")
    dialog.text.setPlainText("Source for this figure? The budget papers say $38,500.")
    dialog.resize(460, 240)
    shoot(dialog, path, app)
    dialog.close()


def preview_shot(a: Article, threads: list[Annotation], path: Path, app: QApplication) -> None:
    from desk.profiles import load_site_profile
    from desk.render.page import render_article
    from desk.ui.preview.preview import PreviewPane

    pane = PreviewPane()
    if not pane.available:
        print(f"preview skipped: {pane.unavailable_reason()}")
        return
    pane.resize(900, 900)
    pane.show()
    loop = QEventLoop()
    pane.loaded.connect(lambda _ok: loop.quit())
    QTimer.singleShot(20_000, loop.quit)
    pane.show_page(render_article(a, load_site_profile()), {})
    loop.exec()
    by_target: dict[str, list[tuple[str, bool]]] = {}
    for t in threads:
        if not t.orphaned:
            by_target.setdefault(t.field, []).append((t.quote.exact, t.resolved))
    done: list[object] = []
    for target, quotes in by_target.items():
        pane.run_js(preview_highlight_by_quote_script(target, quotes), done.append)
    while len(done) < len(by_target):
        settle(app, 20)
    settle(app, 300)  # a frame with the marks painted
    pane.grab_png(path)
    print(path)
    pane.shutdown()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    apply_theme(app, "light", 10)
    a, threads = build_threads(build_article())
    panel_shot(a, threads, out / "annotations-panel.png", app)
    editor_shot(a, threads, out / "editor-highlights.png", app)
    workflow_shot(out / "workflow.png", app)
    history_shot(a, out / "history-dialog.png", app)
    comment_dialog_shot(out / "comment-dialog.png", app)
    preview_shot(a, threads, out / "preview-highlights.png", app)
    app.setPalette(dark_palette())
    panel_shot(a, threads, out / "annotations-panel-dark.png", app)
    editor_shot(a, threads, out / "editor-highlights-dark.png", app)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
