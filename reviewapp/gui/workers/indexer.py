"""Index work in a separate process.

whoosh commits spend long stretches in C (sorting and pickling postings) while holding the
interpreter lock; in a thread of the window's process that froze drawing for 100–200 ms at
a time during an import. In a child process it cannot. The process starts on first use and
is reused; the index's own cross-process lock keeps it in step with everything else.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from reviewapp.services import process
from reviewapp.services.library import IndexAction, catch_up_index, ensure_index_at

log = logging.getLogger(__name__)


class IndexProcess:
    def __init__(self, library_path: Path, viewer_uid: str | None = None) -> None:
        self.library_path = str(library_path)
        self.viewer_uid = viewer_uid  # whose view the library shows (see view_as)
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._running: Future[int] | None = None
        self._again = False
        self._closing = False

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # "spawn": a forked copy of a process running Qt threads is not safe.
            context = multiprocessing.get_context("spawn")
            # It ends with the window however the window ends (a SIGKILL included).
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=context, initializer=process.end_with_parent
            )
        return self._executor

    def warm(self) -> None:
        """Start the index process now (it imports whoosh and numpy: about a second), so
        that the first catch-up after an import does not wait for it."""
        with self._lock:
            if not self._closing:
                self._pool().submit(os.getpid)

    def request_catch_up(self) -> None:
        """Start a catch-up without waiting for it (an import goes on storing meanwhile).

        One runs at a time: it takes changes until there are none left, and a request that
        comes while it runs starts one more after it, for what came in at its very end.
        """
        with self._lock:
            if self._closing:
                return
            if self._running is not None and not self._running.done():
                self._again = True
                return
            self._again = False
            try:
                running = self._pool().submit(catch_up_index, self.library_path, self.viewer_uid)
            except BrokenProcessPool:  # the index process died (out of memory, killed)
                self._executor = None
                running = self._pool().submit(catch_up_index, self.library_path, self.viewer_uid)
            self._running = running
        running.add_done_callback(self._after_catch_up)

    def _after_catch_up(self, finished: Future[int]) -> None:
        if not finished.cancelled() and finished.exception() is not None:
            log.warning("the search index will catch up later (%s)", finished.exception())
        with self._lock:
            again = self._again and not self._closing
        if again:
            self.request_catch_up()

    def busy(self) -> bool:
        """Whether a requested catch-up is running or due."""
        with self._lock:
            return self._again or (self._running is not None and not self._running.done())

    def ensure(self) -> IndexAction:
        return self._pool().submit(ensure_index_at, self.library_path, self.viewer_uid).result()

    def shutdown(self) -> None:
        """Stop the index process at once, even in the middle of a catch-up: the window
        closes without waiting for it. The index is derived; a catch-up cut short leaves
        its recorded state as it was, and the next one takes the same changes again."""
        with self._lock:
            self._closing, self._again = True, False
            executor, self._executor = self._executor, None
        if executor is not None:
            for process in list(getattr(executor, "_processes", {}).values()):
                process.terminate()
            executor.shutdown(wait=True, cancel_futures=True)
