"""Building the application: objects are made here and passed by constructor."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLockFile,
    QObject,
    QSize,
    QSocketNotifier,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QFileOpenEvent, QIcon, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from reviewapp import __version__
from reviewapp.gui.actions import WRITE_ACTIONS
from reviewapp.gui.changes import ChangeBus
from reviewapp.gui.commands import Context
from reviewapp.gui.flows import Flows
from reviewapp.gui.flows.backups import BackupFlow
from reviewapp.gui.flows.club import ClubFlow
from reviewapp.gui.flows.importing import ImportFlow
from reviewapp.gui.flows.indexing import IndexFlow
from reviewapp.gui.flows.organising import Organiser
from reviewapp.gui.flows.preferences import PreferencesFlow
from reviewapp.gui.flows.publishing import Publisher
from reviewapp.gui.flows.reading import ReadingFlow
from reviewapp.gui.flows.review import ReviewFlow
from reviewapp.gui.flows.search import SearchFlow
from reviewapp.gui.flows.tagging import TaggingFlow
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.gui.models.article_table import ArticleTableModel
from reviewapp.gui.workers.indexer import IndexProcess
from reviewapp.gui.workers.pool import SessionPool
from reviewapp.gui.workers.sorting import BackgroundSorter
from reviewapp.gui.workers.tasks import TaskRunner
from reviewapp.services import process, reading
from reviewapp.services.backups import backup_if_due
from reviewapp.services.demo import create_demo_library
from reviewapp.services.findings import why_unchangeable
from reviewapp.services.identity import view_as
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.paths import resource
from reviewapp.services.placement import sync_warning, window_lock
from reviewapp.services.preferences import Preferences, current_reviewer, load_preferences
from reviewapp.services.suggestions import load_vocabulary

log = logging.getLogger(__name__)

# How long after the window opens its daily backup is made (see create_main_window).
DAILY_BACKUP_AFTER_MS = 30_000


def create_main_window(library_path: Path | str) -> MainWindow:
    """The main window on ``library_path`` (created if new). A QApplication must exist.

    The index is checked (and repaired if needed) in the background. When no reviewer is
    configured (preferences or REVIEWAPP_REVIEWER), the window asks for one once shown.
    """
    path = Path(library_path)
    session = LibrarySession.open(path, sync_index=False)
    # Blind collections show the reviewer at work their own findings only (a quick write of
    # whose view the library holds, before anything is read).
    viewer = view_as(session)
    # Two readers: a search as you type does not wait behind a sort of a large table.
    readers = SessionPool(session.path, threads=2, viewer_uid=viewer)
    writer = SessionPool(session.path, threads=1, viewer_uid=viewer)
    indexer = IndexProcess(session.path, viewer)
    prefs = load_preferences()
    sorter = BackgroundSorter(session, readers, lambda exc: log.warning("sort failed: %s", exc))
    model = ArticleTableModel(
        lambda ids: reading.table_rows(session, ids),
        lambda key, descending, ids: reading.ordered_ids(session, key, descending, ids),
        sort_runner=sorter.sort,
    )
    title = QCoreApplication.translate("MainWindow", "reviewapp — {name}")
    window = MainWindow(model, prefs.reader_font_size, title.format(name=path.name))
    readers.setParent(window)
    writer.setParent(window)
    flows = _build_flows(window, session, readers, writer, indexer, sorter, prefs)
    window.wire(flows)
    flows.organiser.reload_sidebar()
    flows.search.show_library()
    flows.indexing.check_index()

    # A backup of the library once a day, made on the writer thread (a consistent copy
    # through SQLite's backup API; the last 7 days' and 4 weeks' are kept), once the window
    # has been open a while: copying a large library (600 MB at 100,000 articles, seconds
    # of the disk and of a core) as it opens slowed its first searches several times over,
    # and held up the first tag. A window closed before then leaves it to the next.
    def daily_backup() -> None:
        if window.isVisible():
            writer.run(
                lambda session, _p, _c: backup_if_due(session, timedelta(days=1), "daily"),
                on_error=lambda exc: log.warning("the daily backup was not made: %s", exc),
            )

    QTimer.singleShot(DAILY_BACKUP_AFTER_MS, window, daily_backup)
    if session.read_only:
        window.show_banner(
            QCoreApplication.translate(
                "MainWindow",
                "This library is read-only (it sits on a read-only medium or in a folder you "
                "cannot write to): you can read, search and export it, not change it. To tag "
                "or import, copy {name} to a writable folder and open the copy.",
            ).format(name=path.name)
        )
        _keep_off([window.action(name) for name in WRITE_ACTIONS])
        window.panels.reviewed_box.hide()
    else:
        flows.club.start()
    if current_reviewer() is None and not session.read_only:
        QTimer.singleShot(0, flows.preferences.ask_reviewer)
    return window


def _keep_off(actions: list[QAction]) -> None:
    """Turn these actions off for good: the flows that turn them on as the view changes (a
    selection, an article shown) find them off again at once."""
    for action in actions:
        action.setEnabled(False)
        action.enabledChanged.connect(lambda on, a=action: a.setEnabled(False) if on else None)


def _build_flows(
    window: MainWindow,
    session: LibrarySession,
    readers: SessionPool,
    writer: SessionPool,
    indexer: IndexProcess,
    sorter: BackgroundSorter,
    prefs: Preferences,
) -> Flows:
    """Each flow, handed the panels and services it drives (never the window itself)."""
    p = window.panels
    say = window.say
    tasks = TaskRunner(writer, p.task_label, p.progress, p.cancel_button, say, p.table)
    undo_stack = QUndoStack(window)
    changes = ChangeBus(window)
    context = Context(tasks.write, changes.tell)
    search = SearchFlow(
        session, readers, p.model, p.table, p.search_field, p.empty_label, p.status_label, say
    )
    sorter.on_error = search.on_reader_failed
    reading_flow = ReadingFlow(
        session, p.reader, p.findings_panel, p.find_field, window.tag_actions()
    )
    preferences = PreferencesFlow(prefs, p.reader, p.reader)
    indexing = IndexFlow(readers, writer, indexer, p.index_label, say)
    club = ClubFlow(session, tasks, writer, indexer, lambda: search.view, say, p.table)
    importer = ImportFlow(
        tasks,
        indexer,
        search.show_arrivals,
        lambda: indexing.watch(catching_up=True),
        club.import_packs,
        p.table,
    )
    organiser = Organiser(
        session,
        p.sidebar,
        p.sidebar_model,
        p.table,
        p.search_field,
        undo_stack,
        context,
        tasks,
        search.selected_article_ids,
        lambda: search.view,
        window.actions_by_name,
        say,
        club.folder_of,
    )
    publisher = Publisher(
        session, tasks, search.selected_article_ids, p.model.ids, lambda: search.view, say, p.table
    )
    tagging = TaggingFlow(
        p.reader,
        p.findings_panel,
        undo_stack,
        context,
        preferences.ensure_reviewer,
        lambda finding: why_unchangeable(session, finding),
        say,
        load_vocabulary(),
    )

    review = ReviewFlow(
        session,
        readers,
        tasks,
        undo_stack,
        context,
        lambda: search.view,
        (p.reviewed_box, p.reviewed_by_label, p.blind_label),
        (window.action("actionMarkReviewed"), window.action("actionBlindCollection")),
        preferences.ensure_reviewer,
        say,
        window,
    )

    def shutdown() -> None:
        readers.shutdown()
        writer.shutdown()
        indexer.shutdown()
        session.close()

    return Flows(
        session,
        tasks,
        undo_stack,
        changes,
        sorter,
        search,
        reading_flow,
        tagging,
        importer,
        organiser,
        publisher,
        preferences,
        indexing,
        club,
        review,
        BackupFlow(session.path, readers, tasks, say, window),
        shutdown,
    )


def _no_display() -> bool:
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    )


def run(library_path: Path, demo_on_first_run: bool = False, files: Sequence[Path] = ()) -> int:
    """Open the window on ``library_path`` and run the event loop; ``files`` (named on the
    command line: a double-clicked review pack, "open with") are imported once it shows,
    as if dropped on it."""
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
    # The desktop entry's name (Wayland matches the window to its menu entry and icon by it).
    app.setDesktopFileName("org.reviewapp.ReviewApp")
    app.setWindowIcon(_app_icon())
    prefs = load_preferences()
    if demo_on_first_run and prefs.library_path:
        library_path, demo_on_first_run = Path(prefs.library_path), False
    lock, refusal = claim_library(library_path)
    if lock is None:
        QMessageBox.critical(None, "reviewapp", refusal)
        return 1
    try:
        # Files to open on a first run go into an empty library, not the demo's.
        if demo_on_first_run and not library_path.exists() and not files:
            create_demo_library(library_path)
        # The window's reader threads rank searches, so freed query arrays stay in the heap
        # (a synonym search took ~1,800 page faults without); the GIL is handed over every
        # millisecond, not every 5, so the GUI thread never waits long behind an import.
        process.configure_window_process()
        window = create_main_window(library_path)
        # Keep the objects of start-up out of the collector's full passes.
        process.freeze_startup_objects()
    except ServiceError as exc:
        QMessageBox.critical(None, "reviewapp", str(exc))
        return 1
    _close_on_signals(app, window)
    if os.environ.get("REVIEWAPP_TELL_SHOWN"):
        _tell_when_painted(window)
    # macOS hands a pack double-clicked in the Finder to the running app as an event.
    app.installEventFilter(_FileOpenRelay(window, window.files_dropped.emit))
    window.show()
    if files:
        QTimer.singleShot(0, lambda: window.files_dropped.emit([Path(f) for f in files]))
    warning = sync_warning(library_path)
    if warning:
        _warn(window, warning)
    return int(app.exec())


def _app_icon() -> QIcon:
    """reviewapp's icon (resources/icons), at every size drawn for it."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        path = resource("icons", f"reviewapp-{size}.png")
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


