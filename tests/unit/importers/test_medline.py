"""MEDLINE (.nbib): PubMed's tagged text, its wrapped lines and its odd records."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewapp.core.models import DoiRef, DoiRelation
from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.medline import FORMAT_MEDLINE, parse_medline
from tests.unit.importers.test_ris import FIXTURES, assert_canonical

MEDLINE = FIXTURES / "medline"


def _parse(name: str) -> ParsedFile:
    return parse_medline((MEDLINE / name).read_bytes(), name)


def test_pubmed_export_gives_the_three_articles() -> None:
    assert b"\r\n      " in (MEDLINE / "canonical.nbib").read_bytes()  # CRLF, wrapped lines
    parsed = _parse("canonical.nbib")
    assert parsed.format == FORMAT_MEDLINE == "medline"
    assert parsed.problems == []
    # PubMed's closing full stop is gone from the titles; the rest is word for word.
    assert_canonical(parsed.articles, "medline")
    assert [r.label for r in parsed.records] == [
        "record 1 (line 2)",
        "record 2 (line 55)",
        "record 3 (line 85)",
    ]
    ostrelimab, tdxd, sotorasib = parsed.articles
    assert ostrelimab.nct_ids == ["NCT09999901"]
    assert tdxd.pmcid == "PMC10999202"
    # The third record's LID is a PII; its DOI comes from AID.
    assert sotorasib.doi == "10.9999/lc.2025.0893"


def test_quirky_records() -> None:
    parsed = _parse("quirks.nbib")
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("record 1 (line 2)", None),
        ("record 2 (line 17)", "the record has no title"),
        ("record 3 (line 24)", None),
    ]
    french, dosing = parsed.articles
    # A translated title loses its brackets; FAU gives the authors when AU is missing;
    # TA stands in for a missing JT; MeSH headings without check tags stand in for OT.
    assert french.title == "Early response to durvalumab in a regional cohort"
    assert french.authors == ["Dupré H", "Lefèvre JN"]
    assert french.journal == "Bull Cancer"
    assert french.year == 2022
    assert french.pmid == "37000404"
    assert french.keywords == ["Carcinoma, Non-Small-Cell Lung", "Antibodies, Monoclonal"]
    # The erratum's DOI is a correction; the comment's DOI is not kept.
    assert french.doi == "10.9999/bdc.2022.0071"
    assert french.dois == [
        DoiRef("10.9999/bdc.2022.0071"),
        DoiRef("10.9999/bdc.2022.0199", DoiRelation.CORRECTION),
    ]
    # A record that follows another without a blank line still starts at its PMID.
    assert dosing.pmid == "37000606"
    assert dosing.title == "Sotorasib dosing in older adults: a pharmacokinetic substudy"
    assert dosing.authors == ["An Invented Thoracic Oncology Group"]
    assert dosing.year == 2020
    assert dosing.nct_ids == ["NCT09999902", "NCT09999903"]


def test_tags_without_padding_and_wrapped_lines() -> None:
    data = (
        b"PMID- 1234\nTI - A short\n      title.\nAU - Lee K\nDP - 2019 May\n"
        b"AB  - One\n      two.\n"
    )
    [article] = parse_medline(data, "x.nbib").articles
    assert (article.title, article.authors, article.year) == ("A short title", ["Lee K"], 2019)
    assert article.abstract == "One two."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"TI  - A title\nAU  - Lee K\n", "not valid MEDLINE: no PMID line"),
        (b"random words\n", "not valid MEDLINE"),
        (b"   \n", "empty"),
    ],
)
def test_files_that_are_not_medline_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailure, match=message):
        parse_medline(data, "x.nbib")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_files_fail_only_with_import_failure(data: st.DataObject) -> None:
    original = bytearray((MEDLINE / "quirks.nbib").read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    try:
        parsed = parse_medline(bytes(original), "x.nbib")
    except ImportFailure:
        return
    assert all((r.article is None) != (r.problem is None) for r in parsed.records)
