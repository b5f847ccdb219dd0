"""Starting the Qt application: environment first, then the window."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def prepare_environment() -> None:
    """Settings Chromium and Qt read once, before QApplication exists.

    Chromium refuses to run sandboxed as root (CI, containers), so only there
    is its sandbox turned off; a normal user keeps it.
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    if (
        not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and sys.platform.startswith("linux")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run(db_path: Path) -> int:
    prepare_environment()
    from PySide6.QtWidgets import QApplication, QLabel

    from desk.store.drafts import DraftStore
    from desk.store.seed import ensure_starter

    app = QApplication.instance() or QApplication(sys.argv)
    store = DraftStore(db_path)
    ensure_starter(store)
    drafts = store.list_drafts()
    label = QLabel("\n".join(d.headline for d in drafts) or "No drafts")
    label.setWindowTitle("Desk")
    label.show()
    code = app.exec()
    store.close()
    return code