class _FileOpenRelay(QObject):
    """A file the system asks the running app to open (macOS's Finder sends a ``FileOpen``
    event, not a command line) is imported as if dropped on the window."""

    def __init__(self, parent: QObject, open_files: Callable[[list[Path]], None]) -> None:
        super().__init__(parent)
        self._open_files = open_files

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QFileOpenEvent) and event.file():
            self._open_files([Path(event.file())])
            return True
        return False


class _FirstPaint(QObject):
    """Writes "reviewapp: window shown" on stderr at the window's first paint: a start-up
    measurement's finishing line (benchmarks/bundle.py), asked for by REVIEWAPP_TELL_SHOWN."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            sys.stderr.write("reviewapp: window shown\n")
            sys.stderr.flush()
        return False


def _tell_when_painted(window: MainWindow) -> None:
    window.installEventFilter(_FirstPaint(window))


def _warn(window: MainWindow, text: str) -> None:
    """A warning beside the window, not blocking it."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, "reviewapp", text[:1].upper() + text[1:], parent=window
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setModal(False)
    box.show()


def claim_library(library_path: Path) -> tuple[QLockFile | None, str]:
    """One window per library: a lock beside it, held while the window is open (the
    terminal commands work beside it). A lock left by a window that died is taken over.
    Returns the lock to keep, or None and why the library cannot be opened."""
    path = library_path.expanduser().resolve()  # one lock however the path is spelled
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # a first run's data folder
    except OSError as exc:
        return None, f"cannot open the library's folder {path.parent}: {exc.strerror or exc}"
    lock_path = window_lock(path)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)  # (the settings folder's)
    except OSError as exc:
        return None, f"cannot keep the window's lock at {lock_path}: {exc.strerror or exc}"
    lock = QLockFile(str(lock_path))
    lock.setStaleLockTime(0)  # a window open for hours keeps it; a dead one's is stale
    if lock.tryLock(0):
        return lock, ""
    if lock.error() != QLockFile.LockError.LockFailedError:
        return None, (
            f"cannot open the library {path}: its folder does not let reviewapp keep a lock "
            "file beside it (permission denied, or a read-only disk)"
        )
    info = lock.getLockInfo()  # (pid, host, application) in PySide6
    pid = info[0] if isinstance(info, tuple) and info else 0
    holder = f" (process {pid})" if pid else ""
    return None, (
        f"reviewapp is already open on this library{holder}: {path}. Switch to that window, "
        "or close it first; the terminal commands work beside it."
    )


