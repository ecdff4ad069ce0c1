"""RIS: the exporters' quirks (BOM, CRLF, wrapped lines, tabs, missing ER) and every field.

The expected values of the three CANONICAL.md articles live here and are shared with the
MEDLINE, CSL-JSON and table tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewapp.core.models import Article, DoiRelation
from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.ris import FORMAT_RIS, parse_ris

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports"
RIS = FIXTURES / "ris"


@dataclass(frozen=True)
class Expected:
    title: str
    authors: list[str]
    journal: str
    year: int
    doi: str
    pmid: str
    abstract: str
    keywords: list[str]


CANONICAL = {
    "ostrelimab": Expected(
        title="Ostrelimab plus carboplatin and etoposide in extensive-stage small cell lung "
        "cancer: a randomised phase 2 trial",
        authors=["Varga T", "Okafor NC", "Lindqvist M"],
        journal="Journal of Thoracic Oncology",
        year=2024,
        doi="10.9999/jto.2024.0117",
        pmid="39000101",
        abstract="Background: Extensive-stage small cell lung cancer relapses early after "
        "platinum doublets. Methods: 120 patients were randomised 1:1 to ostrelimab with "
        "carboplatin and etoposide or chemotherapy alone (NCT09999901). Results: The objective "
        "response rate was 48% (29/60) with ostrelimab and 35% (21/60) without; median "
        "progression-free survival was 5.9 versus 4.3 months (HR 0.71, 95% CI 0.52–0.97). "
        "Grade 3 or higher neutropenia occurred in 22% (13/60). Conclusion: Ostrelimab "
        "improved response with manageable toxicity.",
        keywords=["small cell lung cancer", "PD-L1", "chemoimmunotherapy"],
    ),
    "tdxd-cardiac": Expected(
        title="Cardiac events with trastuzumab deruxtecan in HER2-low metastatic breast "
        "cancer: a pooled safety analysis",
        authors=["Moreau C", "Takahashi K", "Adeyemi O"],
        journal="Breast Cancer Research and Treatment",
        year=2023,
        doi="10.9999/bcrt.2023.0452",
        pmid="38000202",
        abstract="Left ventricular dysfunction was reported in 2.1% (19/902) of patients with "
        "HER2-low metastatic breast cancer treated with trastuzumab deruxtecan across four "
        "trials; grade 3 events occurred in 0.4% (4/902). Most events resolved after dose "
        "interruption.",
        keywords=["trastuzumab deruxtecan", "cardiotoxicity", "HER2-low"],
    ),
    "sotorasib-rw": Expected(
        title="Sotorasib after progression on immunotherapy in KRAS G12C-mutated non-small "
        "cell lung cancer: real-world outcomes",
        authors=["Haddad R", "Novak P", "Ferreira-Lima A"],
        journal="Lung Cancer",
        year=2025,
        doi="10.9999/lc.2025.0893",
        pmid="40000303",
        abstract="Among 214 patients treated with sotorasib after immunotherapy, the "
        "real-world response rate was 31% (66/214) and median overall survival 10.2 months "
        "(95% CI 8.7–11.9). Hepatotoxicity of grade 3 or higher occurred in 9% (19/214), more "
        "often when sotorasib began within 30 days of the last checkpoint inhibitor dose.",
        keywords=["KRAS G12C", "sotorasib", "hepatotoxicity"],
    ),
}
ORDER = ("ostrelimab", "tdxd-cardiac", "sotorasib-rw")
ALL_FIELDS = frozenset(
    {"title", "authors", "journal", "year", "doi", "pmid", "abstract", "keywords"}
)


def assert_canonical(
    articles: list[Article], source_format: str, fields: frozenset[str] = ALL_FIELDS
) -> None:
    """The three CANONICAL.md articles, in order, with every field ``fields`` names."""
    assert [a.title for a in articles] == [CANONICAL[k].title for k in ORDER]
    for article, key in zip(articles, ORDER, strict=True):
        expected = CANONICAL[key]
        assert article.source_format == source_format
        for name in fields:
            assert getattr(article, name) == getattr(expected, name), (key, name)
    assert articles[0].nct_ids == ["NCT09999901"]
    if "abstract" in fields:
        assert articles[0].text == f"{CANONICAL['ostrelimab'].title}\n\n{articles[0].abstract}\n"


def _parse(name: str) -> ParsedFile:
    return parse_ris((RIS / name).read_bytes(), name)


def test_zotero_export_with_bom_and_crlf_gives_the_three_articles() -> None:
    data = (RIS / "canonical.ris").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    parsed = _parse("canonical.ris")
    assert parsed.format == FORMAT_RIS == "ris"
    assert parsed.problems == []
    assert_canonical(parsed.articles, "ris")
    assert [r.label for r in parsed.records] == [
        "record 1 (line 1)",
        "record 2 (line 25)",
        "record 3 (line 44)",
    ]
    # The PMCID comes from C2; the third record's DOI and PMID only from its URLs.
    assert [a.pmcid for a in parsed.articles] == [None, "PMC10999202", None]


def test_endnote_export_in_cp1252_with_wrapped_lines() -> None:
    data = (RIS / "endnote.ris").read_bytes()
    assert "–".encode("cp1252") in data  # the en dash of "0.52–0.97" as one byte
    parsed = _parse("endnote.ris")
    assert parsed.problems == []
    assert_canonical(parsed.articles[:3], "ris")
    french = parsed.articles[3]
    assert french.title == "Réponse précoce au durvalumab – étude de cohorte régionale"
    assert french.authors == ["Dupré H", "Lefèvre JN"]
    assert french.journal == "Bulletin du Cancer"
    assert french.doi == "10.9999/bdc.2022.0071"
    # The DOI of the first record is in M3, where old EndNote versions put it.
    assert parsed.articles[0].doi == "10.9999/jto.2024.0117"


def test_scopus_export_with_tabs_one_space_and_empty_tags() -> None:
    data = (RIS / "scopus.ris").read_bytes()
    assert b"TY\t- JOUR" in data and b"TY  -\tJOUR" in data and b"\nTY - JOUR" in data
    parsed = _parse("scopus.ris")
    assert parsed.problems == []
    assert_canonical(parsed.articles, "ris")
    # The Scopus accession number in AN is not a PMID; the PMID is in C2.
    assert parsed.articles[1].pmid == "38000202"


def test_web_of_science_journal_capitals_and_accession_numbers() -> None:
    parsed = _parse("wos.ris")
    assert_canonical(parsed.articles, "ris", ALL_FIELDS - {"pmid", "keywords"})
    assert [a.pmid for a in parsed.articles] == [None, None, None]


def test_missing_er_and_a_record_without_title() -> None:
    parsed = _parse("broken.ris")
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("record 1 (line 3)", None),
        ("record 2 (line 10)", "the record has no title"),
        ("record 3 (line 17)", None),
        ("record 4 (line 22)", None),
    ]
    titles = [a.title for a in parsed.articles]
    assert titles == [CANONICAL[k].title for k in ORDER]
    assert [a.year for a in parsed.articles] == [2024, 2023, 2025]
    # Record 3 ends where record 4's TY begins: its DOI is its own, not record 4's.
    assert parsed.articles[1].doi == "10.9999/bcrt.2023.0452"
    assert parsed.articles[2].authors == ["Haddad R"]


def test_seed_articles() -> None:
    parsed = _parse("seeds.ris")
    alemtuzumab, news = parsed.articles
    assert alemtuzumab.title == (
        "Phase 1/2 study of subcutaneous alemtuzumab intercalated into intensive chemotherapy "
        "for adults with CD52-positive acute lymphoblastic leukemia"
    )
    assert alemtuzumab.authors == ["Luskin MR", "Yin J", "Lozanski G"]
    assert (alemtuzumab.journal, alemtuzumab.year) == ("Cancer", 2025)
    assert alemtuzumab.doi == "10.1002/cncr.35750"
    assert news.title == "First U.S. Patient Treated With Alveltamig for Small Cell Lung Cancer"
    assert (news.journal, news.year, news.doi, news.dois) == ("Targeted Oncology", 2025, None, [])


def test_continuation_keeps_paragraph_breaks_and_joins_wrapped_titles() -> None:
    data = (
        b"TY  - JOUR\nTI  - A wrapped\ntitle line\nAB  - First paragraph\ngoes on.\n\n"
        b"Second paragraph.\nPY  - 2020\nER  - \n"
    )
    [article] = parse_ris(data, "x.ris").articles
    assert article.title == "A wrapped title line"
    assert article.abstract == "First paragraph goes on.\n\nSecond paragraph."
    assert article.year == 2020


def test_an_abstract_line_that_looks_like_an_unknown_tag_stays_in_the_abstract() -> None:
    data = b"TY  - JOUR\nTI  - T\nAB  - Survival was longer\nZZ - not a tag here\nER  - \n"
    [article] = parse_ris(data, "x.ris").articles
    assert article.abstract == "Survival was longer ZZ - not a tag here"


def test_doi_pmid_and_pmcid_from_links() -> None:
    data = (
        b"TY  - JOUR\nTI  - Linked\nUR  - https://doi.org/10.1234/ABC.5\n"
        b"L2  - https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7654321/\n"
        b"UR  - https://pubmed.ncbi.nlm.nih.gov/31234567\nER  - \n"
    )
    [article] = parse_ris(data, "x.ris").articles
    assert (article.doi, article.pmid, article.pmcid) == ("10.1234/abc.5", "31234567", "PMC7654321")
    assert [d.relation for d in article.dois] == [DoiRelation.SOURCE]


def test_chapter_takes_book_title_as_journal() -> None:
    data = b"TY  - CHAP\nTI  - Chapter one\nBT  - A Handbook of Oncology\nPY  - 2019\nER  -\n"
    [article] = parse_ris(data, "x.ris").articles
    assert (article.title, article.journal) == ("Chapter one", "A Handbook of Oncology")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Just some notes\nwith no tags at all\n", "not valid RIS: no TY tag"),
        (b"AU  - Smith, J\nTI  - Orphan\nER  - \n", "not valid RIS: no TY tag"),
        (b"", "empty"),
        (b"\x00\x01\x02\x03" * 50, "binary"),
    ],
)
def test_files_that_are_not_ris_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailure, match=message):
        parse_ris(data, "x.ris")


def test_ten_thousand_records_all_come_in() -> None:
    # How long they take is measured by benchmarks.import_formats (its "ris" line).
    one = (RIS / "canonical.ris").read_bytes()[3:]
    data = one * 3334
    parsed = parse_ris(data, "big.ris")
    assert len(parsed.articles) == 10_002


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_files_fail_only_with_import_failure(data: st.DataObject) -> None:
    original = bytearray((RIS / "broken.ris").read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    try:
        parsed = parse_ris(bytes(original), "x.ris")
    except ImportFailure:
        return
    assert all((r.article is None) != (r.problem is None) for r in parsed.records)


def _titles(text: str) -> list[str]:
    return [a.title for a in parse_ris(text.encode(), "export.ris").articles]


def test_a_first_record_without_its_type_line_is_kept_with_its_own_title() -> None:
    text = (
        "TI  - An invented first record\nAU  - Quill, A.\nPY  - 2021\nER  - \n\n"
        "TY  - JOUR\nTI  - The second record\nPY  - 2022\nER  - \n\n"
        "TY  - JOUR\nTI  - The third record\nPY  - 2023\nER  - \n"
    )
    assert _titles(text) == ["An invented first record", "The second record", "The third record"]


def test_a_broken_type_line_loses_no_record_and_no_title_moves() -> None:
    text = (
        "TY JOUR\nTI  - Broken type line\nPY  - 2020\nER  - \n\n"
        "TY  - JOUR\nTI  - Sound record\nPY  - 2021\nER  - \n"
    )
    assert _titles(text) == ["Broken type line", "Sound record"]


def test_a_record_without_type_after_one_without_end_takes_no_title_from_it() -> None:
    text = (
        "TY  - JOUR\nAU  - Marsh, T.\nTI  - First, never ended\nPY  - 2021\n\n"
        "TI  - Second, never begun\nAU  - Quill, A.\nPY  - 2022\nER  - \n\n"
        "TY  - JOUR\nTI  - Third\nPY  - 2023\nER  - \n"
    )
    articles = parse_ris(text.encode(), "export.ris").articles
    assert [(a.title, a.year, a.authors) for a in articles] == [
        ("First, never ended", 2021, ["Marsh T"]),
        ("Second, never begun", 2022, ["Quill A"]),
        ("Third", 2023, []),
    ]


def test_a_double_spaced_record_stays_one_record() -> None:
    text = (
        "TY  - JOUR\n\nTI  - One record, double spaced\n\nPY  - 2021\n\nN1  - A note.\n\n"
        "PY  - 2021\n\nDO  - 10.1000/invented.1\n\nDO  - 10.1000/invented.1\n\nER  - \n"
    )
    assert _titles(text) == ["One record, double spaced"]
