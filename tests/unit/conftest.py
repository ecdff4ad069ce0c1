"""Fixtures shared by the unit tests: a session holding the three fixture articles, and
clinicians at the terminal (Ana and Ben, with Ana's imported articles)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession
from tests.terminal import Person


@pytest.fixture
def fixture_ids(session: LibrarySession, articles_dir: Path) -> dict[str, int]:
    """Import the fixture articles into ``session``; their ids by short name.

    Keys: ``alemtuzumab``, ``alveltamig`` and ``kras``.
    """
    reports = import_paths(session, [articles_dir])
    names = {
        "alemtuzumab_all": "alemtuzumab",
        "alveltamig_sclc": "alveltamig",
        "fictional_kras": "kras",
    }
    ids = {names[Path(report.file).stem]: report.article_ids[0] for report in reports}
    assert sorted(ids) == ["alemtuzumab", "alveltamig", "kras"]
    return ids


@pytest.fixture
def reviewer(monkeypatch: pytest.MonkeyPatch) -> str:
    """A reviewer name set in REVIEWAPP_REVIEWER, as a clinician's terminal would have it."""
    name = "Dana Okafor"
    monkeypatch.setenv("REVIEWAPP_REVIEWER", name)
    return name


@pytest.fixture
def ana(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Person:
    return Person(tmp_path, "Ana Ruiz", capsys, monkeypatch)


@pytest.fixture
def ben(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Person:
    return Person(tmp_path, "Ben Okafor", capsys, monkeypatch)


@pytest.fixture
def articles(ana: Person, articles_dir: Path) -> dict[str, int]:
    reports = ana.json("import", str(articles_dir))
    return {Path(r["file"]).stem.split("_")[0]: r["article_ids"][0] for r in reports}
