"""The compare window of a merged review: every change with its author, each accepted or rejected.

Built from :func:`desk.review.three_way.article_changes` (base, the writer's
draft before the merge, the returned copy). The dialog knows nothing about
the store: it asks its ``apply`` callback to write one part's new text and
shows what came back, as the history dialog leaves restoring to its owner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk.review.three_way import FieldMerge
from desk.ui.review.change_row import ChangeRow

#: ``apply(field, text the draft holds now, new text)``: None when written,
#: else one line saying why not.
Apply = Callable[[str, str, str], "str | None"]


class MergeDialog(QDialog):
    def __init__(
        self,
        changes: Sequence[FieldMerge],
        current: Callable[[str], str | None],
        apply: Apply,
        sender: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Changes from {sender}")
        self.resize(900, 700)
        self.apply = apply
        self.rows: list[tuple[FieldMerge, int, ChangeRow]] = []
        self._accepted: dict[str, set[int] | None] = {}
        layout = QVBoxLayout(self)
        self.summary = QLabel(objectName="mergeSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        body = QWidget()
        rows = QVBoxLayout(body)
        for fm in changes:
            self._accepted[fm.field] = fm.accepted_in(current(fm.field) or "")
            title = QLabel(fm.label, objectName="mergeField")
            font = title.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.1)
            title.setFont(font)
            rows.addWidget(title)
            for i in fm.changes():
                hunk = fm.hunks[i]
                before = "".join(h.mine for h in fm.hunks[:i])
                after = "".join(h.mine for h in fm.hunks[i + 1 :])
                row = ChangeRow(hunk, before, after, sender)
                row.setObjectName(f"change:{fm.field}:{i}")
                row.decided.connect(lambda accept, fm=fm, i=i: self.decide(fm, i, accept))
                rows.addWidget(row)
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                rows.addWidget(line)
                self.rows.append((fm, i, row))
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._decided: dict[tuple[str, int], bool] = {}
        self._refresh()

    def row(self, field: str, origin: str, index: int = 0) -> ChangeRow:
        """The ``index``-th change of ``origin`` in ``field`` (how tests find a row)."""
        found = [r for fm, _i, r in self.rows if fm.field == field and r.hunk.origin == origin]
        return found[index]

    def decide(self, fm: FieldMerge, index: int, accept: bool) -> None:
        accepted = self._accepted.get(fm.field)
        if accepted is None:
            return
        wanted = accepted | {index} if accept else accepted - {index}
        if wanted != accepted:
            problem = self.apply(fm.field, fm.text(accepted), fm.text(wanted))
            if problem:
                self.summary.setText(problem)
                return
            self._accepted[fm.field] = wanted
        self._decided[(fm.field, index)] = accept
        self._refresh()

    def _refresh(self) -> None:
        open_ = 0
        for fm, i, row in self.rows:
            accepted = self._accepted.get(fm.field)
            if accepted is None:
                row.show_state(None, "Edited since the merge: use File ▸ History")
                continue
            decision = self._decided.get((fm.field, i))
            if decision is None and i in accepted:
                decision = True  # taken by the merge, as nobody else changed these words
            row.show_state(decision)
            open_ += row.actionable and decision is None
        mine = sum(1 for _fm, _i, r in self.rows if r.hunk.origin == "mine")
        self.summary.setText(
            f"{len(self.rows)} change(s): {mine} of yours (kept), "
            f"{open_} waiting for Accept or Reject. Accepting puts a change into your draft "
            "(the text before it stays in History); rejecting keeps your words."
        )
