"""Shared test set-up: offscreen Qt, an isolated settings folder, real libraries in tmp."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.services.library import LibrarySession

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's settings, library or reviewer."""
    monkeypatch.setenv("REVIEWAPP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("REVIEWAPP_LIBRARY", str(tmp_path / "default-library.sqlite"))
    monkeypatch.delenv("REVIEWAPP_REVIEWER", raising=False)


@pytest.fixture
def articles_dir() -> Path:
    """Fixture articles written for these tests (plain text and Markdown)."""
    return FIXTURES / "articles"


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite"


@pytest.fixture
def session(library_path: Path) -> Iterator[LibrarySession]:
    with LibrarySession.open(library_path) as opened:
        yield opened
