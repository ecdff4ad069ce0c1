"""write_brief from plain data (no library)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader

from reviewapp.core.anchoring import locate_quote
from reviewapp.core.models import Article, Category, DoiRef, DoiRelation, Finding, Status
from reviewapp.exporters.brief_pdf import BriefArticle, BriefData, write_brief
from tests.pdf_reading import pdf_links, pdf_text

TEXT = "Median PFS was 6.8 months (95% CI 5.1–8.2); HR 0.62 (95% CI 0.48–0.80; p<0.001)."


def _data() -> BriefData:
    article = Article(
        title="A Fictional KRAS G12C Trial & <Friends>",
        text=TEXT,
        authors=["Rivera P", "Okafor N", "Lindqvist M", "A B", "C D", "E F", "G H"],
        journal="Journal of Fictional Oncology",
        year=2024,
        doi="10.9999/jfo.2024.0042",
        dois=[
            DoiRef("10.9999/jfo.2024.0042"),
            DoiRef("10.9999/jfo.2024.0099", DoiRelation.CORRECTION),
        ],
        id=1,
    )
    anchor = locate_quote(TEXT, "HR 0.62 (95% CI 0.48–0.80; p<0.001)")
    assert anchor is not None
    finding = Finding(
        article_id=1,
        category=Category.EFFICACY,
        anchor=anchor,
        fields={
            "endpoint": "PFS",
            "measure": "HR",
            "value": 0.62,
            "ci_low": 0.48,
            "ci_high": 0.8,
            "p_value": "<0.001",
            "serious": True,
        },
        note="σ ± µ ≤ λ",
        reviewer="Dana Okafor",
        status=Status.ACCEPTED,
        id=1,
    )
    return BriefData(
        title="KRAS brief",
        question="PFS benefit?",
        made_on=date(2025, 3, 12),
        reviewers=["Dana Okafor"],
        articles=[BriefArticle(article, [finding])],
    )


def test_write_brief_renders_fields_escapes_markup_and_links_dois(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "brief.pdf"
    progress: list[tuple[int, int]] = []
    pages = write_brief(_data(), out, lambda done, total: progress.append((done, total)))
    assert pages >= 1
    assert progress == [(1, 1)]
    reader = PdfReader(str(out))
    text = pdf_text(reader)
    assert "A Fictional KRAS G12C Trial & <Friends>" in text
    assert "2025-03-12" in text
    assert "HR 0.62 (95% CI 0.48–0.80; p<0.001)" in text
    assert "Endpoint PFS" in text
    assert "p <0.001" in text
    assert "serious yes" in text
    assert "σ ± µ ≤ λ" in text
    assert "Dana Okafor · accepted" in text  # no initials known: the name
    assert "Rivera P, Okafor N, Lindqvist M, A B, C D, E F, et al" in text
    assert "Correction to: Rivera P" in text and "https://doi.org/10.9999/jfo.2024.0099" in text
    assert f"page 1 of {pages}" in text and f"page {pages} of {pages}" in text
    links = pdf_links(reader)
    assert "https://doi.org/10.9999/jfo.2024.0042" in links
    assert "https://doi.org/10.9999/jfo.2024.0099" in links
    outline_titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline_titles[0] == "KRAS brief"
    assert "References" in outline_titles
