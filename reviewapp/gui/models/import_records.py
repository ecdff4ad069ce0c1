"""The import report's tables: the files of an import, and the records of one of them, lazy
tables over plain reports (a thousand files' rows as items took 100-200 ms of the GUI
thread as an import ended)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from reviewapp.services.importing import (
    FileReport,
    FileStatus,
    RecordReport,
    RecordStatus,
    format_label,
)

Index = QModelIndex | QPersistentModelIndex

RECORD_COLOURS = {
    RecordStatus.IMPORTED: "#1B7F3B",
    RecordStatus.DUPLICATE: "#6E7781",
    RecordStatus.FAILED: "#CF222E",
}
FILE_COLOURS = {
    FileStatus.IMPORTED: "#1B7F3B",
    FileStatus.DUPLICATE: "#6E7781",
    FileStatus.PARTIAL: "#9A6700",
    FileStatus.FAILED: "#CF222E",
}


class _ReportTable(QAbstractTableModel):
    """A read-only table over a list of reports, with fixed column headers."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """A cell's text, its tooltip, and the result column's colour."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        report, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(report, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(report, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(self._colour(report))
        return None

    def _text(self, report: Any, column: int) -> str:
        raise NotImplementedError

    def _tooltip(self, report: Any, column: int) -> str | None:
        raise NotImplementedError

    def _colour(self, report: Any) -> str:
        raise NotImplementedError


class FileReportModel(_ReportTable):
    """One row a file: its name (the whole path as a tooltip), result, format and details."""

    HEADERS = ("File", "Result", "Format", "Details")

    def __init__(self, reports: Sequence[FileReport]) -> None:
        super().__init__()
        self._rows = list(reports)

    def _tooltip(self, report: FileReport, column: int) -> str | None:
        if column in (0, 3):
            return report.file if column == 0 else report.message
        return None

    def _colour(self, report: FileReport) -> str:
        return FILE_COLOURS[report.status]

    def _text(self, report: FileReport, column: int) -> str:
        if column == 0:
            return Path(report.file).name
        if column == 1:
            return report.status.value
        if column == 2:
            return format_label(report.format)
        return report.message


class RecordReportModel(_ReportTable):
    """Rows of ``RecordReport``; ``show`` narrows them to one status (None: all)."""

    HEADERS = ("Record", "Result", "Article", "Title or reason")
    _rows: list[RecordReport]

    def __init__(self) -> None:
        super().__init__()
        self._all: list[RecordReport] = []
        self._status: RecordStatus | None = None

    def set_records(self, records: Sequence[RecordReport]) -> None:
        self.beginResetModel()
        self._all = list(records)
        self._rows = self._filtered()
        self.endResetModel()

    def show(self, status: RecordStatus | None) -> None:
        self.beginResetModel()
        self._status = status
        self._rows = self._filtered()
        self.endResetModel()

    def record(self, row: int) -> RecordReport:
        return self._rows[row]

    def _filtered(self) -> list[RecordReport]:
        if self._status is None:
            return self._all
        return [r for r in self._all if r.status is self._status]

    def _tooltip(self, record: RecordReport, column: int) -> str | None:
        return self._text(record, column) if column == 3 else None

    def _colour(self, record: RecordReport) -> str:
        return RECORD_COLOURS[record.status]

    def _text(self, record: RecordReport, column: int) -> str:
        if column == 0:
            return record.record
        if column == 1:
            return record.status.value
        if column == 2:
            return "" if record.article_id is None else str(record.article_id)
        if record.status is RecordStatus.FAILED:
            return record.reason
        if record.status is RecordStatus.DUPLICATE:
            return f"{record.reason} — {record.title}"
        return record.title
