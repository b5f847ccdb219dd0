"""Every QAction of the window, made in one place with its shortcut and tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desk.ui.editor.section_editor import BUTTONS

#: The section tool buttons' own keys, active while a section has the focus.
SECTION_KEYS = {op: keys for op, _text, _tip, keys in BUTTONS}

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
    "preferences": ("&Preferences…", "Ctrl+,", "Your name, role, preview and font"),
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
    "bold": ("&Bold", "Ctrl+B", "Wrap the selected words in **…** (again to unwrap)"),
    "italic": ("&Italic", "Ctrl+I", "Wrap the selected words in *…* (again to unwrap)"),
    "link": ("Insert &Link", "Ctrl+K", "Make the selected words a link: [words](https://…)"),
    "section_up": ("Move Section &Up", SECTION_KEYS["up"], "Move the current section up"),
    "section_down": (
        "Move Section &Down",
        SECTION_KEYS["down"],
        "Move the current section down",
    ),
    "section_split": (
        "S&plit Section at Cursor",
        SECTION_KEYS["split"],
        "Start a new section at the cursor",
    ),
    "section_merge": (
        "&Merge with Next Section",
        SECTION_KEYS["merge"],
        "Append the next section to the current one",
    ),
    "section_delete": (
        "D&elete Section",
        SECTION_KEYS["delete"],
        "Delete the current section",
    ),
    "toggle_preview": ("Show &Preview", "F9", "Show or hide the live preview"),
    "toggle_drafts": ("Show &Drafts", "F8", "Show or hide the drafts list"),
    "toggle_annotations": ("Show &Comments", "F10", "Show or hide the comments panel"),
    "shortcuts": ("&Keyboard Shortcuts", "Ctrl+/", "Every shortcut of the window"),
    "markdown_guide": ("&Markdown Guide", "F1", "How to write bold, links, lists and quotes"),
    "about": ("&About Desk", "", "Version and credits"),
}

#: Actions whose keys work in one place only; the shortcuts list says where.
SCOPES = {
    "bold": "in section text",
    "italic": "in section text",
    "link": "in section text",
    **{f"section_{op}": "in a section" for op in ("up", "down", "split", "merge", "delete")},
}
#: Section menu entry -> the operation the section's tool button requests.
SECTION_OPS = {f"section_{op}": op for op in ("up", "down", "split", "merge", "delete")}


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
        for name in SECTION_OPS:
            # The keys belong to each section's own shortcut (its tool buttons);
            # here they are shown in the menu only. As window shortcuts they
            # would be ambiguous with those, and neither would fire.
            self.all[name].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        for name in ("toggle_preview", "toggle_drafts", "toggle_annotations"):
            self.all[name].setCheckable(True)
            self.all[name].setChecked(name != "toggle_annotations")

        self.in_section_text: list[QAction] = []  # the section body's right-click menu
        for group in (["comment"], ["bold", "italic", "link"], ["add_section", *SECTION_OPS]):
            if self.in_section_text:
                separator = QAction(parent)
                separator.setSeparator(True)
                self.in_section_text.append(separator)
            self.in_section_text += [self.all[name] for name in group]

    def __getattr__(self, name: str) -> QAction:  # for type checkers: every spec is an attribute
        raise AttributeError(name)
