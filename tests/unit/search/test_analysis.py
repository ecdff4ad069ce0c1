"""The oncology analyzer: meaningful tokens kept whole, English stemmed, ALL kept apart."""

from __future__ import annotations

import pytest

from reviewapp.search.analysis import (
    NameAnalyzer,
    OncologyAnalyzer,
    index_terms,
    keeps_case,
    normalise_word,
)


def _index(text: str) -> list[str]:
    return [token.text for token in OncologyAnalyzer()(text, mode="index")]


def _query(text: str) -> list[str]:
    return [token.text for token in OncologyAnalyzer()(text, mode="query")]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("CD52 therapy", "cd52"),
        ("PD-L1 expression", "pd-l1"),
        ("Alveltamig (ZG006) is", "zg006"),
        ("it occurred in 14/60 patients", "14/60"),
        ("in 23.3% of patients", "23.3"),
        ("doi:10.1002/cncr.35750.", "10.1002/cncr.35750"),
        ("(see 10.1016/S1470-2045(23)00001-2)", "10.1016/s1470-2045(23)00001-2"),
    ],
)
def test_meaningful_tokens_are_kept_whole(text: str, term: str) -> None:
    assert term in _index(text)
    assert term in _query(text)


def test_a_compound_is_found_by_its_parts() -> None:
    assert "cd52" in _index("Anti-CD52 therapy")
    assert "anti-cd52" in _index("Anti-CD52 therapy")


def test_compounds_are_also_indexed_by_their_parts_but_queried_whole() -> None:
    assert _index("PD-L1 and T-cell") == ["pd", "l1", "pd-l1", "and", "t", "cell", "t-cell"]
    assert _query("PD-L1 and T-cell") == ["pd-l1", "and", "t-cell"]


def test_compound_parts_share_positions_with_the_whole() -> None:
    tokens = [(t.text, t.pos) for t in OncologyAnalyzer()("a T-cell engager", positions=True)]
    assert tokens == [("a", 0), ("t", 1), ("cell", 2), ("t-cell", 2), ("engag", 3)]


def test_english_words_are_lowercased_and_stemmed() -> None:
    assert _index("Patients RESPONDED to treatments") == ["patient", "respond", "to", "treatment"]
    assert normalise_word("patients") == "patient"
    assert normalise_word("Viremia") == normalise_word("viremia")


def test_short_and_non_ascii_words_are_not_stemmed() -> None:
    assert normalise_word("as") == "as"
    assert normalise_word("Naïve") == "naïve"


def test_possessive_s_is_dropped() -> None:
    assert _index("Hodgkin's lymphoma") == ["hodgkin", "lymphoma"]


def test_ALL_keeps_its_case_and_all_does_not() -> None:
    assert _index("ALL") == ["ALL"]
    assert _index("all") == ["all"]
    assert _index("All") == ["all"]
    assert _index("adult ALL and all adults") == ["adult", "ALL", "and", "all", "adult"]
    assert keeps_case("ALL")
    assert keeps_case("OR")
    assert not keeps_case("All")
    assert not keeps_case("CMV")
    assert not keeps_case("A")


def test_untokenized_terms_fold_case_unless_an_acronym() -> None:
    analyzer = OncologyAnalyzer()
    assert [t.text for t in analyzer("Viremi", tokenize=False)] == ["viremi"]
    assert [t.text for t in analyzer("ALL", tokenize=False)] == ["ALL"]


def test_character_spans_point_at_the_original_text() -> None:
    text = "Anti-CD52 in 23.3% (14/60)"
    for term, start, end in index_terms(OncologyAnalyzer(), text):
        assert normalise_word(text[start:end]) == term or text[start:end].lower() == term


def test_name_analyzer_folds_case_and_never_stems() -> None:
    names = [t.text for t in NameAnalyzer()("Luskin MR; O'Brien-Smith S; Patients")]
    assert names == ["luskin", "mr", "o'brien-smith", "s", "patients"]
