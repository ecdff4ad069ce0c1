"""The reviewers a library knows, with their key fingerprints and whether a person checked
them with their owner (trust on first use: the window lets them confirm it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontDatabase

from reviewapp.core.models import Reviewer
from reviewapp.core.signing import fingerprint
from reviewapp.gui.models.headers import column_title

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Reviewer", "Initials", "Key fingerprint", "Checked with them")
CONFIRMED = 3


class ReviewersModel(QAbstractTableModel):
    confirmation_changed = Signal(str, bool)  # reviewer uid, confirmed

    def __init__(self, reviewers: Sequence[Reviewer], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reviewers = list(reviewers)

    def reviewer(self, row: int) -> Reviewer | None:
        return self._reviewers[row] if 0 <= row < len(self._reviewers) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._reviewers)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        reviewer = self.reviewer(index.row()) if index.isValid() else None
        if reviewer is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole and column < CONFIRMED:
            key = (
                fingerprint(reviewer.public_key)
                if reviewer.public_key
                else self.tr("no key (tagged before keys)")
            )
            return (reviewer.name, reviewer.initials, key)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(reviewer.colour)
        if role == Qt.ItemDataRole.CheckStateRole and column == CONFIRMED and reviewer.public_key:
            return Qt.CheckState.Checked if reviewer.key_confirmed else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.FontRole and column == 2:
            return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        reviewer = self.reviewer(index.row()) if index.isValid() else None
        if index.column() == CONFIRMED and reviewer is not None and reviewer.public_key:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        reviewer = self.reviewer(index.row()) if index.isValid() else None
        if (
            reviewer is None
            or role != Qt.ItemDataRole.CheckStateRole
            or index.column() != CONFIRMED
            or not reviewer.public_key
        ):
            return False
        confirmed = Qt.CheckState(value) == Qt.CheckState.Checked
        reviewer.key_confirmed = confirmed
        self.dataChanged.emit(index, index, [role])
        self.confirmation_changed.emit(reviewer.uid, confirmed)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_title(COLUMNS, self.tr, section, orientation, role)
