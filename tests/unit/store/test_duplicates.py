"""Duplicates by title: exact, yearless, near-identical; identifiers and numbers that differ."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.core.models import Article
from reviewapp.store import Library, open_library
from reviewapp.store.duplicates import DuplicateFinder, titles_alike

TITLE = (
    "Ostrelimab plus carboplatin and etoposide in extensive-stage small cell lung cancer: "
    "a randomised phase 2 trial"
)


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    opened = open_library(tmp_path / "library.sqlite")
    yield opened
    opened.close()


def _record(title: str = TITLE, **overrides: object) -> Article:
    article = Article(title=title, text=f"{title}\n", year=2024)
    for key, value in overrides.items():
        setattr(article, key, value)
    return article


def test_a_near_identical_title_of_the_same_year_is_a_duplicate(lib: Library) -> None:
    existing = lib.articles.insert(_record())
    spelled = _record(TITLE.replace("randomised", "randomized").replace(": a", " - A"))
    duplicate = DuplicateFinder(lib.db).find(spelled)
    assert duplicate is not None
    assert duplicate.article_id == existing
    assert duplicate.reason.startswith("nearly the same title (")
    assert duplicate.reason.endswith("%) and year")


@pytest.mark.parametrize(
    "incoming",
    [
        _record(TITLE.replace("phase 2", "phase 3")),  # a number differs: another trial
        _record(TITLE.replace("randomised", "randomized"), year=2023),  # another year
        _record(TITLE.replace("randomised", "randomized"), doi="10.9999/other"),
        _record(TITLE.replace("randomised", "randomized"), pmid="39000999"),
        _record("Ostrelimab in small cell lung cancer: a different question entirely"),
    ],
)
def test_titles_that_name_another_work_are_not_duplicates(lib: Library, incoming: Article) -> None:
    lib.articles.insert(_record(doi="10.9999/jto.2024.0117", pmid="39000101"))
    assert DuplicateFinder(lib.db).find(incoming) is None


def test_the_same_title_without_a_year_on_one_side(lib: Library) -> None:
    existing = lib.articles.insert(_record(year=None))
    duplicate = DuplicateFinder(lib.db).find(_record())
    assert duplicate is not None
    assert duplicate.article_id == existing
    assert duplicate.reason == "same title (one of the two has no year)"
    lib.articles.insert(_record("Short news title", year=None))
    assert DuplicateFinder(lib.db).find(_record("Short news title")) is None


def test_articles_stored_in_the_same_transaction_are_found_and_gone_after_a_rollback(
    lib: Library,
) -> None:
    lib.articles.insert(_record("An unrelated article on hepatotoxicity of sotorasib in 2024"))
    finder = DuplicateFinder(lib.db)
    spelled = _record(TITLE.replace("randomised", "randomized"))
    with pytest.raises(RuntimeError), lib.transaction():
        new_id = lib.articles.insert(_record())
        found = finder.find(spelled)
        assert found is not None and found.article_id == new_id
        raise RuntimeError("the file failed after this record")
    assert finder.find(spelled) is None
    assert lib.db.execute("SELECT COUNT(*) FROM title_blocks").fetchone()[0] == 2


def test_titles_alike() -> None:
    assert titles_alike(TITLE, TITLE.upper())
    assert titles_alike(TITLE, TITLE.replace("randomised", "randomized"))
    assert not titles_alike(TITLE, TITLE.replace("phase 2", "phase 3"))
    assert not titles_alike("Short title A", "Short title B")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("in stage III non-small-cell lung cancer", "in stage IV non-small-cell lung cancer"),
        ("as adjuvant treatment of resected disease",
         "as neoadjuvant treatment of resected disease"),
        ("in squamous non-small-cell lung cancer", "in nonsquamous non-small-cell lung cancer"),
        ("in HER2-positive metastatic gastric cancer",
         "in HER2-negative metastatic gastric cancer"),
        ("in KRAS G12C mutated colorectal cancer", "in KRAS G12D mutated colorectal cancer"),
        ("in small cell lung cancer after platinum",
         "in non small cell lung cancer after platinum"),
        ("compared with erlotinib as first line", "compared with osimertinib as first line"),
        ("in resectable pancreatic cancer after surgery",
         "in unresectable pancreatic cancer after surgery"),
    ],
)  # fmt: skip
def test_one_meaningful_word_makes_another_work(first: str, second: str) -> None:
    prefix = "Outcomes of a randomised multicentre study of immunotherapy "
    assert not titles_alike(prefix + first, prefix + second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Tumour response in oesophageal cancer after chemoradiotherapy: a cohort",
         "Tumor response in esophageal cancer after chemoradiotherapy: the cohort"),
        ("Leukaemia-free survival with blinatumomab in a randomised phase 3 trial",
         "Leukemia-free survival with blinatumomab in randomized phase 3 trial"),
    ],
)  # fmt: skip
def test_spelling_and_small_words_do_not(first: str, second: str) -> None:
    assert titles_alike(first, second)


def test_generic_titles_are_not_matched_on_title_and_year(lib: Library) -> None:
    lib.articles.insert(_record("Erratum", journal="J Clin Oncol"))
    assert DuplicateFinder(lib.db).find(_record("Erratum", journal="Ann Oncol")) is None
    lib.articles.insert(_record("Abstracts of the annual meeting"))
    assert DuplicateFinder(lib.db).find(_record("Abstracts of the annual meeting")) is not None


def test_blocking_keys_out_of_step_are_counted_and_rebuilt(lib: Library) -> None:
    first = lib.articles.insert(_record())
    lib.articles.insert(_record("Sotorasib hepatotoxicity after immunotherapy", year=2023))
    assert lib.articles.title_block_problems() == 0
    lib.db.execute("DELETE FROM title_blocks WHERE article_id = ?", [first])
    second = lib.db.execute("SELECT MAX(id) FROM articles").fetchone()[0]
    lib.db.execute("INSERT INTO title_blocks VALUES (?, 2020, '<zzz', 'stray')", [second])
    assert lib.articles.title_block_problems() == 2
    assert DuplicateFinder(lib.db).find(_record(TITLE.replace("randomised", "randomized"))) is None
    lib.articles.rebuild_title_blocks()
    assert lib.articles.title_block_problems() == 0
    found = DuplicateFinder(lib.db).find(_record(TITLE.replace("randomised", "randomized")))
    assert found is not None and found.article_id == first
