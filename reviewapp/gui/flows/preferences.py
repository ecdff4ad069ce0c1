"""Preferences: the reviewer's name (asked for once, before the first finding), the library
location, and the reader's font size (zoom)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from reviewapp.gui.dialogs.preferences import PreferencesDialog
from reviewapp.gui.views.reader import ReaderView
from reviewapp.services.identity import rename_identity
from reviewapp.services.preferences import (
    Preferences,
    current_reviewer,
    save_preferences,
)

DEFAULT_FONT_SIZE = 11


class PreferencesFlow(QObject):
    reviewer_changed = Signal()  # another reviewer is at work (named for the first time)

    def __init__(self, prefs: Preferences, reader: ReaderView, parent: QWidget) -> None:
        super().__init__(parent)
        self._reader = reader
        self._parent = parent
        self.prefs = prefs

    def ensure_reviewer(self) -> bool:
        """Whether a reviewer is known, asking for one if not."""
        if current_reviewer() is not None:
            return True
        return self.ask_reviewer()

    def ask_reviewer(self) -> bool:
        dialog = PreferencesDialog(self.prefs, first_run=True, parent=self._parent)
        if dialog.exec() != PreferencesDialog.DialogCode.Accepted:
            return False
        self.prefs = dialog.preferences(self.prefs)
        save_preferences(self.prefs)
        self.reviewer_changed.emit()
        return True

    def edit(self) -> None:
        dialog = PreferencesDialog(self.prefs, parent=self._parent)
        if dialog.exec() != PreferencesDialog.DialogCode.Accepted:
            return
        new = dialog.preferences(self.prefs)
        moved = new.library_path != self.prefs.library_path
        old_name = self.prefs.reviewer_name.strip()
        renamed = new.reviewer_name.strip() != old_name
        if old_name and new.reviewer_name.strip() and renamed:
            # The same person under a new name: their uid and key go with them.
            rename_identity(old_name, new.reviewer_name, new.reviewer_initials)
        self.prefs = new
        save_preferences(new)
        if renamed:
            self.reviewer_changed.emit()
        self._reader.set_font_size(new.reader_font_size)
        if moved:
            QMessageBox.information(
                self._parent,
                self.tr("Library location"),
                self.tr("The new library location is used the next time reviewapp starts."),
            )

    def zoom(self, step: int) -> None:
        """One point larger (+1) or smaller (-1), or the default size (0); remembered."""
        size = DEFAULT_FONT_SIZE if step == 0 else self._reader.font().pointSize() + step
        self._reader.set_font_size(size)
        self.prefs.reader_font_size = self._reader.font().pointSize()
        save_preferences(self.prefs)
