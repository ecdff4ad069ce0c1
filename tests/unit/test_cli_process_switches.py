"""The terminal commands set the allocator switch only where they rank searches."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp import cli
from reviewapp.services import process


@pytest.mark.parametrize(
    ("args", "tuned"),
    [
        (["search", "neutropenia"], 1),
        (["search", "--stdin"], 1),
        (["list"], 0),
        (["check"], 0),
    ],
)
def test_only_a_search_keeps_freed_memory(
    library_path: Path,
    articles_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    tuned: int,
) -> None:
    calls: list[None] = []
    monkeypatch.setattr(process, "keep_freed_memory", lambda: calls.append(None))
    monkeypatch.setattr("sys.stdin", iter([]))
    assert cli.main(["--library", str(library_path), "import", str(articles_dir)]) == 0
    assert cli.main(["--library", str(library_path), *args]) == 0
    assert len(calls) == tuned
