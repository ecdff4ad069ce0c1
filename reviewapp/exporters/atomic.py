"""Writing an export file whole or not at all: nobody ever opens half a table."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_text(
    path: Path, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[TextIO]:
    """A text file that becomes ``path`` when the ``with`` block ends without an error.

    It is written beside ``path`` under a temporary name, flushed to disk and renamed over
    ``path``; on any error it is removed, and a file already at ``path`` stays as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # A unique name, so two exports to one place never share a temporary file; opened with
    # "x" rather than made by mkstemp, so the export gets the usual permissions, not
    # owner-only ones. The name is cut short so a long export name still fits the folder.
    tmp = path.with_name(f".{path.name[:120]}.{uuid.uuid4().hex[:8]}.part")
    try:
        with tmp.open("x", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):  # never mask the error that got us here
            tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (see ``atomic_text``)."""
    with atomic_text(path, encoding) as handle:
        handle.write(text)
