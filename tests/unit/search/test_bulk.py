"""A large batch indexed with two processes ends complete and consistent with the store."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from reviewapp.search import bulk
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession


def _records(count: int) -> str:
    return "".join(
        f"TY  - JOUR\nTI  - Pegfilgrastim timing study number {n} in lymphoma\nPY  - 2022\n"
        f"DO  - 10.5555/bulk.{n}\nAB  - Febrile neutropenia occurred in {n} of 200 patients.\n"
        "ER  - \n"
        for n in range(1, count + 1)
    )


def test_a_large_batch_is_indexed_completely(
    session: LibrarySession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "BULK_DOCS", 20)
    path = tmp_path / "export.ris"
    path.write_text(_records(120), encoding="utf-8")
    single_threaded = threading.active_count() == 1
    [report] = import_paths(session, [path])
    assert report.imported == 120
    assert session.index_status(thorough=True).health.value == "ok"
    assert len(session.search_ids("neutropenia", limit=500)[0]) == 120
    assert [r.title for r in session.search('"number 77"')] == [
        "Pegfilgrastim timing study number 77 in lymphoma"
    ]
    if single_threaded:  # two workers, each writing its own segment
        segments = whoosh_index.open_dir(str(session.index.directory))._segments()
        assert len(segments) >= 2


def test_small_batches_and_threaded_processes_use_one_writer() -> None:
    with bulk.bulk_writer_options(bulk.BULK_DOCS - 1) as options:
        assert options == {}
    started = threading.Event()
    release = threading.Event()

    def wait() -> None:
        started.set()
        release.wait(5)

    worker = threading.Thread(target=wait)
    worker.start()
    try:
        started.wait(5)
        with bulk.bulk_writer_options(bulk.BULK_DOCS * 10) as options:
            assert options == {}  # forking beside another thread is not safe
    finally:
        release.set()
        worker.join()
