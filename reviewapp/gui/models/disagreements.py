"""Disagreements as the window shows them: one row per group (article, category, sentence,
state), and, for the group chosen, its fields side by side, a column per reviewer, the
fields that differ marked and the reviewers with no finding shown as such."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from reviewapp.core.categories import field_specs, in_schema_order
from reviewapp.core.models import Category
from reviewapp.gui.models.headers import column_title
from reviewapp.gui.palette import category_colour

_Index = QModelIndex | QPersistentModelIndex
GROUP_COLUMNS = ("Article", "Category", "Sentence", "State")
DIFFERS = "#FFE3B3"
MISSING = "#F3D9DC"
NO_FINDING = "— no finding —"


def group_state(group: dict[str, Any]) -> str:
    if group["settled_by"]:
        return "settled"
    parts = []
    if group["missing_reviewers"]:
        parts.append("missing: " + ", ".join(group["missing_reviewers"]))
    if group["differing_fields"]:
        parts.append("differ: " + ", ".join(group["differing_fields"]))
    return "open · " + "; ".join(parts)


class GroupsModel(QAbstractTableModel):
    """The groups, all or only the open ones (``set_open_only``)."""

    def __init__(self, groups: Sequence[dict[str, Any]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all = list(groups)
        self._shown = list(self._all)

    def set_open_only(self, open_only: bool) -> None:
        self.beginResetModel()
        self._shown = [g for g in self._all if not (open_only and g["settled_by"])]
        self.endResetModel()

    def group(self, row: int) -> dict[str, Any] | None:
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(GROUP_COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        group = self.group(index.row()) if index.isValid() else None
        if group is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (group["article"], group["category"], group["sentence"], group_state(group))[
                column
            ]
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QBrush(QColor(category_colour_of(group["category"])))
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QBrush(QColor("#1A7F37" if group["settled_by"] else "#9A6700"))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_title(GROUP_COLUMNS, self.tr, section, orientation, role)


def category_colour_of(name: str) -> str:
    return category_colour(Category(name))


class GroupDetailModel(QAbstractTableModel):
    """One group side by side: a row for the quote and each field, a column per reviewer
    (those who reviewed the article and have no finding here included)."""

    def __init__(self, group: dict[str, Any] | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[tuple[str, dict[str, Any] | None]] = []
        self._rows: list[str] = []
        self._differing: set[str] = set()
        self._labels: dict[str, str] = {}
        if group is None:
            return
        for finding in group["findings"]:
            self._columns.append((finding["reviewer"], finding))
        for name in group["missing_reviewers"]:
            self._columns.append((name, None))
        category = Category(group["category"])
        keys = in_schema_order(category, {k: 0 for f in group["findings"] for k in f["fields"]})
        self._labels = {key: spec.label for key, spec in field_specs(category).items()}
        self._rows = ["quote", *keys]
        self._differing = set(group["differing_fields"])

    def finding(self, column: int) -> dict[str, Any] | None:
        return self._columns[column][1] if 0 <= column < len(self._columns) else None

    def reviewers(self) -> list[str]:
        return [name for name, _finding in self._columns]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        key = self._rows[index.row()]
        finding = self.finding(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if finding is None:
                return NO_FINDING
            value = finding["quote"] if key == "quote" else finding["fields"].get(key)
            return "—" if value is None else str(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            if finding is None:
                return QBrush(QColor(MISSING))
            if key in self._differing:
                return QBrush(QColor(DIFFERS))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section][0]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            key = self._rows[section]
            return self.tr("Quote") if key == "quote" else self._labels.get(key, key)
        return None
