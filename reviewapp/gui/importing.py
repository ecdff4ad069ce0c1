"""Importing from the window: in the background, with progress and cancel; new articles
join the table as they arrive; a report at the end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reviewapp.gui.dialogs.import_report import ImportReportDialog
from reviewapp.gui.workers.pool import TaskHandle
from reviewapp.services.importing import FileReport, import_paths
from reviewapp.services.library import LibrarySession
from reviewapp.store.articles import ListRow

if TYPE_CHECKING:
    from reviewapp.gui.mainwindow import MainWindow

FLUSH_MS = 250  # new rows join the table a few times a second, not once a file


class _FileRelay(QObject):
    """Carries each file's report, with the table rows of its new articles (read on the
    writer thread), to the window: the GUI thread does no database reads during an import."""

    emitted = Signal(object, object)

    def send(self, report: FileReport, rows: list[ListRow]) -> None:
        self.emitted.emit(report, rows)


class ImportFlow:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._pending_rows: list[ListRow] = []
        self._handle: TaskHandle | None = None
        self._flush = QTimer(window)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self._flush_arrivals)
        self._relay = _FileRelay(window)
        self._relay.emitted.connect(self._on_file_imported)

    def ask(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self.window,
            self.window.tr("Import articles"),
            str(Path.home()),
            self.window.tr(
                "Articles and reference exports (*.ris *.bib *.nbib *.txt *.xml *.nxml *.json "
                "*.csv *.tsv *.html *.htm *.pdf *.md *.markdown *.enw);;All files (*)"
            ),
        )
        if files:
            self.start([Path(f) for f in files])

    def start(self, paths: list[Path]) -> TaskHandle | None:
        relay, indexer = self._relay, self.window.indexer

        def task(
            session: LibrarySession,
            progress: Callable[[int, int], None],
            cancelled: Callable[[], bool],
        ) -> list[FileReport]:
            def on_file(report: FileReport) -> None:
                new = report.article_ids if report.imported else []
                relay.send(report, session.library.articles.list_rows(new) if new else [])

            # The index catches up in its own process while the import goes on storing.
            return import_paths(
                session,
                paths,
                progress,
                cancelled,
                on_file=on_file,
                catch_up=indexer.request_catch_up,
            )

        self._pending_rows = []
        handle = self.window.run_task(
            self.window.tr("Importing…"), task, self._on_done, self._on_failed
        )
        if handle is not None:
            self._handle = handle
            self._flush.start()
        return handle

    def _on_file_imported(self, _report: FileReport, rows: list[ListRow]) -> None:
        self._pending_rows.extend(rows)

    def _flush_arrivals(self) -> None:
        window = self.window
        if (
            self._pending_rows
            and window.current_view()[0] == "library"
            and not (window.search_field.text())
        ):
            window.model.append_rows(self._pending_rows)
            window.empty_label.hide()
            window.index_monitor.watch(catching_up=True)
        self._pending_rows = []

    def _finish(self) -> None:
        self._flush.stop()
        self._flush_arrivals()
        self.window.reload_sidebar()

    def _on_done(self, reports: list[FileReport]) -> None:
        cancelled = self._handle is not None and self._handle.is_cancelled
        self._finish()
        window = self.window
        window.last_import_report = ImportReportDialog(reports, cancelled=cancelled, parent=window)
        window.last_import_report.article_requested.connect(window.open_article)
        window.last_import_report.open()
        window.index_monitor.watch(catching_up=True)

    def _on_failed(self, exc: Exception) -> None:
        self._finish()
        QMessageBox.warning(self.window, self.window.tr("Import failed"), str(exc))
