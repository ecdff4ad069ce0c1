"""Free tags on articles: names folded in spacing and case, added once, counted, removed."""

from __future__ import annotations

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
    return [lib.articles.insert(Article(title=f"Tarlatamab cohort {n}")) for n in range(count)]


def test_a_tag_is_added_once_and_its_name_is_tidied(lib: Library) -> None:
    [first, second] = _articles(lib, 2)
    assert lib.tags.add(first, "  relapsed   SCLC ")
    assert not lib.tags.add(first, "relapsed SCLC")  # already there
    assert not lib.tags.add(first, "Relapsed sclc")  # names ignore case
    assert lib.tags.add(second, "relapsed SCLC")
    assert lib.tags.names() == ["relapsed SCLC"]
    assert lib.tags.article_ids("RELAPSED sclc") == [first, second]


def test_counts_list_only_tags_in_use_in_name_order(lib: Library) -> None:
    [first, second, third] = _articles(lib, 3)
    for article_id in (first, second, third):
        lib.tags.add(article_id, "journal club")
    lib.tags.add(second, "DLL3")
    lib.tags.ensure("unused")
    assert lib.tags.counts() == [("DLL3", 1), ("journal club", 3)]
    assert lib.tags.names() == ["DLL3", "journal club", "unused"]


def test_removing_a_tag_from_an_article(lib: Library) -> None:
    [first, second] = _articles(lib, 2)
    lib.tags.add(first, "included")
    lib.tags.add(second, "included")
    assert lib.tags.remove(first, "Included")
    assert not lib.tags.remove(first, "included")  # no longer there
    assert not lib.tags.remove(first, "never used")
    assert lib.tags.article_ids("included") == [second]


def test_a_deleted_article_loses_its_tags(lib: Library) -> None:
    [first, second] = _articles(lib, 2)
    lib.tags.add(first, "excluded")
    lib.tags.add(second, "excluded")
    lib.db.execute("DELETE FROM articles WHERE id = ?", [first])
    assert lib.tags.article_ids("excluded") == [second]
    assert lib.tags.counts() == [("excluded", 1)]


def test_a_tag_needs_a_name(lib: Library) -> None:
    [article_id] = _articles(lib, 1)
    with pytest.raises(ValueError, match="name"):
        lib.tags.add(article_id, " \t ")
    assert lib.tags.names() == []
