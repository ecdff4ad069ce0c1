"""A large backlog of changes is taken into the index in parts, each its own commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.services import library as library_service
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession


def test_a_backlog_is_indexed_in_parts_with_progress(
    session: LibrarySession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_service, "INDEX_CHUNK", 7)
    export = tmp_path / "export.ris"
    export.write_text(
        "".join(
            f"TY  - JOUR\nTI  - Capecitabine maintenance study {n} in colorectal cancer\n"
            f"PY  - 2020\nER  - \n"
            for n in range(20)
        ),
        encoding="utf-8",
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
