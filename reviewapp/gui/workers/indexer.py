"""Index work in a separate process.

whoosh commits spend long stretches in C (sorting and pickling postings) while holding the
interpreter lock; in a thread of the window's process that froze drawing for 100–200 ms at
a time during an import. In a child process it cannot. The process starts on first use and
is reused; the index's own cross-process lock keeps it in step with everything else.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from reviewapp.services.library import IndexAction, catch_up_index, ensure_index_at


class IndexProcess:
    def __init__(self, library_path: Path) -> None:
        self.library_path = str(library_path)
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # "spawn": a forked copy of a process running Qt threads is not safe.
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(max_workers=1, mp_context=context)
        return self._executor

    def catch_up(self) -> int:
        """Blocks the calling (worker) thread, not the GUI, until the index has caught up."""
        return self._pool().submit(catch_up_index, self.library_path).result()

    def ensure(self) -> IndexAction:
        return self._pool().submit(ensure_index_at, self.library_path).result()

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
