"""EndNote XML exports: style runs, authors, identifiers, keywords, a record without title."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.core.models import Article
from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.endnote_xml import FORMAT_ENDNOTE_XML, parse_endnote_xml

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports" / "endnote_xml"


@pytest.fixture(scope="module")
def parsed() -> ParsedFile:
    return parse_endnote_xml((FIXTURES / "canonical.xml").read_bytes(), "canonical.xml")


def _article(parsed: ParsedFile, pmid_or_title: str) -> Article:
    return next(a for a in parsed.articles if pmid_or_title in (a.pmid, a.title[:20]))


def test_records_and_the_one_without_a_title(parsed: ParsedFile) -> None:
    assert parsed.format == FORMAT_ENDNOTE_XML
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("record 1 (EndNote record 17)", None),
        ("record 2 (EndNote record 18)", None),
        ("record 3 (EndNote record 19)", None),
        ("record 4 (EndNote record 20)", "the record has no title"),
        ("record 5 (EndNote record 21)", None),
    ]


def test_ostrelimab(parsed: ParsedFile) -> None:
    article = _article(parsed, "39000101")
    assert article.title == (
        "Ostrelimab plus carboplatin and etoposide in extensive-stage small cell lung cancer: "
        "a randomised phase 2 trial"
    )
    assert article.authors == ["Varga T", "Okafor NC", "Lindqvist M"]
    assert article.journal == "Journal of Thoracic Oncology"
    assert article.year == 2024
    assert article.doi == "10.9999/jto.2024.0117"
    assert article.keywords == ["small cell lung cancer", "PD-L1", "chemoimmunotherapy"]
    assert article.nct_ids == ["NCT09999901"]
    assert article.abstract is not None
    assert article.abstract.startswith("Background: Extensive-stage small cell lung cancer")
    assert article.abstract.endswith(
        "Conclusion: Ostrelimab improved response with manageable toxicity."
    )
    assert "(HR 0.71, 95% CI 0.52–0.97)" in article.abstract
    assert article.source_format == "endnote-xml"


def test_style_runs_are_joined_and_identifiers_found_in_their_wrappings(
    parsed: ParsedFile,
) -> None:
    article = _article(parsed, "38000202")  # the PMID from the PubMed link
    assert article.title == (
        "Cardiac events with trastuzumab deruxtecan in HER2-low metastatic breast cancer: "
        "a pooled safety analysis"
    )
    assert article.authors == ["Moreau C", "Takahashi K", "Adeyemi O"]
    assert article.journal == "Breast Cancer Research and Treatment"  # secondary title
    assert article.year == 2023
    assert article.doi == "10.9999/bcrt.2023.0452"  # from "10.9999/... [doi]\rS0000... [pii]"
    assert article.pmcid == "PMC9000202"
    # One keyword element holding several, separated by carriage returns.
    assert article.keywords == ["trastuzumab deruxtecan", "cardiotoxicity", "HER2-low"]


def test_doi_url_keywords_with_semicolons_and_abstract_runs(parsed: ParsedFile) -> None:
    article = _article(parsed, "40000303")
    assert article.authors == ["Haddad R", "Novak P", "Ferreira-Lima A"]
    assert article.journal == "Lung Cancer"
    assert article.year == 2025
    assert article.doi == "10.9999/lc.2025.0893"
    assert article.keywords == ["KRAS G12C", "sotorasib", "hepatotoxicity"]
    assert article.abstract == (
        "Among 214 patients treated with sotorasib after immunotherapy, the real-world response "
        "rate was 31% (66/214) and median overall survival 10.2 months (95% CI 8.7–11.9). "
        "Hepatotoxicity of grade 3 or higher occurred in 9% (19/214), more often when sotorasib "
        "began within 30 days of the last checkpoint inhibitor dose."
    )


def test_group_author_paragraphs_and_foreign_accession_numbers(parsed: ParsedFile) -> None:
    article = _article(parsed, "A news report on a f")
    assert article.authors == ["Imaginary Oncology News Desk"]
    assert article.abstract == "First paragraph.\n\nSecond paragraph."
    # A Web of Science accession number is not a PMID.
    assert article.pmid is None
    assert article.journal is None
    assert article.year == 2025


def test_a_single_record_root_and_other_xml() -> None:
    one = parse_endnote_xml(b"<record><titles><title>Just one</title></titles></record>", "a.xml")
    assert [a.title for a in one.articles] == ["Just one"]
    with pytest.raises(
        ImportFailure, match=r"not EndNote XML \(its main element is <PubmedArticleSet>"
    ):
        parse_endnote_xml(b"<PubmedArticleSet/>", "pubmed.xml")
    with pytest.raises(ImportFailure, match="no records found"):
        parse_endnote_xml(b"<xml><records></records></xml>", "empty.xml")
