"""The demo library of a first run: the shipped articles, their findings, a collection and a
tag; and never over an existing library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewapp.services.demo import DEMO_REVIEWER, create_demo_library
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.paths import resource


def test_the_demo_library_has_every_shipped_article_and_finding(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    shipped = json.loads(resource("demo", "findings.json").read_text(encoding="utf-8"))
    assert create_demo_library(path) == 3
    with LibrarySession.open(path) as session:
        lib = session.library
        findings = lib.findings.list()
        assert sorted(f.quote for f in findings) == sorted(item["quote"] for item in shipped)
        assert {f.reviewer for f in findings} == {DEMO_REVIEWER}
        [collection] = lib.collections.all()
        assert collection.name == "Relapsed SCLC after chemo-immunotherapy"
        assert collection.article_count == 2  # the two SCLC articles
        assert lib.tags.counts() == [("journal club demo", 3)]
        assert session.index_status(thorough=True).health.value == "ok"
        assert session.search_ids("alveltamig")[0]


def test_the_demo_never_touches_an_existing_library(tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite"
    path.write_bytes(b"someone's library")
    with pytest.raises(ServiceError, match="already exists"):
        create_demo_library(path)
    assert path.read_bytes() == b"someone's library"


def test_a_demo_folder_without_findings(tmp_path: Path, articles_dir: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    for source in articles_dir.iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")  # only .txt and .md
    path = tmp_path / "demo.sqlite"
    assert create_demo_library(path, folder) == 3
    with LibrarySession.open(path) as session:
        assert session.library.findings.count() == 0
        [collection] = session.library.collections.all()
        assert collection.article_count == 1  # alveltamig_sclc: the one SCLC file
