"""Process-wide switches, set by the program that owns the process, once, in its entry point.

The allocator, the interpreter's switch interval and the collector belong to the whole
process: a library class that changed them when constructed would change them for every
program that happens to build one. So library code never calls these; the entry points do,
each with the reason beside the call:

- the window (``gui/app.py``): ``keep_freed_memory`` (its reader threads rank searches),
  ``prefer_gui_responsiveness`` and ``freeze_startup_objects``;
- the terminal commands (``cli.main``): ``keep_freed_memory`` for ``search``, which ranks
  (``reviewapp search --stdin`` is the query server); ``collector_paused`` around the
  review figures (``agreement``, ``disagreements``), which make 100,000s of objects;
- the window's index process and the file reader's process need none of them, but end
  with their parent: ``end_with_parent`` (the index process's initializer).

The multiprocessing start method is not switched anywhere: each pool or process asks for
the context it needs (``multiprocessing.get_context``): "spawn" for the window's index
process and the file reader, "fork" for the two-process bulk writer (``search/bulk.py``).

This module sits in ``services`` so that the layers contract keeps ``search``, ``store``,
``importers`` and ``exporters`` from importing it; it imports nothing of Qt.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterator

from reviewapp.search.bulk import PARENT_WATCH_THREAD

log = logging.getLogger(__name__)

# mallopt parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's ceiling for it on 64-bit systems
_TRIM_THRESHOLD = 128 * 1024 * 1024
# The window's thread switch interval, in seconds (Python's default: 0.005).
GUI_SWITCH_INTERVAL = 0.001


@functools.cache
def keep_freed_memory() -> None:
    """Keep freed memory in the heap for the next query instead of handing it back to the
    system (glibc only; elsewhere nothing is done). For a process that ranks searches.

    A ranked query at 100,000 articles allocates and frees dozens of arrays of a few
    hundred kilobytes. glibc gives blocks that large their own memory map, or trims the
    heap once they are freed, so each query's arrays arrive as fresh pages: some 1,800
    page faults a synonym search, dear in a virtual machine (reading one term's postings
    took 1.0 ms with them, 0.26 ms without). Raising the two thresholds keeps such blocks
    in the heap for reuse. The process then holds on to its largest query's working set,
    a few tens of megabytes.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        # The process's own symbols, libc's among them (find_library would run ldconfig).
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # musl has no mallopt: its allocator is left alone
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    if not (
        mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD) and mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)
    ):
        log.info("the allocator's thresholds were not changed")


def prefer_gui_responsiveness() -> None:
    """Hand the interpreter lock over every millisecond rather than every 5: the GUI
    thread shares the interpreter with the worker threads, and then never waits long
    behind an import."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, then as it was. Reference counting
    still frees every object as it goes; only reference cycles wait for the block's end.
    For work that reads 100,000 findings into tuples and dictionaries (none of them in a
    cycle): the collector's passes over them are pure cost, and they grow with the heap (a
    third of a second of `reviewapp disagreements` at 100,000 findings)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def end_with_parent(interval: float = 0.5) -> None:
    """End this helper process as soon as the process that started it is gone, however
    that one ended (SIGKILL included), so that no helper outlives the program: a thread
    checks the parent's pid every ``interval`` seconds. (Linux's parent-death signal fires
    when the thread that started the child ends, not its process, and the window starts
    its helpers from worker threads that come and go; the check works everywhere.)"""
    started_by = multiprocessing.parent_process()
    parent = started_by.pid if started_by is not None else os.getppid()

    def watch() -> None:
        while True:
            if os.getppid() != parent:  # (gone already, even before this thread started)
                os._exit(0)  # nothing to finish: the work was the parent's
            time.sleep(interval)

    # A thread bulk indexing knows holds no lock: this process still forks its writers.
    threading.Thread(target=watch, name=PARENT_WATCH_THREAD, daemon=True).start()


def freeze_startup_objects() -> None:
    """Move every object alive now (the window, its models, the modules) out of the
    collector's view, so that its full passes do not walk them again and again (call once
    start-up is done)."""
    gc.freeze()


def configure_window_process() -> None:
    """The window's switches before it is built (``gui/app.py`` and the benchmarks that
    measure the window in their own process): its reader threads rank searches, and its
    GUI thread must not wait behind the workers."""
    keep_freed_memory()
    prefer_gui_responsiveness()
