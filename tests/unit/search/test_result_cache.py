"""Results are kept while the index stays as it is, and recomputed once it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.search.index import SearchIndex
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession


def _ris(path: Path, title: str) -> Path:
    path.write_text(f"TY  - JOUR\nTI  - {title}\nPY  - 2023\nER  - \n", encoding="utf-8")
    return path


def test_a_repeated_query_is_answered_from_the_cache_until_the_index_changes(
    session: LibrarySession, tmp_path: Path
) -> None:
    import_paths(
        session, [_ris(tmp_path / "a.ris", "Pegfilgrastim after docetaxel in breast cancer")]
    )
    first = session.index.search("pegfilgrastim")
    assert session.index.search("pegfilgrastim") is first  # the same list: not searched again
    import_paths(session, [_ris(tmp_path / "b.ris", "Pegfilgrastim timing in lymphoma regimens")])
    again = session.index.search("pegfilgrastim")
    assert again is not first
    assert len(again) == 2


def test_the_cache_can_be_turned_off(
    session: LibrarySession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWAPP_SEARCH_CACHE", "0")
    import_paths(
        session, [_ris(tmp_path / "a.ris", "Pegfilgrastim after docetaxel in breast cancer")]
    )
    index = SearchIndex(session.index.directory)
    try:
        first = index.search("pegfilgrastim")
        assert index.search("pegfilgrastim") is not first
        assert index.search("pegfilgrastim") == first
    finally:
        index.close()
