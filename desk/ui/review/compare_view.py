"""Two versions of an article side by side, with word-level changes marked.

Used by the history dialog (a revision against the current text) and for
import conflicts (the stored draft against the imported one). The diff itself
comes from :func:`desk.review.history.compare_articles`; this module only
draws it: deletions struck through in red on the left, insertions underlined
in green on the right, unchanged parts reduced to one line so the eye goes
straight to what changed.

The panes scroll together *by field*: each field's heading carries an anchor
and a scroll position maps piecewise-linearly between the two panes' anchors,
so the same section faces itself even when one side is much longer.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desk.model.article import Article

_ANCHOR = "f-"
# (text, background) per palette brightness.
_COLORS = {
    False: {"delete": ("#a3201a", "#fde3e1"), "insert": ("#17621c", "#dcf3d8")},
    True: {"delete": ("#ffb4ab", "#5c1f1b"), "insert": ("#b8f0b0", "#1e4a23")},
}


class FieldDiffLike(Protocol):
    """What :class:`desk.review.history.FieldDiff` provides, all this view reads."""

    field: str
    label: str
    old: str
    new: str
    ops: Sequence[tuple[str, str]]
    changed: bool


def _text_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def pane_html(diffs: Sequence[FieldDiffLike], side: str, dark: bool) -> str:
    """One pane's document. ``side`` is ``"old"`` (shows deletions) or ``"new"`` (insertions)."""
    shown, hidden = ("delete", "insert") if side == "old" else ("insert", "delete")
    color, background = _COLORS[dark][shown]
    decoration = "line-through" if shown == "delete" else "underline"
    style = f"color:{color}; background-color:{background}; text-decoration:{decoration};"
    muted = "color:#8a8d91;"
    parts: list[str] = []
    for i, d in enumerate(diffs):
        label = html.escape(d.label)
        anchor = f'<a name="{_ANCHOR}{i}">'
        if not d.changed:
            parts.append(
                f'<p style="{muted} font-style:italic;">{anchor}<b>{label}</b></a> — unchanged</p>'
            )
            continue
        parts.append(f'<h4 style="margin-bottom:2px;">{anchor}{label}</a></h4>')
        text = d.old if side == "old" else d.new
        if not text:
            kind = getattr(d, "kind", "")  # added / removed / moved, when the diff says
            notes = {("old", "added"): "not in this version", ("new", "removed"): "removed"}
            missing = notes.get((side, kind), "empty")
            parts.append(f'<p style="{muted} font-style:italic;">({missing})</p>')
            continue
        body: list[str] = []
        for op, chunk in d.ops:
            if op == "equal":
                body.append(_text_html(chunk))
            elif op == shown:
                body.append(f'<span style="{style}">{_text_html(chunk)}</span>')
            elif op != hidden:
                raise ValueError(f"unknown diff operation {op!r}")
        parts.append(f"<p>{''.join(body)}</p>")
    return "<html><body>" + "".join(parts) + "</body></html>"


class CompareView(QWidget):
    """Read-only "Revision" / "Current" panes, scroll-synchronised by field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel(objectName="compareSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        self.old_title = QLabel("Revision", objectName="compareOldTitle")
        self.new_title = QLabel("Current", objectName="compareNewTitle")
        self.old_pane = QTextBrowser(objectName="compareOld")
        self.new_pane = QTextBrowser(objectName="compareNew")
        for col, (title, pane) in enumerate(
            ((self.old_title, self.old_pane), (self.new_title, self.new_pane))
        ):
            title.setTextFormat(Qt.TextFormat.PlainText)
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            pane.setOpenLinks(False)
            pane.setOpenExternalLinks(False)
            grid.addWidget(title, 0, col)
            grid.addWidget(pane, 1, col)
        self.old_pane.setToolTip("The earlier version: removed words are struck through in red")
        self.new_pane.setToolTip("The later version: added words are underlined in green")
        grid.setRowStretch(1, 1)
        layout.addLayout(grid, 1)
        self._diffs: list[FieldDiffLike] = []
        self._syncing = False
        self.old_pane.verticalScrollBar().valueChanged.connect(
            lambda v: self._sync(self.old_pane, self.new_pane, v)
        )
        self.new_pane.verticalScrollBar().valueChanged.connect(
            lambda v: self._sync(self.new_pane, self.old_pane, v)
        )

    # --- API ---------------------------------------------------------------------

    def set_diffs(
        self,
        diffs: Sequence[FieldDiffLike],
        old_title: str = "Revision",
        new_title: str = "Current",
    ) -> None:
        """Show precomputed field diffs (from ``compare_articles``)."""
        self._diffs = list(diffs)
        self.old_title.setText(old_title)
        self.new_title.setText(new_title)
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self.old_pane.setHtml(pane_html(self._diffs, "old", dark))
        self.new_pane.setHtml(pane_html(self._diffs, "new", dark))
        changed = sum(1 for d in self._diffs if d.changed)
        if not self._diffs:
            self.summary.setText("Nothing to compare.")
        elif not changed:
            self.summary.setText("The two versions are the same.")
        else:
            self.summary.setText(f"{changed} of {len(self._diffs)} parts changed.")

    def set_pair(
        self, old_title: str, old_article: Article, new_title: str, new_article: Article
    ) -> None:
        """Compare two articles (a revision and the draft, or a draft and an import)."""
        from desk.review.history import compare_articles  # written alongside this view

        self.set_diffs(compare_articles(old_article, new_article), old_title, new_title)

    def show_message(self, message: str) -> None:
        """Empty both panes and say why (nothing selected, a revision that failed to load)."""
        self._diffs = []
        self.old_pane.clear()
        self.new_pane.clear()
        self.summary.setText(message)

    @property
    def diffs(self) -> list[FieldDiffLike]:
        return list(self._diffs)

    # --- synchronised scrolling --------------------------------------------------

    @staticmethod
    def anchor_tops(pane: QTextBrowser) -> dict[int, float]:
        """Document y of each field's heading, by field index."""
        doc = pane.document()
        layout = doc.documentLayout()
        tops: dict[int, float] = {}
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            if not it.atEnd():
                for name in it.fragment().charFormat().anchorNames():
                    if name.startswith(_ANCHOR) and name[len(_ANCHOR) :].isdigit():
                        tops.setdefault(
                            int(name[len(_ANCHOR) :]), layout.blockBoundingRect(block).top()
                        )
            block = block.next()
        return tops

    def _sync(self, source: QTextBrowser, target: QTextBrowser, value: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            target.verticalScrollBar().setValue(self._map_scroll(source, target, value))
        finally:
            self._syncing = False

    def _map_scroll(self, source: QTextBrowser, target: QTextBrowser, value: int) -> int:
        bar_s, bar_t = source.verticalScrollBar(), target.verticalScrollBar()
        if value >= bar_s.maximum():
            return bar_t.maximum()
        a, b = self.anchor_tops(source), self.anchor_tops(target)
        keys = sorted(set(a) & set(b))
        if not keys:
            return round(value / max(1, bar_s.maximum()) * bar_t.maximum())
        # Top of document, each field's heading, end of document: matching points.
        ya = [0.0] + [a[k] for k in keys] + [source.document().size().height()]
        yb = [0.0] + [b[k] for k in keys] + [target.document().size().height()]
        i = 0
        while i + 2 < len(ya) and ya[i + 1] <= value:
            i += 1
        span = max(1.0, ya[i + 1] - ya[i])
        t = min(1.0, max(0.0, (value - ya[i]) / span))
        return round(yb[i] + t * (yb[i + 1] - yb[i]))
