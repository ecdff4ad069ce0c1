"""Opening a library never touches its file except through SQLite.

Closing any other descriptor on the file would drop the POSIX locks this process's SQLite
connections hold (SQLite's own warning), and a second process writing meanwhile could
corrupt the library. This happened: the window opened a session per worker thread while
its index process wrote.
"""

from __future__ import annotations

import builtins
import io
import os
from pathlib import Path
from typing import Any

import pytest

from reviewapp.store import LibraryError, open_library


def test_open_library_never_opens_the_file_with_python_io(
    library_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_library(library_path).close()  # create it first
    touched: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).startswith(str(library_path)):
            touched.append(str(file))
        return real_open(file, *args, **kwargs)

    def guarded_os_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).startswith(str(library_path)):
            touched.append(str(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    first = open_library(library_path)
    second = open_library(library_path)  # a second connection in the same process
    first.articles.count()
    second.close()
    first.close()
    assert touched == []


def test_a_file_that_is_not_sqlite_is_refused_by_sqlite_itself(tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("these are my notes, not a database\n" * 10, encoding="utf-8")
    with pytest.raises(LibraryError, match="not an SQLite file"):
        open_library(notes)
    assert notes.read_text(encoding="utf-8").startswith("these are my notes")
