"""Every QAction of the window, made in one place with its shortcut and tooltip."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

SPECS = {
    # name: (text, shortcut, tooltip)
    "new": ("&New Draft", QKeySequence.StandardKey.New, "Start a new draft"),
    "duplicate": ("D&uplicate Draft", "Ctrl+Shift+D", "Copy the open draft"),
    "trash": ("Move to &Trash", "", "Move the open draft to the trash"),
    "save": (
        "&Save Now",
        QKeySequence.StandardKey.Save,
        "Drafts save themselves; this saves at once",
    ),
    "export": ("&Export…", "Ctrl+E", "Check the article and write a publish-ready bundle"),
    "publish": (
        "&Publish…",
        "Ctrl+Shift+P",
        "Upload the article to the site's storage and pin it on IPFS",
    ),
    "send_review": (
        "Send for &Review…",
        "Ctrl+Shift+R",
        "Send for review: confirm, the status becomes In review, and a review package is "
        "written to send (when already in review, or returning it, the package alone)",
    ),
    "open_review": ("&Open Review Package…", "Ctrl+Shift+O", "Import a review package"),
    "history": ("&History…", "Ctrl+H", "Revisions of this draft: compare and restore"),
    "preferences": (
        "&Preferences…",
        QKeySequence.StandardKey.Preferences,
        "Your name, role, preview and font",
    ),
    "quit": ("&Quit", QKeySequence.StandardKey.Quit, "Save and quit"),
    "undo": (
        "&Undo",
        QKeySequence.StandardKey.Undo,
        "Take back the last change to the article: typing in any field, or a section edit",
    ),
    "redo": ("&Redo", QKeySequence.StandardKey.Redo, "Do again what Undo took back"),
    "find": ("&Find Drafts", QKeySequence.StandardKey.Find, "Search all drafts"),
    "comment": ("Add &Comment", "Ctrl+Alt+M", "Comment on the selected text"),
    "add_section": ("Add &Section", "Ctrl+Return", "Add a section after the current one"),
    "add_image": ("Add &Image…", "Ctrl+Shift+I", "Copy an image into this draft"),
    "toggle_preview": ("Show &Preview", "F9", "Show or hide the live preview"),
    "toggle_drafts": ("Show &Drafts", "F8", "Show or hide the drafts list"),
    "toggle_annotations": ("Show &Comments", "F10", "Show or hide the comments panel"),
    "about": ("&About Desk", "", "Version and credits"),
}


class Actions:
    def __init__(self, parent: QWidget) -> None:
        self.all: dict[str, QAction] = {}
        for name, (text, shortcut, tip) in SPECS.items():
            action = QAction(text, parent)
            if name in ("undo", "redo"):
                # every binding of the platform: Redo is Ctrl+Y and Ctrl+Shift+Z on Linux
                action.setShortcuts(shortcut)
            elif shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(tip)
            action.setStatusTip(tip)
            self.all[name] = action
            setattr(self, name, action)
        for name in ("toggle_preview", "toggle_drafts", "toggle_annotations"):
            self.all[name].setCheckable(True)
            self.all[name].setChecked(name != "toggle_annotations")

    def __getattr__(self, name: str) -> QAction:  # for type checkers: every spec is an attribute
        raise AttributeError(name)
