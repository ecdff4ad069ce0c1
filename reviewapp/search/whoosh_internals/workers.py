"""whoosh's multi-process writer with its workers forked whatever the process's start
method (``forked_writer``), workers that write whole segments (``bulk_writer``), and their
stopping on failure (``stop_workers``).

What this module relies on, by whoosh module:

``whoosh.multiproc``
  - ``MpWriter`` (its ``__init__``, which calls ``whoosh.writing.SegmentWriter.__init__``,
    and ``_new_task`` copied, ``_enqueue``, the attributes
    ``tasks``, ``jobqueue``, ``resultqueue``, ``docbuffer``, ``_grouping``, ``_added_sub``,
    the job queue's size ``procs * 4``) and ``SubWriterTask`` (a ``multiprocessing.Process``
    taking ``storage, indexname, jobqueue, resultqueue, kwargs, multisegment``): the
    two-process writer with its workers forked whatever the process's start method
    (``forked_writer``), and stopped on failure (``stop_workers``). ``bulk_writer``'s
    workers read whoosh's job files as ``SubWriterTask._process_file`` does (pickled
    ``(0, fields)`` pairs in the writer's temporary storage ``<indexname>.tmp``) and its
    commit follows ``MpWriter._commit`` (``_merge_segments``, ``_finalize_segment``,
    ``_close_segment``, ``_commit_toc``, ``_finish``, ``_added``), with any number of
    segments from each worker.
``whoosh.writing``
  - ``SegmentWriter.__init__``, called as ``MpWriter.__init__`` calls it.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing
import os
import pickle
import queue
import signal
from collections.abc import Callable
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

# -- the two-process writer ----------------------------------------------------------------


@functools.cache
def _forked_task() -> type:
    """whoosh's worker process, started by fork whatever the process's start method: the
    fork context's ``Process`` first, so that its way of starting comes first."""
    fork = multiprocessing.get_context("fork")

    class ForkedSubWriterTask(fork.Process, SubWriterTask):  # type: ignore[misc,name-defined]
        def run(self) -> None:
            _die_with_parent()
            SubWriterTask.run(self)

    return ForkedSubWriterTask


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent() -> None:
    """In a forked writer worker: be killed when the process that forked it ends, however
    it ends (else a worker of a killed import waits for work for good). The workers are
    forked from the writing thread, which lives as long as its process (the terminal's
    main thread, the index process's task thread): the parent-death signal fires when
    that thread ends. Linux only, as the forked writer is."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # gone before the signal was asked
        os._exit(1)


class _ForkingMpWriter(MpWriter):  # type: ignore[misc]
    """whoosh's ``MpWriter`` with workers and queues of the fork context (whoosh's own take
    the global start method's: "spawn" in a spawned process, "forkserver" by default from
    Python 3.14, and its workers cannot be pickled for either). Both workers start with the
    first batch, before the job queue's feeder thread does: each fork is then made from a
    process with one thread."""

    def __init__(
        self,
        ix: Any,
        procs: int,
        batchsize: int = 100,
        subargs: dict[str, Any] | None = None,
        multisegment: bool = False,
        **kwargs: Any,
    ) -> None:
        # MpWriter.__init__, with the fork context's queues (check_whoosh_internals
        # compares it with whoosh's).
        SegmentWriter.__init__(self, ix, **kwargs)
        fork = multiprocessing.get_context("fork")
        self.procs = procs
        self.batchsize = batchsize
        self.subargs = subargs if subargs else kwargs
        self.multisegment = multisegment
        self.tasks: list[Any] = []
        self.jobqueue = fork.Queue(self.procs * 4)
        self.resultqueue = fork.Queue()
        self.docbuffer: list[Any] = []
        self._grouping = 0
        self._added_sub = False

    def _new_task(self) -> Any:
        task = _forked_task()(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        while len(self.tasks) < self.procs:
            self._new_task()
        super()._enqueue()


def forked_writer(ix: Any, **options: Any) -> Any:
    """whoosh's multi-process writer on ``ix`` (``procs``, ``multisegment``, ``limitmb``
    and the other writer options as for ``ix.writer``), its workers forked."""
    return _ForkingMpWriter(ix, **options)


def stop_workers(writer: Any) -> None:
    """End a multi-process writer's workers (whoosh's own cancel leaves them waiting for work
    that never comes, and the process then cannot exit)."""
    for task in getattr(writer, "tasks", ()):
        if task.is_alive():
            task.terminate()
        task.join(5)


# -- workers that write whole segments -----------------------------------------------------

# A forked worker's builder of segments: given each document (whoosh's keyword arguments
# of add_document), then asked for the segments it wrote.
SegmentBuilder = Any
MakeBuilder = Callable[[Any, str, Any], SegmentBuilder]


@functools.cache
def _bulk_task() -> type:
    """A worker process of ``bulk_writer``, forked: it takes whoosh's job files (pickled
    documents, as ``MpWriter._enqueue`` writes them) as ``SubWriterTask._process_file``
    does, hands each document to its own builder of whole segments instead of a
    ``SegmentWriter``, and puts the list of segments it wrote on the result queue."""
    fork = multiprocessing.get_context("fork")

    class BulkTask(fork.Process):  # type: ignore[misc,name-defined]
        def __init__(
            self,
            storage: Any,
            indexname: str,
            schema: Any,
            jobqueue: Any,
            resultqueue: Any,
            make_builder: MakeBuilder,
        ) -> None:
            super().__init__()
            self.storage = storage
            self.indexname = indexname
            self.schema = schema
            self.jobqueue = jobqueue
            self.resultqueue = resultqueue
            self.make_builder = make_builder

        def run(self) -> None:
            _die_with_parent()
            builder = self.make_builder(self.storage, self.indexname, self.schema)
            temp = self.storage.temp_storage(f"{self.indexname}.tmp")
            try:
                while (job := self.jobqueue.get()) is not None:
                    filename, count = job
                    with temp.open_file(filename).raw_file() as jobfile:
                        for _ in range(count):
                            _code, fields = pickle.load(jobfile)
                            builder.add_document(fields)
                    temp.delete_file(filename)
                segments = builder.finish()
            except BaseException:
                builder.cancel()
                raise
            self.resultqueue.put(segments, timeout=30)

    return BulkTask


class _BulkMpWriter(_ForkingMpWriter):
    """``_ForkingMpWriter`` whose workers write whole segments (``SegmentFiles``, through
    the builder ``make_builder`` makes in each worker), each worker one segment or more;
    the commit adds them to the table of contents as ``MpWriter._commit`` does with
    ``multisegment`` (whose code this follows), without merging the new segments."""

    def __init__(self, ix: Any, make_builder: MakeBuilder, **options: Any) -> None:
        super().__init__(ix, **options)
        self._make_builder = make_builder
        self.sent = 0  # documents handed to the workers
        self.lost: int | None = None  # of those, not in their segments (after the commit)

    def _enqueue(self) -> None:
        self.sent += len(self.docbuffer)
        super()._enqueue()

    def _new_task(self) -> Any:
        task = _bulk_task()(
            self.storage,
            self.indexname,
            self.schema,
            self.jobqueue,
            self.resultqueue,
            self._make_builder,
        )
        self.tasks.append(task)
        task.start()
        return task

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        if self.docbuffer:
            self._enqueue()
        for _task in self.tasks:
            self.jobqueue.put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        written = self._worker_segments()
        self.lost = self.sent - sum(segment.doc_count_all() for segment in written)
        finalsegments += written
        if self._added:  # segments merged into this writer
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()

    def _worker_segments(self) -> list[Any]:
        """The segments the workers wrote: taken off the queue before the workers are
        joined (a worker exits only once what it put is read). A worker that died
        gives none: its documents are missing, which the callers check."""
        found: list[Any] = []
        waiting = len(self.tasks)
        while waiting:
            try:
                found += self.resultqueue.get(timeout=0.5)
                waiting -= 1
            except queue.Empty:
                if not any(task.is_alive() for task in self.tasks):
                    with contextlib.suppress(queue.Empty):
                        while waiting:
                            found += self.resultqueue.get(timeout=1)
                            waiting -= 1
                    break
        for task in self.tasks:
            task.join()
        return found


def documents_lost(writer: Any) -> int | None:
    """See ``bulk.documents_lost``: known for ``bulk_writer``'s writers only."""
    return writer.lost if isinstance(writer, _BulkMpWriter) else None


def bulk_writer(ix: Any, make_builder: MakeBuilder, **options: Any) -> Any:
    """A multi-process writer on ``ix`` (``procs`` and the other options as for
    ``forked_writer``) whose forked workers write whole segments with the builders
    ``make_builder(storage, indexname, schema)`` makes (see ``SegmentFiles``)."""
    return _BulkMpWriter(ix, make_builder, **options)
