"""The main window: it lays out the panels, builds the menus and toolbar, and wires the flows.

What happens when a user searches, reads, tags, imports, organises or publishes lives in
the flows (``gui/flows/``), built in ``gui/app.py``; ``wire`` connects the actions and the
panels' signals to them, and the flows to each other. The window itself only keeps its
geometry and forwards dropped files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QToolBar, QVBoxLayout, QWidget

from reviewapp.core.models import Status
from reviewapp.gui.actions import FINDING_ACTIONS, MENUS, TAG_ACTIONS, TOOLBAR, build_actions
from reviewapp.gui.dialogs.shortcuts import show_shortcuts
from reviewapp.gui.flows import Flows
from reviewapp.gui.models.article_table import ArticleTableModel
from reviewapp.gui.panels import build_panels
from reviewapp.services.paths import config_dir


class MainWindow(QMainWindow):
    files_dropped = Signal(list)  # list[Path]: files and folders dropped on the window
    closing = Signal()  # the window is closing: stop the work behind it

    def __init__(self, model: ArticleTableModel, reader_font_size: int, title: str) -> None:
        super().__init__()
        self.setWindowTitle(title)
        self.setAcceptDrops(True)
        self.resize(1360, 820)
        self.actions_by_name = build_actions(self)
        self.panels = panels = build_panels(model, reader_font_size)
        # The panels the flows and tests reach, by name.
        self.search_field, self.sidebar, self.sidebar_model = (
            panels.search_field,
            panels.sidebar,
            panels.sidebar_model,
        )
        self.table, self.model, self.empty_label = panels.table, panels.model, panels.empty_label
        self.reader, self.find_field = panels.reader, panels.find_field
        self.findings_panel = panels.findings_panel
        self.status_label, self.index_label = panels.status_label, panels.index_label
        self.progress, self.cancel_button = panels.progress, panels.cancel_button
        self._flows: Flows | None = None
        self._lay_out()
        self._build_menus_and_toolbar()
        self._restore_layout()

    @property
    def flows(self) -> Flows:
        """The flows this window was wired to."""
        assert self._flows is not None, "the window has not been wired yet"
        return self._flows

    def action(self, name: str) -> QAction:
        return self.actions_by_name[name]

    def tag_actions(self) -> list[QAction]:
        return [self.action(name) for name in TAG_ACTIONS]

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def say(self, text: str, msecs: int = 4000) -> None:
        """A passing message in the status bar."""
        self.statusBar().showMessage(text, msecs)

    # -- construction ------------------------------------------------------------------------

    def _lay_out(self) -> None:
        panels = self.panels
        self.middle_splitter = middle = QSplitter(Qt.Orientation.Vertical, self)
        middle.setObjectName("middleSplitter")
        middle.addWidget(panels.table)
        middle.addWidget(panels.findings_panel)
        middle.setSizes([480, 300])
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(panels.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(panels.reader_box)
        # The table gets the most: at the default width its columns past the title take
        # some 460 px, and the title (stretched) had 40 px left at 1,300 px wide.
        self.splitter.setSizes([200, 720, 440])
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 1)
        # A banner above the panels for what holds all the while (a read-only library).
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #FFF4CE; color: #5C4400; border-bottom: 1px solid #E0C46C; "
            "padding: 6px 10px;"
        )
        self.banner.hide()
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.setStatusBar(panels.status_bar)

    def _build_menus_and_toolbar(self) -> None:
        for title, names in MENUS.items():
            menu = self.menuBar().addMenu(self.tr(title))
            for name in names:
                if name is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.action(name))
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
        undo, redo = self.action("actionUndo"), self.action("actionRedo")
        undo.setEnabled(False)
        redo.setEnabled(False)
        toolbar = QToolBar(self.tr("Main"), self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in TOOLBAR:
            if name is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(self.action(name))
        spacer = QWidget(self)
        spacer.setFixedWidth(16)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.search_field)
        self.addToolBar(toolbar)

    # -- wiring ------------------------------------------------------------------------------

    def wire(self, flows: Flows) -> None:
        """Connect the actions and panels to the flows, and the flows to each other."""
        self._flows = flows
        self._wire_actions(flows)
        search, reading, organiser, importer = (
            flows.search,
            flows.reading,
            flows.organiser,
            flows.importer,
        )
        search.article_chosen.connect(reading.open_article)
        search.terms_changed.connect(reading.on_terms_changed)
        organiser.node_chosen.connect(search.show_node)
        organiser.library_requested.connect(search.show_library)
        organiser.sidebar_reloaded.connect(search.update_status)
        importer.finished.connect(organiser.reload_sidebar)
        importer.started.connect(flows.indexing.import_began)
        importer.stored.connect(flows.indexing.import_stored)
        importer.article_requested.connect(reading.open_article)
        self.files_dropped.connect(importer.start)
        organiser.link_requested.connect(flows.club.ask_link)
        organiser.unlink_requested.connect(
            lambda collection_id: flows.club.link(collection_id, None)
        )
        flows.club.merged.connect(flows.changes.tell)
        review = flows.review
        search.article_chosen.connect(review.show_article)
        importer.article_requested.connect(review.show_article)
        review.article_requested.connect(reading.open_article)
        review.article_requested.connect(review.show_article)
        organiser.node_chosen.connect(lambda _node: review.update_view_note())
        organiser.sidebar_reloaded.connect(review.update_view_note)
        organiser.blind_requested.connect(review.set_blind)
        flows.preferences.reviewer_changed.connect(review.on_reviewer_changed)
        # A restored backup: everything shown may differ, and the undo history is of
        # another library state.
        restored = flows.backups.restored
        restored.connect(lambda _r: flows.undo_stack.clear())
        restored.connect(lambda _r: flows.sorter.forget())
        restored.connect(lambda _r: search.forget_library_ids())
        restored.connect(lambda _r: reading.open_article(None))
        restored.connect(lambda _r: review.show_article(None))
        restored.connect(lambda _r: organiser.reload_sidebar())
        restored.connect(lambda _r: search.show_library())
        restored.connect(lambda _r: flows.indexing.check_index())
        for refresh in (
            search.on_changed,
            organiser.on_changed,
            reading.on_changed,
            flows.club.on_changed,
            review.on_changed,
        ):
            flows.changes.changed.connect(refresh)
        self.closing.connect(flows.shutdown)

    def _wire_actions(self, flows: Flows) -> None:
        a = self.action
        undo_stack = flows.undo_stack
        undo_stack.canUndoChanged.connect(a("actionUndo").setEnabled)
        undo_stack.canRedoChanged.connect(a("actionRedo").setEnabled)
        a("actionUndo").triggered.connect(undo_stack.undo)
        a("actionRedo").triggered.connect(undo_stack.redo)
        search, reading, tagging = flows.search, flows.reading, flows.tagging
        organiser, publisher, prefs = flows.organiser, flows.publisher, flows.preferences
        a("actionImport").triggered.connect(flows.importer.ask)
        a("actionImportPack").triggered.connect(flows.club.ask_import)
        a("actionExportPack").triggered.connect(flows.club.ask_export)
        a("actionLinkClubFolder").triggered.connect(organiser.link_current)
        a("actionSyncClub").triggered.connect(flows.club.sync_all)
        a("actionReviewers").triggered.connect(flows.club.show_reviewers)
        a("actionMarkReviewed").triggered.connect(flows.review.set_reviewed)
        self.panels.reviewed_box.clicked.connect(flows.review.set_reviewed)
        a("actionBlindCollection").triggered.connect(flows.review.blind_current)
        a("actionDisagreements").triggered.connect(flows.review.show_disagreements)
        a("actionAgreement").triggered.connect(flows.review.show_agreement)
        a("actionExportBrief").triggered.connect(publisher.open_brief_builder)
        a("actionExportTable").triggered.connect(publisher.ask_export)
        a("actionPreferences").triggered.connect(prefs.edit)
        a("actionRestoreBackup").triggered.connect(flows.backups.show)
        a("actionQuit").triggered.connect(self.close)
        a("actionFocusSearch").triggered.connect(search.focus_search)
        a("actionSaveSearch").triggered.connect(organiser.save_search)
        a("actionFind").triggered.connect(reading.open_find)
        a("actionFindNext").triggered.connect(reading.find_next)
        for name, category in TAG_ACTIONS.items():
            a(name).triggered.connect(lambda _c=False, cat=category: tagging.tag_selection(cat))
        a("actionEditFinding").triggered.connect(tagging.edit_current)
        a("actionDeleteFinding").triggered.connect(tagging.delete_current)
        a("actionAcceptFinding").triggered.connect(
            lambda: tagging.set_current_status(Status.ACCEPTED)
        )
        a("actionRejectFinding").triggered.connect(
            lambda: tagging.set_current_status(Status.REJECTED)
        )
        a("actionZoomIn").triggered.connect(lambda: prefs.zoom(+1))
        a("actionZoomOut").triggered.connect(lambda: prefs.zoom(-1))
        a("actionZoomReset").triggered.connect(lambda: prefs.zoom(0))
        a("actionNewCollection").triggered.connect(organiser.new_collection)
        a("actionRenameCollection").triggered.connect(organiser.rename_collection)
        a("actionDeleteCollection").triggered.connect(organiser.delete_collection)
        a("actionAddTag").triggered.connect(organiser.add_tag)
        a("actionShowLibrary").triggered.connect(search.show_library)
        a("actionShortcuts").triggered.connect(
            lambda: show_shortcuts(self.actions_by_name.values(), self)
        )

    # -- dropped files, layout, closing --------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)

    @staticmethod
    def _settings() -> QSettings:
        """Window geometry and state only; preferences live in the JSON preferences file."""
        return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def _layout_parts(
        self,
    ) -> dict[str, tuple[Callable[[], QByteArray], Callable[[QByteArray], Any]]]:
        """Window geometry and splitter positions: how each is saved and restored."""
        header = self.table.horizontalHeader()
        return {
            "geometry": (self.saveGeometry, self.restoreGeometry),
            "state": (self.saveState, self.restoreState),
            "splitter": (self.splitter.saveState, self.splitter.restoreState),
            "middle": (self.middle_splitter.saveState, self.middle_splitter.restoreState),
            "columns": (header.saveState, header.restoreState),
        }

    def _restore_layout(self) -> None:
        settings = self._settings()
        for key, (_save, restore) in self._layout_parts().items():
            value = settings.value(f"mainwindow/{key}")
            if value is not None:
                restore(value)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = self._settings()
        for key, (save, _restore) in self._layout_parts().items():
            settings.setValue(f"mainwindow/{key}", save())
        self.closing.emit()
        super().closeEvent(event)
