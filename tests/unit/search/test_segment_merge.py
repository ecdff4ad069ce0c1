"""Merging segments (``search/segment_merge.py``) writes the segment whoosh's own merge writes
for them, file for file; stops leaving the index as it was; and merges the smallest
segments first, a bounded step at a time."""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index

from reviewapp.search import postings, segment_merge, whoosh_internals
from reviewapp.search.index import SearchIndex, _write_state
from reviewapp.search.schema import build_schema
from tests.unit.search.test_segments import (
    _documents,
    _frequent_files,
    _read_whole,
    _results,
    _segment_files,
)

# whoosh's merge writes each document's stored fields in the order of a set of field names
# (it differs from run to run); what they hold is compared through _read_whole.
_STORED = "_stored.col"


def _segmented(folder: Path, seed: int, parts: int = 5, per_part: int = 20) -> list[int]:
    """An index written by whoosh in ``parts`` commits, none merged, each after the first
    replacing a few earlier documents and deleting one (deleted documents in older
    segments); returns the segments' sizes."""
    documents = _documents(parts * per_part, seed)
    rng = random.Random(seed)
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    for part in range(parts):
        writer = ix.writer()
        for document in documents[part * per_part : (part + 1) * per_part]:
            writer.add_document(**document)
        if part:
            for document in rng.sample(documents[: part * per_part], 4):
                writer.update_document(**document)
            writer.delete_by_term("id", documents[rng.randrange(part * per_part)]["id"])
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        postings.write_missing(folder, searcher)
        sizes = [reader.doc_count_all() for reader, _ in searcher.reader().leaf_readers()]
    ix.close()
    return sizes


def _merged_by_whoosh(folder: Path) -> None:
    ix = whoosh_index.open_dir(str(folder))
    ix.writer().commit(optimize=True)
    with ix.searcher() as searcher:
        postings.write_missing(folder, searcher)
    ix.close()


def _merged_here(folder: Path, whole: bool = True) -> int:
    index = SearchIndex(folder)
    try:
        return index.merge_step(whole=whole)
    finally:
        index.close()


def _segment_count(folder: Path) -> int:
    index = SearchIndex(folder)
    try:
        return len(index.segment_sizes())
    finally:
        index.close()


def _without_stored(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if not name.endswith(_STORED)}


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_a_merged_segment_is_the_one_whooshs_own_merge_writes(tmp_path: Path, seed: int) -> None:
    sizes = _segmented(tmp_path / "many", seed)
    assert len(sizes) == 5
    shutil.copytree(tmp_path / "many", tmp_path / "whoosh")
    shutil.copytree(tmp_path / "many", tmp_path / "here")
    _merged_by_whoosh(tmp_path / "whoosh")
    assert _merged_here(tmp_path / "here") == 5
    assert _segment_count(tmp_path / "here") == 1
    here, whoosh = _segment_files(tmp_path / "here"), _segment_files(tmp_path / "whoosh")
    assert _without_stored(here) == _without_stored(whoosh)
    assert _read_whole(tmp_path / "here") == _read_whole(tmp_path / "whoosh")
    assert _frequent_files(tmp_path / "here") == _frequent_files(tmp_path / "whoosh")
    assert _results(tmp_path / "here") == _results(tmp_path / "whoosh")
    index = SearchIndex(tmp_path / "here")
    try:
        searcher = index.searcher()
        assert postings.problems(index.directory, searcher) == []
        assert postings.verify(index.directory, searcher) == []
    finally:
        index.close()


def test_whole_postings_read_what_whooshs_posting_reader_reads(tmp_path: Path) -> None:
    _segmented(tmp_path / "index", seed=3)
    ix = whoosh_index.open_dir(str(tmp_path / "index"))
    with ix.reader() as multi:
        for reader, _base in multi.leaf_readers():
            fields = sorted(reader.indexed_field_names())
            for fieldname in fields:
                words = list(whoosh_internals.field_words(reader, fieldname))
                assert [btext for btext, _o, _l in words] == list(reader.lexicon(fieldname))
                for btext, offset, length in words:
                    read = whoosh_internals.whole_postings(reader, fieldname, offset, length)
                    assert read == whoosh_internals.postings_one_by_one(reader, fieldname, btext)
    ix.close()


