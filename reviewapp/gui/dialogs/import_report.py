"""The import report: one line a file, with what happened and why."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.services.importing import FileReport, FileStatus

_STATUS_COLOURS = {
    FileStatus.IMPORTED: "#1B7F3B",
    FileStatus.DUPLICATE: "#6E7781",
    FileStatus.PARTIAL: "#9A6700",
    FileStatus.FAILED: "#CF222E",
}


class ImportReportDialog(QDialog):
    def __init__(
        self, reports: Sequence[FileReport], cancelled: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importReport")
        self.setWindowTitle(self.tr("Import report"))
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        imported = sum(r.imported for r in reports)
        duplicates = sum(r.duplicates for r in reports)
        failed = sum(1 for r in reports if r.status is FileStatus.FAILED)
        summary = self.tr("{i} imported · {d} duplicates · {f} failed").format(
            i=imported, d=duplicates, f=failed
        )
        if cancelled:
            summary += " · " + self.tr("cancelled before the end")
        self.summary = QLabel(f"<b>{summary}</b>")
        layout.addWidget(self.summary)
        # A small table of plain strings; no domain objects live in these items.
        self.table_model = QStandardItemModel(0, 3, self)
        self.table_model.setHorizontalHeaderLabels(
            [self.tr("File"), self.tr("Result"), self.tr("Details")]
        )
        for report in reports:
            status = QStandardItem(report.status.value)
            status.setForeground(QColor(_STATUS_COLOURS[report.status]))
            name = QStandardItem(Path(report.file).name)
            name.setToolTip(report.file)
            details = QStandardItem(report.message)
            details.setToolTip(report.message)
            row = [name, status, details]
            for item in row:
                item.setEditable(False)
            self.table_model.appendRow(row)
        table = QTableView(self)
        table.setObjectName("importReportTable")
        table.setModel(self.table_model)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).clicked.connect(self.accept)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.WindowModal)
