"""The derived index: missing, corrupt, stale, foreign or inconsistent, and repaired."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from reviewapp.core.models import Article
from reviewapp.search import postings
from reviewapp.search.index import STATE_FILE, Health, RebuildCancelled
from reviewapp.services.library import IndexAction, LibrarySession
from reviewapp.store import open_library


def test_a_new_library_has_an_ok_empty_index(session: LibrarySession) -> None:
    status = session.index_status(thorough=True)
    assert status.health is Health.OK
    assert status.doc_count == 0
    assert (session.library.index_dir / STATE_FILE).is_file()


def test_imported_library_is_ok_and_consistent(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    status = session.index_status(thorough=True)
    assert status.health is Health.OK
    assert status.doc_count == 3
    assert status.indexed_seq == session.library.last_change()
    assert session.index.indexed_ids() == set(fixture_ids.values())


def test_deleted_index_is_missing_and_rebuilt_on_open(
    session: LibrarySession, fixture_ids: dict[str, int], library_path: Path
) -> None:
    index_dir = session.library.index_dir
    session.close()
    shutil.rmtree(index_dir)
    with LibrarySession.open(library_path, sync_index=False) as unsynced:
        status = unsynced.index_status()
        assert status.health is Health.MISSING
        assert status.needs_rebuild
        assert "missing" in status.message
    progress: list[tuple[int, int]] = []
    with LibrarySession.open(
        library_path, progress=lambda done, total: progress.append((done, total))
    ) as reopened:
        assert reopened.index_status(thorough=True).health is Health.OK
        assert progress[-1] == (3, 3)
        assert [r.article_id for r in reopened.search("CMV viremia")] == [
            fixture_ids["alemtuzumab"]
        ]


def test_deleting_the_index_under_an_open_session_is_noticed_and_repaired(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    shutil.rmtree(session.library.index_dir)
    assert session.index_status().health is Health.MISSING
    assert session.ensure_index() is IndexAction.REBUILT
    assert session.index_status(thorough=True).health is Health.OK
    assert session.ensure_index() is IndexAction.CURRENT


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
def test_unreadable_state_file_is_corrupt_and_rebuilt(
    session: LibrarySession, fixture_ids: dict[str, int], content: str
) -> None:
    (session.library.index_dir / STATE_FILE).write_text(content, encoding="utf-8")
    status = session.index_status()
    assert status.health is Health.CORRUPT
    assert status.needs_rebuild
    assert session.ensure_index() is IndexAction.REBUILT
    assert session.index_status(thorough=True).health is Health.OK
    assert _ids(session, "ZG006") == [fixture_ids["alveltamig"]]


def test_damaged_index_files_are_corrupt(
    session: LibrarySession, fixture_ids: dict[str, int], library_path: Path
) -> None:
    index_dir = session.library.index_dir
    session.close()
    for path in index_dir.iterdir():
        if path.is_file() and path.name != STATE_FILE:
            path.unlink()
    with LibrarySession.open(library_path, sync_index=False) as unsynced:
        assert unsynced.index_status().health is Health.CORRUPT
    with LibrarySession.open(library_path) as reopened:
        assert reopened.index_status(thorough=True).health is Health.OK
        assert _ids(reopened, "ZG006") == [fixture_ids["alveltamig"]]


def test_index_of_another_library_is_foreign(
    session: LibrarySession, fixture_ids: dict[str, int], tmp_path: Path
) -> None:
    other_path = tmp_path / "other.sqlite"
    with LibrarySession.open(other_path) as other:
        other_index = other.library.index_dir
    index_dir = session.library.index_dir
    session.index.close()
    shutil.rmtree(index_dir)
    shutil.copytree(other_index, index_dir)
    assert session.index_status().health is Health.FOREIGN
    assert session.ensure_index() is IndexAction.REBUILT
    assert session.index_status(thorough=True).health is Health.OK


def test_index_from_another_schema_version_is_outdated(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    state_path = session.library.index_dir / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8"))
    state["schema"] = -1
    state_path.write_text(json.dumps(state), encoding="utf-8")
    assert session.index_status().health is Health.OUTDATED
    assert session.ensure_index() is IndexAction.REBUILT
    assert session.index_status().health is Health.OK


def _ids(session: LibrarySession, query: str) -> list[int]:
    return [result.article_id for result in session.search(query)]


def test_writes_through_another_connection_make_the_index_stale_then_caught_up(
    session: LibrarySession, fixture_ids: dict[str, int], library_path: Path
) -> None:
    other = open_library(library_path)
    try:
        new_id = other.articles.insert(
            Article(
                title="Zanubrutinib in Relapsed Mantle Cell Lymphoma",
                text="Quixotic responses to zanubrutinib were durable.",
            )
        )
    finally:
        other.close()
    status = session.index_status()
    assert status.health is Health.STALE
    assert not status.needs_rebuild
    assert "behind" in status.message
    assert session.sync_index() == 1
    assert session.index_status(thorough=True).health is Health.OK
    assert _ids(session, "zanubrutinib") == [new_id]
    assert _ids(session, "quixotic") == [new_id]


def test_ensure_index_catches_up_a_stale_index(
    session: LibrarySession, fixture_ids: dict[str, int], library_path: Path
) -> None:
    other = open_library(library_path)
    try:
        other.db.execute(
            "UPDATE articles SET title = 'Renamed by hand' WHERE id = ?", [fixture_ids["kras"]]
        )
        other.db.execute("DELETE FROM articles WHERE id = ?", [fixture_ids["alveltamig"]])
    finally:
        other.close()
    assert session.index_status().health is Health.STALE
    assert session.ensure_index() is IndexAction.CAUGHT_UP
    assert session.index_status(thorough=True).health is Health.OK
    assert _ids(session, "title:renamed") == [fixture_ids["kras"]]
    assert _ids(session, "ZG006") == []
    assert session.index.indexed_ids() == {fixture_ids["alemtuzumab"], fixture_ids["kras"]}


def test_an_old_index_restored_after_the_log_was_compacted_is_rebuilt(
    session: LibrarySession, fixture_ids: dict[str, int], tmp_path: Path
) -> None:
    index_dir = session.library.index_dir
    backup = tmp_path / "index-backup"
    session.index.close()
    shutil.copytree(index_dir, backup)
    with session.library.transaction():
        session.library.tags.add(fixture_ids["kras"], "late tag")
    session.sync_index()
    assert session.library.compacted_through() == session.library.last_change()
    session.index.close()
    shutil.rmtree(index_dir)
    shutil.copytree(backup, index_dir)
    status = session.index_status()
    assert status.health is Health.OUTDATED
    assert session.ensure_index() is IndexAction.REBUILT
    assert _ids(session, 'tag:"late tag"') == [fixture_ids["kras"]]


def test_thorough_check_detects_documents_that_differ_from_the_store(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    lib = session.library
    session.index.apply(
        lib.uid, lib.last_change(), [{"id": 9999, "title": "Ghost article"}], [fixture_ids["kras"]]
    )
    assert session.index_status().health is Health.OK
    status = session.index_status(thorough=True)
    assert status.health is Health.INCONSISTENT
    assert status.needs_rebuild
    assert "lacks 1" in status.message
    assert session.ensure_index() is IndexAction.CURRENT
    session.rebuild_index()
    assert session.index_status(thorough=True).health is Health.OK
    assert session.index.indexed_ids() == set(fixture_ids.values())


def test_a_count_mismatch_is_inconsistent_without_a_thorough_check(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    lib = session.library
    session.index.apply(lib.uid, lib.last_change(), [], [fixture_ids["kras"]])
    status = session.index_status()
    assert status.health is Health.INCONSISTENT
    assert session.ensure_index() is IndexAction.REBUILT
    assert session.index_status(thorough=True).health is Health.OK


def test_cancelled_rebuild_leaves_the_old_index_in_place(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    index_dir = session.library.index_dir
    before = sorted(path.name for path in index_dir.iterdir())
    asked: list[bool] = []

    def cancelled() -> bool:
        asked.append(True)
        return True

    with pytest.raises(RebuildCancelled):
        session.rebuild_index(cancelled=cancelled)
    assert asked
    assert sorted(path.name for path in index_dir.iterdir()) == before
    # No staging or old folders are left behind; the lock file beside the index stays.
    siblings = sorted(
        p.name for p in index_dir.parent.iterdir() if p.name.startswith(index_dir.name)
    )
    assert siblings == [index_dir.name, index_dir.name + ".lock"]
    assert session.index_status(thorough=True).health is Health.OK
    assert _ids(session, "CMV viremia") == [fixture_ids["alemtuzumab"]]


def test_rebuild_reports_progress_and_replaces_the_index(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    progress: list[tuple[int, int]] = []
    assert session.rebuild_index(progress=lambda done, total: progress.append((done, total))) == 3
    assert progress == [(3, 3)]
    assert session.index_status(thorough=True).health is Health.OK
    assert _ids(session, "CMV viremia") == [fixture_ids["alemtuzumab"]]


@pytest.fixture
def every_word_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every word's postings in the frequent-word arrays (three fixture articles hold
    no word 256 times)."""
    monkeypatch.setattr(postings, "FREQUENT", 1)


