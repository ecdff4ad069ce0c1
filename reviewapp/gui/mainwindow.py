"""The main window: wiring of the search field, library table, reader and actions."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolBar,
    QWidget,
)

from reviewapp.gui.models.article_table import ArticleTableModel
from reviewapp.gui.reader_html import article_html
from reviewapp.gui.workers.tasks import TaskRunner
from reviewapp.services.briefs import BriefReport, build_brief
from reviewapp.services.importing import FileReport, import_paths
from reviewapp.services.library import LibrarySession, SearchResult
from reviewapp.services.paths import config_dir

log = logging.getLogger(__name__)
SEARCH_DELAY_MS = 150


class MainWindow(QMainWindow):
    def __init__(self, session: LibrarySession, tasks: TaskRunner) -> None:
        super().__init__()
        self.session = session
        self.tasks = tasks
        self.library_path = session.library.path
        self.setWindowTitle(self.tr("reviewapp — {name}").format(name=self.library_path.name))
        self.resize(1200, 760)

        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText(
            self.tr('Search (Ctrl+K): words, "phrases", author:, year:, category:…')
        )
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName(self.tr("Search the library"))

        self.model = ArticleTableModel(session.library.articles.summaries, self)
        self.table = QTableView(self)
        self.table.setObjectName("articleTable")
        self.table.setAccessibleName(self.tr("Articles"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 110), (2, 50), (3, 120), (4, 64), (5, 90)):
            self.table.setColumnWidth(column, width)

        self.reader = QTextBrowser(self)
        self.reader.setObjectName("reader")
        self.reader.setAccessibleName(self.tr("Article reader"))
        self.reader.setReadOnly(True)
        self.reader.setOpenLinks(False)  # identifiers open only when clicked, in the browser
        self.reader.anchorClicked.connect(self._on_reader_anchor_clicked)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.reader)
        splitter.setSizes([620, 580])
        self.setCentralWidget(splitter)

        self.status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self._search_generation = 0
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())

        self._build_actions()
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.reload_library()
        self._restore_layout()

    # -- actions ---------------------------------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: Any,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.action_import = self._action(
            "actionImport", self.tr("&Import…"), QKeySequence.StandardKey.Open, self._on_import
        )
        self.action_brief = self._action(
            "actionExportBrief", self.tr("Export &brief…"), "Ctrl+E", self._on_export_brief
        )
        focus = self._action("actionFocusSearch", self.tr("&Search"), "Ctrl+K", self._focus_search)
        quit_action = self._action(
            "actionQuit", self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close
        )
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addActions([self.action_import, self.action_brief])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.menuBar().addMenu(self.tr("&Edit")).addAction(focus)
        toolbar = QToolBar(self.tr("Main"), self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.action_import)
        toolbar.addAction(self.action_brief)
        spacer = QWidget(self)
        spacer.setFixedWidth(12)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.search_field)
        self.addToolBar(toolbar)

    def _focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    # -- library and search ----------------------------------------------------------------

    def reload_library(self) -> None:
        self.model.set_ids(self.session.library.articles.ids())
        self._update_status()

    def _update_status(self, note: str = "") -> None:
        lib = self.session.library
        text = self.tr("{a} articles · {f} findings").format(
            a=lib.articles.count(), f=lib.findings.count()
        )
        self.status_label.setText(text + (f" · {note}" if note else ""))

    def _run_search(self) -> None:
        query = self.search_field.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if not query:
            self.reload_library()
            return
        path = self.library_path

        def search() -> list[SearchResult]:
            with LibrarySession.open(path, sync_index=False) as worker_session:
                return worker_session.search(query, limit=200)

        self.tasks.run_task(
            search,
            lambda results: self._on_search_done(generation, results),
            lambda exc: self._on_search_failed(generation, exc),
        )

    def _on_search_done(self, generation: int, results: list[SearchResult]) -> None:
        if generation != self._search_generation:
            return  # a newer keystroke has superseded this search
        self.model.set_ids([r.article_id for r in results])
        self._update_status(
            self.tr("{n} matches").format(n=len(results)) if results else self.tr("no matches")
        )

    def _on_search_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._search_generation:
            self.statusBar().showMessage(str(exc), 6000)

    # -- reader ----------------------------------------------------------------------------

    def _on_table_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        rows = self.table.selectionModel().selectedRows()
        article_id = self.model.article_id(rows[0].row()) if rows else None
        if article_id is None:
            self.reader.clear()
            return
        lib = self.session.library
        article = lib.articles.get(article_id)
        if article is not None:
            self.reader.setHtml(article_html(article, lib.findings.list(article_id=article_id)))

    def _on_reader_anchor_clicked(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)

    # -- import and brief ------------------------------------------------------------------

    def _on_import(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Import articles"),
            str(Path.home()),
            self.tr("Articles (*.txt *.md *.markdown *.text);;All files (*)"),
        )
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        path = self.library_path
        self.statusBar().showMessage(self.tr("Importing {n} files…").format(n=len(paths)))

        def work() -> list[FileReport]:
            with LibrarySession.open(path, sync_index=False) as worker_session:
                return import_paths(worker_session, paths)

        self.tasks.run_task(work, self._on_import_done, self._on_task_failed)

    def _on_import_done(self, reports: list[FileReport]) -> None:
        self.reload_library()
        imported = sum(r.imported for r in reports)
        duplicates = sum(r.duplicates for r in reports)
        failed = [r for r in reports if r.failed]
        self.statusBar().showMessage(
            self.tr("{i} imported, {d} duplicates, {f} failed").format(
                i=imported, d=duplicates, f=len(failed)
            ),
            8000,
        )
        if failed:
            details = "\n".join(f"{Path(r.file).name}: {r.message}" for r in failed)
            QMessageBox.warning(self, self.tr("Some files were not imported"), details)

    def _on_export_brief(self) -> None:
        out, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export brief"), str(Path.home() / "brief.pdf"), self.tr("PDF (*.pdf)")
        )
        if not out:
            return
        rows = self.table.selectionModel().selectedRows()
        ids = [str(self.model.article_id(r.row())) for r in rows]
        path = self.library_path

        def work() -> BriefReport:
            with LibrarySession.open(path, sync_index=False) as worker_session:
                return build_brief(worker_session, Path(out), ids or None)

        self.tasks.run_task(work, self._on_brief_done, self._on_task_failed)

    def _on_brief_done(self, report: BriefReport) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Brief written"),
            self.tr("Wrote {path} ({pages} pages). Open it now?").format(
                path=report.path, pages=report.pages
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(report.path)))

    def _on_task_failed(self, exc: Exception) -> None:
        QMessageBox.critical(self, self.tr("reviewapp"), str(exc))

    # -- layout ----------------------------------------------------------------------------

    @staticmethod
    def _settings() -> QSettings:
        """Window geometry and state only; preferences live in the JSON preferences file."""
        return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def _restore_layout(self) -> None:
        settings = self._settings()
        geometry = settings.value("mainwindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings().setValue("mainwindow/geometry", self.saveGeometry())
        self.tasks.wait()
        self.session.close()
        super().closeEvent(event)
