"""Phrase searches answered through word pairs: the same articles as reading positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.search.index import plan_phrases
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession

ABSTRACTS = {
    "adjacent": "Median overall survival improved with the combination.",
    "reversed": "Survival overall was not reported in this cohort of patients.",
    "apart": "Overall, disease-free survival improved with the combination.",
    "wrapped": "The primary endpoint was overall\nsurvival at two years.",
    "scattered": "Lung cancer cohorts: small cell counts and cell lung ratios were measured.",
    "whole": "Patients with extensive small cell lung cancer received the combination.",
}


@pytest.fixture
def ids(session: LibrarySession, tmp_path: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for name, abstract in ABSTRACTS.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(f"Test Article About Phrase Matching {name}\n\n{abstract}\n", "utf-8")
        [report] = import_paths(session, [path])
        found[name] = report.article_ids[0]
    return found


def _found(session: LibrarySession, query: str) -> set[int]:
    return {r.article_id for r in session.search(query, limit=50)}


def test_a_two_word_phrase_needs_the_words_side_by_side(
    session: LibrarySession, ids: dict[str, int]
) -> None:
    assert _found(session, '"overall survival"') == {ids["adjacent"], ids["wrapped"]}


def test_a_longer_phrase_needs_every_word_in_order(
    session: LibrarySession, ids: dict[str, int]
) -> None:
    # "scattered" holds every pair of the phrase, but not the phrase.
    assert _found(session, '"small cell lung cancer"') == {ids["whole"]}


def test_phrase_words_are_highlighted(session: LibrarySession, ids: dict[str, int]) -> None:
    [hit] = [r for r in session.search('"overall survival"') if r.article_id == ids["adjacent"]]
    assert "<b>overall</b> <b>survival</b>" in hit.snippet


def test_the_plan_keeps_phrases_on_name_fields_and_single_field_phrases(
    session: LibrarySession,
) -> None:
    planned = str(session.index.parse('"overall survival"'))
    assert "pairs:overal surviv" in planned
    assert 'author:"overall survival"' in planned
    assert 'title:"overal surviv"' not in planned
    single = session.index.parse('title:"overall survival"')
    assert plan_phrases(single) == single
