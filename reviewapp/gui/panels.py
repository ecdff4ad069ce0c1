"""The window's panels, built before the window and the flows that drive them.

``build_panels`` makes every widget the flows work with: the search field, the sidebar, the
library table and its empty state, the reader with its find bar, the findings panel and the
status bar's labels. ``MainWindow`` lays them out; the flows (``gui/flows/``) are each handed
the few of them they drive.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.gui.models.article_table import ArticleTableModel
from reviewapp.gui.models.sidebar import SidebarModel
from reviewapp.gui.views.findings_panel import FindingsPanel
from reviewapp.gui.views.reader import ReaderView


def _tr(text: str) -> str:
    return QCoreApplication.translate("Panels", text)


@dataclass
class Panels:
    search_field: QLineEdit
    sidebar: QTreeView
    sidebar_model: SidebarModel
    table: QTableView
    model: ArticleTableModel
    empty_label: QLabel
    reader: ReaderView
    find_field: QLineEdit
    reader_box: QWidget
    reviewed_box: QCheckBox  # the reviewer has finished the article shown
    reviewed_by_label: QLabel  # who else has
    findings_panel: FindingsPanel
    status_bar: QStatusBar
    status_label: QLabel
    index_label: QLabel
    task_label: QLabel
    progress: QProgressBar
    cancel_button: QPushButton
    blind_label: QLabel  # says when the collection shown is in blind review


def build_panels(model: ArticleTableModel, reader_font_size: int) -> Panels:
    """Every panel, unparented until the window lays them out; ``model`` fills the table."""
    sidebar_model = SidebarModel()
    table, empty_label = _table(model)
    reader, find_field, reader_box, reviewed_box, reviewed_by_label = _reader(reader_font_size)
    status_bar, labels = _status_bar()
    return Panels(
        _search_field(),
        _sidebar(sidebar_model),
        sidebar_model,
        table,
        model,
        empty_label,
        reader,
        find_field,
        reader_box,
        reviewed_box,
        reviewed_by_label,
        FindingsPanel(),
        status_bar,
        *labels,
    )


def _search_field() -> QLineEdit:
    field = QLineEdit()
    field.setObjectName("searchField")
    field.setPlaceholderText(
        _tr('Search (Ctrl+K): words, "phrases", author:, year:2020-, category:…')
    )
    field.setClearButtonEnabled(True)
    field.setAccessibleName(_tr("Search the library"))
    field.setMinimumWidth(360)
    return field


def _sidebar(model: SidebarModel) -> QTreeView:
    sidebar = QTreeView()
    sidebar.setObjectName("sidebar")
    sidebar.setAccessibleName(_tr("Library, collections, tags and saved searches"))
    sidebar.setModel(model)
    model.setParent(sidebar)
    sidebar.setHeaderHidden(True)
    sidebar.setRootIsDecorated(False)
    sidebar.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
    sidebar.setAcceptDrops(True)
    sidebar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    return sidebar


def _table(model: ArticleTableModel) -> tuple[QTableView, QLabel]:
    table = QTableView()
    table.setObjectName("articleTable")
    table.setAccessibleName(_tr("Articles"))
    table.setModel(model)
    model.setParent(table)
    # No sort until the user picks a column (search results come best first). Enabling
    # sorting applies the header's indicator at once, so it is cleared first: set
    # after, it hid a sort by the first column that every search then followed.
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setDragEnabled(True)
    table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column, width in ((1, 100), (2, 48), (3, 100), (4, 64), (5, 70), (6, 80)):
        table.setColumnWidth(column, width)
    empty_label = QLabel(table.viewport())
    empty_label.setObjectName("emptyState")
    empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    empty_label.setWordWrap(True)
    empty_label.setStyleSheet("color: #8C959F; padding: 24px;")
    return table, empty_label


def _reader(font_size: int) -> tuple[ReaderView, QLineEdit, QWidget, QCheckBox, QLabel]:
    reader = ReaderView()
    reader.set_font_size(font_size)
    reader.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    find_field = QLineEdit()
    find_field.setObjectName("findField")
    find_field.setPlaceholderText(_tr("Find in article (Enter: next, Esc: close)"))
    find_field.setAccessibleName(_tr("Find in article"))
    find_field.hide()
    reviewed_box = QCheckBox(_tr("I have finished this article (Ctrl+D)"))
    reviewed_box.setObjectName("reviewedBox")
    reviewed_box.setAccessibleName(_tr("I have finished reviewing this article"))
    reviewed_box.setEnabled(False)
    reviewed_by_label = QLabel()
    reviewed_by_label.setObjectName("reviewedBy")
    reviewed_by_label.setStyleSheet("color: #57606A;")
    bar = QHBoxLayout()
    bar.setContentsMargins(6, 2, 6, 2)
    bar.addWidget(reviewed_box)
    bar.addStretch(1)
    bar.addWidget(reviewed_by_label)
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(find_field)
    layout.addWidget(reader)
    layout.addLayout(bar)
    return reader, find_field, box, reviewed_box, reviewed_by_label


def _status_bar() -> tuple[
    QStatusBar, tuple[QLabel, QLabel, QLabel, QProgressBar, QPushButton, QLabel]
]:
    status_label, index_label, task_label = QLabel(), QLabel(), QLabel()
    blind_label = QLabel()
    blind_label.setObjectName("blindNote")
    blind_label.setStyleSheet("color: #6E40C9; font-weight: 600; padding: 0 6px;")
    blind_label.hide()
    progress = QProgressBar()
    progress.setMaximumWidth(220)
    progress.setTextVisible(True)
    cancel_button = QPushButton(_tr("Cancel"))
    cancel_button.setObjectName("cancelTask")
    status = QStatusBar()
    status.addWidget(status_label)
    status.addPermanentWidget(blind_label)
    status.addPermanentWidget(task_label)
    status.addPermanentWidget(progress)
    status.addPermanentWidget(cancel_button)
    status.addPermanentWidget(index_label)
    return status, (status_label, index_label, task_label, progress, cancel_button, blind_label)
