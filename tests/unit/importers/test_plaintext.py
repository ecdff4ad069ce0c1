"""Plain text and Markdown: the title, labelled metadata, identifiers and the exact body."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.core.models import Article, DoiRef, DoiRelation
from reviewapp.importers import parse_file
from reviewapp.importers.plaintext import looks_like_markdown, parse_plain_text, reads_as_title


def _article(text: str, filename: str = "article.txt") -> Article:
    parsed = parse_plain_text(text, filename)
    assert len(parsed.articles) == 1
    return parsed.articles[0]


def test_a_long_lead_paragraph_is_skipped_and_the_next_short_line_is_the_title() -> None:
    text = (
        "Researchers report that a new oral inhibitor slowed disease in a small group of "
        "patients with pretreated lung cancer, according to a summary released this week.\n"
        "Oral Inhibitor Slows Pretreated Lung Cancer\n"
        "The body of the news item follows.\n"
    )
    article = _article(text)
    assert article.title == "Oral Inhibitor Slows Pretreated Lung Cancer"
    assert article.text == text
    assert article.source_format == "text"


def test_markdown_heading_wins_over_an_earlier_title_like_line() -> None:
    text = (
        "Posted by the editorial desk today\n\n"
        "# **Bispecific Antibodies in Myeloma**\n\n"
        "## Background\n\nBody text.\n"
    )
    article = _article(text, "notes.md")
    assert article.title == "Bispecific Antibodies in Myeloma"
    assert article.source_format == "markdown"


def test_markdown_is_recognised_by_heading_without_the_extension() -> None:
    text = "## Dose Escalation of a Novel Agent\n\nText.\n"
    assert looks_like_markdown(text, "plain.txt")
    assert not looks_like_markdown("#hashtag not a heading", "plain.txt")
    assert looks_like_markdown("anything", "x.markdown")
    assert _article(text).source_format == "markdown"


def test_labelled_lines_are_read() -> None:
    text = (
        "# Durvalumab After Chemoradiotherapy: A Review\n\n"
        "Authors: Rivera P; Okafor N; Lindqvist M\n"
        "Journal: Journal of Thoracic Examples\n"
        "Year: published 2023\n"
        "DOI: https://doi.org/10.9999/JTE.2023.0007.\n"
        "PMID: 30000001\n\n"
        "Body mentions NCT01234567 and PMC1234567.\n"
    )
    article = _article(text, "review.md")
    assert article.authors == ["Rivera P", "Okafor N", "Lindqvist M"]
    assert article.journal == "Journal of Thoracic Examples"
    assert article.year == 2023
    assert article.doi == "10.9999/jte.2023.0007"
    assert article.dois == [DoiRef("10.9999/jte.2023.0007", DoiRelation.SOURCE)]
    assert article.pmid == "30000001"
    assert article.pmcid == "PMC1234567"
    assert article.nct_ids == ["NCT01234567"]
    assert article.text == text


def test_by_source_and_date_labels_and_authors_joined_by_and() -> None:
    text = (
        "A Report On Something Important\n"
        "By: Jane Smith and Omar Haddad\n"
        "Source: The Oncologist\n"
        "Date: 3 March 2021\n"
        "Body.\n"
    )
    article = _article(text)
    assert article.title == "A Report On Something Important"
    assert article.authors == ["Jane Smith", "Omar Haddad"]
    assert article.journal == "The Oncologist"
    assert article.year == 2021


def test_a_labelled_doi_not_in_the_body_text_comes_first() -> None:
    text = "A Title With Enough Words\nDOI: 10.1000/LABEL\nSee also 10.1000/other.\n"
    article = _article(text)
    assert article.doi == "10.1000/label"
    assert [ref.doi for ref in article.dois] == ["10.1000/label", "10.1000/other"]


def test_reference_line_gives_authors_journal_and_year_and_the_correction() -> None:
    text = (
        "Antibody Added to Chemotherapy in Adult ALL\n"
        "Body text about the trial.\n"
        "Reference:\n"
        "Luskin MR, Yin J, Lozanski G, et al. A phase 1/2 study [published correction appears "
        "in Cancer. 2025;131(6):e35803. doi: 10.1002/cncr.35803.]. Cancer. 2025;131(4):e35750. "
        "doi:10.1002/cncr.35750\n"
    )
    article = _article(text)
    assert article.authors == ["Luskin MR", "Yin J", "Lozanski G"]
    assert article.journal == "Cancer"
    assert article.year == 2025
    assert article.doi == "10.1002/cncr.35750"
    assert DoiRef("10.1002/cncr.35803", DoiRelation.CORRECTION) in article.dois


def test_abstract_under_a_heading() -> None:
    text = "# A Trial Of Something New\n\n## Abstract\n\nFirst line.\nSecond line.\n\n## Results\n"
    assert _article(text, "a.md").abstract == "First line. Second line."
    assert _article("A Trial Of Something New\nno abstract here\n").abstract is None


def test_without_a_title_like_line_the_first_sentence_is_used() -> None:
    text = "Short. Then more text follows here.\n"
    assert _article(text).title == "Short"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Alveltamig Reaches Its First U.S. Patient", True),
        ("“Quoted” Title With Words", True),
        ("This line ends with a full stop.", False),
        ("- a bullet item here", False),
        ("Authors: Smith J; Doe A", False),
        ("Two words", False),
        ("Wait for it...", True),
        ("x " * 40, False),
        ("", False),
    ],
)
def test_reads_as_title(line: str, expected: bool) -> None:
    assert reads_as_title(line) is expected


def test_the_fixture_articles(articles_dir: Path) -> None:
    alemtuzumab = parse_file(articles_dir / "alemtuzumab_all.txt").articles[0]
    assert alemtuzumab.title == (
        "Anti-CD52 Alemtuzumab With Chemotherapy in Adult ALL: Phase 1/2 Results"
    )
    assert alemtuzumab.authors == ["Luskin MR", "Yin J", "Lozanski G"]
    assert (alemtuzumab.journal, alemtuzumab.year) == ("Cancer", 2025)
    assert alemtuzumab.doi == "10.1002/cncr.35750"
    assert alemtuzumab.text == (articles_dir / "alemtuzumab_all.txt").read_text(encoding="utf-8")

    kras = parse_file(articles_dir / "fictional_kras.md").articles[0]
    assert kras.title.startswith("Dose-Finding of an Oral KRAS G12C Inhibitor")
    assert kras.doi == "10.9999/jfo.2024.0042"
    assert (kras.pmid, kras.nct_ids) == ("31234567", ["NCT01234567"])
    assert kras.abstract is not None and kras.abstract.startswith("A fictional phase 2 trial")

    alveltamig = parse_file(articles_dir / "alveltamig_sclc.txt").articles[0]
    assert (
        alveltamig.title == "First U.S. Patient Treated With Alveltamig for Small Cell Lung Cancer"
    )
    assert alveltamig.nct_ids == ["NCT09999901"]
    assert alveltamig.doi is None


@pytest.mark.parametrize(
    ("dateline", "year"),
    [
        ("By Jane Doe, PharmD | March 3, 2026", 2026),
        ("By Tobin Marsh and Amara Quill · 12 Feb 2025", 2025),
        ("Staff report — 2024-11-30", 2024),
        ("Updated: 7 June 2023, 10:15", 2023),
        ("March 3, 2022", 2022),
    ],
)
def test_the_year_of_a_dateline_under_the_headline(dateline: str, year: int) -> None:
    text = (
        "Invented drug slows invented lymphoma in a small trial\n"
        f"{dateline}\n\n"
        "The invented drug was given to 40 patients. Responses were seen in 12 of 40.\n"
    )
    [article] = parse_plain_text(text, "story.txt").articles
    assert article.year == year
    assert article.title == "Invented drug slows invented lymphoma in a small trial"


def test_a_date_deep_in_the_text_is_not_the_articles_year() -> None:
    body = "\n".join(f"Paragraph {n} of the invented story." for n in range(20))
    text = f"Invented drug slows invented lymphoma\n\n{body}\nMarch 3, 2019\n"
    [article] = parse_plain_text(text, "story.txt").articles
    assert article.year is None


def test_a_storys_first_publication_comes_before_its_update() -> None:
    text = (
        "Invented drug slows invented lymphoma\n"
        "Updated January 5, 2027\n"
        "Published December 30, 2026\n\n"
        "The invented drug was given to 40 patients.\n"
    )
    [article] = parse_plain_text(text, "story.txt").articles
    assert article.year == 2026
