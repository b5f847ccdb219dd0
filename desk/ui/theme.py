"""Light and dark palettes; "system" keeps the platform's own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

#: Fusion draws field frames in the window colour darkened, which on the dark
#: window is all but invisible (1.0:1); fields get a border of their own there.
FIELD_BORDER_DARK = "#7d8086"
DARK_FIELDS = (
    "QLineEdit, QPlainTextEdit {"
    f" border: 1px solid {FIELD_BORDER_DARK}; border-radius: 3px; padding: 1px 2px; }}"
    " QLineEdit:focus, QPlainTextEdit:focus { border-color: #8db4ea; }"
)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(name: str) -> float:
        c = QColor(name)
        channels = []
        for v in (c.redF(), c.greenF(), c.blueF()):
            channels.append(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
        r, g, b_ = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def dark_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#26282b",
        QPalette.ColorRole.WindowText: "#e6e6e3",
        QPalette.ColorRole.Base: "#1d1f21",
        QPalette.ColorRole.AlternateBase: "#2b2d30",
        QPalette.ColorRole.Text: "#e6e6e3",
        QPalette.ColorRole.Button: "#303236",
        QPalette.ColorRole.ButtonText: "#e6e6e3",
        QPalette.ColorRole.Highlight: "#3d6fb3",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#303236",
        QPalette.ColorRole.ToolTipText: "#e6e6e3",
        QPalette.ColorRole.PlaceholderText: "#8b8d90",
        QPalette.ColorRole.Link: "#8db4ea",
    }
    for role, color in roles.items():
        p.setColor(role, QColor(color))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#777"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#777"))
    return p


def apply_theme(app: QApplication, theme: str, font_size: int) -> None:
    # Fusion draws both palettes well on every platform. It is already the
    # default style on most Linux desktops; making it again costs 10-15 ms.
    if app.style().name().casefold() != "fusion":
        app.setStyle("Fusion")
    dark = theme == "dark" or (
        theme == "system" and app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    )
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    if dark or app.styleSheet():
        app.setStyleSheet(DARK_FIELDS if dark else "")
    font = QFont(app.font())
    font.setPointSize(font_size)
    app.setFont(font)
