"""How the window's panels share a laptop screen.

The editor column has a hard minimum (its fields must show whole, and it never
scrolls sideways, see ``ArticleEditor``); the drafts list, the preview and the
comments dock each have a smaller one, so that at 1280 pixels all four fit and
the preview is the one that narrows first. No panel can be dragged to nothing
by accident: a panel is hidden with its View menu entry (F8/F9/F10), which the
menu then shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desk.ui.main_window import MainWindow

#: A preview narrower than this shows a column of three-word lines.
MIN_PREVIEW = 260
#: Thread cards keep their four buttons on one row down to this width.
MIN_COMMENTS = 320
#: Starting widths of drafts, editor and preview on a first start.
DEFAULT_SIZES = (240, 640, 560)
DEFAULT_COMMENTS = 340


def apply_panel_limits(window: MainWindow) -> None:
    """Minimum widths that make the panels give way instead of cutting the editor."""
    window.preview.setMinimumWidth(MIN_PREVIEW)
    window.annotations_dock.setMinimumWidth(MIN_COMMENTS)
    for i in range(window.splitter.count()):
        window.splitter.setCollapsible(i, False)
    window.splitter.setStretchFactor(0, 0)  # the drafts list keeps its width
    window.splitter.setStretchFactor(1, 3)
    window.splitter.setStretchFactor(2, 3)
