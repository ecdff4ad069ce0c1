"""Reading an index's files into memory ahead of its first searches (``SearchIndex.warm``):
the system is asked to read them in the background, so that a first query finds its pages
in memory, not on the disk."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from reviewapp.search.bulk import WARM_INDEX_THREAD


def read_ahead(paths: Iterable[Path]) -> None:
    """Ask the system to read these files into memory in the background (where it can be
    asked: POSIX); a first search then finds its pages there, not on the disk.

    Asked a window at a time: Linux reads ahead only the first 8 MB of a file asked for
    whole (at 100,000 articles the index's segment is some 360 MB: first-seen queries read
    the rest from the disk, 2-3 times slower than repeated ones)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # gone meanwhile (a merge), or unreadable: nothing to warm
        try:
            size = os.fstat(fd).st_size
            for offset in range(0, size, _READ_AHEAD_WINDOW):
                advise(fd, offset, _READ_AHEAD_WINDOW, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


# What one request to read ahead asks for (see read_ahead).
_READ_AHEAD_WINDOW = 8 << 20
# Index folders being read ahead (SearchIndex.warm).
_READING_AHEAD: set[Path] = set()
_READING_AHEAD_LOCK = threading.Lock()


def read_index_ahead(directory: Path) -> None:
    """Start reading an index's files ahead on a thread of its own (``WARM_INDEX_THREAD``):
    on a slow disk reading 600 MB ahead takes seconds, which a first query must not wait
    for (it reads what it needs meanwhile). One at a time for a folder (each of the
    window's reader threads warms its own session)."""
    with _READING_AHEAD_LOCK:
        if directory in _READING_AHEAD:
            return
        _READING_AHEAD.add(directory)
    threading.Thread(
        target=_read_folder_ahead, args=(directory,), name=WARM_INDEX_THREAD, daemon=True
    ).start()


def _read_folder_ahead(directory: Path) -> None:
    """Read an index's files ahead, the smallest first (word lists and arrays that every
    query reads); a file gone meanwhile (its segment merged away) is passed over."""
    try:
        sizes: list[tuple[int, Path]] = []
        for path in directory.rglob("*"):
            with contextlib.suppress(OSError):
                if path.is_file():
                    sizes.append((path.stat().st_size, path))
        read_ahead(path for _size, path in sorted(sizes))
    except OSError:
        pass  # the folder went meanwhile: nothing to warm
    finally:
        with _READING_AHEAD_LOCK:
            _READING_AHEAD.discard(directory)
