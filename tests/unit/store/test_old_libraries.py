"""Every old library opens: a small library made by the code of each earlier schema
version (tests/fixtures/libraries/v1–v7.sqlite, each built once by the reviewapp that
introduced that schema; build.py there says how) is opened by today's code, migrated, and
holds every article, finding, tag, collection and saved search it had. A library from a
newer reviewapp is refused, untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.store import LibraryError, open_library
from reviewapp.store.migrations import LATEST_VERSION, schema_version

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "libraries"
TITLES = {
    "An invented phase 1 trial of alveltamig in relapsed small cell lung cancer",
    "An invented study of alemtuzumab with chemotherapy in adult ALL",
}
FINDINGS = {
    ("toxicity", "Cytokine release syndrome occurred in 14 of 60"): {
        "event": "cytokine release syndrome",
        "n": 14,
        "N": 60,
    },
    ("efficacy", "Median overall survival was 24.1 months"): {"endpoint": "OS"},
}
VERSIONS = sorted(int(p.stem[1:]) for p in FIXTURES.glob("v*.sqlite"))


def test_there_is_a_fixture_for_every_earlier_schema() -> None:
    assert list(range(1, LATEST_VERSION + 1)) == VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_a_library_of_each_schema_opens_with_everything_in_it(tmp_path: Path, version: int) -> None:
    library = tmp_path / "library.sqlite"
    shutil.copyfile(FIXTURES / f"v{version}.sqlite", library)
    with LibrarySession.open(library) as session:  # migrated, and its index rebuilt
        lib = session.library
        assert schema_version(lib.db) == LATEST_VERSION
        ids = lib.articles.ids()
        titles = {str(s["title"]) for s in lib.articles.summaries(ids)}
        assert titles == TITLES
        findings = {(f.category.value, f.quote): f.fields for f in lib.findings.list()}
        assert findings == FINDINGS
        assert all(f.anchored for f in lib.findings.list())
        assert session.index_is_current()
        found = {r.article_id for r in session.search('"cytokine release"')}
        assert [lib.articles.get(i).title for i in found] == [  # type: ignore[union-attr]
            "An invented phase 1 trial of alveltamig in relapsed small cell lung cancer"
        ]
        if version >= 2:  # the first schema had no way to make these
            [collection] = lib.collections.all()
            assert (collection.name, collection.question) == ("Relapsed disease", "What works?")
            assert sorted(lib.collections.article_ids(collection.id)) == sorted(ids)
            assert lib.tags.names() == ["journal club"]
            assert len(lib.tags.article_ids("journal club")) == 1
            [saved] = lib.saved_searches.all()
            assert (saved.name, saved.query) == ("Cytokines", '"cytokine release"')


def test_a_library_from_a_newer_reviewapp_is_refused_and_not_touched(tmp_path: Path) -> None:
    library = tmp_path / "library.sqlite"
    shutil.copyfile(FIXTURES / f"v{LATEST_VERSION}.sqlite", library)
    lib = open_library(library)
    lib.db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    lib.close()
    before = library.read_bytes()
    with pytest.raises((LibraryError, ServiceError), match=r"newer reviewapp.*schema \d+"):
        LibrarySession.open(library)
    assert library.read_bytes() == before
