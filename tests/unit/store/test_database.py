"""Opening library files: pragmas, refusal of foreign or newer files, transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.core.models import Article
from reviewapp.store import Library, LibraryError, open_library
from reviewapp.store.migrations import LATEST_VERSION


def _pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_new_library_is_created_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "library.sqlite"
    lib = open_library(path)
    try:
        assert path.is_file()
        assert lib.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert lib.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert lib.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert {"articles", "findings", "reviewers", "tags", "article_tags", "changes", "meta"} <= (
            set(lib.db.table_names())
        )
        assert len(lib.uid) == 36
        assert lib.index_dir == tmp_path / "sub" / "library.index"
    finally:
        lib.close()
    assert _pragma(path, "user_version") == LATEST_VERSION
    assert _pragma(path, "journal_mode") == "wal"


def test_reopening_keeps_the_library_identity_and_data(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    lib = open_library(path)
    uid = lib.uid
    lib.articles.insert(Article(title="Kept across sessions", text="body"))
    lib.close()
    again = open_library(path)
    try:
        assert again.uid == uid
        assert again.articles.count() == 1
        assert again.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        again.close()


def test_open_without_create_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="no library"):
        open_library(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()


def test_a_folder_is_not_a_library(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="folder"):
        open_library(tmp_path)


def test_a_text_file_is_not_a_library(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("These are my notes, not a database.\n", encoding="utf-8")
    with pytest.raises(LibraryError, match="not an SQLite file"):
        open_library(path)
    assert path.read_text(encoding="utf-8") == "These are my notes, not a database.\n"


def test_another_apps_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="not a reviewapp library"):
        open_library(path)
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert tables == ["recipes"]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_damaged_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16)
    with pytest.raises(LibraryError):
        open_library(path)


def test_a_library_from_a_newer_reviewapp_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    open_library(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="newer") as raised:
        open_library(path)
    assert str(LATEST_VERSION + 1) in str(raised.value)
    assert _pragma(path, "user_version") == LATEST_VERSION + 1


def test_an_empty_file_becomes_a_new_library(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    path.touch()
    lib = open_library(path)
    try:
        assert lib.articles.count() == 0
        assert lib.db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    finally:
        lib.close()


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    opened = open_library(tmp_path / "library.sqlite")
    yield opened
    opened.close()


def test_transaction_commits(lib: Library) -> None:
    with lib.transaction():
        lib.articles.insert(Article(title="Committed", text="x"))
    assert lib.articles.count() == 1
    assert not lib.db.conn.in_transaction


def test_transaction_rolls_back_on_exception(lib: Library) -> None:
    before = lib.last_change()
    with pytest.raises(RuntimeError, match="boom"), lib.transaction():
        lib.articles.insert(Article(title="Never stored", text="x"))
        lib.tags.ensure("never")
        raise RuntimeError("boom")
    assert lib.articles.count() == 0
    assert lib.tags.names() == []
    assert lib.last_change() == before
    assert not lib.db.conn.in_transaction


def test_nested_transaction_rolls_back_only_the_inner_part(lib: Library) -> None:
    with lib.transaction():
        lib.articles.insert(Article(title="Outer", text="x"))
        with pytest.raises(RuntimeError), lib.transaction():
            lib.articles.insert(Article(title="Inner", text="y"))
            raise RuntimeError("inner fails")
    titles = [row["title"] for row in lib.articles.summaries()]
    assert titles == ["Outer"]


def test_meta_values(lib: Library) -> None:
    assert lib.meta("absent") is None
    lib.set_meta("k", "1")
    lib.set_meta("k", "2")
    assert lib.meta("k") == "2"
