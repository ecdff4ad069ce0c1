"""The ``reviewapp`` entry point: a command runs headless; no command opens the window, and
files named without a command (``reviewapp pack.rvpack``) are imported into it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reviewapp import cli


def _open_window(library: Path, demo_on_first_run: bool, files: list[Path]) -> int:
    from reviewapp.gui.app import run  # Qt loads only when the window is wanted

    return run(library, demo_on_first_run=demo_on_first_run, files=files)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, open_window=_open_window)
