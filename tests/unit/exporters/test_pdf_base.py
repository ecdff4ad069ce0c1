"""Page furniture: "page x of y" on every page, the header from the second page on, outline
entries where bookmarks land, styles in the embedded font, and shortened labels."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import Destination
from reportlab.lib.pagesizes import A4
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from reviewapp.exporters.fonts import register_font
from reviewapp.exporters.pdf_base import MARGIN, Bookmark, NumberedCanvas, Styles, shorten


def _write(path: Path, pages: int) -> PdfReader:
    font = register_font()
    styles = Styles(font)

    class Canvas(NumberedCanvas):
        header_text = "CD52 brief · header"
        footer_text = "2025-03-12 · reviewapp"
        disclaimer = "For discussion among clinicians."

    Canvas.font = font
    story: list[object] = []
    for number in range(1, pages + 1):
        story += [
            Bookmark(f"Section {number}", f"section-{number}"),
            Paragraph(f"Section {number}: α-toxicity ≤ 5%", styles.h1),
        ]
        if number < pages:
            story.append(PageBreak())
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN)
    doc.build(story, canvasmaker=Canvas)
    return PdfReader(str(path))


def _top_level(reader: PdfReader) -> list[Destination]:
    return [item for item in reader.outline if isinstance(item, Destination)]


def test_every_page_says_which_of_how_many_it_is(tmp_path: Path) -> None:
    reader = _write(tmp_path / "three.pdf", 3)
    texts = [page.extract_text() or "" for page in reader.pages]
    assert len(texts) == 3
    for number, text in enumerate(texts, 1):
        assert f"page {number} of 3" in text
        assert "2025-03-12 · reviewapp" in text and "For discussion among clinicians." in text
        assert f"Section {number}: α-toxicity ≤ 5%" in text
    assert "CD52 brief · header" not in texts[0]  # the cover page has none
    assert all("CD52 brief · header" in text for text in texts[1:])


def test_bookmarks_become_outline_entries(tmp_path: Path) -> None:
    reader = _write(tmp_path / "outline.pdf", 2)
    assert [item.title for item in _top_level(reader)] == ["Section 1", "Section 2"]


def test_bookmarks_lead_to_the_pages_they_are_on(tmp_path: Path) -> None:
    reader = _write(tmp_path / "outline.pdf", 2)
    entries = [
        (item.title, reader.get_destination_page_number(item)) for item in _top_level(reader)
    ]
    assert entries == [("Section 1", 0), ("Section 2", 1)]


def test_styles_use_the_embedded_font_and_its_bold_face() -> None:
    styles = Styles("BriefSans")
    assert styles.body.fontName == "BriefSans"
    assert styles.title.fontName == styles.h1.fontName == "BriefSans-Bold"
    assert styles.cell_head.fontName == "BriefSans-Bold"
    assert styles.small.fontName == "BriefSans"


def test_shorten_cuts_at_the_limit_with_an_ellipsis() -> None:
    assert shorten("Tarlatamab in SCLC", 40) == "Tarlatamab in SCLC"
    cut = shorten("Tarlatamab for relapsed small cell lung cancer", 20)
    assert cut == "Tarlatamab for rela…" and len(cut) == 20
    assert shorten("Tarlatamab for relapsed", 16) == "Tarlatamab for…"  # no space before …
