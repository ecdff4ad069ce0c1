"""What each review pack brought, one row a pack (and one row each refusal under it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from reviewapp.gui.models.headers import column_title
from reviewapp.services.packs import PackReport

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Pack", "From", "Status", "Findings new", "Updated", "Deleted", "Articles new", "Note")
_STATUS_COLOURS = {"refused": "#B42318", "skipped": "#9A6700", "merged": "#1A7F37"}


class PackReportModel(QAbstractTableModel):
    def __init__(self, reports: Sequence[PackReport], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, ...]] = []
        self._status: list[str] = []
        for report in reports:
            name = Path(report.file).name
            merged = report.status in ("merged", "unchanged")
            self._rows.append(
                (
                    name,
                    report.made_by,
                    report.status,
                    str(report.findings_new) if merged else "",
                    str(report.findings_updated) if merged else "",
                    str(report.findings_deleted) if merged else "",
                    str(report.articles_new) if merged else "",
                    "" if merged else report.message,
                )
            )
            self._status.append(report.status)
            for refusal in report.refused:
                self._rows.append(
                    ("", "", f"{refusal.kind} refused", "", "", "", "", refusal.reason)
                )
                self._status.append("refused")

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        value = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return value
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2:
            colour = _STATUS_COLOURS.get(self._status[index.row()])
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and 3 <= index.column() <= 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_title(COLUMNS, self.tr, section, orientation, role)
