"""Collections (review questions) with their articles, and saved searches."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.core.models import Article
from reviewapp.store import Library, open_library


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    opened = open_library(tmp_path / "library.sqlite")
    yield opened
    opened.close()


def _articles(lib: Library, count: int) -> list[int]:
    return [lib.articles.insert(Article(title=f"Zolbetuximab trial {n}")) for n in range(count)]


def test_a_collection_adds_each_article_once(lib: Library) -> None:
    first, second, third = _articles(lib, 3)
    collection = lib.collections.create("Claudin 18.2 in gastric cancer", "Which line?")
    assert lib.collections.add(collection, [third, first]) == [third, first]
    # Added together: in id order (by the time added, then the id).
    assert lib.collections.article_ids(collection) == [first, third]
    assert lib.collections.add(collection, [first, second]) == [second]  # first: already in
    assert sorted(lib.collections.article_ids(collection)) == [first, second, third]
    row = lib.collections.get(collection)
    assert row is not None
    assert (row.name, row.question, row.article_count) == (
        "Claudin 18.2 in gastric cancer",
        "Which line?",
        3,
    )


def test_removing_articles_says_which_were_there(lib: Library) -> None:
    first, second = _articles(lib, 2)
    collection = lib.collections.create("CLDN18.2")
    lib.collections.add(collection, [first, second])
    assert lib.collections.remove(collection, [second, second, 999]) == [second]
    assert lib.collections.article_ids(collection) == [first]


def test_collections_are_found_by_name_in_any_case_and_listed_by_name(lib: Library) -> None:
    lib.collections.create("relapsed SCLC")
    lib.collections.create("ADC toxicity")
    lib.collections.create("bispecifics in myeloma")
    assert [c.name for c in lib.collections.all()] == [
        "ADC toxicity",
        "bispecifics in myeloma",
        "relapsed SCLC",
    ]
    found = lib.collections.by_name("  Relapsed sclc ")
    assert found is not None and found.name == "relapsed SCLC"
    assert lib.collections.by_name("nothing like it") is None
    with pytest.raises(sqlite3.IntegrityError):
        lib.collections.create("RELAPSED SCLC")  # one collection per name, whatever its case


def test_renaming_keeps_the_question_unless_a_new_one_is_given(lib: Library) -> None:
    collection = lib.collections.create("DLL3", "What after tarlatamab?")
    lib.collections.rename(collection, "DLL3 engagers")
    row = lib.collections.get(collection)
    assert row is not None and (row.name, row.question) == (
        "DLL3 engagers",
        "What after tarlatamab?",
    )
    lib.collections.rename(collection, "DLL3 engagers", "Second line only?")
    row = lib.collections.get(collection)
    assert row is not None and row.question == "Second line only?"


def test_deleting_a_collection_or_an_article_drops_only_the_membership(lib: Library) -> None:
    first, second = _articles(lib, 2)
    kept = lib.collections.create("kept")
    dropped = lib.collections.create("dropped")
    lib.collections.add(kept, [first, second])
    lib.collections.add(dropped, [first])
    lib.collections.delete(dropped)
    assert lib.collections.get(dropped) is None
    assert lib.articles.count() == 2  # the articles stay
    lib.db.execute("DELETE FROM articles WHERE id = ?", [second])
    assert lib.collections.article_ids(kept) == [first]


def test_a_saved_search_is_replaced_by_name_and_listed_by_name(lib: Library) -> None:
    first = lib.saved_searches.save("CMV", "CMV viremia")
    lib.saved_searches.save("ALL trials", 'ALL AND "phase 3"')
    assert lib.saved_searches.save("CMV", "CMV OR cytomegalovirus") == first
    assert [(s.name, s.query) for s in lib.saved_searches.all()] == [
        ("ALL trials", 'ALL AND "phase 3"'),
        ("CMV", "CMV OR cytomegalovirus"),
    ]
    lib.saved_searches.delete(first)
    assert [s.name for s in lib.saved_searches.all()] == ["ALL trials"]
