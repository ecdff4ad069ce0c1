"""CSL-JSON: lists, single items and {"items": [...]}, CSL's fields, and what is not CSL."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.csl_json import FORMAT_CSL_JSON, parse_csl_json
from tests.unit.importers.test_ris import FIXTURES, assert_canonical

CSL = FIXTURES / "csl_json"


def _parse(name: str) -> ParsedFile:
    return parse_csl_json((CSL / name).read_bytes(), name)


def _one(item: object) -> ParsedFile:
    return parse_csl_json(json.dumps(item).encode("utf-8"), "x.json")


def test_zotero_export_gives_the_three_articles() -> None:
    parsed = _parse("canonical.json")
    assert parsed.format == FORMAT_CSL_JSON == "csl-json"
    assert parsed.problems == []
    assert_canonical(parsed.articles, "csl-json")
    assert [r.label for r in parsed.records] == [
        "item 1 (varga2024)",
        "item 2 (moreau2023)",
        "item 3 (haddad2025)",
    ]
    # PMID and PMCID from Zotero's note, a DOI written as a URL in capitals, a PubMed URL.
    assert parsed.articles[1].pmcid == "PMC10999202"


def test_a_single_crossref_item() -> None:
    [article] = _parse("single.json").articles
    assert article.title == "Early response to durvalumab in a regional cohort"
    assert article.journal == "Bulletin du Cancer"
    assert article.year == 2022
    assert article.authors == ["Dupré H", "van Gogh V", "Regional Thoracic Oncology Network"]
    # JATS tags are gone, paragraphs kept, entities decoded.
    assert article.abstract == (
        "Of 48 patients, 19 (40%) responded & 6 progressed.\n\n"
        "Responses lasted a median of 9.1 months."
    )


def test_items_wrapper_with_bad_items_reported() -> None:
    parsed = _parse("wrapped.json")
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("item 1 (ok-1)", None),
        ("item 2 (untitled-2)", "the record has no title"),
        ("item 3", "the item is not a reference but a JSON str"),
    ]
    [article] = parsed.articles
    assert (article.authors, article.year, article.doi) == (
        ["Haddad R"],
        2025,
        "10.9999/lc.2025.0893",
    )


def test_odd_field_types_do_not_break_an_item() -> None:
    parsed = _one(
        [
            {
                "title": 42,
                "author": [{"family": None, "given": "Ann"}, "Lee K", 7, {"literal": ["x"]}],
                "issued": {"date-parts": [[None]], "raw": "Spring 2018"},
                "keyword": ["a", {"b": 1}, "c"],
                "PMID": 123,
                "DOI": {"not": "a doi"},
            }
        ]
    )
    [article] = parsed.articles
    assert article.title == "42"
    assert article.authors == ["Ann", "Lee K", "x"]
    assert article.year == 2018
    assert article.keywords == ["a", "c"]
    assert (article.pmid, article.doi) == ("123", None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"title": "x",}]', "not valid JSON: Expecting property name"),
        (b'{"message": "hello"}', "not CSL-JSON: expected a list of reference items"),
        (b'"just a string"', "not CSL-JSON"),
        (b"[]", "no records found"),
        (b"[1, 2, 3]", "holds no reference items"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply|not CSL-JSON|no reference items"),
        (b"[" + b"9" * 5000 + b"]", "holds no reference items"),
    ],
)
def test_files_that_are_not_csl_json_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailure, match=message):
        parse_csl_json(data, "x.json")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_files_fail_only_with_import_failure(data: st.DataObject) -> None:
    original = bytearray((CSL / "wrapped.json").read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    try:
        parsed = parse_csl_json(bytes(original), "x.json")
    except ImportFailure:
        return
    assert all((r.article is None) != (r.problem is None) for r in parsed.records)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), st.lists, max_leaves=20))
def test_any_json_value_as_an_item_fails_only_per_record(value: object) -> None:
    try:
        parsed = _one([{"title": "T", "author": value, "issued": value, "keyword": value}])
    except ImportFailure:
        return
    assert len(parsed.records) == 1
