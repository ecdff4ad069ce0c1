"""The findings panel: one article's findings grouped by category, filtered by reviewer and
status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from reviewapp.core.categories import field_specs
from reviewapp.core.models import Category, Finding, Status
from reviewapp.gui.models.headers import column_title
from reviewapp.gui.palette import category_colour

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Finding", "Reviewer", "Status")
FINDING_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def summary(finding: Finding) -> str:
    """One line: the key fields, then the quote."""
    specs = field_specs(finding.category)
    values = dict(finding.fields)
    parts = []
    if "n" in values and "N" in values:
        values["n/N"] = f"{values.pop('n')}/{values.pop('N')}"
    for key, value in values.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        parts.append(f"{specs[key].label if key in specs else key} {shown}")
    head = " · ".join(parts)
    return f"{head} — “{finding.quote}”" if head else f"“{finding.quote}”"


class FindingsModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Finding] = []
        self._groups: list[tuple[Category, list[Finding]]] = []
        self.reviewer_filter: str | None = None
        self.status_filter: Status | None = None

    def set_findings(self, findings: Sequence[Finding]) -> None:
        self._all = list(findings)
        self._regroup()

    def set_filters(self, reviewer: str | None, status: Status | None) -> None:
        self.reviewer_filter, self.status_filter = reviewer, status
        self._regroup()

    def _regroup(self) -> None:
        self.beginResetModel()
        shown = [
            f
            for f in self._all
            if (self.reviewer_filter is None or f.reviewer == self.reviewer_filter)
            and (self.status_filter is None or f.status is self.status_filter)
        ]
        self._groups = [
            (category, [f for f in shown if f.category is category])
            for category in Category
            if any(f.category is category for f in shown)
        ]
        self.endResetModel()

    def reviewers(self) -> list[str]:
        return sorted({f.reviewer for f in self._all})

    def finding(self, index: _Index) -> Finding | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[int(index.internalId()) - 1][1]
        return group[index.row()] if index.row() < len(group) else None

    def index_of(self, finding_id: int) -> QModelIndex:
        for group_row, (_category, findings) in enumerate(self._groups):
            for row, finding in enumerate(findings):
                if finding.id == finding_id:
                    return self.index(row, 0, self.index(group_row, 0))
        return QModelIndex()

    # -- model API ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if row < 0 or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0 or parent.row() >= len(self._groups):
            return QModelIndex()
        if row >= len(self._groups[parent.row()][1]):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0 and parent.row() < len(self._groups):
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            category, findings = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return f"{category.value.capitalize()} ({len(findings)})"
            if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
                return QColor(category_colour(category))
            return None
        finding = self.finding(index)
        if finding is None:
            return None
        text = summary(finding)
        if not finding.anchored:
            text = self.tr("(quote not found in this copy) ") + text
        if role == Qt.ItemDataRole.DisplayRole:
            return (text, finding.reviewer, finding.status.value)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            where = (
                ""
                if finding.anchored
                else self.tr(
                    "\nThe quote was not found in this library's copy of the article: “{q}”"
                ).format(q=finding.quote)
            )
            return text + (f"\nNote: {finding.note}" if finding.note else "") + where
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(QColor(finding.reviewer_colour or "#59636E"))
        if role == FINDING_ID_ROLE:
            return finding.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_title(COLUMNS, self.tr, section, orientation, role)
