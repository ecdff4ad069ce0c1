"""Consistent copies of a library file, through SQLite's online backup API (never a file
copy: a library in use has a write-ahead log whose pages a plain copy would miss or tear).

A backup is written to a temporary name, flushed to disk and renamed, so that no half
written copy ever sits under a backup's name."""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path


def backups_dir(library: Path) -> Path:
    """Where a library's automatic backups are kept: beside it."""
    return library.parent / f"{library.stem}.backups"


_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAMED = re.compile(r"-(\d{8}T\d{12}Z)-v(\d+)-([a-z-]+)\.sqlite$")


def backup_name(library: Path, version: int, reason: str, when: datetime | None = None) -> Path:
    """A new backup's path: the library's name, the time (UTC), the schema, the reason."""
    stamp = (when or datetime.now(UTC)).strftime(_STAMP)
    return backups_dir(library) / f"{library.stem}-{stamp}-v{version}-{reason}.sqlite"


def read_backup_name(path: Path) -> tuple[datetime, int, str] | None:
    """What ``backup_name`` put in a backup's name: its time, schema and reason."""
    named = _NAMED.search(path.name)
    if named is None:
        return None
    when = datetime.strptime(named.group(1), _STAMP).replace(tzinfo=UTC)
    return when, int(named.group(2)), named.group(3)


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the database ``source`` is connected to, written whole at
    ``target`` (made beside it under a temporary name, then renamed)."""
    if source.in_transaction:  # SQLite's backup would wait on its own write for good
        raise sqlite3.OperationalError("a backup cannot be made inside a write transaction")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            copy.close()
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException:
        for leftover in ("", "-wal", "-shm", "-journal"):
            Path(temporary + leftover).unlink(missing_ok=True)
        raise
