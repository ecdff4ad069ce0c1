"""Indexing a large batch with two processes.

whoosh indexes about 300 abstracts a second in one process. Here two forked workers take
the batch's documents as whoosh's multi-process writer hands them out (job files of 100),
and each writes whole segments of its own (``segments.SegmentBuilder``: analysis with what
repeats kept, postings grouped in memory, written a block at a time through whoosh's codec
writers, the frequent-word arrays with them) instead of running whoosh's writer, which
sorts every posting through a pool and writes it one at a time. The commit adds the
workers' segments to the index as they are, merging no older segment meanwhile. Where the
schema asks for what whole segments do not write (term vectors, spelling), whoosh's own
writer runs in each worker instead (``multisegment``).

The workers cannot be pickled, so they must be forked (not spawned, nor started by a fork
server, the default from Python 3.14): the writer asks for the fork context itself
(``whoosh_internals.forked_writer``, ``bulk_writer``) and leaves the process's start method
alone. Forking is only safe in a process with a single thread: the window's index process
and the terminal commands are; anything else indexes in one process, as does any process
where whoosh's internals are not as expected.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from reviewapp.search import whoosh_internals
from reviewapp.search.segments import SegmentBuilder

# Threads that hold no lock a fork could copy held (they sleep and read the parent's pid;
# they ask the system to read files ahead): a process running them still forks its
# writers (services.process.end_with_parent, index.SearchIndex.warm).
PARENT_WATCH_THREAD = "reviewapp-parent-watch"
WARM_INDEX_THREAD = "reviewapp-warm-index"
FORK_SAFE_THREADS = frozenset({PARENT_WATCH_THREAD, WARM_INDEX_THREAD})
# Batches at least this large are indexed with two processes where that is safe.
BULK_DOCS = 1000
_WORKER_MB = 128


def bulk_writer_options(documents: int) -> dict[str, Any]:
    """whoosh writer options for a batch of ``documents`` (for ``open_writer``): two
    forked workers where that is safe and worth it, else none (one process)."""
    if (
        documents < BULK_DOCS
        or sys.platform != "linux"
        or (os.cpu_count() or 1) < 2
        or any(
            t.name not in FORK_SAFE_THREADS
            for t in threading.enumerate()
            if t is not threading.current_thread()
        )
        or whoosh_internals.changed_internals()
    ):
        return {}
    return {"procs": 2, "multisegment": True, "limitmb": _WORKER_MB}


def open_writer(ix: Any, **options: Any) -> Any:
    """A writer on the whoosh index ``ix``: with ``procs`` above 1 (see
    ``bulk_writer_options``), a multi-process writer with forked workers (they start with
    the first batch and finish at its commit), each writing whole segments
    (``segments.SegmentBuilder``) where the schema allows, else whoosh's own writer's."""
    if options.get("procs", 1) > 1:
        if whoosh_internals.whole_segments_possible(ix.schema):
            return whoosh_internals.bulk_writer(ix, SegmentBuilder, **options)
        return whoosh_internals.forked_writer(ix, **options)
    return ix.writer(**options)


def documents_lost(writer: Any) -> int | None:
    """How many of the documents a committed writer was given its workers did not write
    (whoosh ignores a worker that died); None where the writer cannot tell."""
    return whoosh_internals.documents_lost(writer)


def stop_workers(writer: Any) -> None:
    """End a multi-process writer's workers (whoosh's own cancel leaves them waiting for work
    that never comes, and the process then cannot exit)."""
    whoosh_internals.stop_workers(writer)
