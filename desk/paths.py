"""The one place that knows where things live.

Data, configuration and resources resolve here, for a checkout, an installed
wheel and a PyInstaller build alike. ``DESK_HOME`` moves every writable path
under one folder, which is what tests and portable installs want.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType

APP_NAME = "Desk"
ENV_HOME = "DESK_HOME"
DB_NAME = "desk.db"


def _platformdirs() -> ModuleType:
    """platformdirs, imported when a path is first asked for (5 ms at start-up otherwise)."""
    import platformdirs

    return platformdirs


def desk_home() -> Path | None:
    value = os.environ.get(ENV_HOME, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    home = desk_home()
    return home if home else Path(_platformdirs().user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    home = desk_home()
    if home:
        return home / "config"
    return Path(_platformdirs().user_config_dir(APP_NAME, appauthor=False))


def settings_path() -> Path:
    """The Preferences file: QSettings writes it in INI format, the CLI reads it too."""
    return config_dir() / "desk.ini"


def cache_dir() -> Path:
    home = desk_home()
    if home:
        return home / "cache"
    return Path(_platformdirs().user_cache_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / DB_NAME


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` wins over ``DESK_HOME``, which wins over the platform data dir."""
    if cli_value:
        return Path(cli_value).expanduser()
    return default_db_path()


def resources_dir() -> Path:
    """Resources ship beside the code in every form the app takes."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    here = Path(__file__).resolve().parent
    installed = here / "_resources"
    if installed.is_dir():
        return installed
    return here.parent / "resources"


def site_dir(key: str) -> Path:
    return resources_dir() / "sites" / key


def icon_path(name: str = "desk") -> Path:
    return resources_dir() / "icons" / f"{name}.svg"
