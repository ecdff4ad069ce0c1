"""The index folder as whoosh reads it, with segment files memory-mapped and not copied
(``MappedStorage``); and whoosh's cross-process folder lock.

What this module relies on, by whoosh module:

``whoosh.filedb`` (``structfile``, ``compound``, ``filestore``)
  - ``FileStorage.open_file`` (its result's ``file``) and ``supports_mmap``,
    ``StructFile`` (``__init__``, ``subset``, ``_name``), ``BufferFile`` (its attributes
    ``_buf``, ``_name``, ``file``, ``onclose``, ``is_real``, ``is_closed``, read through
    ``_buf``) and ``SubFile(parent, offset, length, name)``: ``MappedStorage``.
``whoosh.util.filelock``
  - ``FileLock`` and ``try_for``: the index folder's cross-process lock (not documented
    API), passed on as they are.
"""

from __future__ import annotations

import contextlib
import mmap
import os
from typing import Any

from whoosh.filedb.compound import SubFile
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.util.filelock import FileLock, try_for

__all__ = ["FileLock", "MappedStorage", "try_for"]


class _View(BufferFile):  # type: ignore[misc]
    """A part of a mapped file: random access by slicing the map, sequential reads by a
    cursor over it (whoosh's ``SubFile``). Unlike ``BufferFile``, no ``BytesIO`` copy."""

    def __init__(self, mapped: mmap.mmap, offset: int, length: int, name: str | None) -> None:
        self._buf = memoryview(mapped)[offset : offset + length]
        self._name = name
        self.file = SubFile(mapped, offset, length, name=name)
        self.onclose = None
        self.is_real = False
        self.is_closed = False

    def close(self) -> None:
        if not self.is_closed:
            self._buf.release()
        self.is_closed = True


class _MappedFile(StructFile):  # type: ignore[misc]
    """A whole segment file, mapped; its parts (``subset``) are views of the map. The file
    itself is closed at once (the map keeps what it needs), as whoosh's mmap does."""

    def __init__(self, fileobj: Any, name: str) -> None:
        with fileobj:
            mapped = mmap.mmap(fileobj.fileno(), 0, access=mmap.ACCESS_READ)
        super().__init__(mapped, name=name)  # an mmap reads and seeks like a file
        self._mapped = mapped

    def subset(self, offset: int, length: int, name: str | None = None) -> _View:
        return _View(self._mapped, offset, length, name or self._name)

    def close(self) -> None:
        self.is_closed = True
        # A view may still be held somewhere; the map then goes when it does.
        with contextlib.suppress(BufferError):
            self._mapped.close()


class MappedStorage(FileStorage):  # type: ignore[misc]
    """The index folder as whoosh reads it, with segment files memory-mapped and not copied.

    whoosh's own memory-mapped reading (``FileStorage(supports_mmap=True)``) hands each
    file inside a segment to ``BufferFile``, which wraps it in a ``BytesIO``: a copy of the
    whole file in the process's memory. A searcher over a 100,000-article index then held
    the index twice, 790 MB before its first query. Without mmap, every read is a seek and
    a read call: lookups in the word list (fuzzy words walk it) took three times as long.
    Here a segment file is mapped once and its parts are views of the map: reads are slices
    of memory, as with whoosh's mmap, and nothing is copied until a part is read.
    """

    def __init__(self, path: str) -> None:
        # supports_mmap=False makes whoosh ask a file for its parts (``subset``) instead
        # of mapping it itself, which is where the copy happens.
        super().__init__(path, supports_mmap=False)

    def open_file(self, name: str, **kwargs: Any) -> Any:
        opened = super().open_file(name, **kwargs)
        if not name.endswith(".seg") or os.fstat(opened.file.fileno()).st_size == 0:
            return opened
        return _MappedFile(opened.file, name)
