"""The terminal commands set the allocator switch only where they rank searches."""

from __future__ import annotations

import gc
from pathlib import Path
from types import ModuleType

import pytest

from reviewapp import cli
from reviewapp.cli import library as cli_library
from reviewapp.cli import review as cli_review
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


@pytest.mark.parametrize(
    ("module", "command", "paused"),
    [(cli_review, "agreement", True), (cli_library, "list", False)],
)
def test_the_collector_pauses_only_while_the_review_figures_are_counted(
    library_path: Path,
    articles_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: ModuleType,
    command: str,
    paused: bool,
) -> None:
    assert cli.main(["--library", str(library_path), "import", str(articles_dir)]) == 0
    seen: list[bool] = []
    handler = getattr(module, f"cmd_{command}")

    def spying(session: object, args: object) -> int:
        seen.append(gc.isenabled())
        return int(handler(session, args))

    monkeypatch.setattr(module, f"cmd_{command}", spying)
    assert cli.main(["--library", str(library_path), command]) == 0
    assert seen == [not paused]
    assert gc.isenabled()  # and on again after, in a process that goes on (tests do)
    # A command that fails before its work leaves it on too.
    assert cli.main(["--library", str(library_path.parent / "missing.sqlite"), command]) == 1
    assert gc.isenabled()
