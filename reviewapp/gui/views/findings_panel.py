"""The findings panel: a tree of the article's findings with reviewer and status filters."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.models import REVIEW_STATUSES, Finding, Status
from reviewapp.gui.models.findings import FindingsModel

_ALL = "__all__"


class FindingsPanel(QWidget):
    finding_activated = Signal(object)  # Finding: show its quote
    edit_requested = Signal(object)  # Finding
    delete_requested = Signal(object)  # Finding
    status_requested = Signal(object, object)  # Finding, Status

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        filters = QHBoxLayout()
        title = QLabel(f"<b>{self.tr('Findings')}</b>")
        filters.addWidget(title)
        filters.addStretch(1)
        self.reviewer_filter = QComboBox()
        self.reviewer_filter.setObjectName("reviewerFilter")
        self.reviewer_filter.setAccessibleName(self.tr("Show findings by reviewer"))
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setAccessibleName(self.tr("Show findings with status"))
        self.status_filter.addItem(self.tr("Any status"), _ALL)
        for status in Status:
            self.status_filter.addItem(status.value.capitalize(), status.value)
        filters.addWidget(self.reviewer_filter)
        filters.addWidget(self.status_filter)
        layout.addLayout(filters)

        self.model = FindingsModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("findingsPanel")
        self.tree.setAccessibleName(self.tr("Findings of this article"))
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tree)
        self._refill_reviewers([])

        self.tree.clicked.connect(self._on_tree_clicked)
        self.tree.activated.connect(self._on_tree_clicked)
        self.tree.doubleClicked.connect(self._on_tree_double_clicked)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        self.reviewer_filter.currentIndexChanged.connect(self._apply_filters)
        self.status_filter.currentIndexChanged.connect(self._apply_filters)

    def set_findings(self, findings: Sequence[Finding]) -> None:
        self.model.set_findings(findings)
        self._refill_reviewers(self.model.reviewers())
        self.tree.expandAll()

    def _refill_reviewers(self, reviewers: Sequence[str]) -> None:
        current = self.reviewer_filter.currentData()
        self.reviewer_filter.blockSignals(True)
        self.reviewer_filter.clear()
        self.reviewer_filter.addItem(self.tr("All reviewers"), _ALL)
        for name in reviewers:
            self.reviewer_filter.addItem(name, name)
        found = self.reviewer_filter.findData(current)
        self.reviewer_filter.setCurrentIndex(max(found, 0))
        self.reviewer_filter.blockSignals(False)

    def _apply_filters(self) -> None:
        reviewer = self.reviewer_filter.currentData()
        status = self.status_filter.currentData()
        self.model.set_filters(
            None if reviewer in (_ALL, None) else str(reviewer),
            None if status in (_ALL, None) else Status(status),
        )
        self.tree.expandAll()

    def current_finding(self) -> Finding | None:
        return self.model.finding(self.tree.currentIndex())

    def select_finding(self, finding_id: int) -> None:
        index = self.model.index_of(finding_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)

    def _on_tree_clicked(self, index: QModelIndex) -> None:
        finding = self.model.finding(index)
        if finding is not None:
            self.finding_activated.emit(finding)

    def _on_tree_double_clicked(self, index: QModelIndex) -> None:
        finding = self.model.finding(index)
        if finding is not None:
            self.edit_requested.emit(finding)

    def _on_tree_context_menu(self, point: QPoint) -> None:
        finding = self.model.finding(self.tree.indexAt(point))
        if finding is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Edit…"), lambda: self.edit_requested.emit(finding))
        status_menu = menu.addMenu(self.tr("Set status"))
        for status in REVIEW_STATUSES:
            action = status_menu.addAction(status.value.capitalize())
            action.setCheckable(True)
            action.setChecked(finding.status is status)
            action.triggered.connect(
                lambda _checked=False, s=status: self.status_requested.emit(finding, s)
            )
        menu.addSeparator()
        menu.addAction(self.tr("Delete"), lambda: self.delete_requested.emit(finding))
        menu.exec(self.tree.viewport().mapToGlobal(point))
