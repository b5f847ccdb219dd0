"""Preferences and window state, in one INI file under the config folder.

Defaults are declared once here and the Preferences dialog is built from
them; window geometry lives apart from the writer's preferences.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import QSettings

from desk.paths import settings_path


@dataclass
class Preferences:
    writer_name: str = ""
    role: str = "writer"  # or "editor"
    site_profile: str = "openvoicenews"
    preview_enabled: bool = True
    font_size: int = 11
    theme: str = "system"  # "light", "dark" or "system"


def open_settings() -> QSettings:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def load_preferences(settings: QSettings) -> Preferences:
    prefs = Preferences()
    for f in fields(Preferences):
        default = getattr(prefs, f.name)
        value = settings.value(f"preferences/{f.name}", default)
        if isinstance(default, bool):
            value = value if isinstance(value, bool) else str(value).lower() == "true"
        elif isinstance(default, int):
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = default
        else:
            value = str(value)
        setattr(prefs, f.name, value)
    if prefs.role not in ("writer", "editor"):
        prefs.role = "writer"
    prefs.font_size = max(7, min(32, prefs.font_size))
    return prefs


def save_preferences(settings: QSettings, prefs: Preferences) -> None:
    for f in fields(Preferences):
        settings.setValue(f"preferences/{f.name}", getattr(prefs, f.name))
    settings.sync()


def is_first_start(settings: QSettings) -> bool:
    """Nobody has said who they are yet, neither at a first start nor in Preferences."""
    return not settings.contains("preferences/writer_name")
