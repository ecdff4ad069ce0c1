"""One way to run work off the GUI thread: ``run_task(fn, on_done, on_error)``.

The task function gets plain data and calls services; it never touches widgets. Results
come back to the GUI thread through a queued signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the GUI, never lost in a thread
            log.exception("background task failed")
            self.relay.failed.emit(exc)
        else:
            self.relay.finished.emit(result)


class TaskRunner(QObject):
    """Owns the thread pool; keeps each task's relay alive until it reports."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()

    def run_task(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)

        def done(result: Any) -> None:
            self._relays.discard(relay)
            on_done(result)

        def failed(exc: Any) -> None:
            self._relays.discard(relay)
            if on_error is not None:
                on_error(exc)

        relay.finished.connect(done)
        relay.failed.connect(failed)
        self.pool.start(_Task(fn, relay))

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for running tasks (on quit)."""
        return bool(self.pool.waitForDone(msecs))
