"""Quoted phrases find an article wherever its words stand in that order: hyphenated and
slashed compounds, words with digits, common words and acronyms included (a real whoosh
index, built from plain documents)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewapp.search import postings, ranking
from reviewapp.search.index import SearchIndex

UID = "phrases-under-test"

TITLE = "Median follow-up of anti-PD-1 antibody therapy in relapsed ALL"
ABSTRACT = (
    "The median follow-up was 24 months. Grade 3 or higher events occurred in 14/60 "
    "patients; dose-limiting toxicity was rare. A T-cell engager (ORR 40%) followed. "
    "Staining of PD; L1 cells was follow up only."
)


def _only_kept_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every word is kept beside the index: reading whoosh's positions would be a fault."""

    def refused(*_args: object) -> None:
        raise AssertionError("a phrase checked in whoosh's positions, not the kept ones")

    monkeypatch.setattr(ranking, "_Positions", refused)


@pytest.fixture(params=[postings.FREQUENT, 1], ids=["whoosh", "kept-positions"])
def index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[SearchIndex]:
    monkeypatch.setattr(postings, "FREQUENT", request.param)
    if request.param == 1:
        _only_kept_positions(monkeypatch)
    built = SearchIndex(tmp_path / "library.index", lock_timeout=0.2)
    docs = [{"id": 1, "title": TITLE, "abstract": ABSTRACT, "findings": []}]
    built.rebuild(UID, 1, docs, 1)
    yield built
    built.close()


@pytest.mark.parametrize(
    "phrase",
    [
        "median follow-up",  # a compound after a word: missed until the parts were asked for
        "The median follow-up was 24 months",
        "follow-up was",
        "anti-PD-1 antibody",
        "of anti-PD-1 antibody therapy",
        "grade 3 or higher",
        "in 14/60 patients",
        "dose-limiting toxicity",
        "toxicity was rare",
        "A T-cell engager",
        "relapsed ALL",
    ],
)
def test_a_phrase_is_found_wherever_its_words_stand_in_that_order(
    index: SearchIndex, phrase: str
) -> None:
    assert [hit.article_id for hit in index.search(f'"{phrase}"')] == [1]


@pytest.mark.parametrize(
    "phrase",
    [
        "follow-up median",
        "anti-PD-1 therapy",
        "grade 4 or higher",
        "relapsed all",
        "PD-L1 cells",  # the parts are there, the compound is not
        "was follow-up only",
    ],
)
def test_a_phrase_whose_words_are_not_in_that_order_finds_nothing(
    index: SearchIndex, phrase: str
) -> None:
    assert index.search(f'"{phrase}"') == []


def test_a_compound_on_its_own_is_still_looked_for_whole(index: SearchIndex) -> None:
    query = index.parse("follow-up")
    assert "follow-up" in {text for _field, text in query.iter_all_terms()}


# -- any phrase cut from an article's own text -------------------------------------------------

WORDS = [
    "median",
    "follow-up",
    "anti-PD-1",
    "PD-L1",
    "T-cell",
    "dose-limiting",
    "14/60",
    "23.3%",
    "24",
    "3",
    "months.",
    "grade",
    "or",
    "OR",
    "ALL",
    "all",
    "of",
    "the",
    "a",
    "in",
    "was",
    "higher",
    "patients;",
    "(ORR",
    "40%)",
    "CD52",
    "ZG006",
    "cancer's",
    "non-small-cell",
    "1/2",
    "relapsed",
    "viremia",
    "neutropenia,",
]


@st.composite
def _articles(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 3))
    texts = st.lists(st.sampled_from(WORDS), min_size=2, max_size=30).map(" ".join)
    return [
        {"id": n, "title": draw(texts), "abstract": draw(texts), "findings": []}
        for n in range(1, count + 1)
    ]


# Phrases checked in whoosh's postings, and in the positions kept beside the index (every
# word kept there when one document holding it is enough).
@pytest.mark.parametrize("frequent", [postings.FREQUENT, 1], ids=["whoosh", "kept-positions"])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_articles(), st.data())
def test_every_phrase_cut_from_an_article_finds_it_on_its_own_field(
    monkeypatch: pytest.MonkeyPatch,
    frequent: int,
    articles: list[dict[str, Any]],
    data: st.DataObject,
) -> None:
    monkeypatch.setattr(postings, "FREQUENT", frequent)
    if frequent == 1:
        _only_kept_positions(monkeypatch)
    with tempfile.TemporaryDirectory() as folder:
        index = SearchIndex(Path(folder) / "library.index", lock_timeout=0.2)
        try:
            index.rebuild(UID, 1, articles, len(articles))
            for article in articles:
                for field in ("title", "abstract"):
                    words = article[field].split()
                    length = data.draw(st.integers(2, min(5, len(words))))
                    start = data.draw(st.integers(0, len(words) - length))
                    phrase = " ".join(words[start : start + length])
                    found = {hit.article_id for hit in index.search(f'{field}:"{phrase}"', 10)}
                    assert article["id"] in found, (field, phrase)
        finally:
            index.close()


def test_whoosh_hands_a_phrases_words_to_the_analyzer_as_a_phrase(index: SearchIndex) -> None:
    # analysing_a_phrase (whoosh_internals) tells a phrase by whoosh asking for characters.
    query = index.parse('title:"median follow-up"')
    assert getattr(query, "words", None) == ["median", "follow", "follow-up"], query
