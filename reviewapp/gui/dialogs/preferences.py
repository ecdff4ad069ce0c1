"""Preferences (reviewer, library location, reader font size, backups kept) and the first-run
question."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.text import initials_of
from reviewapp.services.preferences import Preferences


class PreferencesDialog(QDialog):
    def __init__(
        self, prefs: Preferences, first_run: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferences")
        self.setWindowTitle(
            self.tr("Welcome to reviewapp") if first_run else self.tr("Preferences")
        )
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel(
                self.tr(
                    "Your name marks the findings you tag, so a journal club can tell "
                    "reviewers apart. You can change it later in Preferences."
                )
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        self.name_edit = QLineEdit(prefs.reviewer_name)
        self.name_edit.setObjectName("reviewerName")
        self.name_edit.setPlaceholderText(self.tr("e.g. Maria Lopez"))
        self.initials_edit = QLineEdit(prefs.reviewer_initials)
        self.initials_edit.setObjectName("reviewerInitials")
        self.initials_edit.setMaxLength(4)
        self.initials_edit.setPlaceholderText(self.tr("e.g. ML"))
        self.name_edit.textEdited.connect(self._suggest_initials)
        form.addRow(self.tr("Your name"), self.name_edit)
        form.addRow(self.tr("Initials"), self.initials_edit)
        self.library_edit = QLineEdit(prefs.library_path)
        self.library_edit.setPlaceholderText(self.tr("default location"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.library_edit)
        row.addWidget(browse)
        self.font_spin = QSpinBox()
        self.font_spin.setRange(8, 28)
        self.font_spin.setValue(prefs.reader_font_size)
        self.font_spin.setSuffix(" pt")
        self.daily_spin, self.weekly_spin = self._backup_spins(prefs)
        if not first_run:
            form.addRow(self.tr("Library file"), row)
            form.addRow(self.tr("Reader font size"), self.font_spin)
            form.addRow(self.tr("Daily backups kept"), self.daily_spin)
            form.addRow(self.tr("Weekly backups kept"), self.weekly_spin)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def _backup_spins(self, prefs: Preferences) -> tuple[QSpinBox, QSpinBox]:
        """How many daily and weekly backups are kept."""
        spins = []
        for name, value, most, suffix, tip in (
            ("backupsDaily", prefs.backups_daily, 60, self.tr(" days"), self.tr("days")),
            ("backupsWeekly", prefs.backups_weekly, 52, self.tr(" weeks"), self.tr("weeks")),
        ):
            spin = QSpinBox()
            spin.setObjectName(name)
            spin.setRange(1, most)
            spin.setValue(value)
            spin.setSuffix(suffix)
            spin.setToolTip(
                self.tr("The newest backup of each of this many {unit} is kept").format(unit=tip)
            )
            spins.append(spin)
        return spins[0], spins[1]

    def _suggest_initials(self, name: str) -> None:
        if not self.initials_edit.isModified():
            self.initials_edit.setText(initials_of(name) if name.strip() else "")

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name_edit.text().strip()))

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Library file"),
            self.library_edit.text() or str(Path.home()),
            self.tr("reviewapp library (*.sqlite)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.library_edit.setText(path)

    def preferences(self, base: Preferences) -> Preferences:
        name = self.name_edit.text().strip()
        return Preferences(
            reviewer_name=name,
            reviewer_initials=self.initials_edit.text().strip() or initials_of(name),
            library_path=self.library_edit.text().strip(),
            reader_font_size=self.font_spin.value(),
            backups_daily=self.daily_spin.value(),
            backups_weekly=self.weekly_spin.value(),
        )
