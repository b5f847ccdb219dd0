"""Light and dark palettes; "system" keeps the platform's own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication


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
    if theme == "dark":
        app.setPalette(dark_palette())
    elif theme == "light":
        app.setPalette(app.style().standardPalette())
    else:
        scheme = app.styleHints().colorScheme()
        app.setPalette(
            dark_palette() if scheme == Qt.ColorScheme.Dark else app.style().standardPalette()
        )
    font = QFont(app.font())
    font.setPointSize(font_size)
    app.setFont(font)
