"""SearchIndex on its own, from plain documents (no library): built beside the old one and
swapped in, brought up to date, compared with the store's state, searched, and locked."""

from __future__ import annotations

import ctypes
import mmap
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh.util.filelock import FileLock

from reviewapp.search import warming
from reviewapp.search.index import Health, IndexBusy, RebuildCancelled, SearchIndex
from reviewapp.search.schema import document_digest, to_document
from reviewapp.search.warming import read_ahead

UID = "library-under-test"


def _doc(article_id: int, title: str, abstract: str = "", **more: Any) -> dict[str, Any]:
    return {"id": article_id, "title": title, "abstract": abstract, "findings": [], **more}


DOCS = [
    _doc(
        1,
        "Tarlatamab in relapsed small cell lung cancer",
        "DLL3 bispecific; ORR 40%.",
        authors=["Ahn MJ"],
        year=2023,
        dois=["10.1056/nejmoa2307980"],
    ),
    _doc(
        2,
        "Alemtuzumab with chemotherapy in adult ALL",
        "CMV viremia in 14/60 patients.",
        authors=["Luskin MR"],
        year=2025,
    ),
    _doc(
        3,
        "Sotorasib versus docetaxel in KRAS G12C NSCLC",
        "PFS HR 0.66.",
        authors=["de Langen AJ"],
        year=2023,
        tags=["journal club"],
    ),
]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    built = SearchIndex(tmp_path / "library.index", lock_timeout=0.2)
    assert built.rebuild(UID, 5, DOCS, len(DOCS)) == 3
    yield built
    built.close()


def test_a_built_index_matches_the_state_it_was_built_from(index: SearchIndex) -> None:
    assert index.recorded_state() == (5, 3)
    assert index.indexed_ids() == {1, 2, 3}
    assert index.indexed_digests() == {d["id"]: to_document(d)["digest"] for d in DOCS}
    status = index.status(UID, store_seq=5, store_count=3)
    assert status.health is Health.OK and not status.needs_rebuild
    digests = {d["id"]: document_digest(to_document(d)) for d in DOCS}
    assert index.status(UID, 5, 3, store_digests=digests).health is Health.OK


@pytest.mark.parametrize(
    ("library_uid", "store_seq", "store_count", "health"),
    [
        ("another-library", 5, 3, Health.FOREIGN),
        (UID, 7, 3, Health.STALE),  # the store changed since
        (UID, 4, 3, Health.OUTDATED),  # the index is ahead: a restored backup
        (UID, 5, 4, Health.INCONSISTENT),
    ],
)
def test_the_index_compared_with_the_stores_state(
    index: SearchIndex, library_uid: str, store_seq: int, store_count: int, health: Health
) -> None:
    status = index.status(library_uid, store_seq, store_count)
    assert status.health is health and status.message
    assert status.needs_rebuild is (health not in (Health.OK, Health.STALE))


def test_contents_that_differ_from_the_stores_are_inconsistent(index: SearchIndex) -> None:
    digests = {d["id"]: document_digest(to_document(d)) for d in DOCS}
    digests[2] = "0000000000000000"
    status = index.status(UID, 5, 3, store_digests=digests)
    assert status.health is Health.INCONSISTENT
    assert "1 out of date" in status.message


def test_a_folder_without_an_index_is_missing(tmp_path: Path) -> None:
    status = SearchIndex(tmp_path / "none.index").status(UID, 0, 0)
    assert status.health is Health.MISSING and status.needs_rebuild


def test_searches_rank_by_relevance_across_fields_and_aliases(index: SearchIndex) -> None:
    assert [h.article_id for h in index.search("tarlatamab")] == [1]
    assert index.search_ids("author:luskin", 10)[0] == [2]
    assert index.search_ids("au:langen", 10)[0] == [3]  # an alias of author
    assert index.search_ids('tag:"journal club"', 10)[0] == [3]
    assert sorted(index.search_ids("year:2023", 10)[0]) == [1, 3]
    assert index.search_ids("doi:10.1056/nejmoa2307980", 10)[0] == [1]
    [hit] = index.search("CMV viremia")
    assert hit.article_id == 2 and {"cmv", "viremia"} <= hit.terms


def test_an_unknown_field_is_named_with_the_known_ones(index: SearchIndex) -> None:
    with pytest.raises(ValueError, match=r"unknown field colour: \(fields: .*author"):
        index.parse("colour:red")


def test_changes_and_removals_are_applied_and_recorded(index: SearchIndex) -> None:
    changed = _doc(2, "Alemtuzumab in adult ALL: final analysis", "Letermovir prophylaxis.")
    assert index.apply(UID, 9, [changed], removed_ids=[3]) == 2
    assert index.recorded_state() == (9, 2)
    assert index.indexed_ids() == {1, 2}
    assert index.search_ids("letermovir", 10)[0] == [2]
    assert index.search_ids("sotorasib", 10)[0] == []
    assert index.status(UID, 9, 2).health is Health.OK


