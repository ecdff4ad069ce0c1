"""The brief as a tumor board reads it: sections in order, outline, links, metadata, page
numbers, Unicode, every quote; and layouts that must not break."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from reviewapp.core.anchoring import anchor_at
from reviewapp.core.models import Article, Category, DoiRef, DoiRelation, Finding, Status
from reviewapp.exporters.brief_pdf import BriefArticle, BriefData, write_brief
from tests.pdf_reading import pdf_links, pdf_text

SECTIONS = [
    "Bottom line",
    "Evidence table",
    "Toxicity across articles",
    "Efficacy across articles",
    "Articles and their findings",
    "References",
]


def _finding(
    article_id: int,
    text: str,
    quote: str,
    category: Category,
    fields: dict[str, object],
    note: str = "",
    reviewer: str = "Maria Lopez",
) -> Finding:
    start = text.index(quote)
    return Finding(
        article_id=article_id,
        category=category,
        anchor=anchor_at(text, start, start + len(quote)),
        fields=dict(fields),
        note=note,
        reviewer=reviewer,
        status=Status.ACCEPTED,
        id=start + 1,
    )


def _two_articles() -> BriefData:
    text_a = (
        "Subcutaneous alemtuzumab was added to chemotherapy in a phase 1/2 study of 295 "
        "evaluable adults. CMV viremia occurred in 23.3% (14/60) during treatment. "
        "OS did not differ (HR 0.94, 95% CI 0.71–1.25). Alemtuzumab targets CD52."
    )
    text_b = (
        "A randomised phase 2 trial enrolled 200 patients with SCLC. Median OS was 12.4 "
        "months (HR 0.71, 95% CI 0.55–0.92; p = 0.01). Grade ≥3 neutropenia in 31.0% "
        "(31/100). Ostrelimab is a bispecific T-cell engager against DLL3 and CD3."
    )
    a = Article(
        title="Alemtuzumab With Chemotherapy in Adult ALL",
        text=text_a,
        authors=["Luskin MR", "Yin J"],
        journal="Cancer",
        year=2025,
        doi="10.1002/cncr.35750",
        dois=[DoiRef("10.1002/cncr.35750"), DoiRef("10.1002/cncr.35803", DoiRelation.CORRECTION)],
        id=1,
    )
    b = Article(
        title="Ostrelimab in Extensive-Stage SCLC (fictional)",
        text=text_b,
        authors=["Demo A"],
        journal="Demo J",
        year=2024,
        doi="10.5555/demo.1",
        id=2,
    )
    findings_a = [
        _finding(
            1,
            text_a,
            "CMV viremia occurred in 23.3% (14/60) during treatment",
            Category.TOXICITY,
            {"event": "CMV viremia", "incidence_pct": 23.3, "n": 14, "N": 60, "timing": "during"},
            note="α ≥ β; 30 µg ± 5",
        ),
        _finding(
            1,
            text_a,
            "OS did not differ (HR 0.94, 95% CI 0.71–1.25)",
            Category.EFFICACY,
            {
                "endpoint": "OS",
                "measure": "HR",
                "value": 0.94,
                "ci_low": 0.71,
                "ci_high": 1.25,
                "direction": "no difference",
            },
        ),
        _finding(
            1,
            text_a,
            "Alemtuzumab targets CD52",
            Category.MECHANISM,
            {"agent": "alemtuzumab", "modality": "monoclonal antibody", "targets": ["CD52"]},
            reviewer="Ken Sato",
        ),
    ]
    findings_b = [
        _finding(
            2,
            text_b,
            "Median OS was 12.4 months (HR 0.71, 95% CI 0.55–0.92; p = 0.01)",
            Category.EFFICACY,
            {
                "endpoint": "OS",
                "measure": "HR",
                "value": 0.71,
                "ci_low": 0.55,
                "ci_high": 0.92,
                "p_value": "0.01",
                "direction": "benefit",
            },
        ),
        _finding(
            2,
            text_b,
            "Grade ≥3 neutropenia in 31.0% (31/100)",
            Category.TOXICITY,
            {"event": "neutropenia", "grade": "≥3", "incidence_pct": 31.0, "n": 31, "N": 100},
        ),
        _finding(
            2,
            text_b,
            "randomised phase 2 trial",
            Category.REFERENCE,
            {"doi": "10.5555/related.9", "relation": "related", "citation": "Related trial report"},
        ),
    ]
    return BriefData(
        title="T-cell engagers and anti-CD52 therapy",
        question="What is new?",
        made_on=date(2026, 11, 22),
        reviewers=["Ken Sato", "Maria Lopez"],
        initials={"Maria Lopez": "ML", "Ken Sato": "KS"},
        articles=[BriefArticle(a, findings_a), BriefArticle(b, findings_b)],
        bottom_line="No survival gain with alemtuzumab; CMV viremia in about a quarter.",
    )


def _read(path: Path) -> tuple[PdfReader, str]:
    reader = PdfReader(str(path))
    return reader, pdf_text(reader)


def test_the_brief_reads_in_order_with_its_outline_links_and_metadata(tmp_path: Path) -> None:
    data = _two_articles()
    out = tmp_path / "brief.pdf"
    pages = write_brief(data, out)
    reader, text = _read(out)
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    assert text.index("T-cell engagers and anti-CD52 therapy") < positions[0]
    assert "Tumor board brief" in text and "Clinical question. What is new?" in text
    assert "Reviewers: Ken Sato (KS), Maria Lopez (ML)" in text
    for item in data.articles:
        for finding in item.findings:
            assert finding.quote in text
    assert "α ≥ β; 30 µg ± 5" in text
    assert "Phase 1/2, N = 295" in text and "Phase 2, randomised, N = 200" in text
    assert "23.3% (14/60)" in text and "31% (31/100)" in text
    assert f"page 1 of {pages}" in text and f"page {pages} of {pages}" in text
    assert "For discussion among clinicians" in text
    # References in order of first citation, the correction marked and next to its article.
    assert "1. Luskin MR, Yin J. Alemtuzumab" in text
    assert "2. Correction to: Luskin MR" in text
    assert "3. Demo A. Ostrelimab" in text and "4. Related trial report" in text
    links = pdf_links(reader)
    for doi in ("10.1002/cncr.35750", "10.1002/cncr.35803", "10.5555/demo.1", "10.5555/related.9"):
        assert f"https://doi.org/{doi}" in links
    outline = reader.outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top[:7] == [
        "T-cell engagers and anti-CD52 therapy",
        *SECTIONS[:4],
        "Articles",
        "References",
    ]
    nested = [item for item in outline if isinstance(item, list)]
    assert [i.title for i in nested[0] if not isinstance(i, list)] == [
        "1. Alemtuzumab With Chemotherapy in Adult ALL",
        "2. Ostrelimab in Extensive-Stage SCLC (fictional)",
    ]
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "T-cell engagers and anti-CD52 therapy"
    assert meta.author == "Ken Sato, Maria Lopez"
    assert meta.subject == "What is new?"
    assert "alemtuzumab" in (meta.get("/Keywords") or "")


def test_a_journal_club_brief_on_letter_paper(tmp_path: Path) -> None:
    data = _two_articles()
    data.audience, data.paper = "journal-club", "letter"
    write_brief(data, tmp_path / "club.pdf")
    reader, text = _read(tmp_path / "club.pdf")
    assert "Journal club brief" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_hard_layouts_do_not_break(tmp_path: Path) -> None:
    long_quote = ("The investigators reported " + "a long and winding sentence " * 75).strip()
    assert len(long_quote) >= 2000
    unbreakable = "10.1234/" + "x" * 180
    text = (
        long_quote
        + ". "
        + " ".join(f"Event {i} occurred in {i % 90 + 1}% of patients." for i in range(100))
    )
    crowded = Article(
        title="T" * 300,
        text=text,
        authors=[f"Author{i} A" for i in range(30)],
        journal="J",
        year=2020,
        doi=unbreakable,
        id=1,
    )
    findings = [
        _finding(
            1,
            text,
            long_quote,
            Category.MECHANISM,
            {"agent": "agent-" + "y" * 150, "targets": ["CD" + "9" * 60]},
        )
    ]
    # An unbreakable DOI inside a table cell (a reference finding's block is a table).
    findings.append(
        _finding(
            1,
            text,
            "Event 0 occurred",
            Category.REFERENCE,
            {"doi": unbreakable, "relation": "related"},
        )
    )
    findings += [
        _finding(
            1,
            text,
            f"Event {i} occurred",
            Category.TOXICITY,
            {"event": f"event {i}", "incidence_pct": i % 90 + 1},
        )
        for i in range(100)
    ]
    empty = Article(title="An article with no findings at all", text="Nothing tagged.", id=2)
    data = BriefData(
        title="Edge cases " + "W" * 290,
        articles=[BriefArticle(crowded, findings), BriefArticle(empty, [])],
    )
    pages = write_brief(data, tmp_path / "edge.pdf")
    _reader, text = _read(tmp_path / "edge.pdf")
    assert pages > 3
    assert "No findings tagged for this article." in text
    assert "No efficacy findings were tagged." in text
    assert "The 30 highest of 100 incidences are shown." in text
    assert "et al" in text and "Author5 A" in text and "Author7 A" not in text
    assert text.count("Event ") >= 100


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_page_carries_the_header_after_the_first(tmp_path: Path, paper: str) -> None:
    data = _two_articles()
    data.paper = paper
    pages = write_brief(data, tmp_path / "b.pdf")
    reader = PdfReader(str(tmp_path / "b.pdf"))
    for number, page in enumerate(reader.pages, 1):
        page_text = page.extract_text() or ""
        assert f"page {number} of {pages}" in page_text
        if number > 1:
            assert "Tumor board brief" in page_text


def test_many_ratio_estimates_fit_the_page(tmp_path: Path) -> None:
    text = " ".join(f"Result {i}: HR 0.8 (95% CI 0.6–1.0)." for i in range(60))
    article = Article(title="Sixty hazard ratios", text=text, id=1)
    findings = [
        _finding(
            1,
            text,
            f"Result {i}:",
            Category.EFFICACY,
            {"endpoint": "PFS", "measure": "HR", "value": 0.8, "ci_low": 0.6, "ci_high": 1.0},
        )
        for i in range(60)
    ]
    write_brief(
        BriefData(title="Forest", articles=[BriefArticle(article, findings)]),
        tmp_path / "forest.pdf",
    )
    _reader, text_out = _read(tmp_path / "forest.pdf")
    assert "The first 30 of 60 ratio estimates are shown." in text_out


def test_a_quote_and_a_bottom_line_longer_than_a_page_flow_across_pages(tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(900))
    text = f"Start. {words}. End."
    article = Article(title="Very long quote", text=text, id=1)
    finding = _finding(1, text, words, Category.MECHANISM, {"agent": "x"})
    data = BriefData(
        title="Long",
        articles=[BriefArticle(article, [finding])],
        bottom_line="A long bottom line. " * 250,
    )
    pages = write_brief(data, tmp_path / "long.pdf")
    _reader, out_text = _read(tmp_path / "long.pdf")
    assert pages >= 3
    assert "word0" in out_text and "word899" in out_text


def test_references_are_traceable_from_every_finding(tmp_path: Path) -> None:
    text = "A cohort. See PMID 12345678. Also doi 10.5555/other.1 and again 10.5555/other.1."
    article = Article(title="A PMID-only article", text=text, pmid="12345678", id=1)
    findings = [
        _finding(1, text, "See PMID 12345678", Category.REFERENCE, {"pmid": "12345678"}),
        _finding(
            1, text, "Also doi 10.5555/other.1", Category.REFERENCE, {"doi": "10.5555/other.1"}
        ),
        _finding(
            1,
            text,
            "again 10.5555/other.1",
            Category.REFERENCE,
            {"doi": "10.5555/other.1", "citation": "Other J. The other trial. 2024."},
        ),
    ]
    write_brief(
        BriefData(title="Refs", articles=[BriefArticle(article, findings)]), tmp_path / "refs.pdf"
    )
    _reader, out = _read(tmp_path / "refs.pdf")
    # The PMID finding cites the article itself: one number, [1]; the DOI is [2] throughout
    # and its reference shows the fuller citation a later finding gave.
    assert "[1] PMID 12345678" in out
    assert out.count("[2] DOI 10.5555/other.1") == 2
    assert "2. Other J. The other trial. 2024. https://doi.org/10.5555/other.1" in out
    assert "3." not in out.split("References")[-1]


def test_chart_and_table_labels_tell_results_apart(tmp_path: Path) -> None:
    data = _two_articles()
    write_brief(data, tmp_path / "labels.pdf")
    _reader, out = _read(tmp_path / "labels.pdf")
    assert "neutropenia gr ≥3 — Demo, Demo J 2024 [3]" in out
    assert "CMV viremia, during — Luskin et al, Cancer 2025 [1]" in out


def test_mathematical_letters_print_as_their_plain_forms(tmp_path: Path) -> None:
    text = "𝛼-toxicity and 𝐀-grade effects were rare."
    article = Article(title="Math letters 𝛽", text=text, id=1)
    finding = _finding(
        1, text, "𝛼-toxicity and 𝐀-grade effects", Category.TOXICITY, {"event": "𝛼-toxicity"}
    )
    write_brief(
        BriefData(title="Glyphs", articles=[BriefArticle(article, [finding])]),
        tmp_path / "glyphs.pdf",
    )
    _reader, out = _read(tmp_path / "glyphs.pdf")
    assert "α-toxicity and A-grade effects" in out and "Math letters β" in out
