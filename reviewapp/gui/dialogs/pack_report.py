"""What merging review packs did: per pack, who made it and what it brought; per refusal,
what was refused and why."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.text import counted
from reviewapp.gui.models.pack_reports import PackReportModel
from reviewapp.services.packs import PackReport


def summary_line(reports: Sequence[PackReport]) -> str:
    merged = [r for r in reports if r.status in ("merged", "unchanged")]
    new = sum(r.findings_new for r in merged)
    updated = sum(r.findings_updated + r.findings_deleted for r in merged)
    refused = sum(1 for r in reports if r.status in ("refused", "skipped"))
    refusals = sum(len(r.refused) for r in reports)
    parts = [
        f"{len(merged)} of {counted(len(reports), 'pack')} merged",
        f"{counted(new, 'new finding')}",
        f"{updated} updated or deleted",
    ]
    if refused:
        parts.append(f"{counted(refused, 'pack')} refused")
    if refusals:
        parts.append(f"{refusals} of their findings or collections refused")
    return ", ".join(parts)


class PackReportDialog(QDialog):
    def __init__(self, reports: Sequence[PackReport], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packReport")
        self.setWindowTitle(self.tr("Review packs merged"))
        self.resize(980, 360)
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary_line(reports), self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = PackReportModel(reports, self)
        table = QTableView(self)
        table.setObjectName("packReportTable")
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = table.horizontalHeader()
        for column in range(self.model.columnCount() - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.model.columnCount() - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
