"""Indexing a large batch with two processes.

whoosh indexes about 300 abstracts a second in one process; its multi-process writer, each
worker writing its own segment (``multisegment``), indexes a 10,000-record export about three
times faster on two cores (benchmarks/import_formats.py). Its workers are started with
the default ``multiprocessing`` method, which must be "fork" for them (they are not
picklable for "spawn" or "forkserver", the default from Python 3.14), and forking is only
safe in a process with a single thread: the window's index process and the terminal
commands are; anything else indexes in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Batches at least this large are indexed with two processes where that is safe.
BULK_DOCS = 1000
_WORKER_MB = 128


@contextmanager
def bulk_writer_options(documents: int) -> Iterator[dict[str, Any]]:
    """whoosh writer options for a batch of ``documents``; "fork" is the start method while
    the ``with`` block runs (workers start with the writer and finish at its commit)."""
    if (
        documents < BULK_DOCS
        or sys.platform != "linux"
        or (os.cpu_count() or 1) < 2
        or threading.active_count() != 1
    ):
        yield {}
        return
    previous = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method("fork", force=True)
    try:
        yield {"procs": 2, "multisegment": True, "limitmb": _WORKER_MB}
    finally:
        multiprocessing.set_start_method(previous, force=True)


def stop_workers(writer: Any) -> None:
    """End a multi-process writer's workers (whoosh's own cancel leaves them waiting for work
    that never comes, and the process then cannot exit)."""
    for task in getattr(writer, "tasks", ()):
        if task.is_alive():
            task.terminate()
        task.join(5)
