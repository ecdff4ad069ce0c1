"""The main window: wiring of the sidebar, search, library table, reader and findings panel.

Reads for display go through the window's own session (quick, indexed SQLite reads);
searches run on the reader pool, every write on the single writer pool, each returning
plain data that the window turns into model updates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.models import Category, Finding, Status
from reviewapp.core.suggest import suggest_fields
from reviewapp.gui.actions import build_actions
from reviewapp.gui.commands import (
    Changed,
    Context,
    CreateFinding,
    DeleteFinding,
    EditFinding,
    WriteTask,
)
from reviewapp.gui.dialogs.finding_form import FindingDialog
from reviewapp.gui.dialogs.import_report import ImportReportDialog
from reviewapp.gui.dialogs.preferences import PreferencesDialog
from reviewapp.gui.importing import ImportFlow
from reviewapp.gui.index_monitor import IndexMonitor
from reviewapp.gui.models.article_table import ArticleTableModel
from reviewapp.gui.models.sidebar import SidebarModel
from reviewapp.gui.organising import Organiser
from reviewapp.gui.publishing import Publisher
from reviewapp.gui.views.findings_panel import FindingsPanel
from reviewapp.gui.views.reader import ReaderView
from reviewapp.gui.workers.indexer import IndexProcess
from reviewapp.gui.workers.pool import SessionPool, TaskHandle
from reviewapp.search.snippets import match_spans
from reviewapp.services.importing import start_file_reader
from reviewapp.services.library import IndexAction, IndexCoverage, LibrarySession
from reviewapp.services.paths import config_dir
from reviewapp.services.preferences import (
    current_reviewer,
    load_preferences,
    save_preferences,
)

log = logging.getLogger(__name__)
# Libraries larger than this are listed off the GUI thread.
LARGE_LIBRARY = 20_000
SEARCH_DELAY_MS = 25  # keystrokes closer together than this are one search
# A search shows its best rows first (a screenful and more), then the rest: ranking 5,000
# results costs a phrase or synonym search 0.3–0.5 s at 100,000 articles (each result's
# positions are checked), the first rows a few tens of milliseconds.
FIRST_ROWS = 40
SEARCH_ROWS = 5000
FINDING_ACTIONS = (
    "actionEditFinding",
    "actionDeleteFinding",
    "actionAcceptFinding",
    "actionRejectFinding",
)
TAG_ACTIONS = {
    "actionTagEfficacy": Category.EFFICACY,
    "actionTagToxicity": Category.TOXICITY,
    "actionTagMechanism": Category.MECHANISM,
    "actionTagReference": Category.REFERENCE,
}


class MainWindow(QMainWindow):
    def __init__(
        self,
        session: LibrarySession,
        readers: SessionPool,
        writer: SessionPool,
        indexer: IndexProcess,
    ) -> None:
        super().__init__()
        self.session = session
        self.readers = readers
        self.writer = writer
        self.indexer = indexer
        self.library_path = session.library.path
        self.prefs = load_preferences()
        self.undo_stack = QUndoStack(self)
        self.context = Context(self.write, self._on_changed)
        self.search_terms: frozenset[str] = frozenset()
        self.current_article_id: int | None = None
        self._view: tuple[str, Any] = ("library", None)
        self._search_generation = 0
        self._task: TaskHandle | None = None
        self.setWindowTitle(self.tr("reviewapp — {name}").format(name=self.library_path.name))
        self.setAcceptDrops(True)
        self.resize(1360, 820)

        self.actions_by_name = build_actions(self)
        self.publisher = Publisher(self)
        self.importer = ImportFlow(self)
        self.organiser = Organiser(self)
        self.last_import_report: ImportReportDialog | None = None
        self.last_message: QMessageBox | None = None
        self._search_coverage: IndexCoverage | None = None
        self._search_complete = True  # False while a search's further rows are coming
        # The whole library's order for the table's sort: ((key, descending, change), ids).
        self._library_order: tuple[tuple[str, bool, int], list[int]] | None = None
        self._build_widgets()
        self.index_monitor = IndexMonitor(readers, indexer, self.index_label, self)
        self._build_menus_and_toolbar()
        self._connect()
        self.reload_sidebar()
        self.show_library()
        self._restore_layout()

    # -- construction ------------------------------------------------------------------------

    def action(self, name: str) -> QAction:
        return self.actions_by_name[name]

    def _build_widgets(self) -> None:
        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText(
            self.tr('Search (Ctrl+K): words, "phrases", author:, year:2020-, category:…')
        )
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName(self.tr("Search the library"))
        self.search_field.setMinimumWidth(360)

        self.sidebar_model = SidebarModel(self)
        self.sidebar = QTreeView(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName(self.tr("Library, collections, tags and saved searches"))
        self.sidebar.setModel(self.sidebar_model)
        self.sidebar.setHeaderHidden(True)
        self.sidebar.setRootIsDecorated(False)
        self.sidebar.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.sidebar.setAcceptDrops(True)
        self.sidebar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        self._build_table()
        self._build_reader_and_panels()
        self._build_status_bar()

    def _sort_in_background(
        self,
        key: str,
        descending: bool,
        ids: list[int] | None,
        done: Callable[[list[int]], None],
    ) -> None:
        """The table's large sorts, in SQLite on a reader thread. The whole library's order
        is kept until the library changes: going back to it after a search (0.2–0.5 s to
        sort 100,000 titles) is then instant, and does not compete with the next search."""
        finish = done
        if ids is None:
            state = (key, descending, self.session.library.last_change())
            if self._library_order is not None and self._library_order[0] == state:
                done(list(self._library_order[1]))
                return

            def keep(ordered: list[int]) -> None:
                self._library_order = (state, ordered)
                done(list(ordered))

            finish = keep
        self.readers.run(
            lambda session, _p, _c: session.library.articles.ordered_ids(key, descending, ids),
            finish,
            self._on_reader_failed,
        )

    def _build_table(self) -> None:
        self.model = ArticleTableModel(
            self.session.library.articles.list_rows,
            self.session.library.articles.ordered_ids,
            self,
            sort_runner=self._sort_in_background,
        )
        self.table = QTableView(self)
        self.table.setObjectName("articleTable")
        self.table.setAccessibleName(self.tr("Articles"))
        self.table.setModel(self.model)
        # No sort until the user picks a column (search results come best first). Enabling
        # sorting applies the header's indicator at once, so it is cleared first: set
        # after, it hid a sort by the first column that every search then followed.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 110), (2, 48), (3, 110), (4, 64), (5, 90)):
            self.table.setColumnWidth(column, width)
        self.empty_label = QLabel(self.table.viewport())
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #8C959F; padding: 24px;")

    def _build_reader_and_panels(self) -> None:
        self.reader = ReaderView(self)
        self.reader.set_font_size(self.prefs.reader_font_size)
        self.find_field = QLineEdit(self)
        self.find_field.setObjectName("findField")
        self.find_field.setPlaceholderText(self.tr("Find in article (Enter: next, Esc: close)"))
        self.find_field.setAccessibleName(self.tr("Find in article"))
        self.find_field.hide()
        reader_box = QWidget(self)
        reader_layout = QVBoxLayout(reader_box)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.addWidget(self.find_field)
        reader_layout.addWidget(self.reader)

        self.findings_panel = FindingsPanel(self)

        middle = QSplitter(Qt.Orientation.Vertical, self)
        middle.setObjectName("middleSplitter")
        middle.addWidget(self.table)
        middle.addWidget(self.findings_panel)
        middle.setSizes([480, 300])
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(reader_box)
        self.splitter.setSizes([230, 640, 570])
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 1)
        self.middle_splitter = middle
        self.setCentralWidget(self.splitter)

    def _build_status_bar(self) -> None:
        self.status_label = QLabel(self)
        self.index_label = QLabel(self)
        self.task_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelTask")
        status = self.statusBar()
        status.addWidget(self.status_label)
        status.addPermanentWidget(self.task_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.index_label)
        self._show_task(None)

    def _build_menus_and_toolbar(self) -> None:
        a = self.action
        undo, redo = a("actionUndo"), a("actionRedo")
        undo.setEnabled(False)
        redo.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(undo.setEnabled)
        self.undo_stack.canRedoChanged.connect(redo.setEnabled)
        undo.triggered.connect(self.undo_stack.undo)
        redo.triggered.connect(self.undo_stack.redo)
        menus: dict[str, list[str | None]] = {
            self.tr("&File"): [
                "actionImport",
                "actionExportBrief",
                "actionExportTable",
                None,
                "actionPreferences",
                None,
                "actionQuit",
            ],
            self.tr("&Edit"): [
                "actionUndo",
                "actionRedo",
                None,
                "actionFocusSearch",
                "actionSaveSearch",
                None,
                "actionFind",
                "actionFindNext",
            ],
            self.tr("F&indings"): [
                *TAG_ACTIONS,
                None,
                "actionEditFinding",
                "actionAcceptFinding",
                "actionRejectFinding",
                "actionDeleteFinding",
            ],
            self.tr("&Library"): [
                "actionShowLibrary",
                None,
                "actionNewCollection",
                "actionRenameCollection",
                "actionDeleteCollection",
                None,
                "actionAddTag",
            ],
            self.tr("&View"): ["actionZoomIn", "actionZoomOut", "actionZoomReset"],
            self.tr("&Help"): ["actionShortcuts"],
        }
        for title, names in menus.items():
            menu = self.menuBar().addMenu(title)
            for name in names:
                if name is None:
                    menu.addSeparator()
                else:
                    menu.addAction(a(name))
        # Window-wide shortcuts, except the tag keys 1–4: they act on the reader only, so
        # typing a digit in the search box or a form never tags anything.
        # The finding actions (edit, accept, reject, delete) act on the findings panel only,
        # so Ctrl+Backspace in the search box deletes a word, never a finding.
        for name, action in self.actions_by_name.items():
            if name in TAG_ACTIONS:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.reader.addAction(action)
                action.setEnabled(False)
            elif name in FINDING_ACTIONS:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.findings_panel.tree.addAction(action)
            else:
                self.addAction(action)
        toolbar = QToolBar(self.tr("Main"), self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in (
            "actionImport",
            "actionExportBrief",
            None,
            *TAG_ACTIONS,
            None,
            "actionUndo",
            "actionRedo",
        ):
            if name is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(a(name))
        spacer = QWidget(self)
        spacer.setFixedWidth(16)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.search_field)
        self.addToolBar(toolbar)

    def _connect(self) -> None:
        a = self.action
        a("actionImport").triggered.connect(self.importer.ask)
        a("actionExportBrief").triggered.connect(self.publisher.open_brief_builder)
        a("actionExportTable").triggered.connect(self.publisher.ask_export)
        a("actionPreferences").triggered.connect(self._on_preferences)
        a("actionQuit").triggered.connect(self.close)
        a("actionFocusSearch").triggered.connect(self._focus_search)
        a("actionSaveSearch").triggered.connect(self.organiser.save_search)
        a("actionFind").triggered.connect(self._on_find)
        a("actionFindNext").triggered.connect(lambda: self.reader.find_text(self.find_field.text()))
        for name, category in TAG_ACTIONS.items():
            a(name).triggered.connect(lambda _c=False, cat=category: self.tag_selection(cat))
        a("actionEditFinding").triggered.connect(self._edit_current_finding)
        a("actionDeleteFinding").triggered.connect(self._delete_current_finding)
        a("actionAcceptFinding").triggered.connect(
            lambda: self._set_current_status(Status.ACCEPTED)
        )
        a("actionRejectFinding").triggered.connect(
            lambda: self._set_current_status(Status.REJECTED)
        )
        a("actionZoomIn").triggered.connect(lambda: self._zoom(+1))
        a("actionZoomOut").triggered.connect(lambda: self._zoom(-1))
        a("actionZoomReset").triggered.connect(lambda: self._zoom(0))
        a("actionNewCollection").triggered.connect(self.organiser.new_collection)
        a("actionRenameCollection").triggered.connect(self.organiser.rename_collection)
        a("actionDeleteCollection").triggered.connect(self.organiser.delete_collection)
        a("actionAddTag").triggered.connect(self.organiser.add_tag)
        a("actionShowLibrary").triggered.connect(self.show_library)
        a("actionShortcuts").triggered.connect(self._on_shortcuts)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_field.returnPressed.connect(self._run_search)
        self.find_field.returnPressed.connect(lambda: self.reader.find_text(self.find_field.text()))
        self.find_field.textChanged.connect(self.reader.find_text)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.customContextMenuRequested.connect(self.organiser.table_menu)
        self.sidebar.selectionModel().currentChanged.connect(self._on_sidebar_current_changed)
        self.sidebar.customContextMenuRequested.connect(self.organiser.sidebar_menu)
        self.sidebar_model.articles_dropped.connect(self.organiser.on_articles_dropped)
        self.reader.anchorClicked.connect(self._on_reader_anchor_clicked)
        self.reader.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.reader.customContextMenuRequested.connect(self._on_reader_context_menu)
        self.reader.selection_changed_in_text.connect(self._on_reader_selection)
        self.findings_panel.finding_activated.connect(self._on_panel_finding_activated)
        self.findings_panel.edit_requested.connect(self.edit_finding)
        self.findings_panel.delete_requested.connect(self.delete_finding)
        self.findings_panel.status_requested.connect(self.set_finding_status)
        self.cancel_button.clicked.connect(self._on_cancel_task)

    # -- background work ---------------------------------------------------------------------

    def write(self, task: WriteTask, on_done: Callable[[Any], None]) -> None:
        """Run a short write on the writer thread; ``on_done`` gets its result."""
        self.writer.run(lambda session, _p, _c: task(session), on_done, self._on_task_failed)

    def _show_task(self, label: str | None, cancellable: bool = True) -> None:
        running = label is not None
        self.task_label.setText(label or "")
        self.task_label.setVisible(running)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running and cancellable)
        if running:
            self.progress.setRange(0, 0)

    def _on_task_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total}")

    def _on_cancel_task(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.task_label.setText(self.tr("Cancelling…"))

    def _on_task_failed(self, exc: Exception) -> None:
        self._task = None
        self._show_task(None)
        QMessageBox.warning(self, self.tr("reviewapp"), str(exc))

    def check_index(self) -> None:
        """Bring the index up to date in the background (at start and after imports): a quick
        check here, any catch-up or rebuild in the index process."""
        self.index_label.setText(self.tr("index: checking…"))

        def task(
            session: LibrarySession, _p: Callable[[int, int], None], _c: Callable[[], bool]
        ) -> IndexAction:
            if session.index_is_current():
                return IndexAction.CURRENT
            return self.indexer.ensure()

        self.writer.run(task, self._on_index_ready, self._on_index_failed)
        self.index_monitor.watch()  # a long catch-up shows its progress meanwhile

    def request_index_catch_up(self) -> None:
        """Have the index process catch up (not waiting for it) and follow its progress."""
        self.indexer.request_catch_up()
        self.index_monitor.watch(catching_up=True)

    def _on_index_ready(self, action: IndexAction) -> None:
        self.index_monitor.watch()  # says "up to date" once it is (an import may be running)
        # The helper processes start now, in the background, rather than when the first
        # import needs them (each takes about a second to start).
        self.indexer.warm()
        self.writer.run(lambda _session, _p, _c: start_file_reader())
        for _thread in range(self.readers.thread_count):  # each thread has its own searcher
            self.readers.run(lambda session, _p, _c: session.warm_search())
        if action is IndexAction.REBUILT:
            self.statusBar().showMessage(self.tr("The search index was rebuilt."), 5000)

    def _on_index_failed(self, exc: Exception) -> None:
        self.index_label.setText(self.tr("index: unavailable"))
        self.statusBar().showMessage(str(exc), 8000)

    # -- library, sidebar and search ---------------------------------------------------------

    def reload_sidebar(self) -> None:
        """Refill the sidebar, keeping the current item (a collection, tag or search) current."""
        current = self.sidebar_model.node(self.sidebar.currentIndex())
        key = (current.kind, current.key) if current is not None else None
        lib = self.session.library
        self.sidebar_model.populate(
            lib.articles.count(),
            lib.collections.all(),
            lib.tags.counts(),
            lib.saved_searches.all(),
        )
        self.sidebar.expandAll()
        self._update_status()
        if key is not None:
            index = self.sidebar_model.index_of(*key)
            if index.isValid():
                self.sidebar.selectionModel().blockSignals(True)
                self.sidebar.setCurrentIndex(index)
                self.sidebar.selectionModel().blockSignals(False)

    def show_library(self) -> None:
        self._view = ("library", None)
        articles = self.session.library.articles
        if articles.count() <= LARGE_LIBRARY:
            self.model.set_ids(articles.ids(), whole_library=True)
            self._after_table_change()
            return
        # Listing 100,000 ids took 60–80 ms: read them on a reader thread. A search typed
        # meanwhile supersedes them (the same generation count as searches).
        self._search_generation += 1
        generation = self._search_generation
        self.readers.run(
            lambda session, _p, _c: session.library.articles.ids(),
            lambda ids: self._on_library_ids(generation, ids),
            self._on_reader_failed,
        )

    def _on_library_ids(self, generation: int, ids: list[int]) -> None:
        if generation != self._search_generation or self._view != ("library", None):
            return
        self.model.set_ids(ids, whole_library=True)
        self._after_table_change()

    def _show_ids(
        self,
        kind: str,
        key: Any,
        ids: Sequence[int],
        sorted_by: tuple[str, bool] | None = None,
    ) -> None:
        if kind != "search":  # a search still running must not fill this list
            self._search_generation += 1
            self._search_complete = True
        self._view = (kind, key)
        self.model.set_ids(ids, sorted_by=sorted_by)
        self._after_table_change()

    def _after_table_change(self) -> None:
        query = self.search_field.text().strip()
        if self.model.rowCount() == 0:
            if query:
                text = self.tr(
                    "No articles match “{q}”.\nTry fewer words, a prefix like "
                    "viremi*, or a fuzzy term like alemtuzumb~."
                ).format(q=query)
            elif self._view[0] == "library":
                text = self.tr(
                    "Your library is empty.\nImport articles (Ctrl+O) or drop "
                    "files and folders here."
                )
            else:
                text = self.tr(
                    "Nothing here yet. Drag articles onto a collection in the sidebar to add them."
                )
            self.empty_label.setText(text)
            self.empty_label.resize(self.table.viewport().size())
            self.empty_label.show()
        else:
            self.empty_label.hide()
        self._update_status()

    def _update_status(self) -> None:
        lib = self.session.library
        shown = self.model.rowCount() if not self.model.canFetchMore() else len(self.model.ids())
        text = self.tr("{a} articles · {f} findings").format(
            a=f"{lib.articles.count():,}", f=f"{lib.findings.count():,}"
        )
        if self.search_field.text().strip():
            if self._search_complete and shown >= SEARCH_ROWS:  # the table holds the best
                text += " · " + self.tr("at least {n} matching; the best {n} shown").format(
                    n=f"{shown:,}"
                )
            elif self._search_complete:
                text += " · " + self.tr("{n} matching").format(n=f"{shown:,}")
            else:
                text += " · " + self.tr("{n} matching so far…").format(n=f"{shown:,}")
            coverage = self._search_coverage
            if coverage is not None:
                text += " · " + self.tr(
                    "partial: the index holds {i} of {t} articles so far"
                ).format(i=f"{coverage.indexed:,}", t=f"{coverage.total:,}")
        self.status_label.setText(text)

    def _focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _run_search(self) -> None:
        self._search_timer.stop()
        query = self.search_field.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if not query:
            self.search_terms = frozenset()
            self.show_library()
            self._refresh_reader_marks()
            return
        sort = self.model.sort_order
        # Sorted by a column, the whole result is needed before the first row is known.
        limit = SEARCH_ROWS if sort is not None else min(FIRST_ROWS, SEARCH_ROWS)

        def search(
            session: LibrarySession, _p: object, _c: object
        ) -> tuple[list[int], frozenset[str], IndexCoverage, tuple[str, bool] | None]:
            ids, terms = session.search_ids(query, limit)
            if sort is not None and ids:  # sorted here, not on the GUI thread
                ids = session.library.articles.ordered_ids(sort[0], sort[1], ids)
            return ids, terms, session.index_coverage(), sort

        self.readers.run(
            search,
            lambda found: self._on_search_done(generation, query, limit, *found),
            lambda exc: self._on_search_failed(generation, exc),
        )

    def _search_rest(self, generation: int, query: str) -> None:
        """The rows ranked below the first ones shown, added after them as they come."""

        def rest(
            session: LibrarySession, _p: object, _c: object
        ) -> tuple[list[int], frozenset[str]] | None:
            if generation != self._search_generation:  # typed on: not wanted any more
                return None
            return session.search_ids(query, SEARCH_ROWS)

        def add(found: tuple[list[int], frozenset[str]] | None) -> None:
            if (
                found is None
                or generation != self._search_generation
                or self._view != ("search", query)
            ):
                return
            ids, terms = found
            self._search_complete = True
            if self.model.sort_order is None:
                self.model.extend_ids(ids)
            else:  # a column was sorted meanwhile: the whole result, sorted
                self.model.set_ids(ids)
            self._update_status()
            if terms != self.search_terms:  # words only the further rows hold
                self.search_terms = terms
                self._refresh_reader_marks()

        def failed(exc: Exception) -> None:
            if generation == self._search_generation:
                self._search_complete = True  # the rows shown are all there will be
                self._update_status()
            self._on_search_failed(generation, exc)

        self.readers.run(rest, add, failed)

    def _on_search_done(
        self,
        generation: int,
        query: str,
        limit: int,
        ids: list[int],
        terms: frozenset[str],
        coverage: IndexCoverage,
        sorted_by: tuple[str, bool] | None = None,
    ) -> None:
        """Show a search's rows; if they are only its first ``limit``, fetch the rest."""
        if generation != self._search_generation:
            return  # a newer keystroke has superseded this search
        more = limit < SEARCH_ROWS and len(ids) == limit
        self._search_complete = not more
        self.search_terms = terms
        self._search_coverage = coverage if coverage.partial else None
        self._show_ids("search", query, ids, sorted_by)
        self._refresh_reader_marks()
        if more:
            self._search_rest(generation, query)

    def _on_reader_failed(self, exc: Exception) -> None:
        self.statusBar().showMessage(str(exc), 6000)

    def _on_search_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._search_generation:
            self._on_reader_failed(exc)

    def _on_sidebar_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.sidebar_model.node(current)
        if node is None:
            return
        lib = self.session.library
        if node.kind == "library":
            self.search_field.clear()
            self.show_library()
        elif node.kind == "collection":
            self.search_field.blockSignals(True)
            self.search_field.clear()
            self.search_field.blockSignals(False)
            self.search_terms = frozenset()
            self._show_ids("collection", node.key, lib.collections.article_ids(int(node.key)))
        elif node.kind == "tag":
            self._show_ids("tag", node.key, lib.tags.article_ids(str(node.key)))
        elif node.kind == "search":
            self.search_field.setText(str(node.key))
            self._run_search()

    # -- reading -----------------------------------------------------------------------------

    def selected_article_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [i for i in (self.model.article_id(r) for r in rows) if i is not None]

    def _on_table_selection_changed(self, _s: QItemSelection, _d: QItemSelection) -> None:
        index = self.table.selectionModel().currentIndex()
        ids = self.selected_article_ids()
        article_id = self.model.article_id(index.row()) if index.isValid() else None
        if article_id not in ids:
            article_id = ids[0] if ids else None
        self.open_article(article_id)

    def open_article(self, article_id: int | None) -> None:
        self.current_article_id = article_id
        lib = self.session.library
        article = lib.articles.get(article_id) if article_id is not None else None
        findings = lib.findings.list(article_id=article_id) if article is not None else []
        self.reader.show_article(article, findings)
        self.findings_panel.set_findings(findings)
        self._refresh_reader_marks()

    def _refresh_reader_marks(self) -> None:
        article = self.reader.article
        spans = match_spans(article.text, self.search_terms) if article is not None else []
        self.reader.set_search_spans(spans)

    def _on_reader_anchor_clicked(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)  # only ever on a click: nothing is fetched by itself

    def reader_context_menu(self) -> QMenu:
        """Copy and Select All, then the four tag actions (enabled with a selection)."""
        menu = self.reader.createStandardContextMenu()
        menu.addSeparator()
        for name in TAG_ACTIONS:
            menu.addAction(self.action(name))
        return menu

    def _on_reader_context_menu(self, point: QPoint) -> None:
        menu = self.reader_context_menu()
        menu.exec(self.reader.viewport().mapToGlobal(point))

    def _on_reader_selection(self, has_text: bool) -> None:
        for name in TAG_ACTIONS:
            self.action(name).setEnabled(has_text)

    def _on_find(self) -> None:
        self.find_field.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self.find_field.hasFocus():
            self.find_field.hide()
            self.reader.setFocus()
            return
        super().keyPressEvent(event)

    def _zoom(self, step: int) -> None:
        size = 11 if step == 0 else self.reader.font().pointSize() + step
        self.reader.set_font_size(size)
        self.prefs.reader_font_size = self.reader.font().pointSize()
        save_preferences(self.prefs)

    # -- findings ----------------------------------------------------------------------------

    def tag_selection(self, category: Category) -> FindingDialog | None:
        """Open the form for a finding on the reader's selection; saving it is undoable."""
        span = self.reader.selected_span()
        article = self.reader.article
        if span is None or article is None or article.id is None:
            self.statusBar().showMessage(
                self.tr("Select the sentence in the article first, then tag it."), 4000
            )
            return None
        if not self._ensure_reviewer():
            return None
        quote = article.text[span[0] : span[1]]
        dialog = FindingDialog(category, quote, suggest_fields(category, quote), parent=self)
        article_id = article.id

        def save() -> None:
            self.undo_stack.push(
                CreateFinding(
                    self.context,
                    article_id,
                    category,
                    span,
                    dialog.values(),
                    dialog.note(),
                    dialog.status(),
                    current_reviewer(),
                )
            )

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def edit_finding(self, finding: Finding) -> FindingDialog:
        dialog = FindingDialog(
            finding.category,
            finding.quote,
            finding.fields,
            finding.note,
            finding.status,
            editing=True,
            parent=self,
        )

        def save() -> None:
            self.undo_stack.push(
                EditFinding(self.context, finding, dialog.values(), dialog.note(), dialog.status())
            )

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def delete_finding(self, finding: Finding) -> None:
        self.undo_stack.push(DeleteFinding(self.context, finding))

    def set_finding_status(self, finding: Finding, status: Status) -> None:
        if finding.status is not status:
            self.undo_stack.push(
                EditFinding(
                    self.context, finding, status=status, text=f"Mark finding {status.value}"
                )
            )

    def _edit_current_finding(self) -> None:
        finding = self.findings_panel.current_finding()
        if finding is not None:
            self.edit_finding(finding)

    def _delete_current_finding(self) -> None:
        finding = self.findings_panel.current_finding()
        if finding is not None:
            self.delete_finding(finding)

    def _set_current_status(self, status: Status) -> None:
        finding = self.findings_panel.current_finding()
        if finding is not None:
            self.set_finding_status(finding, status)

    def _on_panel_finding_activated(self, finding: Finding) -> None:
        self.reader.show_span(finding.anchor.start, finding.anchor.end)

    def _on_changed(self, change: Changed) -> None:
        """A write finished: refresh what shows the changed articles, nothing more."""
        self.model.refresh(change.article_ids)
        if change.kind in ("tags", "collection"):
            self.reload_sidebar()
            if self._view[0] == "tag":
                self.model.set_ids(self.session.library.tags.article_ids(str(self._view[1])))
            if self._view[0] == "collection" and change.kind == "collection":
                self.model.set_ids(self.session.library.collections.article_ids(int(self._view[1])))
        if self.current_article_id in change.article_ids:
            self.open_article(self.current_article_id)
            if change.finding is not None and change.finding.deleted_at is None:
                self.findings_panel.select_finding(change.finding.id or 0)
        self._update_status()

    def _ensure_reviewer(self) -> bool:
        if current_reviewer() is not None:
            return True
        return self.ask_reviewer()

    def ask_reviewer(self) -> bool:
        dialog = PreferencesDialog(self.prefs, first_run=True, parent=self)
        if dialog.exec() != PreferencesDialog.DialogCode.Accepted:
            return False
        self.prefs = dialog.preferences(self.prefs)
        save_preferences(self.prefs)
        return True

    def _on_preferences(self) -> None:
        dialog = PreferencesDialog(self.prefs, parent=self)
        if dialog.exec() == PreferencesDialog.DialogCode.Accepted:
            new = dialog.preferences(self.prefs)
            moved = new.library_path != self.prefs.library_path
            self.prefs = new
            save_preferences(new)
            self.reader.set_font_size(new.reader_font_size)
            if moved:
                QMessageBox.information(
                    self,
                    self.tr("Library location"),
                    self.tr("The new library location is used the next time reviewapp starts."),
                )

    # -- import ----------------------------------------------------------------------------

    def import_paths(self, paths: list[Path]) -> TaskHandle | None:
        """Import in the background with progress and cancel; the table fills as they come."""
        return self.importer.start(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def current_view(self) -> tuple[str, Any]:
        """What the table shows: ("library", None), ("collection", id), ("tag", name) or
        ("search", query)."""
        return self._view

    def run_task(
        self,
        label: str,
        task: Callable[[LibrarySession, Callable[[int, int], None], Callable[[], bool]], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
        cancellable: bool = True,
    ) -> TaskHandle | None:
        """Run a long write on the writer thread with the status bar's progress and cancel."""
        if self._task is not None:
            self.statusBar().showMessage(self.tr("Wait for the running task to finish."), 4000)
            return None

        def done(result: Any) -> None:
            self._task = None
            self._show_task(None)
            on_done(result)

        def failed(exc: Exception) -> None:
            self._task = None
            self._show_task(None)
            (on_error or self._on_task_failed)(exc)

        self._show_task(label, cancellable)
        self._task = self.writer.run(task, done, failed, self._on_task_progress)
        return self._task

    def _on_shortcuts(self) -> None:
        lines = [
            f"<tr><td>{a.text().replace('&', '')}</td><td><b>"
            f"{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}</b></td></tr>"
            for a in self.actions_by_name.values()
            if not a.shortcut().isEmpty()
        ]
        QMessageBox.information(
            self,
            self.tr("Keyboard shortcuts"),
            "<table cellspacing=6>" + "".join(lines) + "</table>",
        )

    # -- layout ------------------------------------------------------------------------------

    @staticmethod
    def _settings() -> QSettings:
        """Window geometry and state only; preferences live in the JSON preferences file."""
        return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def _restore_layout(self) -> None:
        settings = self._settings()
        for key, restore in (
            ("geometry", self.restoreGeometry),
            ("state", self.restoreState),
            ("splitter", self.splitter.restoreState),
            ("middle", self.middle_splitter.restoreState),
            ("columns", self.table.horizontalHeader().restoreState),
        ):
            value = settings.value(f"mainwindow/{key}")
            if value is not None:
                restore(value)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = self._settings()
        settings.setValue("mainwindow/geometry", self.saveGeometry())
        settings.setValue("mainwindow/state", self.saveState())
        settings.setValue("mainwindow/splitter", self.splitter.saveState())
        settings.setValue("mainwindow/middle", self.middle_splitter.saveState())
        settings.setValue("mainwindow/columns", self.table.horizontalHeader().saveState())
        self.readers.shutdown()
        self.writer.shutdown()
        self.indexer.shutdown()
        self.session.close()
        super().closeEvent(event)
