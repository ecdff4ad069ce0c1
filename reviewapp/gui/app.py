"""Building the application: objects are made here and passed by constructor."""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from reviewapp import __version__
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.gui.workers.indexer import IndexProcess
from reviewapp.gui.workers.pool import SessionPool
from reviewapp.services.demo import create_demo_library
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.preferences import current_reviewer, load_preferences

log = logging.getLogger(__name__)


def create_main_window(library_path: Path | str) -> QMainWindow:
    """The main window on ``library_path`` (created if new). A QApplication must exist.

    The index is checked (and repaired if needed) in the background. When no reviewer is
    configured (preferences or REVIEWAPP_REVIEWER), the window asks for one once shown.
    """
    # The GUI thread shares the interpreter with the worker threads: hand the GIL over
    # every millisecond (not every 5) so that it never waits long behind an import, and
    # keep the objects of start-up out of the collector's full passes.
    sys.setswitchinterval(0.001)
    path = Path(library_path)
    session = LibrarySession.open(path, sync_index=False)
    # Two readers: a search as you type does not wait behind a sort of a large table.
    readers = SessionPool(session.library.path, threads=2)
    writer = SessionPool(session.library.path, threads=1)
    window = MainWindow(session, readers, writer, IndexProcess(session.library.path))
    readers.setParent(window)
    writer.setParent(window)
    window.check_index()
    gc.freeze()
    if current_reviewer() is None:
        QTimer.singleShot(0, window.ask_reviewer)
    return window


def _no_display() -> bool:
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    )


def run(library_path: Path, demo_on_first_run: bool = False) -> int:
    """Open the window on ``library_path`` and run the event loop."""
    if _no_display():
        sys.stderr.write(
            "reviewapp: no display to open the window on (DISPLAY is not set); the terminal "
            "commands work anywhere: reviewapp --help\n"
        )
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("reviewapp")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("reviewapp")
    prefs = load_preferences()
    if demo_on_first_run and prefs.library_path:
        library_path, demo_on_first_run = Path(prefs.library_path), False
    try:
        if demo_on_first_run and not library_path.exists():
            create_demo_library(library_path)
        window = create_main_window(library_path)
    except ServiceError as exc:
        QMessageBox.critical(None, "reviewapp", str(exc))
        return 1
    window.show()
    return int(app.exec())
