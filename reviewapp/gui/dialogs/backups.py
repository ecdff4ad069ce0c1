"""File → Restore from backup: the library's kept backups, newest first, with when each was
made, why, and how many articles and findings it holds."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewapp.services.backups import Backup

REASONS = {
    "manual": "made by hand",
    "daily": "daily",
    "before-pack-merge": "before a pack merge",
    "before-restore": "before a restore",
    "before-migration": "before an update",
}


def when(backup: Backup) -> str:
    """The backup's time in the local time zone, as a clinician reads a date."""
    try:
        moment = datetime.fromisoformat(backup.time).astimezone()
    except ValueError:
        return "unknown time"
    return moment.strftime("%Y-%m-%d %H:%M")


def count(value: int) -> str:
    return "?" if value < 0 else f"{value:,}"


class BackupsDialog(QDialog):
    """Lists the backups; asks the flow to restore the chosen one (or a file chosen
    elsewhere) or to make one now. The dialog itself changes nothing."""

    restore_requested = Signal(object)  # Path
    backup_requested = Signal()

    def __init__(self, library: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backups")
        self.setWindowTitle(self.tr("Restore from backup"))
        self.resize(720, 380)
        self._library = library
        self._backups: list[Backup] = []
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Backups of {name} are made every day the window is open, before every pack "
                "merge (at most hourly), before updates and before a restore. Restoring puts "
                "the chosen backup in place of the library; the library as it is now is kept "
                "as a backup first, so a restore can itself be undone by restoring that one."
            ).format(name=library.name)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Made"), self.tr("Why"), self.tr("Articles"), self.tr("Findings")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table)
        self.empty_label = QLabel(self.tr("Looking for backups…"))
        self.empty_label.setObjectName("backupsNote")
        layout.addWidget(self.empty_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton(self.tr("&Restore…"))
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.setEnabled(False)
        self.file_button = QPushButton(self.tr("From &file…"))
        self.file_button.setObjectName("restoreFromFile")
        self.now_button = QPushButton(self.tr("&Back up now"))
        self.now_button.setObjectName("backUpNow")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.now_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._restore_selected)
        self.table.itemDoubleClicked.connect(
            lambda _item: self._restore_selected() if self.restore_button.isEnabled() else None
        )
        self.file_button.clicked.connect(self._restore_file)
        self.now_button.clicked.connect(self.backup_requested)
        layout.addWidget(buttons)

    def show_backups(self, backups: list[Backup]) -> None:
        self._backups = backups
        self.table.setRowCount(len(backups))
        for row, backup in enumerate(backups):
            cells = [
                when(backup),
                self.tr(REASONS.get(backup.reason, backup.reason or "unknown")),
                count(backup.articles),
                count(backup.findings),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                item.setToolTip(str(backup.path))
                self.table.setItem(row, column, item)
        self.empty_label.setText(
            self.tr("No backups yet. “Back up now” makes one.")
            if not backups
            else self.tr("{n} backups, kept in {folder}").format(
                n=len(backups), folder=backups[0].path.parent
            )
        )
        if backups:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None

    def set_busy(self, busy: bool) -> None:
        for button in (self.restore_button, self.file_button, self.now_button):
            button.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.restore_requested.emit(chosen.path)

    def _restore_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Restore from a backup file"),
            str(self._library.parent),
            self.tr("reviewapp library or backup (*.sqlite)"),
        )
        if path:
            self.restore_requested.emit(Path(path))
