"""The library table: a lazy model over article ids with a row cache.

Rows are fetched from the store in pages as the view scrolls (``canFetchMore``), so a
large library opens at once; ``data()`` only reads the cache. Sorting is done by SQLite.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)

from reviewapp.core.rows import ListRow

RowLoader = Callable[[Sequence[int]], list[ListRow]]
Sorter = Callable[[str, bool, Sequence[int] | None], list[int]]
# Runs a sort (key, descending, ids or None for the whole library) away from the GUI
# thread and hands the sorted ids to the callback, back on the GUI thread.
SortRunner = Callable[[str, bool, list[int] | None, Callable[[list[int]], None]], None]
# Beyond this many loaded rows, a sort shows the list again from its first page.
RESET_AFTER_SORT_ROWS = 5120  # 20 pages
# Up to this many rows a sort is done at once: SQLite sorts them in a few milliseconds.
SYNC_SORT_ROWS = 5000

PAGE = 256
# Pages fetched at most in one burst of requests (see fetchMore), and the burst's length.
BURST_PAGES = 2
BURST_SECONDS = 0.03
ARTICLE_IDS_MIME = "application/x-reviewapp-article-ids"
COLUMNS = (
    ("title", "Title"),
    ("first_author", "First author"),
    ("year", "Year"),
    ("journal", "Journal"),
    ("finding_count", "Findings"),
    ("tags", "Tags"),
    ("reviewed_by", "Reviewed by"),
)

_Index = QModelIndex | QPersistentModelIndex


class ArticleTableModel(QAbstractTableModel):
    def __init__(
        self,
        load_rows: RowLoader,
        sorter: Sorter | None = None,
        parent: QObject | None = None,
        sort_runner: SortRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._load_rows = load_rows
        self._sorter = sorter
        self._sort_runner = sort_runner
        self._sort_generation = 0
        self._burst_started = 0.0
        self._burst_pages = 0
        self._resume_pending = False
        self._ids: list[int] = []
        self._loaded = 0
        # Each row as the table shows it: a tuple of strings per article, which the cyclic
        # garbage collector leaves alone. (Row dicts with lists inside were collected again
        # and again as a large library was scrolled: pauses of 250 ms at 100,000 rows.)
        self._cache: dict[int, tuple[str, ...]] = {}
        self._sort: tuple[str, bool] | None = None
        self._whole_library = False

    # -- contents ----------------------------------------------------------------------------

    @property
    def sort_order(self) -> tuple[str, bool] | None:
        """The column key and direction rows are sorted by (None: as given)."""
        return self._sort

    def set_ids(
        self,
        ids: Sequence[int],
        whole_library: bool = False,
        sorted_by: tuple[str, bool] | None = None,
    ) -> None:
        """Show these articles (the library, a collection or search results). ``sorted_by``:
        the ids come sorted already, by that key (a search sorted on a reader thread)."""
        self.beginResetModel()
        self._whole_library = whole_library
        self._sort_generation += 1  # a sort still running was for other rows
        presorted = sorted_by is not None and sorted_by == self._sort
        later = not presorted and self._sort_is_slow(len(ids))
        self._ids = list(ids) if later or presorted else self._sorted(list(ids))
        self._cache.clear()
        self._loaded = min(PAGE, len(self._ids))
        self._fill(0, self._loaded)
        self.endResetModel()
        if later:
            self._sort_later()

    def ids(self) -> list[int]:
        return list(self._ids)

    def extend_ids(self, ids: Sequence[int]) -> None:
        """More of the list shown, after its rows (the rest of a search's results, ranked
        below those shown first). Rows are read as the view reaches them, as for any list;
        a first page not yet full is filled at once."""
        known = set(self._ids)
        self._ids.extend(i for i in ids if i not in known)
        self._load_to(PAGE)

    def append_rows(self, rows: Sequence[ListRow]) -> None:
        """New articles arriving (an import), with their rows already read; shown at the end
        until the next sort."""
        known = set(self._ids)
        fresh = [row for row in rows if row.id not in known]
        if not fresh:
            return
        new = [row.id for row in fresh]
        for row in fresh:
            self._cache[row.id] = _cells(row)
        if self._loaded < len(self._ids):  # not all loaded: they arrive with fetchMore
            self._ids.extend(new)
            return
        self.beginInsertRows(QModelIndex(), len(self._ids), len(self._ids) + len(new) - 1)
        self._ids.extend(new)
        self._loaded = len(self._ids)
        self.endInsertRows()

    def refresh(self, ids: Sequence[int]) -> None:
        """Re-read rows that changed (finding counts, tags) and repaint them."""
        shown = [i for i in ids if i in self._cache]
        if not shown:
            return
        self._fill_ids(shown, force=True)
        for article_id in shown:
            row = self._ids.index(article_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def article_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < self._loaded else None

    def _fill(self, start: int, end: int) -> None:
        self._fill_ids(self._ids[start:end])

    def _fill_ids(self, ids: Sequence[int], force: bool = False) -> None:
        wanted = [i for i in ids if force or i not in self._cache]
        for row in self._load_rows(wanted):
            self._cache[row.id] = _cells(row)

    # -- sorting -----------------------------------------------------------------------------

    def _sorted(self, ids: list[int]) -> list[int]:
        if self._sort is None or self._sorter is None:
            return ids
        key, descending = self._sort
        return self._sorter(key, descending, None if self._whole_library else ids)

    def _sort_is_slow(self, rows: int) -> bool:
        return self._sort is not None and self._sort_runner is not None and rows > SYNC_SORT_ROWS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or self._sorter is None:
            return
        self._sort = (COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)
        if self._sort_is_slow(len(self._ids)):
            self._sort_later()
        else:
            self._apply_order(self._sorted(self._ids))

    def _sort_later(self) -> None:
        """Sort a large list in SQLite away from the GUI thread; the rows stay as they are
        until the sorted ids come back (unless other rows are shown by then)."""
        assert self._sort is not None and self._sort_runner is not None
        self._sort_generation += 1
        generation = self._sort_generation
        key, descending = self._sort
        ids = None if self._whole_library else list(self._ids)
        self._sort_runner(
            key, descending, ids, lambda ordered: self._on_sorted(generation, ordered)
        )

    def _on_sorted(self, generation: int, ordered: list[int]) -> None:
        if generation != self._sort_generation:
            return
        if len(ordered) != len(self._ids) or set(ordered) != set(self._ids):
            # Articles added or removed meanwhile (an import): kept, at the end, as they
            # came.
            current = set(self._ids)
            ordered = [i for i in ordered if i in current]
            placed = set(ordered)
            ordered += [i for i in self._ids if i not in placed]
        self._apply_order(ordered)

    def _apply_order(self, ordered: list[int]) -> None:
        if self._loaded > RESET_AFTER_SORT_ROWS:
            # Scrolled deep into a large list: start again from its first page, as after a
            # search. Re-laying out 100,000 loaded rows held the GUI thread 60–85 ms; the
            # selection, which persistent indexes would have carried, goes with them.
            self.beginResetModel()
            self._ids = ordered
            self._loaded = min(PAGE, len(ordered))
            self._fill(0, self._loaded)
            self.endResetModel()
            return
        self.layoutAboutToBeChanged.emit()
        # The view's selection and current row are persistent indexes: move them with their
        # articles, or actions on "the selection" would act on whatever now sits there.
        before = [
            (index, self._ids[index.row()])
            for index in self.persistentIndexList()
            if index.isValid() and index.row() < len(self._ids)
        ]
        self._ids = ordered
        self._fill(0, self._loaded)
        loaded = self._ids[: self._loaded]
        # A few selected rows are looked up in place; a large selection through a map.
        if len({article_id for _index, article_id in before}) > 32:
            row_of = {article_id: row for row, article_id in enumerate(loaded)}
        else:
            row_of = {a: loaded.index(a) for _i, a in before if a in loaded}
        self.changePersistentIndexList(
            [index for index, _id in before],
            [
                self.index(row_of[article_id], index.column())
                if article_id in row_of
                else QModelIndex()
                for index, article_id in before
            ],
        )
        self.layoutChanged.emit()

    # -- lazy loading ------------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded < len(self._ids)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        # A view dragged to the end asks for page after page in one go (16 pages took
        # 170 ms at 100k): a few per burst, and the rest a moment later, between paints.
        now = time.monotonic()
        if now - self._burst_started > BURST_SECONDS:
            self._burst_started, self._burst_pages = now, 0
        if self._burst_pages >= BURST_PAGES:
            if not self._resume_pending:
                self._resume_pending = True
                QTimer.singleShot(int(BURST_SECONDS * 1000), self._resume_fetching)
            return
        self._burst_pages += 1
        self._load_to(self._loaded + PAGE)

    def _load_to(self, end: int) -> None:
        """Read and show the rows up to ``end`` (as far as the list goes)."""
        end = min(end, len(self._ids))
        if end <= self._loaded:
            return
        self._fill(self._loaded, end)
        self.beginInsertRows(QModelIndex(), self._loaded, end - 1)
        self._loaded = end
        self.endInsertRows()

    def _resume_fetching(self) -> None:
        self._resume_pending = False
        if self.canFetchMore():
            self.fetchMore()

    # -- model API ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._loaded:
            return None
        article_id = self._ids[index.row()]
        cells = self._cache.get(article_id)
        if cells is None:
            return None
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return article_id
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

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [ARTICLE_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = sorted({self._ids[i.row()] for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(ARTICLE_IDS_MIME, json.dumps(ids).encode("utf-8"))
        return mime


def article_ids_from_mime(mime: QMimeData) -> list[int]:
    if not mime.hasFormat(ARTICLE_IDS_MIME):
        return []
    try:
        return [int(i) for i in json.loads(bytes(mime.data(ARTICLE_IDS_MIME).data()))]
    except (ValueError, TypeError):
        return []


def _cells(row: ListRow) -> tuple[str, ...]:
    """A row as the table shows it, column by column (see COLUMNS)."""
    return tuple(
        "" if (value := getattr(row, key)) is None else str(value) for key, _label in COLUMNS
    )
