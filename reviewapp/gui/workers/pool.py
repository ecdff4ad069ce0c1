"""Running work off the GUI thread: ``pool.run(fn, on_done, on_error, on_progress)``.

Each pool owns worker threads that keep their own LibrarySession open (SQLite connections
and whoosh searchers belong to one thread). The window has two pools: one thread for
reads (searches), and one thread for every write, so writes happen in order. A task gets
the session plus ``progress(done, total)`` and ``cancelled()`` callables and returns plain
data; it never touches widgets. Results come back through queued signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from reviewapp.services.library import LibrarySession

log = logging.getLogger(__name__)

Task = Callable[[LibrarySession, Callable[[int, int], None], Callable[[], bool]], Any]


class TaskHandle(QObject):
    """One submitted task: its signals, and a way to ask it to stop."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self.done = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


class _Runnable(QRunnable):
    def __init__(self, pool: SessionPool, task: Task, handle: TaskHandle) -> None:
        super().__init__()
        self.pool, self.task, self.handle = pool, task, handle

    def run(self) -> None:
        handle = self.handle
        try:
            session = self.pool.thread_session()
            result = self.task(session, handle.progressed.emit, lambda: handle.is_cancelled)
        except Exception as exc:  # reported to the GUI, never lost in a thread
            log.debug("background task failed", exc_info=True)
            handle.failed.emit(exc)
        else:
            handle.finished.emit(result)


class SessionPool(QObject):
    """Worker threads, each with its own session on the library."""

    def __init__(
        self,
        library_path: Path,
        threads: int = 1,
        parent: QObject | None = None,
        viewer_uid: str | None = None,
    ):
        super().__init__(parent)
        self.library_path = library_path
        self.viewer_uid = viewer_uid  # whose view the library shows (see view_as)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._pool.setExpiryTimeout(-1)  # threads (and their sessions) live until shutdown
        self._sessions: dict[int, LibrarySession] = {}  # by worker thread
        self._lock = threading.Lock()
        self._handles: set[TaskHandle] = set()
        self._stopped = False

    def thread_session(self) -> LibrarySession:
        """The calling worker thread's session, opened on its first task. Kept by thread id:
        PySide gives a pool thread a fresh Python thread state for each task it runs, so a
        ``threading.local`` forgot the session after every task, and each search paid for
        a new one (its SQLite connection, whoosh searcher and ranker: 20–100 ms at 100k)."""
        thread = threading.get_ident()
        with self._lock:
            session = self._sessions.get(thread)
        if session is None:
            session = LibrarySession.open(
                self.library_path, sync_index=False, viewer_uid=self.viewer_uid
            )
            with self._lock:
                self._sessions[thread] = session
        return session

    def run(
        self,
        task: Task,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> TaskHandle:
        handle = TaskHandle()
        self._handles.add(handle)

        def finish() -> None:
            handle.done = True
            self._handles.discard(handle)

        if on_progress is not None:
            handle.progressed.connect(on_progress)

        # After shutdown the window is gone: results still queued are dropped.
        def finished(result: Any) -> None:
            finish()
            if on_done is not None and not self._stopped:
                on_done(result)

        def failed(exc: Exception) -> None:
            finish()
            if on_error is not None and not self._stopped:
                on_error(exc)

        handle.finished.connect(finished)
        handle.failed.connect(failed)
        self._pool.start(_Runnable(self, task, handle))
        return handle

    @property
    def thread_count(self) -> int:
        return int(self._pool.maxThreadCount())

    @property
    def busy(self) -> bool:
        return bool(self._handles)

    def shutdown(self, msecs: int = 30000) -> None:
        """Cancel what is running, wait for it, and close every thread's session."""
        self._stopped = True
        for handle in list(self._handles):
            handle.cancel()
        self._pool.waitForDone(msecs)
        with self._lock:
            sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            try:
                session.close()
            except Exception:  # closing from another thread: sqlite may refuse; harmless
                log.debug("closing a worker session failed", exc_info=True)
