"""Building the application: objects are made here and passed by constructor."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from reviewapp import __version__
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.gui.workers.tasks import TaskRunner
from reviewapp.services.demo import create_demo_library
from reviewapp.services.library import IndexAction, LibrarySession, ServiceError

log = logging.getLogger(__name__)


def create_main_window(library_path: Path | str) -> QMainWindow:
    """The main window on ``library_path`` (created if new). A QApplication must exist.

    The index is checked and, if needed, repaired in the background.
    """
    session = LibrarySession.open(Path(library_path), sync_index=False)
    tasks = TaskRunner()
    window = MainWindow(session, tasks)
    tasks.setParent(window)
    path = session.library.path

    def ensure_index() -> IndexAction:
        with LibrarySession.open(path, sync_index=False) as worker_session:
            return worker_session.ensure_index()

    def on_index_ready(action: IndexAction) -> None:
        if action is not IndexAction.CURRENT:
            window.statusBar().showMessage(
                window.tr("Search index {action}").format(action=action.value), 5000
            )

    tasks.run_task(
        ensure_index, on_index_ready, lambda exc: window.statusBar().showMessage(str(exc))
    )
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
    try:
        if demo_on_first_run and not library_path.exists():
            create_demo_library(library_path)
        window = create_main_window(library_path)
    except ServiceError as exc:
        QMessageBox.critical(None, "reviewapp", str(exc))
        return 1
    window.show()
    return int(app.exec())
