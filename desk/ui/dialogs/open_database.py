"""Opening the draft database at start-up, with a dialog for everything that can go wrong.

A fault here must never be a traceback: the user sees one line in a message
box and the file is left exactly as it was. A database in a folder that does
not exist (a mistyped ``--db``) is created only after the user says so; one
from a newer Desk is not opened for writing at all.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from desk.store.db import MissingFolderError, StoreError, read_only_reason
from desk.store.drafts import DraftStore
from desk.store.seed import ensure_starter
from desk.ui.plain_text import plain


def open_database(db_path: Path, *, create_folders: bool = True) -> DraftStore | None:
    """The store, seeded on first use; or None after telling the user why not."""
    try:
        try:
            store = DraftStore(db_path, create_folders=create_folders)
        except MissingFolderError:
            answer = QMessageBox.question(
                None,
                "Desk",
                plain(
                    f"There is no draft database at {db_path}, and its folder does not exist.\n\n"
                    "Create a new, empty draft database there?"
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
            store = DraftStore(db_path, create_folders=True)
        reason = read_only_reason(store.conn)
        if reason:
            store.close()
            raise StoreError(reason)
        try:
            ensure_starter(store)
        except BaseException:
            store.close()
            raise
    except StoreError as exc:
        QMessageBox.critical(None, "Desk", plain(f"The draft database cannot be opened.\n\n{exc}"))
        return None
    return store
