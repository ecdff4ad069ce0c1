"""Files the system asks the running window to open: macOS's Finder sends a ``FileOpen``
event for a double-clicked pack; it is imported as if dropped on the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from reviewapp.gui.app import _FileOpenRelay

pytestmark = pytest.mark.gui


def test_a_file_open_event_imports_the_file(qapp: QApplication, tmp_path: Path) -> None:
    opened: list[list[Path]] = []
    owner = QObject()
    relay = _FileOpenRelay(owner, opened.append)
    qapp.installEventFilter(relay)
    try:
        pack = tmp_path / "club.rvpack"
        QApplication.sendEvent(qapp, QFileOpenEvent(str(pack)))
        QApplication.sendEvent(qapp, QFileOpenEvent(""))  # nothing named: nothing opened
    finally:
        qapp.removeEventFilter(relay)
    assert opened == [[pack]]