@pytest.mark.parametrize("expected", [0, 1000])
def test_an_article_is_replaced_in_whichever_segment_holds_it(
    index: SearchIndex, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # New articles are added without looking for them; one already indexed, in an older
    # segment than the last, is still replaced, not indexed twice: whether each is looked
    # up (a few) or every segment's ids are read first (a large batch, here in one process).
    monkeypatch.setattr("reviewapp.search.index.bulk_writer_options", lambda _count: {})
    assert index.apply(UID, 6, [_doc(4, "Blinatumomab consolidation", "MRD negativity.")], []) == 1
    assert index.apply(UID, 7, [_doc(5, "Inotuzumab ozogamicin", "Hepatic VOD.")], []) == 1
    assert len(index.segment_sizes()) >= 2
    batch = [
        _doc(1, "Tarlatamab: updated analysis", "Cytokine release syndrome in 51%."),
        _doc(4, "Blinatumomab consolidation, final report", "Overall survival benefit."),
        _doc(6, "Ponatinib in Ph-positive ALL", "Arterial occlusive events."),
    ]
    assert index.apply(UID, 8, batch, [], expected=expected) == 3
    assert index.indexed_ids() == {1, 2, 3, 4, 5, 6}
    assert index.search_ids("tarlatamab", 10)[0] == [1]
    assert index.search_ids("DLL3", 10)[0] == []  # the old text of article 1 is gone
    assert index.search_ids("blinatumomab", 10)[0] == [4]
    assert index.search_ids("MRD", 10)[0] == []
    assert index.search_ids("ponatinib", 10)[0] == [6]
    assert index.status(UID, 8, 6).health is Health.OK


def test_a_cancelled_rebuild_leaves_the_old_index(index: SearchIndex) -> None:
    with pytest.raises(RebuildCancelled):
        index.rebuild(UID, 6, [_doc(9, "Replacement")], 1, cancelled=lambda: True)
    assert index.recorded_state() == (5, 3)
    assert index.search_ids("tarlatamab", 10)[0] == [1]
    assert not list(index.directory.parent.glob("library.index.new-*"))


def test_a_writer_elsewhere_makes_the_index_busy(index: SearchIndex) -> None:
    held = FileLock(str(index.directory) + ".lock")  # as another process holds it
    assert held.acquire(blocking=False)
    try:
        with pytest.raises(IndexBusy, match="another reviewapp"):
            index.apply(UID, 6, [], removed_ids=[1])
    finally:
        held.release()
    assert index.recorded_state() == (5, 3)
    with index.exclusive(), index.exclusive():  # re-entrant for its own holder
        assert index.apply(UID, 6, [], removed_ids=[1]) == 1


def _resident_fraction(path: Path) -> float:
    """The share of a file's pages in the page cache (mincore over a map of it)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
    size = path.stat().st_size
    pages = (size + mmap.PAGESIZE - 1) // mmap.PAGESIZE
    vector = (ctypes.c_ubyte * pages)()
    with path.open("rb") as handle:
        mapped = mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_COPY)
        start = ctypes.c_char.from_buffer(mapped)
        failed = libc.mincore(ctypes.addressof(start), size, vector) != 0
        del start
        mapped.close()
    if failed:
        pytest.skip(f"mincore: {os.strerror(ctypes.get_errno())}")
    return sum(v & 1 for v in vector) / pages


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="POSIX only")
def test_reading_ahead_brings_a_whole_large_file_into_memory(tmp_path: Path) -> None:
    path = tmp_path / "segment.seg"
    with path.open("wb") as handle:
        handle.write(os.urandom(40 << 20))  # past the 8 MB the system reads ahead at once
        handle.flush()
        os.fsync(handle.fileno())
        os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    if _resident_fraction(path) > 0.5:
        pytest.skip("this system keeps the file's pages in memory whatever it is asked")
    read_ahead([path])
    deadline = time.monotonic() + 10
    while _resident_fraction(path) < 0.99 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _resident_fraction(path) >= 0.99


def test_warming_does_not_wait_for_the_disk(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow disk: reading the index ahead takes as long as this test lets it.
    asked: list[list[Path]] = []
    release = threading.Event()

    def slow_read_ahead(paths: list[Path]) -> None:
        asked.append(paths)
        release.wait(10)

    monkeypatch.setattr(warming, "read_ahead", lambda paths: slow_read_ahead(list(paths)))
    try:
        start = time.monotonic()
        index.warm()  # returns while the files are still being read
        assert time.monotonic() - start < 5  # the reading ahead takes 10 s here
        index.warm()  # a second session's warming reads nothing more meanwhile
        assert [hit.article_id for hit in index.search("tarlatamab")] == [1]  # and a search runs
        deadline = time.monotonic() + 5
        while not asked and time.monotonic() < deadline:
            time.sleep(0.01)
        [paths] = asked
        assert any(p.suffix == ".seg" for p in paths)
        sizes = [p.stat().st_size for p in paths]
        assert sizes == sorted(sizes)  # the small files every query reads come first
    finally:
        release.set()
