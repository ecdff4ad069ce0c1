"""The frequent-word postings kept beside each index segment: the same documents and
frequencies as whoosh's postings, every word of a field in order, and folders that are
missing, cut short, tampered with or left over found by ``check`` and set right."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reviewapp.search import postings
from reviewapp.search.index import SearchIndex

UID = "library-under-test"
COMMON = ["patients", "response", "toxicity", "survival"]


def _documents() -> list[dict[str, Any]]:
    drugs = ["tarlatamab", "alemtuzumab", "sotorasib", "olaparib"]
    return [
        {
            "id": 100 + n,
            "title": f"Cohort {n} of {drugs[n % 4]}",
            "abstract": " ".join(COMMON[: 1 + n % 4] * (1 + n % 3)) + f" {drugs[n % 4]}",
            "findings": [],
        }
        for n in range(40)
    ]


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SearchIndex]:
    monkeypatch.setattr(postings, "FREQUENT", 10)  # words in 10 of the 40 documents
    built = SearchIndex(tmp_path / "library.index")
    built.rebuild(UID, 1, _documents(), 40)
    yield built
    built.close()


def _reader(index: SearchIndex) -> Any:
    [(leaf, _offset)] = index.searcher().leaf_searchers()
    return leaf.reader()


def _whoosh_postings(reader: Any, fieldname: str, btext: bytes) -> tuple[list[int], list[float]]:
    matcher = reader.postings(fieldname, btext)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def test_frequent_words_are_kept_as_whoosh_holds_them(index: SearchIndex) -> None:
    reader = _reader(index)
    kept = postings.load(index.directory, reader)
    assert kept is not None
    abstract_words = {btext for (field, btext) in kept.slices if field == "abstract"}
    expected = {
        btext
        for btext in reader.lexicon("abstract")
        if reader.doc_frequency("abstract", btext) >= postings.FREQUENT
    }
    assert abstract_words == expected
    assert {b"patient", b"respons", b"toxic", b"surviv"} <= expected  # stemmed
    for btext in expected:
        found = kept.get("abstract", btext)
        assert found is not None
        ids, weights = _whoosh_postings(reader, "abstract", btext)
        assert found[0].tolist() == ids
        assert found[1].tolist() == weights
    assert kept.get("abstract", b"nosuchword") is None


def test_frequent_words_positions_are_whoosh_s(index: SearchIndex) -> None:
    reader = _reader(index)
    kept = postings.load(index.directory, reader)
    assert kept is not None and kept.positions is not None
    docnums = np.arange(reader.doc_count_all(), dtype=np.int64)
    checked = 0
    for fieldname, btext in kept.slices:
        if fieldname not in ("title", "abstract"):
            continue
        matcher = reader.postings(fieldname, btext)
        expected: list[tuple[int, int]] = []
        while matcher.is_active():
            expected += [(matcher.id(), p) for p in matcher.value_as("positions")]
            matcher.next()
        found = kept.positions_in(fieldname, btext, docnums)
        assert found is not None
        assert list(zip(found[0].tolist(), found[1].tolist(), strict=True)) == expected
        checked += len(expected)
    assert checked > 100
    # Asked about some documents only, in the order given: places within that list.
    some = np.array([3, 7, 8, 30], dtype=np.int64)
    places, _positions = kept.positions_in("abstract", b"patient", some) or (None, None)
    assert places is not None and set(places.tolist()) == {0, 1, 2, 3}


def test_positions_that_differ_from_whoosh_are_found_by_a_thorough_check(
    index: SearchIndex,
) -> None:
    reader = _reader(index)
    path = index.directory / postings.FOLDER / postings.segment_name(reader) / "positions.bin"
    data = np.fromfile(path, dtype="<u2")  # abstracts' positions: 16 bits each
    (data + 1).astype("<u2").tofile(path)  # the same size: only a comparison shows it
    searcher = index.searcher()
    assert postings.problems(index.directory, searcher) == []
    [problem] = postings.verify(index.directory, searcher)
    assert "differ from the index" in problem


def test_a_folder_written_before_positions_were_kept_is_still_used(index: SearchIndex) -> None:
    reader = _reader(index)
    folder = index.directory / postings.FOLDER / postings.segment_name(reader)
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "positions.bin").unlink()
    del meta["sizes"]["positions.bin"], meta["positions"], meta["position_bytes"]
    meta["format"] = 5
    (folder / "meta.json").write_text(json.dumps(meta))
    terms = json.loads((folder / "terms.json").read_text())
    for entries in terms.values():  # each word's place in the positions, kept no more
        entries[:] = [entry[:5] for entry in entries]
    (folder / "terms.json").write_text(json.dumps(terms))
    meta["sizes"]["terms.json"] = (folder / "terms.json").stat().st_size
    (folder / "meta.json").write_text(json.dumps(meta))
    kept = postings.load(index.directory, reader)
    assert kept is not None and kept.positions is None
    assert kept.positions_in("abstract", b"patient", np.arange(4, dtype=np.int64)) is None
    assert postings.problems(index.directory, index.searcher()) == []
    # Phrases are then checked in whoosh's postings.
    found = {hit.article_id for hit in index.search('"toxicity survival"', 50)}
    assert found == {100 + n for n in range(40) if n % 4 == 3}
    # Kept as it is, until asked to bring it up to date (`reviewapp optimize`).
    assert postings.write_missing(index.directory, index.searcher()) == 0
    assert postings.write_missing(index.directory, index.searcher(), upgrade=True) == 1
    upgraded = postings.load(index.directory, reader)
    assert upgraded is not None and upgraded.positions is not None


def test_a_long_text_keeps_its_far_positions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postings, "FREQUENT", 1)
    # A full text of some 70,000 words: positions past 16 bits, kept in 32.
    body = "alpha beta " * 35_000 + "gamma delta epsilon"
    long_text = {"id": 1, "title": "Long", "abstract": "Short", "full_text": body, "findings": []}
    other = {"id": 2, "title": "Other", "abstract": "delta gamma", "findings": []}
    built = SearchIndex(tmp_path / "library.index")
    try:
        built.rebuild(UID, 1, [long_text, other], 2)
        reader = _reader(built)
        kept = postings.load(built.directory, reader)
        assert kept is not None and kept.positions is not None
        assert kept.positions.dtype == np.dtype("<u4")
        found = kept.positions_in("body", b"epsilon", np.array([0], dtype=np.int64))
        assert found is not None and found[1].tolist() == [70_002]
        assert [hit.article_id for hit in built.search('"gamma delta"')] == [1]
        assert [hit.article_id for hit in built.search('"delta gamma"')] == [2]
    finally:
        built.close()


def test_each_document_maps_to_its_article(index: SearchIndex) -> None:
    reader = _reader(index)
    kept = postings.load(index.directory, reader)
    assert kept is not None and kept.docids is not None
    stored = [int(fields["id"]) for _docnum, fields in reader.iter_docs()]
    assert kept.docids.tolist() == stored
    assert sorted(stored) == list(range(100, 140))


def test_every_word_of_a_scored_field_is_listed_in_order(index: SearchIndex) -> None:
    reader = _reader(index)
    kept = postings.load(index.directory, reader)
    assert kept is not None
    for fieldname in ("title", "abstract"):
        listed = kept.words(fieldname)
        assert listed == [b.decode() for b in reader.lexicon(fieldname)]
    assert kept.words("id") is None  # not a scored field


def test_a_sound_index_has_no_problems(index: SearchIndex) -> None:
    searcher = index.searcher()
    assert postings.problems(index.directory, searcher) == []
    assert postings.verify(index.directory, searcher) == []


def test_a_missing_folder_is_found_and_written_again(index: SearchIndex) -> None:
    reader = _reader(index)
    folder = index.directory / postings.FOLDER / postings.segment_name(reader)
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    searcher = index.searcher()
    assert postings.load(index.directory, reader) is None
    assert postings.problems(index.directory, searcher) == [
        "1 index segments lack their frequent-word postings"
    ]
    assert postings.write_missing(index.directory, searcher) == 1
    assert postings.problems(index.directory, searcher) == []
    assert postings.load(index.directory, reader) is not None


def test_a_file_cut_short_is_not_used(index: SearchIndex) -> None:
    reader = _reader(index)
    ids = index.directory / postings.FOLDER / postings.segment_name(reader) / "ids.npy"
    ids.write_bytes(ids.read_bytes()[:-8])
    assert postings.load(index.directory, reader) is None
    assert postings.problems(index.directory, index.searcher())
    assert postings.write_missing(index.directory, index.searcher()) == 1
    assert postings.load(index.directory, reader) is not None


def test_postings_that_differ_from_whoosh_are_found_by_a_thorough_check(
    index: SearchIndex,
) -> None:
    reader = _reader(index)
    path = index.directory / postings.FOLDER / postings.segment_name(reader) / "weights.npy"
    weights = np.load(path)
    weights[:] = weights + 1  # the same size: only a comparison with whoosh shows it
    np.save(path, weights)
    searcher = index.searcher()
    assert postings.problems(index.directory, searcher) == []
    [problem] = postings.verify(index.directory, searcher)
    assert "differ from the index" in problem


def test_a_folder_of_no_segment_is_reported_and_dropped(index: SearchIndex) -> None:
    stale = index.directory / postings.FOLDER / "segment-merged-away"
    stale.mkdir()
    (stale / "meta.json").write_text("{}", encoding="utf-8")
    searcher = index.searcher()
    assert postings.problems(index.directory, searcher) == [
        "1 frequent-word postings belong to no index segment"
    ]
    assert postings.write_missing(index.directory, searcher) == 0
    assert not stale.exists()
    assert postings.problems(index.directory, searcher) == []


def test_a_segment_whose_documents_were_all_replaced_before_its_files_were_written(
    index: SearchIndex,
) -> None:
    # Seen in the crash trials: an import killed after whoosh's commit and before these
    # files were written; the next command indexed the same articles again, deleting every
    # document of that segment. whoosh's postings reader then skipped past all of them when
    # made, the segment read as having no postings, and its files were never written.
    reader = _reader(index)
    old = postings.segment_name(reader)
    folder = index.directory / postings.FOLDER / old
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    index.apply(UID, 2, _documents(), [], expected=40)  # the same 40 again
    searcher = index.searcher()
    names = [postings.segment_name(leaf.reader()) for leaf, _ in searcher.leaf_searchers()]
    assert old in names  # still there, every document deleted
    assert postings.problems(index.directory, searcher) == []
    assert postings.verify(index.directory, searcher) == []
    [gone] = [leaf.reader() for leaf, _ in searcher.leaf_searchers() if not leaf.doc_count()]
    kept = postings.load(index.directory, gone)
    assert kept is not None
    ids, _weights = kept.get("abstract", b"patient") or (None, None)
    assert ids is not None and len(ids) == 40  # every posting, deleted documents included
    hits = index.search("tarlatamab", limit=50)
    assert sorted(hit.article_id for hit in hits) == [100 + n for n in range(0, 40, 4)]
