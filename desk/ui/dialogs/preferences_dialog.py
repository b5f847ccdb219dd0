"""Preferences: the writer's name and role, site profile, preview, font size, theme."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desk.profiles import available_profiles
from desk.ui.settings import Preferences


class PreferencesDialog(QDialog):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        form = QFormLayout(self)
        self.name = QLineEdit(
            prefs.writer_name, placeholderText="Shown on your comments and as byline"
        )
        self.role = QComboBox()
        self.role.addItem("Writer", "writer")
        self.role.addItem("Editor", "editor")
        self.role.setCurrentIndex(max(0, self.role.findData(prefs.role)))
        self.site = QComboBox()
        for key in available_profiles():
            self.site.addItem(key, key)
        self.site.setCurrentIndex(max(0, self.site.findData(prefs.site_profile)))
        self.preview = QCheckBox("Show the live preview")
        self.preview.setChecked(prefs.preview_enabled)
        self.font_size = QSpinBox(minimum=7, maximum=32, value=prefs.font_size, suffix=" pt")
        self.theme = QComboBox()
        for label, value in (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark")):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(prefs.theme)))
        form.addRow("&Your name", self.name)
        form.addRow("&Role", self.role)
        form.addRow("&Site profile", self.site)
        form.addRow("", self.preview)
        form.addRow("&Font size", self.font_size)
        form.addRow("&Theme", self.theme)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._prefs = prefs

    def preferences(self) -> Preferences:
        return replace(
            self._prefs,
            writer_name=self.name.text().strip(),
            role=self.role.currentData(),
            site_profile=self.site.currentData() or self._prefs.site_profile,
            preview_enabled=self.preview.isChecked(),
            font_size=self.font_size.value(),
            theme=self.theme.currentData(),
        )
