"""The library session: the store and its index kept in step. A large backlog of changes is
taken into the index in parts, each its own commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.core.models import Article
from reviewapp.services import library as library_service
from reviewapp.services.importing import import_paths
from reviewapp.services.library import (
    IndexAction,
    IndexCoverage,
    IndexMerge,
    LibrarySession,
    ServiceError,
    catch_up_index,
    check_library,
    ensure_index_at,
)
from reviewapp.store import open_library
from tests.segmented import split_index


def _ris_export(folder: Path, titles: list[str]) -> Path:
    export = folder / "export.ris"
    records = (f"TY  - JOUR\nTI  - {title}\nPY  - 2020\nER  - \n" for title in titles)
    export.write_text("".join(records), encoding="utf-8")
    return export


def test_a_backlog_is_indexed_in_parts_with_progress(
    session: LibrarySession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_service, "INDEX_CHUNK", 7)
    export = _ris_export(
        tmp_path, [f"Capecitabine maintenance study {n} in colorectal cancer" for n in range(20)]
    )
    [report] = import_paths(session, [export], catch_up=lambda: None)  # the index waits
    assert report.imported == 20
    assert session.index_status().health.value != "ok"
    seen: list[tuple[int, int]] = []
    assert session.sync_index(progress=lambda done, total: seen.append((done, total))) == 20
    assert seen == [(7, 20), (14, 20), (20, 20)]
    assert session.index_status(thorough=True).health.value == "ok"
    assert len(session.search_ids("capecitabine")[0]) == 20
    assert session.library.pending_changes(0) == 0  # compacted as it went


def test_coverage_is_partial_while_changes_wait_or_articles_are_missing() -> None:
    assert not IndexCoverage(indexed=3, total=3, behind=0).partial
    assert IndexCoverage(indexed=3, total=3, behind=1).partial  # an article changed
    assert IndexCoverage(indexed=0, total=3, behind=0).partial  # the index is being rebuilt


def test_a_library_that_is_not_there_is_not_made_when_create_is_off(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite"
    with pytest.raises(ServiceError):
        LibrarySession.open(missing, create=False)
    assert not missing.exists()


def test_another_process_catches_the_index_up_by_the_librarys_path(
    library_path: Path, articles_dir: Path
) -> None:
    with LibrarySession.open(library_path) as session:
        import_paths(session, [articles_dir], catch_up=lambda: None)  # the index waits
        assert session.index_coverage() == IndexCoverage(indexed=0, total=3, behind=3)
    assert catch_up_index(str(library_path)) == 3
    assert ensure_index_at(str(library_path)) is IndexAction.CURRENT
    with LibrarySession.open(library_path, sync_index=False) as session:
        assert session.index_coverage() == IndexCoverage(indexed=3, total=3, behind=0)
        report = check_library(session)
        assert report.ok and (report.articles, report.findings) == (3, 0)


def test_check_names_an_index_that_lags_behind_the_store(library_path: Path) -> None:
    with LibrarySession.open(library_path) as session:
        lib = open_library(library_path)  # another program writes the store alone
        try:
            lib.articles.insert(Article(title="Ivonescimab versus pembrolizumab in NSCLC"))
        finally:
            lib.close()
        report = check_library(session)
        assert not report.ok
        assert report.articles == 1 and report.message


def test_merging_the_index_stops_when_told_and_otherwise_merges_what_is_due(
    library_path: Path, tmp_path: Path
) -> None:
    export = _ris_export(
        tmp_path, [f"Trastuzumab deruxtecan cohort {n} in HER2-low breast cancer" for n in range(7)]
    )
    with LibrarySession.open(library_path) as session:
        import_paths(session, [export])
    before = split_index(library_path)
    assert before > 4
    with LibrarySession.open(library_path, sync_index=False) as session:
        asked = 0

        def stopped() -> bool:  # partway through the first step
            nonlocal asked
            asked += 1
            return asked > 2

        assert session.merge_index(stopped) == IndexMerge(before, before, stopped=True)
        steps: list[int] = []
        merge = session.merge_index(on_step=steps.append)
        assert merge == IndexMerge(before, before - sum(steps) + len(steps))
        assert steps and merge.after <= 4
        assert check_library(session).ok
