"""Contrast of the dark theme, as drawn: WCAG AA for text and links (4.5:1), 3:1 for
the borders that show where a field is."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLineEdit

from desk.ui.theme import apply_theme, contrast, dark_palette

R = QPalette.ColorRole


@pytest.mark.parametrize(
    ("fg", "bg", "least"),
    [
        (R.Text, R.Base, 4.5),
        (R.WindowText, R.Window, 4.5),
        (R.ButtonText, R.Button, 4.5),
        (R.Link, R.Base, 4.5),
        (R.Link, R.Window, 4.5),
        (R.HighlightedText, R.Highlight, 4.5),
        (R.PlaceholderText, R.Base, 4.5),
        (R.ToolTipText, R.ToolTipBase, 4.5),
    ],
)
def test_dark_palette_text_and_links_meet_wcag_aa(fg, bg, least):
    p = dark_palette()
    assert contrast(p.color(fg).name(), p.color(bg).name()) >= least


def test_a_field_border_is_visible_in_the_dark_theme(qtbot):
    app = QApplication.instance()
    before = (app.palette(), app.styleSheet())
    try:
        apply_theme(app, "dark", 11)
        edit = QLineEdit()
        qtbot.addWidget(edit)
        edit.resize(200, 30)
        edit.show()
        qtbot.waitExposed(edit)
        image = edit.grab().toImage()
        border = image.pixelColor(0, image.height() // 2).name()
        inside = image.pixelColor(image.width() // 2, image.height() // 2).name()
        window = dark_palette().color(R.Window).name()
        assert contrast(border, inside) >= 3.0
        assert contrast(border, window) >= 3.0
    finally:
        app.setPalette(before[0])
        app.setStyleSheet(before[1])
