"""JATS full text (PMC .nxml): metadata, the readable text, references with their DOIs."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.core.models import Article, DoiRef, DoiRelation
from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.jats import FORMAT_JATS, parse_jats

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports" / "jats"


def _parse(name: str) -> ParsedFile:
    return parse_jats((FIXTURES / name).read_bytes(), name)


@pytest.fixture(scope="module")
def article() -> Article:
    parsed = _parse("article.nxml")
    assert [r.label for r in parsed.records] == ["the article"]
    assert parsed.format == FORMAT_JATS
    return parsed.articles[0]


def test_metadata_comes_from_article_meta(article: Article) -> None:
    # The footnote mark after the title (an xref) is not part of it.
    assert article.title == (
        "Ravelimab with concurrent chemoradiotherapy in limited-stage small cell lung cancer: "
        "the RAVEN phase 2 trial"
    )
    # Authors only (not the editor); a group author by its name; named entities decoded.
    assert article.authors == ["Kowalczyk AM", "Dupré L", "The Imaginary Thoracic Trials Group"]
    assert article.journal == "Journal of Example Oncology"
    assert article.year == 2023  # the epub date is preferred to the print issue's 2024
    assert article.doi == "10.9999/jeo.2024.0211"
    assert article.pmid == "39100111"
    assert article.pmcid == "PMC9100111"
    assert article.keywords == ["small cell lung cancer", "chemoradiotherapy", "ravelimab"]
    assert article.nct_ids == ["NCT09999911"]
    assert article.source_format == "jats"


def test_the_abstract_keeps_its_section_labels(article: Article) -> None:
    assert article.abstract == (
        "Background: Limited-stage small cell lung cancer often relapses after "
        "chemoradiotherapy.\n\n"
        "Methods: Sixty patients received ravelimab with cisplatin, etoposide and thoracic "
        "radiotherapy (NCT09999911).\n\n"
        "Results: The 2-year progression-free survival was 48% (95% CI 35–60); grade ≥3 "
        "pneumonitis occurred in 7% (4/60).\n\n"
        "Conclusions: Ravelimab added to chemoradiotherapy was feasible."
    )
    assert "teaser" not in article.text


def test_the_text_is_title_abstract_then_body_with_headings_on_their_own_lines(
    article: Article,
) -> None:
    blocks = article.text.split("\n\n")
    assert blocks[:4] == [article.title, "Abstract", "Background", blocks[3]]
    assert blocks[3].startswith("Limited-stage small cell lung cancer often relapses")
    # Section and nested section headings, each a block of its own, in order.
    headings = ["Introduction", "Methods", "Patients", "Statistical analysis", "Results"]
    positions = [blocks.index(h, blocks.index("Conclusions")) for h in headings]
    assert positions == sorted(positions)
    assert blocks[positions[1] + 1] == "Patients"  # "Methods" then straight its subsection
    assert article.text.endswith("\n")


def test_inline_markup_entities_and_superscripts(article: Article) -> None:
    text = article.text
    assert (
        "Thoracic radiotherapy with platinum–etoposide cures a minority of patients [1,2]. "
        "Consolidation with a checkpoint inhibitor after chemoradiotherapy has been studied in "
        "non-small cell disease [3]."
    ) in text
    assert "a neutrophil count of at least 1.5 × 10^9/L were eligible." in text
    assert "at 2 years." in text  # a no-break space is a space in the text


def test_tables_figures_and_lists_are_readable(article: Article) -> None:
    blocks = article.text.split("\n\n")
    table = blocks.index("Table 1. Adverse events of grade 3 or higher.")
    assert blocks[table + 1] == (
        "Event | Patients, n (%)\nPneumonitis | 4 (7)\nOesophagitis | 6 (10)"
    )
    assert blocks[table + 2] == "Graded with a fictional version of the common criteria."
    figure = blocks.index(
        "Figure 1. Progression-free survival. Kaplan–Meier estimate for all 60 patients."
    )
    # The figure sits in a paragraph: the paragraph's sentence comes first.
    assert blocks[figure - 1] == "Progression-free survival at 2 years was 48%."
    assert "- Secondary: overall survival.\n- Secondary: safety." in blocks
    assert "jpg" not in article.text


def test_references_one_line_each_with_their_dois(article: Article) -> None:
    text = article.text
    references = text[text.index("\n\nReferences\n\n") + len("\n\nReferences\n\n") :]
    assert references.splitlines() == [
        "1. Varga T, Okafor NC, et al. Ostrelimab plus carboplatin and etoposide in "
        "extensive-stage small cell lung cancer: a randomised phase 2 trial. J Thorac Oncol. "
        "2024;19:801-812. doi:10.9999/jto.2024.0117 PMID: 39000101",
        "2. Haddad R, Novak P, Ferreira-Lima A. Sotorasib after progression on immunotherapy. "
        "Lung Cancer. 2025;199:1–9. doi: 10.9999/lc.2025.0893",
        "3. Imaginary A. Consolidation after chemoradiotherapy. Example J. 2019;1:1–2. "
        "10.9999/example.2019.0003",
        "4. Textbook of Imaginary Oncology. 3rd ed. Nowhere: Example Press; 2020.",
    ]
    # The article's own DOI stays primary; the cited articles' DOIs are related ones.
    assert article.dois == [
        DoiRef("10.9999/jeo.2024.0211"),
        DoiRef("10.9999/jto.2024.0117", DoiRelation.RELATED),
        DoiRef("10.9999/lc.2025.0893", DoiRelation.RELATED),
        DoiRef("10.9999/example.2019.0003", DoiRelation.RELATED),
    ]


def test_an_article_set_imports_each_article() -> None:
    parsed = _parse("articleset.xml")
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("article 1", None),
        ("article 2", "the record has no title"),
        ("article 3", None),
    ]
    tdxd, case = parsed.articles
    assert tdxd.title.startswith("Cardiac events with trastuzumab deruxtecan in HER2-low")
    assert tdxd.authors == ["Moreau C", "Takahashi K", "Adeyemi O"]
    assert tdxd.journal == "Breast Cancer Research and Treatment"
    assert tdxd.year == 2023  # JATS 1.1 dates: the electronic one is preferred
    assert tdxd.pmcid == "PMC9000202"
    assert tdxd.doi == "10.9999/bcrt.2023.0452"
    assert tdxd.text.endswith(
        "Most events resolved after dose interruption.\n\nA body without sections.\n"
    )
    assert case.title == "A case of late cardiotoxicity: report and review"
    assert case.year == 2022
    # Its only DOI is a cited article's: the article has none of its own.
    assert case.doi is None
    assert case.dois == [DoiRef("10.9999/cited.case.2020", DoiRelation.RELATED)]


def test_namespaced_jats_is_read() -> None:
    data = (
        b'<article xmlns="https://jats.nlm.nih.gov/ns/archiving/1.3/"><front><article-meta>'
        b"<title-group><article-title>Namespaced &amp; fine</article-title></title-group>"
        b'<article-id pub-id-type="doi">10.9999/ns.1</article-id>'
        b"</article-meta></front><body><sec><title>One</title><p>Text.</p></sec></body></article>"
    )
    article = parse_jats(data, "ns.xml").articles[0]
    assert article.title == "Namespaced & fine"
    assert article.doi == "10.9999/ns.1"
    assert article.text == "Namespaced & fine\n\nOne\n\nText.\n"


def test_an_article_without_front_matter_is_a_problem() -> None:
    parsed = parse_jats(b"<article><body><p>Only a body.</p></body></article>", "bare.nxml")
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("the article", "the article has no front matter (article-meta), so no title")
    ]


def test_xml_of_another_kind_is_refused() -> None:
    with pytest.raises(ImportFailure, match=r"not a JATS article \(its main element is <html>"):
        parse_jats(b"<html><body><p>Not JATS.</p></body></html>", "page.xml")


def test_an_article_that_declares_entities_is_refused() -> None:
    data = b'<!DOCTYPE article [<!ENTITY x SYSTEM "file:///etc/hostname">]><article>&x;</article>'
    with pytest.raises(ImportFailure, match="declares its own XML entities"):
        parse_jats(data, "evil.nxml")
