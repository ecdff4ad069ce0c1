"""Searching a real library (the fixture articles) through a LibrarySession."""

from __future__ import annotations

import pytest

from reviewapp.services.findings import create_finding
from reviewapp.services.library import LibrarySession, ServiceError


def _ids(session: LibrarySession, query: str) -> list[int]:
    return [result.article_id for result in session.search(query)]


def test_cmv_viremia_finds_the_alemtuzumab_article_with_highlights(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    results = session.search("CMV viremia")
    assert results
    top = results[0]
    assert top.article_id == fixture_ids["alemtuzumab"]
    assert top.title == "Anti-CD52 Alemtuzumab With Chemotherapy in Adult ALL: Phase 1/2 Results"
    assert "<b>CMV</b>" in top.snippet
    assert "<b>viremia</b>" in top.snippet
    assert top.score > 0
    assert fixture_ids["alveltamig"] not in _ids(session, "CMV viremia")


@pytest.mark.parametrize(
    "query", ["SCLC", "small cell lung cancer", "ZG006", "tarlatamab", "Imdelltra", "alveltamig"]
)
def test_sclc_drug_names_and_synonyms_find_the_alveltamig_article(
    session: LibrarySession, fixture_ids: dict[str, int], query: str
) -> None:
    assert _ids(session, query)[0] == fixture_ids["alveltamig"]


def test_synonym_hits_are_highlighted(session: LibrarySession, fixture_ids: dict[str, int]) -> None:
    [result] = session.search("ZG006")
    assert "<b>ZG006</b>" in result.snippet
    [result] = session.search("Imdelltra")
    assert "<b>Imdelltra</b>" in result.snippet
    assert "<b>Tarlatamab</b>" in result.snippet


def test_ALL_in_capitals_is_the_leukaemia_and_all_is_not(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    assert _ids(session, "ALL") == [fixture_ids["alemtuzumab"]]
    assert _ids(session, "acute lymphoblastic leukaemia") == [fixture_ids["alemtuzumab"]]
    assert _ids(session, "all") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("author:luskin", ["alemtuzumab"]),
        ("au:rivera", ["kras"]),
        ("year:2025", ["alemtuzumab"]),
        ("year:2024", ["kras"]),
        ("year:[2020 TO 2030]", ["alemtuzumab", "kras"]),
        ("year:>2024", ["alemtuzumab"]),
        ("journal:cancer", ["alemtuzumab"]),
        ('journal:"fictional oncology"', ["kras"]),
        ("doi:10.1002/cncr.35803", ["alemtuzumab"]),
        ("doi:10.1002/CNCR.35750", ["alemtuzumab"]),
        ("doi:10.9999/jfo.2024.0042", ["kras"]),
        ("nct:NCT01234567", ["kras"]),
        ("trial:nct09999901", ["alveltamig"]),
        ("pmid:31234567", ["kras"]),
        ("title:KRAS", ["kras"]),
        ("CD52", ["alemtuzumab"]),
        ("14/60", ["alemtuzumab"]),
        ("23.3", ["alemtuzumab"]),
        ("G12C", ["kras"]),
    ],
)
def test_field_and_token_queries(
    session: LibrarySession, fixture_ids: dict[str, int], query: str, expected: list[str]
) -> None:
    assert sorted(_ids(session, query)) == sorted(fixture_ids[name] for name in expected)


def test_phrase_prefix_and_fuzzy_queries(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    alemtuzumab = fixture_ids["alemtuzumab"]
    assert _ids(session, '"CMV viremia"') == [alemtuzumab]
    assert _ids(session, '"viremia CMV"') == []
    assert _ids(session, '"T-cell engager"')[0] == fixture_ids["alveltamig"]
    assert _ids(session, "viremi*") == [alemtuzumab]
    assert _ids(session, "alemtuzumb~") == [alemtuzumab]
    assert _ids(session, "alemtuzumb") == []
    [result] = session.search("viremi*")
    assert "<b>viremia</b>" in result.snippet


def test_boolean_operators(session: LibrarySession, fixture_ids: dict[str, int]) -> None:
    assert _ids(session, "alemtuzumab AND tarlatamab") == []
    assert sorted(_ids(session, "alemtuzumab OR tarlatamab")) == sorted(
        [fixture_ids["alemtuzumab"], fixture_ids["alveltamig"]]
    )
    assert _ids(session, "phase NOT ALL NOT SCLC") == [fixture_ids["kras"]]


def test_findings_categories_reviewers_and_notes_are_searchable(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    alemtuzumab = fixture_ids["alemtuzumab"]
    assert _ids(session, "category:toxicity") == []
    assert _ids(session, "reviewer:okafor") == []
    create_finding(
        session,
        alemtuzumab,
        "toxicity",
        quote="it occurred in 23.3% (14/60) of patients during alemtuzumab",
        fields={"event": "CMV viremia", "incidence_pct": "23.3", "n": "14", "N": "60"},
        note="argues for letermovir prophylaxis",
        reviewer="Dana Okafor",
    )
    assert _ids(session, "category:toxicity") == [alemtuzumab]
    assert _ids(session, "cat:toxicity") == [alemtuzumab]
    assert _ids(session, "category:efficacy") == []
    assert _ids(session, "reviewer:okafor") == [alemtuzumab]
    assert _ids(session, "by:dana") == [alemtuzumab]
    assert _ids(session, "letermovir") == [alemtuzumab]
    assert _ids(session, "note:letermovir") == [alemtuzumab]
    [result] = session.search("letermovir")
    assert "<b>letermovir</b>" in result.snippet


def test_tags_are_searchable(session: LibrarySession, fixture_ids: dict[str, int]) -> None:
    lib = session.library
    with lib.transaction():
        lib.tags.add(fixture_ids["kras"], "journal club")
    session.sync_index()
    assert _ids(session, 'tag:"journal club"') == [fixture_ids["kras"]]


def test_unknown_field_raises_a_service_error_naming_it(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    with pytest.raises(ServiceError, match="unknown field foo") as raised:
        session.search("foo:bar")
    assert "title" in str(raised.value)
    with pytest.raises(ServiceError, match="unknown field Colour"):
        session.search("CMV AND Colour:red")


def test_a_colon_inside_a_phrase_is_not_a_field(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    assert _ids(session, '"Reference: Luskin"') == [fixture_ids["alemtuzumab"]]


def test_blank_query_gives_no_results(session: LibrarySession, fixture_ids: dict[str, int]) -> None:
    assert session.search("   ") == []


def test_limit(session: LibrarySession, fixture_ids: dict[str, int]) -> None:
    assert len(session.search("phase")) == 3
    assert len(session.search("phase", limit=2)) == 2