def _frequent_folders(session: LibrarySession) -> list[Path]:
    root = session.library.index_dir / postings.FOLDER
    return sorted(p for p in root.iterdir() if not p.name.startswith("."))


def test_missing_frequent_word_arrays_are_stale_and_written_by_the_catch_up(
    every_word_kept: None, session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    folders = _frequent_folders(session)
    assert folders
    before = _ids(session, "ZG006")
    for folder in folders:
        shutil.rmtree(folder)
    status = session.index_status()
    assert status.health is Health.STALE
    assert "lack their frequent-word postings" in status.message
    assert _ids(session, "ZG006") == before  # searched from whoosh meanwhile
    assert session.ensure_index() is IndexAction.CAUGHT_UP
    assert session.index_status(thorough=True).health is Health.OK
    assert [p.name for p in _frequent_folders(session)] == [p.name for p in folders]


def test_a_cut_short_array_file_is_noticed_and_written_again(
    every_word_kept: None, session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    ids_file = _frequent_folders(session)[0] / "ids.npy"
    ids_file.write_bytes(ids_file.read_bytes()[:-4])
    assert session.index_status().health is Health.STALE
    assert _ids(session, "ZG006") == [fixture_ids["alveltamig"]]
    session.sync_index()
    assert session.index_status(thorough=True).health is Health.OK


def test_arrays_of_segments_merged_away_are_dropped(
    every_word_kept: None, session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    for number in range(12):  # small commits: whoosh merges small segments as it goes
        session.library.articles.insert(
            Article(title=f"Merged segment probe {number}", text=f"Probe text {number}")
        )
        session.sync_index()
    searcher = session.index.searcher()
    segments = {postings.segment_name(sub.reader()) for sub, _ in searcher.leaf_searchers()}
    assert {p.name for p in _frequent_folders(session)} == segments
    assert session.index_status(thorough=True).health is Health.OK


def _reverse_ids(folder: Path) -> None:
    np.save(folder / "ids.npy", np.load(folder / "ids.npy")[::-1].copy())


def _shift_blocks(folder: Path) -> None:
    blocks = np.load(folder / "blocks.npy")
    blocks[:, 0] += 1  # every block one byte off: a phrase check would read garbage
    np.save(folder / "blocks.npy", blocks)


def _reverse_words(folder: Path) -> None:
    words = folder / "words-abstract.json"
    words.write_text(json.dumps(json.loads(words.read_text(encoding="utf-8"))[::-1]), "utf-8")


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (_reverse_ids, "postings of segment"),
        (_shift_blocks, "postings of segment"),
        (_reverse_words, "word list of segment"),
    ],
    ids=["ids", "blocks", "words"],
)
def test_thorough_check_finds_arrays_that_differ_from_the_index_and_reindex_mends_them(
    every_word_kept: None,
    session: LibrarySession,
    fixture_ids: dict[str, int],
    spoil: Callable[[Path], None],
    said: str,
) -> None:
    spoil(_frequent_folders(session)[0])  # same sizes, wrong contents
    assert session.index_status().health is Health.OK  # the quick check sees sizes only
    status = session.index_status(thorough=True)
    assert status.health is Health.INCONSISTENT
    assert said in status.message and "differ" in status.message
    session.rebuild_index()
    assert session.index_status(thorough=True).health is Health.OK
    assert _ids(session, "alemtuzumb~") == [fixture_ids["alemtuzumab"]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_segment_damaged_on_disk_is_rebuilt_by_the_next_command(
    every_word_kept: None,
    session: LibrarySession,
    fixture_ids: dict[str, int],
    library_path: Path,
    seed: int,
) -> None:
    import random

    index_dir = session.library.index_dir
    session.close()
    [segment] = index_dir.glob("*.seg")
    damaged = bytearray(segment.read_bytes())
    rng, size = random.Random(seed), len(damaged)
    damaged[size // 10 : size * 9 // 10] = rng.randbytes(size * 9 // 10 - size // 10)
    segment.write_bytes(damaged)
    for folder in (index_dir / postings.FOLDER).iterdir():
        shutil.rmtree(folder)  # written again from the damaged segment, or not at all
    with LibrarySession.open(library_path) as reopened:  # as the next command opens it
        assert reopened.index_status(thorough=True).health is Health.OK
        assert _ids(reopened, "ZG006") == [fixture_ids["alveltamig"]]
