"""Freed memory kept for the next query instead of handed back to the system.

A ranked query at 100,000 articles allocates and frees dozens of arrays of a few hundred
kilobytes. glibc gives blocks that large their own memory map, or trims the heap once
they are freed, so each query's arrays arrive as fresh pages: some 1,800 page faults a
synonym search, dear in a virtual machine (reading one term's postings took 1.0 ms with
them, 0.26 ms without). Raising the two thresholds keeps such blocks in the heap for
reuse. The process then holds on to its largest query's working set, a few tens of
megabytes.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import sys

log = logging.getLogger(__name__)

# mallopt parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's ceiling for it on 64-bit systems
_TRIM_THRESHOLD = 128 * 1024 * 1024


@functools.cache
def keep_freed_memory() -> None:
    """Tune this process's allocator, once (glibc only; elsewhere nothing is done)."""
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
