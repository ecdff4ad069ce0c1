"""The wall around whoosh's internals: the installed whoosh has every internal the wall
relies on, a changed internal is named, and an index whose whoosh changed keeps to whoosh's
own reading, searching and writing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import whoosh.system
from whoosh.codec import whoosh3
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import W3LeafMatcher

from reviewapp.search import bulk, whoosh_internals
from reviewapp.search.index import SearchIndex
from reviewapp.search.whoosh_internals import check_whoosh_internals, reading, tables

# Every internal these tests change is relied on by the wall's reading.py.
WALL = "reviewapp/search/whoosh_internals/reading.py relies on it to"
SEARCH_FILES = Path(bulk.__file__).parent


def _named(problems: list[str], start: str) -> bool:
    return any(p.startswith(start) and WALL in p for p in problems)


def test_the_installed_whoosh_has_every_internal_the_wall_relies_on(tmp_path: Path) -> None:
    assert check_whoosh_internals(tmp_path) == []
    assert whoosh_internals.changed_internals() == ()


def test_a_removed_method_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(W3LeafMatcher, "_goto")
    problems = check_whoosh_internals()
    assert _named(problems, "whoosh.codec.whoosh3.W3LeafMatcher has no attribute _goto: ")


def test_a_changed_constant_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(whoosh.system, "_INT_SIZE", 8)
    problems = check_whoosh_internals()
    assert problems == [
        f"whoosh.system._INT_SIZE gives 8, not 4: {WALL} reach a posting block from its "
        "offset in a phrase check (ranking.py)"
    ]


def test_a_changed_signature_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def levenshtein_dfa(uterm: str, maxdist: int, prefix: int = 0, swaps: bool = False) -> Any:
        return None

    monkeypatch.setattr(Automata, "levenshtein_dfa", staticmethod(levenshtein_dfa))
    problems = check_whoosh_internals()
    assert _named(
        problems,
        "whoosh.codec.base.Automata.levenshtein_dfa takes (uterm, maxdist, prefix, swaps), "
        "not (uterm, maxdist, prefix): ",
    )


def test_a_renamed_attribute_of_the_matcher_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def _goto(self: Any, position: int) -> None:
        self._next_offset = position

    # A release whose matcher calls its next block's offset otherwise.
    kept = {
        name: value
        for name, value in vars(W3LeafMatcher).items()
        if "_nextoffset" not in getattr(getattr(value, "__code__", None), "co_names", ())
    }
    renamed = type("W3LeafMatcher", (), {**kept, "_goto": _goto})
    monkeypatch.setattr(whoosh3, "W3LeafMatcher", renamed)
    problems = check_whoosh_internals()
    assert _named(problems, "whoosh.codec.whoosh3.W3LeafMatcher has no attribute _nextoffset: ")
    assert _named(problems, "whoosh.codec.whoosh3.W3LeafMatcher._goto changed (it now uses ")


def test_a_block_header_read_otherwise_is_found_on_a_small_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Too few bytes for the header's pickle: as if whoosh had laid its headers out longer.
    monkeypatch.setattr(reading, "HEADER_BYTES", 8)
    assert check_whoosh_internals() == []  # names and signatures are as they were
    problems = check_whoosh_internals(tmp_path)
    assert problems == [
        "on a small index, goto_block reads a block header otherwise than whoosh: "
        "reviewapp/search/whoosh_internals/reading.py relies on whoosh's internals"
    ]


def test_only_the_wall_uses_whooshs_internals() -> None:
    internal_module = re.compile(r"\bwhoosh\.(?:codec|system|filedb|matching|multiproc|util)\b")
    # An underscore name reached as an attribute of anything but self: whoosh's, here.
    private_attribute = re.compile(r"(?<!\bself)\._[a-zA-Z]")
    # The wall is the package whoosh_internals/, below the files looked at here.
    for path in SEARCH_FILES.glob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not internal_module.search(line), f"{path.name}:{number}: {line.strip()}"
            assert not private_attribute.search(line), f"{path.name}:{number}: {line.strip()}"


def test_the_check_names_modules_of_the_wall() -> None:
    root = SEARCH_FILES.parents[1]
    for where in (tables.READING, tables.STORAGE, tables.WRITING, tables.WORKERS):
        assert (root / where).is_file(), where


def _documents() -> list[dict[str, Any]]:
    return [
        {"id": n, "title": f"Febrile neutropenia in study {n}", "abstract": "neutropenia " * n}
        for n in range(1, 40)
    ]


def test_an_index_whose_whoosh_changed_searches_with_whoosh_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = SearchIndex(tmp_path / "fast")
    expected.rebuild("uid", 1, _documents(), 39)
    monkeypatch.setattr(
        whoosh_internals, "changed_internals", lambda: ("whoosh.x has no attribute _y",)
    )
    index = SearchIndex(tmp_path / "plain")
    index.rebuild("uid", 1, _documents(), 39)
    assert not (index.directory / "frequent").exists()  # only the ranker reads them
    assert type(index._open().storage) is not whoosh_internals.MappedStorage
    assert bulk.bulk_writer_options(bulk.BULK_DOCS * 10) == {}
    for query in ("neutropenia", '"febrile neutropenia"', "study"):
        got = [hit.article_id for hit in index.search(query, limit=50)]
        assert got == [hit.article_id for hit in expected.search(query, limit=50)]
    assert index.status("uid", 1, 39).health.value == "ok"
    index.close()
    expected.close()
