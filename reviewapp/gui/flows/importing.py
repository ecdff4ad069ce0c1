"""Importing from the window: in the background, with progress and cancel; new articles
join the table as they arrive; a report at the end."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from reviewapp.core.rows import ListRow
from reviewapp.gui.dialogs.import_report import ImportReportDialog
from reviewapp.gui.workers.indexer import IndexProcess
from reviewapp.gui.workers.pool import TaskHandle
from reviewapp.gui.workers.tasks import TaskRunner
from reviewapp.services import reading
from reviewapp.services.importing import FileReport, import_paths
from reviewapp.services.library import LibrarySession

FLUSH_MS = 250  # new rows join the table a few times a second, not once a file
PACK_SUFFIX = ".rvpack"


class _FileRelay(QObject):
    """Carries each file's report, with the table rows of its new articles (read on the
    writer thread), to the GUI thread: it does no database reads during an import."""

    emitted = Signal(object, object)

    def send(self, report: FileReport, rows: list[ListRow]) -> None:
        self.emitted.emit(report, rows)


class ImportFlow(QObject):
    started = Signal()  # an import of files began (its clock starts)
    stored = Signal()  # an import ended having stored articles (cancelled or not)
    finished = Signal()  # an import ended (done, cancelled or failed): the sidebar's counts
    article_requested = Signal(int)  # the report's "show this article"

    def __init__(
        self,
        tasks: TaskRunner,
        indexer: IndexProcess,
        show_arrivals: Callable[[Sequence[ListRow]], bool],
        watch_index: Callable[[], None],
        import_packs: Callable[[list[Path]], object],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._indexer = indexer
        self._show_arrivals = show_arrivals
        self._watch_index = watch_index
        self._import_packs = import_packs
        self._parent = parent
        self.last_report: ImportReportDialog | None = None
        self._pending_rows: list[ListRow] = []
        self._handle: TaskHandle | None = None
        self._flush = QTimer(self)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self._flush_arrivals)
        self._relay = _FileRelay(self)
        self._relay.emitted.connect(self._on_file_imported)

    def ask(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self._parent,
            self.tr("Import articles"),
            str(Path.home()),
            self.tr(
                "Articles and reference exports (*.ris *.bib *.nbib *.txt *.xml *.nxml *.json "
                "*.csv *.tsv *.html *.htm *.pdf *.md *.markdown *.enw);;All files (*)"
            ),
        )
        if files:
            self.start([Path(f) for f in files])

    def start(self, paths: list[Path]) -> TaskHandle | None:
        """Import in the background with progress and cancel; the table fills as they come.
        Review packs among ``paths`` are merged instead (see the club flow)."""
        packs = [p for p in paths if p.suffix.lower() == PACK_SUFFIX and p.is_file()]
        if packs:
            self._import_packs(packs)
            paths = [p for p in paths if p not in packs]
            if not paths:
                return None
        relay, indexer = self._relay, self._indexer

        def task(
            session: LibrarySession,
            progress: Callable[[int, int], None],
            cancelled: Callable[[], bool],
        ) -> list[FileReport]:
            def on_file(report: FileReport) -> None:
                new = report.article_ids if report.imported else []
                relay.send(report, reading.table_rows(session, new) if new else [])

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
        handle = self._tasks.run(self.tr("Importing…"), task, self._on_done, self._on_failed)
        if handle is not None:
            self._handle = handle
            self._flush.start()
            self.started.emit()
        return handle

    def _on_file_imported(self, _report: FileReport, rows: list[ListRow]) -> None:
        self._pending_rows.extend(rows)

    def _flush_arrivals(self) -> None:
        if self._show_arrivals(self._pending_rows):
            self._watch_index()
        self._pending_rows = []

    def _finish(self) -> None:
        self._flush.stop()
        self._flush_arrivals()
        self.finished.emit()

    def _on_done(self, reports: list[FileReport]) -> None:
        cancelled = self._handle is not None and self._handle.is_cancelled
        self._finish()
        if any(report.imported for report in reports):
            self.stored.emit()
        self._watch_index()
        # The report on the next turn of the event loop: the table's last rows and the
        # sidebar's counts are drawn first (together they held the GUI thread 100 ms).
        QTimer.singleShot(0, self, lambda: self._show_report(reports, cancelled))

    def _show_report(self, reports: list[FileReport], cancelled: bool) -> None:
        self.last_report = ImportReportDialog(reports, cancelled=cancelled, parent=self._parent)
        self.last_report.article_requested.connect(self.article_requested)
        self.last_report.open()

    def _on_failed(self, exc: Exception) -> None:
        self._finish()
        QMessageBox.warning(self._parent, self.tr("Import failed"), str(exc))
