"""First start: who is writing. The name signs comments, status changes and
review packages, and is the byline of new drafts; without it they said
"writer" (or the login name, "root")."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desk.ui.settings import Preferences, is_first_start, save_preferences


class FirstStartDialog(QDialog):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Desk")
        self._prefs = prefs
        form = QFormLayout(self)
        intro = QLabel(
            "Your name signs your comments, status changes and review packages, "
            "and is the byline of your new drafts. You can change it later in "
            "Preferences (Ctrl+,)."
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.name = QLineEdit(prefs.writer_name, placeholderText="First and last name")
        self.role = QComboBox()
        self.role.addItem("Writer: I write articles", "writer")
        self.role.addItem("Editor: I review and approve them", "editor")
        self.role.setCurrentIndex(max(0, self.role.findData(prefs.role)))
        form.addRow("&Your name", self.name)
        form.addRow("&Role", self.role)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Later")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(prefs.writer_name.strip()))
        self.name.textChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))

    def preferences(self) -> Preferences:
        return replace(
            self._prefs, writer_name=self.name.text().strip(), role=self.role.currentData()
        )


def ask_who_is_writing(settings: QSettings, prefs: Preferences) -> Preferences:
    """On a first start ask for name and role and keep them; "Later" asks again
    at the next start and changes nothing now."""
    if not is_first_start(settings):
        return prefs
    dialog = FirstStartDialog(prefs)
    if not dialog.exec():
        return prefs
    prefs = dialog.preferences()
    save_preferences(settings, prefs)
    return prefs
