"""Segment files are read through a map of the file, in place: the same bytes whoosh's
own reading gives, without a copy of each file in memory."""

from __future__ import annotations

import io
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from reviewapp.search.index import SearchIndex
from reviewapp.search.whoosh_internals.storage import MappedStorage, _MappedFile, _View


def _index(tmp_path: Path) -> SearchIndex:
    index = SearchIndex(tmp_path / "index")
    docs = [
        {"id": n, "title": f"Olaparib maintenance study {n}", "abstract": "ovarian " * n}
        for n in range(1, 60)
    ]
    index.rebuild("uid", 1, docs, len(docs))
    return index


def test_segment_parts_are_views_of_the_map_with_the_files_bytes(tmp_path: Path) -> None:
    index = _index(tmp_path)
    index.close()
    (segment,) = [p for p in index.directory.iterdir() if p.suffix == ".seg"]
    raw = segment.read_bytes()
    mapped = MappedStorage(str(index.directory)).open_file(segment.name)
    assert isinstance(mapped, _MappedFile)
    part = mapped.subset(100, 400)
    assert isinstance(part, _View)
    assert not isinstance(part.file, io.BytesIO)
    assert part.get(10, 50) == raw[110:160]
    part.seek(20)
    assert part.read(30) == raw[120:150]
    assert part.tell() == 50
    part.close()
    mapped.close()


def test_searches_through_the_map_equal_whooshs_own_reading(tmp_path: Path) -> None:
    index = _index(tmp_path)
    query = index.parse("ovarian")
    ours = [(int(h["id"]), h.score) for h in index.searcher().search(query, limit=100)]
    whoosh_ix = FileStorage(str(index.directory)).open_index()
    with whoosh_ix.searcher() as searcher:
        theirs = [(int(h["id"]), h.score) for h in searcher.search(query, limit=100)]
    assert ours == theirs
    assert len(ours) == 59
    index.close()
