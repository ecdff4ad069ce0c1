"""Index work in a separate process.

whoosh commits spend long stretches in C (sorting and pickling postings) while holding the
interpreter lock; in a thread of the window's process that froze drawing for 100–200 ms at
a time during an import. In a child process it cannot. The process starts on first use and
is reused; the index's own cross-process lock keeps it in step with everything else.

Once the library has been quiet for ``MERGE_AFTER_S`` after a catch-up, the process merges
the index's small segments (``LibrarySession.merge_index``: an import leaves many, and each
query looks its words up in every one), a bounded step at a time; a catch-up asked for
meanwhile stops the merge at once (the step under way is dropped whole) and runs first.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from reviewapp.services.library import (
    IndexAction,
    IndexMerge,
    catch_up_index,
    ensure_index_at,
    index_process_started,
    merge_index_at,
)

log = logging.getLogger(__name__)

MERGE_AFTER_S = 20.0  # quiet after a catch-up before the index's segments are merged


class IndexProcess:
    def __init__(self, library_path: Path, viewer_uid: str | None = None) -> None:
        self.library_path = str(library_path)
        self.viewer_uid = viewer_uid  # whose view the library shows (see view_as)
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._running: Future[int] | None = None
        self._again = False
        self._closing = False
        # "spawn": a forked copy of a process running Qt threads is not safe.
        self._context = multiprocessing.get_context("spawn")
        self._catch_up_waiting = self._context.Event()  # a merge gives way when set
        self._merge_timer: threading.Timer | None = None
        self.merges = 0  # merges finished (for tests)

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # It ends with the window however the window ends (a SIGKILL included).
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=self._context,
                initializer=index_process_started,
                initargs=(self._catch_up_waiting,),
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
            self._catch_up_waiting.set()  # a merge under way stops
            self._forget_merge_timer()
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
        with self._lock:
            closing = self._closing
            again = self._again and not closing
        # (a catch-up stopped by the window's closing is not a failure worth a warning)
        if not finished.cancelled() and finished.exception() is not None and not closing:
            log.warning("the search index will catch up later (%s)", finished.exception())
        if again:
            self.request_catch_up()
        else:
            self.merge_later()

    # -- merging the index's segments when the library is quiet ------------------------------

    def merge_later(self, after: float | None = None) -> None:
        """Merge the index's small segments once the library has been quiet for ``after``
        seconds (``MERGE_AFTER_S``; a catch-up asked for meanwhile puts it off again)."""
        with self._lock:
            if self._closing:
                return
            self._forget_merge_timer()
            wait = MERGE_AFTER_S if after is None else after
            self._merge_timer = threading.Timer(wait, self._merge)
            self._merge_timer.daemon = True
            self._merge_timer.start()

    def _forget_merge_timer(self) -> None:
        if self._merge_timer is not None:
            self._merge_timer.cancel()
            self._merge_timer = None

    def _merge(self) -> None:
        with self._lock:
            self._merge_timer = None
            running = self._running is not None and not self._running.done()
            if self._closing or running or self._again or self._executor is None:
                return
            self._catch_up_waiting.clear()
            try:
                merging = self._executor.submit(merge_index_at, self.library_path, self.viewer_uid)
            except BrokenProcessPool:
                return  # the next catch-up starts a new process
        merging.add_done_callback(self._after_merge)

    def _after_merge(self, finished: Future[IndexMerge]) -> None:
        if finished.cancelled() or self._closing:
            return
        if finished.exception() is not None:
            log.warning("the search index's segments were not merged (%s)", finished.exception())
            return
        with self._lock:
            self.merges += 1
        if finished.result().stopped:  # it gave way to a write: try again, later
            self.merge_later(MERGE_AFTER_S * 3)

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
            self._forget_merge_timer()
            executor, self._executor = self._executor, None
        if executor is not None:
            for process in list(getattr(executor, "_processes", {}).values()):
                process.terminate()
            executor.shutdown(wait=True, cancel_futures=True)
