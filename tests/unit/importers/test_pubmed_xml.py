"""PubMed XML (efetch's PubmedArticleSet and the older MedlineCitationSet)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewapp.core.models import Article, DoiRef, DoiRelation
from reviewapp.importers import parse_bytes
from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.pubmed_xml import FORMAT_PUBMED_XML, parse_pubmed_xml

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports" / "pubmed_xml"


def _parse(name: str) -> ParsedFile:
    return parse_pubmed_xml((FIXTURES / name).read_bytes(), name)


def _by_pmid(parsed: ParsedFile) -> dict[str, Article]:
    return {a.pmid or "": a for a in parsed.articles}


def test_canonical_articles_come_in_with_every_field() -> None:
    parsed = _parse("canonical.xml")
    assert parsed.format == FORMAT_PUBMED_XML
    assert [r.label for r in parsed.records] == [
        "record 1 (PMID 39000101)",
        "record 2 (PMID 38000202)",
        "record 3 (PMID 40000303)",
    ]
    assert parsed.problems == []
    ostrelimab = _by_pmid(parsed)["39000101"]
    assert ostrelimab.title == (
        "Ostrelimab plus carboplatin and etoposide in extensive-stage small cell lung cancer: "
        "a randomised phase 2 trial"
    )
    assert ostrelimab.authors == ["Varga T", "Okafor NC", "Lindqvist M"]
    # The subtitle PubMed gives after " : " is not part of the journal's name.
    assert ostrelimab.journal == "Journal of Thoracic Oncology"
    assert ostrelimab.year == 2024
    assert ostrelimab.doi == "10.9999/jto.2024.0117"
    assert ostrelimab.nct_ids == ["NCT09999901"]
    assert ostrelimab.keywords == ["small cell lung cancer", "PD-L1", "chemoimmunotherapy"]
    assert ostrelimab.source_format == "pubmed-xml"
    assert ostrelimab.abstract == (
        "Background: Extensive-stage small cell lung cancer relapses early after platinum "
        "doublets.\n\n"
        "Methods: 120 patients were randomised 1:1 to ostrelimab with carboplatin and etoposide "
        "or chemotherapy alone (NCT09999901).\n\n"
        "Results: The objective response rate was 48% (29/60) with ostrelimab and 35% (21/60) "
        "without; median progression-free survival was 5.9 versus 4.3 months (HR 0.71, 95% CI "
        "0.52–0.97). Grade 3 or higher neutropenia occurred in 22% (13/60).\n\n"
        "Conclusion: Ostrelimab improved response with manageable toxicity."
    )
    assert ostrelimab.text.startswith(ostrelimab.title + "\n\nBackground: Extensive-stage")
    assert "Copyright" not in (ostrelimab.abstract or "")


def test_inline_markup_and_elocation_doi() -> None:
    tdxd = _by_pmid(_parse("canonical.xml"))["38000202"]
    assert tdxd.title == (
        "Cardiac events with trastuzumab deruxtecan in HER2-low metastatic breast cancer: "
        "a pooled safety analysis"
    )
    assert tdxd.authors == ["Moreau C", "Takahashi K", "Adeyemi O"]
    assert tdxd.journal == "Breast Cancer Research and Treatment"
    assert tdxd.year == 2023
    assert tdxd.doi == "10.9999/bcrt.2023.0452"
    assert tdxd.abstract is not None
    assert tdxd.abstract.startswith("Left ventricular dysfunction was reported in 2.1% (19/902)")
    assert "with HER2-low metastatic" in tdxd.abstract
    assert tdxd.keywords == ["trastuzumab deruxtecan", "cardiotoxicity", "HER2-low"]


def test_medline_date_abbreviation_pmc_erratum_and_cited_references() -> None:
    sotorasib = _by_pmid(_parse("canonical.xml"))["40000303"]
    assert sotorasib.title.startswith("Sotorasib after progression on immunotherapy in KRAS G12C")
    # The misspelt author PubMed keeps as ValidYN="N" is left out.
    assert sotorasib.authors == ["Haddad R", "Novak P", "Ferreira-Lima A"]
    assert sotorasib.journal == "Lung Cancer"  # from ISOAbbreviation: no Title
    assert sotorasib.year == 2025  # from MedlineDate "2025 Jan-Feb"
    assert sotorasib.pmcid == "PMC9990303"
    assert sotorasib.doi == "10.9999/lc.2025.0893"
    assert sotorasib.dois == [
        DoiRef("10.9999/lc.2025.0893"),
        DoiRef("10.9999/lc.2025.0893.corr", DoiRelation.CORRECTION),
    ]
    # The ReferenceList's identifiers are the cited articles', never this one's.
    assert "nejm" not in repr(sotorasib.dois)
    assert sotorasib.abstract is not None
    assert "(95% CI 8.7–11.9)" in sotorasib.abstract
    assert sotorasib.keywords == ["KRAS G12C", "sotorasib", "hepatotoxicity"]


def test_older_medline_citation_set() -> None:
    parsed = _parse("medline_citation_set.xml")
    assert [r.label for r in parsed.records] == [
        "record 1 (PMID 17000404)",
        "record 2 (PMID 17000505)",
    ]
    first, second = parsed.articles
    # PubMed's closing full stop on the title is dropped.
    assert first.title == (
        "Weekly paclitaxel in elderly patients with advanced ovarian cancer: a single-arm study"
    )
    assert first.authors == [
        "Brennan SM",
        "de la Cruz JA",
        "Imaginary Gynaecologic Oncology Group",
    ]
    assert first.journal == "Journal of clinical examples"
    assert first.year == 2006
    assert first.doi is None
    assert first.pmid == "17000404"
    # Without author keywords, MeSH descriptors stand in.
    assert first.keywords == ["Aged", "Ovarian Neoplasms", "Paclitaxel"]
    assert second.journal == "Leukemia & lymphoma examples"
    assert second.doi == "10.9999/lle.2007.12.0505"
    assert second.year == 2007
    assert second.abstract is None
    assert (
        second.text
        == "Imatinib dose escalation after suboptimal response in chronic myeloid leukaemia\n"
    )


def test_broken_records_are_problems_and_the_rest_come_in() -> None:
    parsed = _parse("broken_record.xml")
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("record 1 (PMID 36000606)", None),
        ("record 2 (PMID 36000707)", "the record has no title"),
        ("record 3 (PMID 36000808)", "the record has no Article part (and so no title)"),
        ("record 4 (PMID 36000909)", None),
    ]
    good, book = parsed.articles
    assert good.title == "Neutropenia with pegfilgrastim given on the same day as chemotherapy"
    assert good.authors == ["Lund E"]
    assert good.year == 2022
    assert book.title == "Managing mucositis during head and neck radiotherapy"
    assert book.journal == "Handbook of Example Supportive Care"
    assert book.authors == ["Sato Y"]
    assert book.year == 2021
    assert book.pmid == "36000909"
    assert book.abstract == "Oral care and early analgesia reduce the severity of mucositis."


def test_a_single_pubmed_article_as_the_root() -> None:
    data = (
        b"<PubmedArticle><MedlineCitation><PMID>123</PMID><Article>"
        b"<ArticleTitle>A lone article</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    )
    parsed = parse_pubmed_xml(data, "one.xml")
    assert [(r.label, r.article.title if r.article else None) for r in parsed.records] == [
        ("record 1 (PMID 123)", "A lone article")
    ]


def test_xml_of_another_kind_is_refused() -> None:
    with pytest.raises(ImportFailure, match=r"not PubMed XML \(its main element is <rss>"):
        parse_pubmed_xml(b"<rss><channel/></rss>", "feed.xml")


def test_an_empty_article_set_has_no_records() -> None:
    with pytest.raises(ImportFailure, match="no records found"):
        parse_pubmed_xml(b"<PubmedArticleSet></PubmedArticleSet>", "empty.xml")


def test_malformed_xml_is_refused_with_its_line() -> None:
    data = (FIXTURES / "canonical.xml").read_bytes().replace(b"</ArticleTitle>", b"</Title>", 1)
    with pytest.raises(
        ImportFailure, match=r"not well-formed XML \(line 26: Opening and ending tag mismatch"
    ):
        parse_pubmed_xml(data, "broken.xml")


def test_a_large_file_parses_whole() -> None:
    # How long it takes is measured by benchmarks.import_formats (its "pubmed-xml" line).
    source = (FIXTURES / "canonical.xml").read_text(encoding="utf-8")
    articles = re.findall(r"<PubmedArticle>.*?</PubmedArticle>", source, re.DOTALL)
    head = source.split("<PubmedArticleSet>")[0]
    body = "".join(articles[i % 3] for i in range(2_000))
    data = f"{head}<PubmedArticleSet>{body}</PubmedArticleSet>".encode()
    parsed = parse_pubmed_xml(data, "big.xml")
    assert len(parsed.articles) == 2_000
    assert parsed.articles[-1].title.startswith("Cardiac events")


_BOOK = """<PubmedBookArticle><BookDocument><PMID Version="1">31234567</PMID>
<Book><Publisher><PublisherName>Imaginary Oncology Press</PublisherName></Publisher>
<BookTitle book="onco">Handbook of Invented Bispecific Antibodies</BookTitle>
<PubDate><Year>2023</Year></PubDate></Book>
<ArticleTitle book="onco" part="ch4">Cytokine release after T-cell engagers</ArticleTitle>
<AuthorList Type="authors"><Author><LastName>Marsh</LastName><ForeName>Tobin</ForeName>
<Initials>T</Initials></Author></AuthorList>
<Abstract><AbstractText>Cytokine release in 31 of 88 invented patients.</AbstractText></Abstract>
</BookDocument></PubmedBookArticle>"""
_JOURNAL_ARTICLE = """<PubmedArticle><MedlineCitation><PMID Version="1">39990001</PMID>
<Article><Journal><JournalIssue><PubDate><Year>2024</Year></PubDate></JournalIssue>
<Title>Invented Journal of Oncology</Title></Journal>
<ArticleTitle>An invented journal article between books.</ArticleTitle></Article>
</MedlineCitation></PubmedArticle>"""


@pytest.mark.parametrize(
    ("root", "records", "titles"),
    [
        ("PubmedBookArticleSet", _BOOK, ["Cytokine release after T-cell engagers"]),
        (
            "PubmedArticleSet",
            _JOURNAL_ARTICLE + _BOOK,
            ["An invented journal article between books", "Cytokine release after T-cell engagers"],
        ),
    ],
)
def test_bookshelf_books_and_chapters_alone_or_among_articles(
    root: str, records: str, titles: list[str]
) -> None:
    data = f'<?xml version="1.0"?>\n<{root}>{records}</{root}>'.encode()
    parsed = parse_bytes(data, "pubmed.xml")  # recognised by its root, then read
    assert parsed.format == FORMAT_PUBMED_XML
    assert [a.title for a in parsed.articles] == titles
    book = parsed.articles[-1]
    assert (book.year, book.authors, book.pmid) == (2023, ["Marsh T"], "31234567")
    assert book.journal == "Handbook of Invented Bispecific Antibodies"