def test_a_stopped_merge_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    _segmented(folder, seed=5)
    before = _results(folder)
    toc = _names(folder)
    asked = 0

    def stopped() -> bool:
        nonlocal asked
        asked += 1
        return asked > 3  # partway through the words

    index = SearchIndex(folder)
    try:
        with pytest.raises(segment_merge.MergeStopped):
            index.merge_step(stopped, whole=True)
    finally:
        index.close()
    assert _segment_count(folder) == 5
    # The merged segment's files are gone (whoosh's writer leaves its own, empty, for its
    # next commit to remove).
    assert not any(name.endswith(".seg") for name in set(_names(folder)) - set(toc))
    assert _results(folder) == before
    assert _merged_here(folder) == 5  # and it merges another time
    segment_files = [n for n in _names(folder) if n.startswith("MAIN_") and n != "MAIN_WRITELOCK"]
    assert len(segment_files) == 1 and segment_files[0].endswith(".seg")  # nothing left behind


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_background_merges_the_smallest_segments_a_bounded_step_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "index"
    sizes = _segmented(folder, seed=9, parts=7)
    monkeypatch.setattr(segment_merge, "STEP_DOCS", 50)
    steps = []
    while merged := _merged_here(folder, whole=False):
        steps.append(merged)
    assert steps and _segment_count(folder) <= segment_merge.TARGET_SEGMENTS
    assert sum(steps) - len(steps) == len(sizes) - _segment_count(folder)


@pytest.mark.parametrize(
    ("sizes", "chosen"),
    [
        ([10, 10, 10, 10], []),  # no more than the target
        ([5000, 20000, 3000, 25000, 4000], [0, 2, 4]),  # the smallest that fit in a step
        ([40000, 40000, 40000, 40000, 40000], []),  # no two fit in a step
        ([1, 2, 3, 4, 40000], [0, 1, 2, 3]),
    ],
)
def test_a_step_takes_the_smallest_segments_that_fit(sizes: list[int], chosen: list[int]) -> None:
    assert segment_merge.plan(sizes) == chosen


def test_optimize_takes_every_segment() -> None:
    assert segment_merge.plan([40000, 40000, 40000, 40000, 40000], whole=True) == [0, 1, 2, 3, 4]
    assert segment_merge.plan([7], whole=True) == []


def test_a_merge_gives_way_to_anyone_waiting_for_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    _segmented(folder, seed=11)
    merging, waiting = SearchIndex(folder), SearchIndex(folder, lock_timeout=20)
    got_in: list[float] = []

    def wait_for_the_lock() -> None:
        with waiting.exclusive():
            got_in.append(time.monotonic())

    waiter = threading.Thread(target=wait_for_the_lock)

    def stopped() -> bool:  # asked first as the merge starts: someone comes to wait then
        if not waiter.is_alive() and not got_in:
            waiter.start()
            deadline = time.monotonic() + 5
            while not merging.someone_waiting() and time.monotonic() < deadline:
                time.sleep(0.01)
        return False

    started = time.monotonic()
    try:
        with pytest.raises(segment_merge.MergeStopped):
            merging.merge_step(stopped, whole=True)
        waiter.join(timeout=10)
    finally:
        merging.close()
        waiting.close()
    assert got_in and got_in[0] - started < 5
    assert not merging.someone_waiting()
    assert _segment_count(folder) == 5


def test_searchers_opened_while_a_merge_ends_reopen_once_it_has(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "index"
    sizes = _segmented(folder, seed=13)
    _write_state(folder, "library", 1, sum(sizes))  # as a catch-up leaves it
    reading, merging = SearchIndex(folder), SearchIndex(folder)
    opened: list[Any] = []
    complete = merging.complete

    def complete_after_a_search() -> int:
        opened.append(reading.searcher())  # between the commit and the frequent-word files
        return complete()

    monkeypatch.setattr(merging, "complete", complete_after_a_search)
    try:
        assert merging.merge_step(whole=True) == 5
        assert opened and reading.searcher() is not opened[0]
    finally:
        reading.close()
        merging.close()


def test_a_waiting_mark_left_by_a_waiter_that_died_does_not_stop_merges(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    _segmented(folder, seed=17)
    mark = folder.with_name(folder.name + ".waiting")
    mark.touch()
    index = SearchIndex(folder)
    try:
        assert index.someone_waiting()
        long_ago = time.time() - 60
        os.utime(mark, (long_ago, long_ago))
        assert not index.someone_waiting()
        assert index.merge_step(whole=True) == 5
    finally:
        index.close()


def test_a_merge_under_way_gives_way_to_someone_who_comes_to_wait(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    _segmented(folder, seed=19)
    merging, waiting = SearchIndex(folder), SearchIndex(folder, lock_timeout=20)
    got_in: list[bool] = []
    waiter = threading.Thread(target=lambda: got_in.append(_enter(waiting)))
    asked = 0

    def stopped() -> bool:  # the second look is within the merge: someone comes then
        nonlocal asked
        asked += 1
        if asked == 2:
            waiter.start()
            deadline = time.monotonic() + 5
            while not merging.someone_waiting() and time.monotonic() < deadline:
                time.sleep(0.01)
        return False

    try:
        with pytest.raises(segment_merge.MergeStopped):
            merging.merge_step(stopped, whole=True)
        waiter.join(timeout=10)
    finally:
        merging.close()
        waiting.close()
    assert asked >= 2 and got_in == [True]
    assert _segment_count(folder) == 5


def _enter(index: SearchIndex) -> bool:
    with index.exclusive():
        return True
