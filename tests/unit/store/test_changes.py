"""The change log the search index catches up from: every relevant write is logged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.core.anchoring import locate_quote
from reviewapp.core.models import Article, Category, Finding
from reviewapp.store import Library, open_library


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    opened = open_library(tmp_path / "library.sqlite")
    yield opened
    opened.close()


def _article(lib: Library, title: str = "A trial of something") -> int:
    return lib.articles.insert(Article(title=title, text="CMV viremia occurred in 14 of 60."))


def _finding(lib: Library, article_id: int) -> int:
    anchor = locate_quote("CMV viremia occurred in 14 of 60.", "CMV viremia")
    assert anchor is not None
    reviewer = lib.reviewers.ensure("Dana Okafor")
    finding = Finding(
        article_id=article_id,
        category=Category.TOXICITY,
        anchor=anchor,
        fields={"event": "CMV viremia"},
    )
    return lib.findings.insert(finding, reviewer.id or 0)


def test_a_new_library_has_no_changes(lib: Library) -> None:
    assert lib.last_change() == 0
    assert lib.changed_articles_since(0) == (set(), 0)


def test_inserting_an_article_logs_a_change(lib: Library) -> None:
    article_id = _article(lib)
    assert lib.last_change() == 1
    assert lib.changed_articles_since(0) == ({article_id}, 1)
    assert lib.changed_articles_since(1) == (set(), 1)


def test_findings_tags_and_updates_log_their_article(lib: Library) -> None:
    first, second = _article(lib, "First"), _article(lib, "Second")
    mark = lib.last_change()

    _finding(lib, second)
    after_finding = lib.last_change()
    assert after_finding > mark
    assert lib.changed_articles_since(mark)[0] == {second}

    assert lib.tags.add(first, "journal club")
    after_tag = lib.last_change()
    assert after_tag > after_finding
    assert lib.changed_articles_since(after_finding) == ({first}, after_tag)

    lib.db.execute("UPDATE articles SET journal = 'Cancer' WHERE id = ?", [first])
    assert lib.changed_articles_since(after_tag)[0] == {first}


def test_renaming_a_tag_or_reviewer_logs_the_articles_that_carry_it(lib: Library) -> None:
    first, second = _article(lib, "First"), _article(lib, "Second")
    lib.tags.add(first, "relapsed")
    _finding(lib, second)
    mark = lib.last_change()
    lib.db.execute("UPDATE tags SET name = 'relapsed SCLC' WHERE name = 'relapsed'")
    lib.db.execute("UPDATE reviewers SET name = 'Dana O.' WHERE name = 'Dana Okafor'")
    assert lib.changed_articles_since(mark)[0] == {first, second}


def test_deleting_an_article_logs_its_id(lib: Library) -> None:
    article_id = _article(lib)
    mark = lib.last_change()
    lib.db.execute("DELETE FROM articles WHERE id = ?", [article_id])
    assert lib.changed_articles_since(mark)[0] == {article_id}


def test_compacting_forgets_old_changes_but_not_the_sequence(lib: Library) -> None:
    for title in ("One", "Two", "Three"):
        _article(lib, title)
    lib.compact_changes(2)
    assert lib.compacted_through() == 2
    assert lib.changed_articles_since(0) == ({3}, 3)
    assert lib.last_change() == 3
    lib.compact_changes(1)
    assert lib.compacted_through() == 2
    _article(lib, "Four")
    assert lib.last_change() == 4
