"""The articles table: round trip, duplicates, merging, summaries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.core.models import Article, DoiRef, DoiRelation
from reviewapp.core.text import content_hash
from reviewapp.store import Library, open_library


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    opened = open_library(tmp_path / "library.sqlite")
    yield opened
    opened.close()


def _stored(**overrides: object) -> Article:
    values: dict[str, object] = {
        "title": "Anti-CD52 Alemtuzumab With Chemotherapy in Adult ALL",
        "text": "Alemtuzumab body text. CMV viremia was common.",
        "authors": ["Luskin MR", "Yin J"],
        "journal": None,
        "year": 2025,
        "doi": "10.1002/cncr.35750",
        "dois": [
            DoiRef("10.1002/cncr.35803", DoiRelation.CORRECTION),
            DoiRef("10.1002/cncr.35750"),
        ],
        "pmid": "31234567",
        "nct_ids": ["NCT01234567"],
        "keywords": ["CD52"],
        "source_file": "a.txt",
        "source_format": "text",
    }
    values.update(overrides)
    article = Article(**values)  # type: ignore[arg-type]
    article.content_hash = content_hash(article.text)
    return article


def test_insert_and_get_round_trip(lib: Library) -> None:
    article = _stored()
    article_id = lib.articles.insert(article)
    assert article.id == article_id
    got = lib.articles.get(article_id)
    assert got is not None
    assert got.uid == article.uid
    assert got.title == article.title
    assert got.text == article.text
    assert got.authors == article.authors
    assert got.dois == article.dois
    assert got.nct_ids == ["NCT01234567"]
    assert got.keywords == ["CD52"]
    assert got.imported_at
    assert lib.articles.get(article_id + 100) is None
    assert lib.articles.text(article_id) == article.text
    assert lib.articles.text(article_id + 100) is None


def test_resolve_by_id_or_uid(lib: Library) -> None:
    article = _stored()
    article_id = lib.articles.insert(article)
    assert lib.articles.resolve(article_id) == article_id
    assert lib.articles.resolve(str(article_id)) == article_id
    assert lib.articles.resolve(article.uid) == article_id
    assert lib.articles.resolve("999") is None
    assert lib.articles.resolve("no-such-uid") is None


@pytest.mark.parametrize(
    ("incoming", "reason"),
    [
        ({"title": "Other", "doi": None, "pmid": None, "year": None}, "same text"),
        ({"title": "Other", "text": "different", "pmid": None, "year": None}, "same DOI"),
        ({"title": "Other", "text": "different", "doi": None, "year": None}, "same PMID"),
        (
            {
                "title": "anti cd52 ALEMTUZUMAB with chemotherapy in adult ALL!",
                "text": "other",
                "doi": None,
                "pmid": None,
            },
            "same title and year",
        ),
    ],
)
def test_find_duplicate(lib: Library, incoming: dict[str, object], reason: str) -> None:
    existing = lib.articles.insert(_stored())
    duplicate = lib.articles.find_duplicate(_stored(**incoming))
    assert duplicate is not None
    assert duplicate.article_id == existing
    assert duplicate.reason.startswith(reason)


def test_not_a_duplicate(lib: Library) -> None:
    lib.articles.insert(_stored())
    same_title_other_year = _stored(text="new", doi=None, pmid=None, year=2019)
    assert lib.articles.find_duplicate(same_title_other_year) is None
    other_doi = _stored(text="new", doi="10.1002/cncr.99999", pmid=None)
    assert lib.articles.find_duplicate(other_doi) is None


def test_merge_missing_fills_only_empty_fields(lib: Library) -> None:
    existing = lib.articles.insert(
        _stored(
            journal=None,
            pmid=None,
            authors=[],
            nct_ids=["NCT01234567"],
            dois=[DoiRef("10.1002/cncr.35750")],
        )
    )
    incoming = _stored(
        title="A different title",
        journal="Cancer",
        year=1999,
        doi="10.9999/other",
        pmid="99999",
        authors=["Someone X"],
        nct_ids=["NCT01234567", "NCT07654321"],
        dois=[DoiRef("10.1002/cncr.35750"), DoiRef("10.1002/cncr.35803", DoiRelation.CORRECTION)],
        text="a different text",
    )
    filled = lib.articles.merge_missing(existing, incoming)
    assert filled == ["authors", "dois", "journal", "nct_ids", "pmid"]
    got = lib.articles.get(existing)
    assert got is not None
    assert got.journal == "Cancer"
    assert got.pmid == "99999"
    assert got.authors == ["Someone X"]
    assert got.year == 2025
    assert got.doi == "10.1002/cncr.35750"
    assert got.title == "Anti-CD52 Alemtuzumab With Chemotherapy in Adult ALL"
    assert got.text == "Alemtuzumab body text. CMV viremia was common."
    assert got.nct_ids == ["NCT01234567", "NCT07654321"]
    assert got.dois == [
        DoiRef("10.1002/cncr.35750"),
        DoiRef("10.1002/cncr.35803", DoiRelation.CORRECTION),
    ]
    assert lib.articles.merge_missing(existing, incoming) == []
    assert lib.articles.merge_missing(existing + 100, incoming) == []


def test_summaries_and_tags(lib: Library) -> None:
    first = lib.articles.insert(_stored())
    second = lib.articles.insert(_stored(title="Second", text="two", doi=None, pmid=None))
    assert lib.tags.add(first, "journal  club")
    assert not lib.tags.add(first, "Journal Club")
    lib.tags.add(first, "ALL")
    rows = lib.articles.summaries()
    assert [row["id"] for row in rows] == [first, second]
    assert sorted(rows[0]["tags"]) == ["ALL", "journal club"]
    assert rows[0]["authors"] == ["Luskin MR", "Yin J"]
    assert rows[0]["nct_ids"] == ["NCT01234567"]
    assert rows[0]["finding_count"] == 0
    assert rows[1]["tags"] == []
    assert [r["id"] for r in lib.articles.summaries(ids=[second])] == [second]
    assert lib.articles.summaries(ids=[]) == []
    assert [r["id"] for r in lib.articles.summaries(limit=1, offset=1)] == [second]
    assert lib.articles.get(first) is not None
    assert lib.articles.get(first).tags == ["ALL", "journal club"]  # type: ignore[union-attr]
    assert lib.tags.remove(first, "ALL")
    assert not lib.tags.remove(first, "ALL")
    assert lib.tags.names() == ["ALL", "journal club"]
    with pytest.raises(ValueError, match="name"):
        lib.tags.ensure("   ")


def test_index_documents_carry_tags_and_live_findings_only(lib: Library) -> None:
    from reviewapp.core.anchoring import locate_quote
    from reviewapp.core.models import Category, Finding

    article = _stored()
    article_id = lib.articles.insert(article)
    lib.tags.add(article_id, "relapsed")
    reviewer = lib.reviewers.ensure("Dana Okafor")
    anchor = locate_quote(article.text, "CMV viremia")
    assert anchor is not None
    kept = Finding(
        article_id=article_id, category=Category.TOXICITY, anchor=anchor, note="kept note"
    )
    gone = Finding(
        article_id=article_id, category=Category.MECHANISM, anchor=anchor, note="gone note"
    )
    lib.findings.insert(kept, reviewer.id or 0)
    lib.findings.set_deleted(lib.findings.insert(gone, reviewer.id or 0), True)
    [doc] = list(lib.articles.index_documents([article_id]))
    assert doc["id"] == article_id
    assert doc["tags"] == ["relapsed"]
    assert doc["dois"] == ["10.1002/cncr.35803", "10.1002/cncr.35750"]
    assert [f["note"] for f in doc["findings"]] == ["kept note"]
    assert doc["findings"][0]["reviewer"] == "Dana Okafor"


def test_list_rows_give_what_the_table_shows(lib: Library) -> None:
    first = lib.articles.insert(
        Article(title="Tarlatamab in relapsed SCLC", authors=["Ahn MJ", "Paz-Ares L"], year=2023)
    )
    second = lib.articles.insert(Article(title="An undated note"))
    lib.tags.add(first, "included")
    lib.tags.add(first, "DLL3")
    rows = {row.id: row for row in lib.articles.list_rows([second, first])}
    assert rows[first].title == "Tarlatamab in relapsed SCLC"
    assert rows[first].first_author == "Ahn MJ"
    assert rows[first].year == 2023
    assert rows[first].finding_count == 0
    assert sorted((rows[first].tags or "").split(", ")) == ["DLL3", "included"]
    assert (rows[second].first_author, rows[second].year, rows[second].tags) == (None, None, None)
    assert lib.articles.list_rows([]) == []
