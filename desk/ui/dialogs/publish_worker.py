"""Publishing off the GUI thread: one QThread, its own database connection.

SQLite connections belong to the thread that made them, and an upload of a
64 MB image must never stall typing, so the worker opens the store itself and
only talks to the window through queued signals.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desk.publish.destinations import Destination


class PublishWorker(QObject):
    #: destination, state, bytes done, bytes total, label
    progress = Signal(str, str, int, int, str)
    #: destination, outcome (desk.publish.runner.Outcome)
    published = Signal(str, object)
    #: destination, state (paused / failed / conflict), one-line message
    failed = Signal(str, str, str)
    done = Signal()

    def __init__(
        self,
        db_path: Path,
        article_id: str,
        destinations: list[Destination],
        *,
        who: str,
        role: str,
        overwrite: bool = False,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.article_id = article_id
        self.destinations = destinations
        self.who, self.role, self.overwrite = who, role, overwrite
        self.cancel = threading.Event()

    def run(self) -> None:
        from desk.export.bundle import ExportBlockedError
        from desk.export.context import ExportError
        from desk.publish.credentials import CredentialsError
        from desk.publish.errors import ConflictError, PublishError
        from desk.publish.runner import Publisher
        from desk.store.db import StoreError
        from desk.store.drafts import DraftStore

        try:
            store = DraftStore(self.db_path)
        except StoreError as exc:
            for dest in self.destinations:
                self.failed.emit(dest.name, "failed", str(exc))
            self.done.emit()
            return
        try:
            for dest in self.destinations:
                if self.cancel.is_set():
                    break
                name = dest.name

                def report(state: str, done: int, total: int, label: str, name: str = name) -> None:
                    self.progress.emit(name, state, done, total, label)

                publisher = Publisher(
                    store, dest, who=self.who, role=self.role, progress=report, cancel=self.cancel
                )
                try:
                    outcome = publisher.publish(self.article_id, overwrite=self.overwrite)
                except ExportBlockedError as exc:
                    problems = "; ".join(f.message for f in exc.findings)
                    self.failed.emit(name, "failed", f"{exc}: {problems}")
                except ConflictError as exc:
                    self.failed.emit(name, "conflict", str(exc))
                except PublishError as exc:
                    self.failed.emit(name, "paused" if exc.retry else "failed", str(exc))
                except (CredentialsError, ExportError, StoreError, OSError) as exc:
                    self.failed.emit(name, "failed", str(exc))
                else:
                    self.published.emit(name, outcome)
        finally:
            store.close()
            self.done.emit()
