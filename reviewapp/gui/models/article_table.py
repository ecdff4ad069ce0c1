"""The library table: a lazy model over article ids with a row cache.

Rows are fetched from the store in pages as the view scrolls (``canFetchMore``), so a
large library opens at once; ``data()`` only reads the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Row = dict[str, Any]
RowLoader = Callable[[Sequence[int]], list[Row]]

PAGE = 256
COLUMNS = (
    ("title", "Title"),
    ("first_author", "First author"),
    ("year", "Year"),
    ("journal", "Journal"),
    ("finding_count", "Findings"),
    ("tags", "Tags"),
)

_Index = QModelIndex | QPersistentModelIndex


class ArticleTableModel(QAbstractTableModel):
    def __init__(self, load_rows: RowLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._load_rows = load_rows
        self._ids: list[int] = []
        self._loaded = 0
        self._cache: dict[int, Row] = {}

    # -- contents ----------------------------------------------------------------------------

    def set_ids(self, ids: Sequence[int]) -> None:
        """Show these articles, in this order (the library, or search results)."""
        self.beginResetModel()
        self._ids = list(ids)
        self._cache.clear()
        self._loaded = min(PAGE, len(self._ids))
        self._fill(0, self._loaded)
        self.endResetModel()

    def article_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < self._loaded else None

    def row_of(self, article_id: int) -> int | None:
        try:
            row = self._ids.index(article_id)
        except ValueError:
            return None
        return row if row < self._loaded else None

    def _fill(self, start: int, end: int) -> None:
        wanted = [i for i in self._ids[start:end] if i not in self._cache]
        for row in self._load_rows(wanted):
            self._cache[int(row["id"])] = row

    # -- lazy loading ------------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded < len(self._ids)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        end = min(self._loaded + PAGE, len(self._ids))
        if end <= self._loaded:
            return
        self._fill(self._loaded, end)
        self.beginInsertRows(QModelIndex(), self._loaded, end - 1)
        self._loaded = end
        self.endInsertRows()

    # -- model API ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._loaded:
            return None
        row = self._cache.get(self._ids[index.row()])
        if row is None:
            return None
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _display(row, key)
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("year", "finding_count"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        return None


def _display(row: Row, key: str) -> str:
    if key == "first_author":
        return str(row["authors"][0]) if row.get("authors") else ""
    if key == "tags":
        return ", ".join(row.get("tags") or [])
    value = row.get(key)
    return "" if value is None else str(value)
