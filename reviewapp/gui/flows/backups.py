"""File → Restore from backup: list the kept backups, make one now, and restore one.

Listing and checking a backup (its integrity, schema and counts) run on a reader thread; the
restore runs on the writer thread as a long task, after the reviewer has seen what the backup
holds and said yes. The index is rebuilt afterwards by the index process, as at start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from reviewapp.gui.dialogs.backups import BackupsDialog, count, when
from reviewapp.gui.workers.pool import SessionPool
from reviewapp.gui.workers.tasks import TaskRunner
from reviewapp.services.backups import (
    Backup,
    Restored,
    check_backup,
    list_backups,
    make_backup,
    restore,
)
from reviewapp.services.library import LibrarySession


class BackupFlow(QObject):
    restored = Signal(object)  # Restored: everything shown may have changed

    def __init__(
        self,
        library: Path,
        readers: SessionPool,
        tasks: TaskRunner,
        say: Callable[[str, int], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._library, self._readers, self._tasks = library, readers, tasks
        self._say, self._parent = say, parent
        self.dialog: BackupsDialog | None = None

    def show(self) -> BackupsDialog:
        dialog = BackupsDialog(self._library, self._parent)
        dialog.restore_requested.connect(self.check_and_restore)
        dialog.backup_requested.connect(self.back_up_now)
        self.dialog = dialog
        self._list()
        dialog.open()
        return dialog

    def _list(self) -> None:
        library = self._library

        def listed(backups: list[Backup]) -> None:
            if self.dialog is not None:
                self.dialog.show_backups(backups)

        self._readers.run(lambda _s, _p, _c: list_backups(library), listed, self._failed)

    def back_up_now(self) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(True)

        def made(backup: Backup) -> None:
            self._say(
                self.tr("Backed up: {articles} articles, {findings} findings").format(
                    articles=count(backup.articles), findings=count(backup.findings)
                ),
                6000,
            )
            if self.dialog is not None:
                self.dialog.set_busy(False)
            self._list()

        handle = self._tasks.run(
            self.tr("Backing up…"),
            lambda session, _p, _c: make_backup(session, "manual"),
            made,
            self._failed,
            cancellable=False,
        )
        if handle is None and self.dialog is not None:  # another long task runs (it said so)
            self.dialog.set_busy(False)

    def check_and_restore(self, path: Path) -> None:
        """Check the backup whole (off the GUI thread), show what it holds, and restore it
        if the reviewer says so."""
        if self.dialog is not None:
            self.dialog.set_busy(True)
        self._say(self.tr("Checking the backup…"), 4000)
        self._readers.run(lambda _s, _p, _c: check_backup(path), self._confirm, self._failed)

    def _confirm(self, backup: Backup) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(False)
        made = when(backup) if backup.time else self.tr("an unknown time")
        answer = QMessageBox.question(
            self.dialog or self._parent,
            self.tr("Restore from backup"),
            self.tr(
                "Put the backup of {made} in place of the library?\n\n"
                "It holds {articles} articles and {findings} findings. The library as it is "
                "now is kept as a backup first; the search index is rebuilt afterwards."
            ).format(made=made, articles=count(backup.articles), findings=count(backup.findings)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore(backup.path)

    def restore(self, path: Path) -> None:
        def task(session: LibrarySession, _p: object, _c: object) -> Restored:
            return restore(session, path, rebuild_index=False)

        handle = self._tasks.run(
            self.tr("Restoring the backup…"), task, self._done, self._failed, cancellable=False
        )
        if handle is None and self.dialog is not None:
            self.dialog.set_busy(False)

    def _done(self, done: Restored) -> None:
        self._say(
            self.tr(
                "Restored the backup of {made}; the library as it was is kept as the backup "
                "of {kept}"
            ).format(made=when(done.restored), kept=when(done.kept)),
            15000,
        )
        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None
        self.restored.emit(done)

    def _failed(self, exc: Exception) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(False)
        QMessageBox.warning(self.dialog or self._parent, self.tr("Backups"), str(exc))
