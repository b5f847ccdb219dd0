"""Tab and Shift+Tab go round the article form and never leave it.

Qt's tab chain runs through the whole window, so Tab from the last section
went on to the status bar's "Send for review" button, where the next Space
moved the draft. The form (header fields, then each section's subheading and
body in article order, then the images) is one cycle: Tab from its last box
comes back to the headline. The drafts list, preview and comments are
reached by mouse, their shortcuts (F8, F9, F10) or Ctrl+Tab as before.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


def _tab_stop(widget: QWidget, window: QWidget) -> bool:
    """What Qt itself would stop at with Tab."""
    return (
        bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.focusProxy() is None
        and widget.isEnabled()
        and widget.isVisibleTo(window)
    )


def _stops_in(area: QWidget) -> list[QWidget]:
    """Tab stops inside ``area``, in the window's tab order."""
    window = area.window()
    found: list[QWidget] = []
    widget = area.nextInFocusChain()
    while widget is not None and widget is not area:
        if area.isAncestorOf(widget) and _tab_stop(widget, window):
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found


def form_stops(
    header: QWidget, sections: list[tuple[QWidget, QWidget]], tail: QWidget
) -> list[QWidget]:
    """The form's cycle: header stops, each (subheading, body) in order, then ``tail``'s stops."""
    window = header.window()
    middle = [w for pair in sections for w in pair if _tab_stop(w, window)]
    return [*_stops_in(header), *middle, *_stops_in(tail)]


def step_focus(stops: list[QWidget], forward: bool) -> bool:
    """Move the focus one stop along ``stops`` (wrapping); False if it is not in the form."""
    focus = QApplication.focusWidget() or (stops[0].window().focusWidget() if stops else None)
    if focus is None:
        return False
    at = next((i for i, w in enumerate(stops) if w is focus or w.isAncestorOf(focus)), None)
    if at is None:
        return False
    target = stops[(at + (1 if forward else -1)) % len(stops)]
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    target.setFocus(reason)
    return True
