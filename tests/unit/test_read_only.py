"""A library on a read-only medium opens read-only instead of failing: it is read, searched
and exported, every change is refused with what to do, and nothing is written beside it."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from reviewapp.cli import main
from reviewapp.services.findings import create_finding
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession
from tests.media import read_only_medium


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def library(tmp_path: Path, articles_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REVIEWAPP_REVIEWER", "Ana Ruiz")
    path = tmp_path / "made" / "library.sqlite"
    with LibrarySession.open(path) as session:
        import_paths(session, [articles_dir])
        rows = session.library.articles.list_rows(session.library.articles.ids())
        [article] = [row for row in rows if "Anti-CD52" in row.title]
        create_finding(session, article.id, "toxicity", "CMV viremia", {"event": "CMV viremia"})
    return path


def _run(capsys: pytest.CaptureFixture[str], library: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--library", str(library), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_library_on_a_read_only_medium_is_read_searched_and_exported_never_changed(
    tmp_path: Path, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with read_only_medium(tmp_path, library) as copy:
        before = _snapshot(copy.parent)
        code, out, err = _run(capsys, copy, "search", "alemtuzumab")
        assert code == 0, err
        assert "Anti-CD52" in out
        assert "is read-only" in err and "not changed" in err
        code, out, err = _run(capsys, copy, "findings", "--json")
        assert code == 0 and "CMV viremia" in out
        table = tmp_path / "table.csv"
        code, _out, err = _run(capsys, copy, "export", "--format", "csv", "--out", str(table))
        assert code == 0, err
        assert "CMV viremia" in table.read_text(encoding="utf-8")
        for args in (
            ("tag", "1", "--category", "toxicity", "--quote", "patients", "--field", "event=x"),
            ("import", str(tmp_path / "table.csv")),
            ("collection", "create", "CMV"),
            ("backup",),
        ):
            code, _out, err = _run(capsys, copy, *args)
            assert code == 1, args
            assert "read-only" in err, (args, err)
        code, out, err = _run(capsys, copy, "check")
        assert code == 0, out + err
        assert _snapshot(copy.parent) == before  # nothing written beside it
        assert not list(copy.parent.glob("*-wal")) and not list(copy.parent.glob("*.lock"))


def test_a_read_only_library_whose_index_is_missing_is_searched_from_one_built_elsewhere(
    tmp_path: Path, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(library.with_name("library.index"))
    library.with_name("library.index").mkdir()  # (copied as an empty folder)
    with read_only_medium(tmp_path, library) as copy:
        code, out, err = _run(capsys, copy, "search", "CMV")
        assert code == 0, err
        assert "Anti-CD52" in out
        assert not list((copy.parent / "library.index").iterdir())


def test_a_read_only_library_whose_log_holds_changes_it_cannot_read_is_refused_not_shown_stale(
    tmp_path: Path, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Copied while open (a write-ahead log holding committed changes, without its index
    # file): read as immutable it would silently show the library without them.
    writer = sqlite3.connect(library)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE articles SET title = 'Retitled while open' WHERE id = 1")
    writer.commit()
    wal = library.with_name(library.name + "-wal")
    assert wal.stat().st_size > 0
    taken = tmp_path / "taken"  # the library as copied while it was open, without -shm
    taken.mkdir()
    shutil.copy(library, taken / library.name)
    shutil.copy(wal, taken / wal.name)
    shutil.copytree(library.with_name("library.index"), taken / "library.index")
    writer.close()
    extra = {wal.name: taken / wal.name}
    with read_only_medium(tmp_path, taken / library.name, extra=extra) as copy:
        code, _out, err = _run(capsys, copy, "list")
        assert code == 1
        assert "with its -wal file" in err


def test_two_read_only_copies_of_one_library_are_each_searched_as_they_are(
    tmp_path: Path, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Copies share the library's uid; changed alike in size, they differ in content.
    copies = []
    for word in ("alphaword", "betaword"):
        folder = tmp_path / word
        folder.mkdir()
        shutil.copy(library, folder / library.name)
        shutil.copytree(library.with_name("library.index"), folder / "library.index")
        with contextlib.closing(sqlite3.connect(folder / library.name)) as db, db:
            db.execute("UPDATE articles SET title = title || ?", [f" {word}"])
        code, _out, err = _run(capsys, folder / library.name, "search", word)  # in step
        assert code == 0, err
        copies.append((folder, word))
    with contextlib.ExitStack() as media:
        for folder, word in copies:
            copy = media.enter_context(read_only_medium(folder, folder / library.name))
            other = "betaword" if word == "alphaword" else "alphaword"
            for query, found in ((word, True), (other, False)):
                code, out, err = _run(capsys, copy, "search", query, "--json")
                assert code == 0, err
                assert (json.loads(out) != []) is found, (copy, query)
