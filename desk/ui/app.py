"""Starting the Qt application: environment first, then the window."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def prepare_environment() -> None:
    """Settings Chromium and Qt read once, before QApplication exists.

    Chromium refuses to run sandboxed as root (CI, containers), so only there
    is its sandbox turned off; a normal user keeps it. Without any display the
    app still starts, offscreen, instead of aborting.
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "1")
    # The preview is a page of text: software compositing draws it as fast,
    # and leaving out Chromium's GPU process saves about 40 MB.
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")


def share_gl_contexts() -> None:
    """What importing QtWebEngine before QApplication would do, without its 0.2 s.

    QtWebEngine needs shared OpenGL contexts set before the application
    exists; setting the attribute lets the preview import it after the
    window is on screen.
    """
    from PySide6.QtCore import QCoreApplication, Qt

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def create_window(
    db_path: Path, *, create_folders: bool = True
):  # -> tuple[QApplication, MainWindow | None, DraftStore | None]
    """Everything up to a shown main window; ``run`` adds the event loop.

    *create_folders* is False for a database named with ``--db``: a new one
    in a folder that does not exist is made only after the user confirms.
    """
    prepare_environment()
    share_gl_contexts()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from desk import __version__
    from desk.ui.dialogs.open_database import open_database
    from desk.ui.main_window import MainWindow
    from desk.ui.settings import is_first_start, load_preferences, open_settings
    from desk.ui.theme import apply_theme

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Desk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("OpenVoiceNews")
    app.setDesktopFileName("desk")
    settings = open_settings()
    prefs = load_preferences(settings)
    apply_theme(app, prefs.theme, prefs.font_size)
    store = open_database(db_path, create_folders=create_folders)
    if store is None:
        return app, None, None
    if is_first_start(settings):
        from desk.ui.dialogs.first_start_dialog import ask_who_is_writing

        ask_who_is_writing(settings, prefs)  # kept in the settings the window reads
    window = MainWindow(store)
    window.show()
    return app, window, store


def run(db_path: Path, *, create_folders: bool = True) -> int:
    from desk.ui.platform_check import platform_problem

    problem = platform_problem()
    if problem:
        # Qt would abort with "could not load the Qt platform plugin" and a core dump.
        print(f"desk: {problem}", file=sys.stderr)
        return 1
    app, window, store = create_window(db_path, create_folders=create_folders)
    if window is None or store is None:
        return 1
    code = app.exec()
    store.close()
    return code
