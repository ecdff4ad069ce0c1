"""F1: every action that has a keyboard shortcut, with it."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget


def show_shortcuts(actions: Iterable[QAction], parent: QWidget) -> None:
    lines = [
        f"<tr><td>{a.text().replace('&', '')}</td><td><b>"
        f"{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}</b></td></tr>"
        for a in actions
        if not a.shortcut().isEmpty()
    ]
    QMessageBox.information(
        parent,
        QCoreApplication.translate("Shortcuts", "Keyboard shortcuts"),
        "<table cellspacing=6>" + "".join(lines) + "</table>",
    )
