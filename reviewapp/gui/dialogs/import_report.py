"""The import report: one line a file, and below it every record of the chosen file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.gui.models.import_records import FileReportModel, RecordReportModel
from reviewapp.services.importing import (
    FileReport,
    FileStatus,
    RecordReport,
    RecordStatus,
    write_import_report,
)

# Rows measured to size a column to its contents (Qt measures a thousand by default).
_MEASURED_ROWS = 100


def _report_table(parent: QWidget, name: str, model: QAbstractItemModel) -> QTableView:
    """A read-only table of whole rows: three columns sized to their contents, then one
    that takes the rest of the width."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(_MEASURED_ROWS)
    for column in (0, 1, 2):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    return table


class ImportReportDialog(QDialog):
    """Files on top; the records of the selected file below, filterable by result.

    Double-clicking a record that came in (or was merged) opens its article.
    """

    article_requested = Signal(int)

    def __init__(
        self, reports: Sequence[FileReport], cancelled: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.reports = list(reports)
        self.setObjectName("importReport")
        self.setWindowTitle(self.tr("Import report"))
        self.resize(960, 640)
        layout = QVBoxLayout(self)
        self.summary = QLabel(f"<b>{self._summary(cancelled)}</b>")
        layout.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._files_table())
        splitter.addWidget(self._records_panel())
        splitter.setSizes([330, 240])
        layout.addWidget(splitter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton(self.tr("Save report…"))
        self.save_button.setObjectName("saveImportReport")
        self.save_button.setToolTip(self.tr("Save every file's and record's result as JSON"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).clicked.connect(self.accept)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        if self.reports:
            self.files.selectRow(self._first_interesting_row())

    def _summary(self, cancelled: bool) -> str:
        imported = sum(r.imported for r in self.reports)
        duplicates = sum(r.duplicates for r in self.reports)
        failed_files = sum(1 for r in self.reports if r.status is FileStatus.FAILED)
        failed_records = sum(
            1 for r in self.reports for rec in r.records if rec.status is RecordStatus.FAILED
        )
        summary = self.tr("{i} imported · {d} duplicates · {f} failed").format(
            i=imported, d=duplicates, f=failed_files
        )
        if failed_records:
            skipped = (
                self.tr("1 record skipped")
                if failed_records == 1
                else self.tr("{n} records skipped").format(n=failed_records)
            )
            summary += " · " + skipped
        if cancelled:
            summary += " · " + self.tr("cancelled before the end")
        return summary

    def _files_table(self) -> QTableView:
        self.table_model = FileReportModel(self.reports)
        self.files = _report_table(self, "importReportTable", self.table_model)
        self.files.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.files.selectionModel().selectionChanged.connect(self._on_files_selection_changed)
        return self.files

    def _records_panel(self) -> QWidget:
        panel = QWidget(self)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.records_label = QLabel()
        bar.addWidget(self.records_label, 1)
        self.record_filter = QComboBox(panel)
        self.record_filter.setObjectName("recordFilter")
        for text, status in (
            (self.tr("All records"), None),
            (self.tr("Failed"), RecordStatus.FAILED),
            (self.tr("Duplicates"), RecordStatus.DUPLICATE),
            (self.tr("Imported"), RecordStatus.IMPORTED),
        ):
            self.record_filter.addItem(text, status.value if status else "")
        self.record_filter.currentIndexChanged.connect(self._on_record_filter_changed)
        bar.addWidget(self.record_filter)
        layout.addLayout(bar)
        self.record_model = RecordReportModel()
        self.records = _report_table(panel, "importRecordTable", self.record_model)
        self.records.doubleClicked.connect(self._on_records_double_clicked)
        layout.addWidget(self.records)
        return panel

    def _first_interesting_row(self) -> int:
        """The first file with skipped records, else the first that failed, else the first."""
        for wanted in (FileStatus.PARTIAL, FileStatus.FAILED):
            for row, report in enumerate(self.reports):
                if report.status is wanted:
                    return row
        return 0

    def show_file(self, row: int) -> None:
        report = self.reports[row]
        name = Path(report.file).name
        count = len(report.records)
        if count == 0:
            # A file refused whole: its one row says why.
            whole = RecordReport(
                self.tr("the whole file"), RecordStatus.FAILED, reason=report.message
            )
            self.record_model.set_records([whole])
            text = self.tr("{name}: the file could not be read").format(name=name)
        else:
            self.record_model.set_records(report.records)
            text = (
                self.tr("{name}: 1 record").format(name=name)
                if count == 1
                else self.tr("{name}: {n} records").format(name=name, n=count)
            )
        self.records_label.setText(text)

    def _on_files_selection_changed(self, _s: QItemSelection, _d: QItemSelection) -> None:
        rows = self.files.selectionModel().selectedRows()
        if rows:
            self.show_file(rows[0].row())

    def _on_record_filter_changed(self, _index: int) -> None:
        value = self.record_filter.currentData()
        self.record_model.show(RecordStatus(value) if value else None)

    def _on_records_double_clicked(self, index: QModelIndex) -> None:
        article_id = self.record_model.record(index.row()).article_id
        if article_id is not None:
            self.article_requested.emit(article_id)

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save import report"), "import-report.json", self.tr("JSON (*.json)")
        )
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> None:
        try:
            write_import_report(self.reports, path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Report not saved"),
                self.tr("Could not write {p}: {e}").format(p=path, e=exc.strerror or exc),
            )