def _close_on_signals(app: QApplication, window: MainWindow) -> None:
    """SIGTERM (what a desktop session sends at logout or shutdown, and ``kill``), SIGINT
    (Ctrl+C in the terminal that started the window) and SIGHUP close the window as Quit
    does: pending writes finish, the helpers stop, the layout is saved. Python runs a
    signal's handler only when it next runs Python code, so the signal also wakes Qt's
    event loop through a socket (``signal.set_wakeup_fd``), whose notifier runs some."""
    if not hasattr(signal, "SIGHUP"):  # Windows: Qt and the console end the process
        return
    wake, woken = socket.socketpair()
    for end in (wake, woken):
        end.setblocking(False)
    signal.set_wakeup_fd(wake.fileno(), warn_on_full_buffer=False)
    notifier = QSocketNotifier(woken.fileno(), QSocketNotifier.Type.Read, window)

    def drain() -> None:
        with contextlib.suppress(OSError):
            woken.recv(64)

    notifier.activated.connect(drain)
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, lambda _number, _frame: window.close())
    # The session manager may also quit the application without closing its windows.
    app.aboutToQuit.connect(window.close)

    def close_sockets() -> None:
        signal.set_wakeup_fd(-1)
        wake.close()
        woken.close()

    window.destroyed.connect(close_sockets)
