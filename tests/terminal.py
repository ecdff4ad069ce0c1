"""Running ``reviewapp`` in-process as one clinician, the way the terminal tests do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewapp.cli import main


class Person:
    """Runs ``reviewapp`` in-process as one person (settings folder, name, library)."""

    def __init__(
        self,
        root: Path,
        name: str,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        slug = name.lower().replace(" ", "-")
        self.name, self.config, self.library = name, root / f"{slug}-cfg", root / f"{slug}.sqlite"
        self._capsys, self._monkeypatch = capsys, monkeypatch

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self._monkeypatch.setenv("REVIEWAPP_CONFIG_DIR", str(self.config))
        self._monkeypatch.setenv("REVIEWAPP_REVIEWER", self.name)
        self._capsys.readouterr()
        code = main(["--library", str(self.library), *args])
        out, err = self._capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> Any:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        return json.loads(out)
