"""The migration runner: in order, each step in its own transaction with its version."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from reviewapp.store import migrations, open_library
from reviewapp.store.migrations import LATEST_VERSION, Migration, migrate, schema_version


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    database = sqlite_utils.Database(sqlite3.connect(tmp_path / "plain.sqlite"))
    yield database
    database.close()


def _creates(table: str, log: list[str]) -> Migration:
    def step(db: sqlite_utils.Database) -> None:
        log.append(table)
        db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")

    return step


def test_migrations_run_in_order_and_record_each_version(db: sqlite_utils.Database) -> None:
    log: list[str] = []
    steps = [(1, _creates("one", log)), (2, _creates("two", log)), (5, _creates("five", log))]
    assert migrate(db, steps) == 5
    assert log == ["one", "two", "five"]
    assert schema_version(db) == 5
    assert {"one", "two", "five"} <= set(db.table_names())
    assert not db.conn.in_transaction


def test_only_missing_migrations_run(db: sqlite_utils.Database) -> None:
    log: list[str] = []
    migrate(db, [(1, _creates("one", log))])
    assert migrate(db, [(1, _creates("one", log)), (2, _creates("two", log))]) == 2
    assert log == ["one", "two"]
    assert migrate(db, [(1, _creates("one", log)), (2, _creates("two", log))]) == 2
    assert log == ["one", "two"]


def test_failing_migration_rolls_back_and_keeps_the_last_good_version(
    db: sqlite_utils.Database,
) -> None:
    log: list[str] = []

    def half_done(database: sqlite_utils.Database) -> None:
        database.execute("CREATE TABLE three (id INTEGER PRIMARY KEY)")
        database.execute("INSERT INTO one (id) VALUES (42)")
        raise RuntimeError("migration 3 failed midway")

    steps = [
        (1, _creates("one", log)),
        (2, _creates("two", log)),
        (3, half_done),
        (4, _creates("four", log)),
    ]
    with pytest.raises(RuntimeError, match="midway"):
        migrate(db, steps)
    assert schema_version(db) == 2
    tables = set(db.table_names())
    assert {"one", "two"} <= tables
    assert "three" not in tables
    assert "four" not in tables
    assert db.execute("SELECT COUNT(*) FROM one").fetchone()[0] == 0
    assert log == ["one", "two"]
    assert not db.conn.in_transaction

    # Once fixed, the run resumes from the last good version.
    fixed = [*steps[:2], (3, _creates("three", log)), (4, _creates("four", log))]
    assert migrate(db, fixed) == 4
    assert log == ["one", "two", "three", "four"]


def test_reopening_a_library_does_not_rerun_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    wrapped: list[tuple[int, Migration]] = []
    for version, step in migrations.MIGRATIONS:

        def counted(
            database: sqlite_utils.Database, step: Migration = step, version: int = version
        ) -> None:
            calls.append(version)
            step(database)

        wrapped.append((version, counted))
    monkeypatch.setattr(migrations, "MIGRATIONS", wrapped)

    path = tmp_path / "library.sqlite"
    open_library(path).close()
    assert calls == [version for version, _ in wrapped]
    first = list(calls)
    lib = open_library(path)
    try:
        assert calls == first
        assert schema_version(lib.db) == LATEST_VERSION
    finally:
        lib.close()


def test_version_3_fills_title_blocks_for_existing_articles_without_logging_changes(
    db: sqlite_utils.Database,
) -> None:
    migrate(db, migrations.MIGRATIONS[:2])
    for n, (title, year) in enumerate(
        [("Ostrelimab with carboplatin in extensive-stage small cell lung cancer", 2024),
         ("Undated news piece about tarlatamab", None)], start=1
    ):  # fmt: skip
        db.execute(
            "INSERT INTO articles (uid, title, title_key, year, imported_at, updated_at) "
            "VALUES (?, ?, lower(?), ?, '', '')",
            [f"uid-{n}", title, title, year],
        )
    db.execute("DELETE FROM changes")
    assert migrate(db) == LATEST_VERSION
    blocks = db.execute(
        "SELECT article_id, year, block FROM title_blocks ORDER BY block"
    ).fetchall()
    assert blocks == [(1, 2024, "<car ext ost"), (1, 2024, ">age mab tin")]
    assert db.execute("SELECT COUNT(*) FROM changes").fetchone()[0] == 0


def test_version_4_copies_each_articles_folded_title_into_its_blocks(
    db: sqlite_utils.Database,
) -> None:
    migrate(db, migrations.MIGRATIONS[:3])
    db.execute(
        "INSERT INTO articles (uid, title, title_key, year, imported_at, updated_at) "
        "VALUES ('uid-1', 'Ostrelimab in small cell lung cancer', "
        "'ostrelimab in small cell lung cancer', 2024, '', '')"
    )
    db.execute("INSERT INTO title_blocks(article_id, year, block) VALUES (1, 2024, '<can ost sma')")
    assert migrate(db) == LATEST_VERSION
    assert db.execute("SELECT block, title_key FROM title_blocks").fetchall() == [
        ("<can ost sma", "ostrelimab in small cell lung cancer")
    ]
    plan = " ".join(
        str(row)
        for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT DISTINCT article_id, title_key FROM title_blocks "
            "WHERE year = 2024 AND block IN ('a', 'b')"
        )
    )
    assert "COVERING INDEX title_blocks_lookup" in plan


def test_version_5_lists_article_ids_in_order_from_an_index(db: sqlite_utils.Database) -> None:
    assert migrate(db) == LATEST_VERSION
    plan = " ".join(
        str(row) for row in db.execute("EXPLAIN QUERY PLAN SELECT id FROM articles ORDER BY id")
    )
    assert "COVERING INDEX articles_id_order" in plan
