"""PDF test files made on the fly with reportlab, so no binary fixture is kept in the repository.

The article is the fictional ostrelimab trial of tests/fixtures/imports/CANONICAL.md, typeset
line by line on a canvas so that the line breaks (and the one hyphenated word) are known.
"""

from __future__ import annotations

import io
import random

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

TITLE = (
    "Ostrelimab plus carboplatin and etoposide in extensive-stage small cell lung cancer: "
    "a randomised phase 2 trial"
)
TITLE_LINES = (
    "Ostrelimab plus carboplatin and etoposide in extensive-stage",
    "small cell lung cancer: a randomised phase 2 trial",
)
AUTHORS_LINE = "Tamas Varga, Nkechi C. Okafor, Maja Lindqvist"
CITATION_LINE = "J Thorac Oncol. 2024;19(3):211-219. doi: 10.9999/jto.2024.0117"
PMID_LINE = "PMID: 39000101"
FOOTER = "Journal of Thoracic Oncology - Varga et al."
ABSTRACT_LINES = (
    "Background: Extensive-stage small cell lung cancer relapses early after platinum",
    "doublets. Methods: 120 patients were randomised 1:1 to ostrelimab with carboplatin",
    "and etoposide or chemotherapy alone (NCT09999901). Results: The objective response",
    "rate was 48% (29/60) with ostrelimab and 35% (21/60) without; median progression-",
    "free survival was 5.9 versus 4.3 months (HR 0.71, 95% CI 0.52-0.97). Grade 3 or",
    "higher neutropenia occurred in 22% (13/60). Conclusion: Ostrelimab improved",
    "response with manageable toxicity.",
)
KEYWORDS_LINE = "Keywords: small cell lung cancer; PD-L1; chemoimmunotherapy"
INTRODUCTION_LINES = (
    "Small cell lung cancer accounts for about one in seven lung cancers. Most patients",
    "present with extensive-stage disease, and although platinum doublets achieve high",
    "response rates, relapse within months is the rule. Adding checkpoint immuno-",
    "therapy to first-line chemotherapy prolonged survival modestly in earlier trials.",
    "Ostrelimab is a humanised antibody against a new receptor.",
)
SECOND_INTRODUCTION_PARAGRAPH = (
    "We report the randomised phase 2 trial of ostrelimab with carboplatin and",
    "etoposide in previously untreated extensive-stage disease.",
)
METHODS_LINES = (
    "Adults with untreated extensive-stage small cell lung cancer and an ECOG",
    "performance status of 0 or 1 were eligible. Treatment continued for four cycles,",
    "followed by ostrelimab maintenance every three weeks until progression.",
)
RESULTS_LINES = (
    "Between March 2021 and June 2022, 120 patients were randomised. The objective",
    "response rate was 48% with ostrelimab and 35% with chemotherapy alone, and median",
    "progression-free survival was 5.9 months.",
)
_FILLER_WORDS = (
    "patients",
    "received",
    "treatment",
    "with",
    "response",
    "and",
    "survival",
    "in",
    "the",
    "cohort",
    "at",
    "a",
    "dose",
    "of",
    "months",
    "median",
    "toxicity",
    "grade",
    "events",
    "were",
    "observed",
    "after",
    "induction",
    "maintenance",
)
REFERENCE_LINE = "1. Okafor NC, Varga T. Relapse patterns in small cell lung cancer. 2019."


def _draw_lines(
    pdf: canvas.Canvas,
    lines: tuple[str, ...],
    y: float,
    size: float = 10,
    font: str = "Times-Roman",
) -> float:
    pdf.setFont(font, size)
    for line in lines:
        pdf.drawString(72, y, line)
        y -= size * 1.4
    return y - size * 0.8


def _footer(pdf: canvas.Canvas, page: int) -> None:
    pdf.setFont("Helvetica", 8)
    pdf.drawString(72, 40, FOOTER)
    pdf.drawRightString(523, 40, str(page))


def article_pdf(
    *,
    info_title: str | None = None,
    info_author: str | None = "Tamas Varga; Nkechi C. Okafor; Maja Lindqvist",
    encrypt_password: str | None = None,
    extra_pages: int = 0,
) -> bytes:
    """The two-page article; ``extra_pages`` adds pages of results text (for speed tests).

    ``encrypt_password`` encrypts it with that user password ("" still encrypts, with an
    owner password, as many publishers do to forbid editing).
    """
    buffer = io.BytesIO()
    encrypt = None
    if encrypt_password is not None:
        from reportlab.lib import pdfencrypt

        encrypt = pdfencrypt.StandardEncryption(
            encrypt_password, ownerPassword="owner-secret", canModify=0
        )
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    if info_title is not None:
        pdf.setTitle(info_title)
    if info_author is not None:
        pdf.setAuthor(info_author)
    pdf.setSubject("Journal of Thoracic Oncology, 19 (2024) 211-219. doi:10.9999/jto.2024.0117")
    y = _draw_lines(pdf, ("ORIGINAL ARTICLE",), 790, size=9, font="Helvetica")
    y = _draw_lines(pdf, TITLE_LINES, y - 6, size=17, font="Times-Bold")
    y = _draw_lines(pdf, (AUTHORS_LINE,), y, size=11)
    y = _draw_lines(pdf, (CITATION_LINE, PMID_LINE), y, size=9, font="Helvetica")
    y = _draw_lines(pdf, ("Abstract",), y, size=12, font="Times-Bold")
    y = _draw_lines(pdf, ABSTRACT_LINES, y)
    y = _draw_lines(pdf, (KEYWORDS_LINE,), y)
    y = _draw_lines(pdf, ("Introduction",), y, size=12, font="Times-Bold")
    y = _draw_lines(pdf, INTRODUCTION_LINES, y)
    _draw_lines(pdf, SECOND_INTRODUCTION_PARAGRAPH, y)
    _footer(pdf, 1)
    pdf.showPage()
    y = _draw_lines(pdf, ("Methods",), 790, size=12, font="Times-Bold")
    y = _draw_lines(pdf, METHODS_LINES, y)
    y = _draw_lines(pdf, ("Results",), y, size=12, font="Times-Bold")
    y = _draw_lines(pdf, RESULTS_LINES, y)
    y = _draw_lines(pdf, ("References",), y, size=12, font="Times-Bold")
    _draw_lines(pdf, (REFERENCE_LINE,), y)
    _footer(pdf, 2)
    pdf.showPage()
    for page in range(3, 3 + extra_pages):
        # Seeded filler lines, different on every page as a real article's are.
        rng = random.Random(page)
        y = 790.0
        for block in range(8):
            lines = tuple(" ".join(rng.choice(_FILLER_WORDS) for _ in range(13)) for _ in range(5))
            y = _draw_lines(pdf, (METHODS_LINES if block == 4 else ()) + lines, y)
        _footer(pdf, page)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    """A 'scanned' page: one grey bitmap and no text at all."""
    from PIL import Image

    picture = Image.new("L", (200, 260), color=180)
    for x in range(20, 180):
        picture.putpixel((x, 40), 20)
    image_buffer = io.BytesIO()
    picture.save(image_buffer, format="PNG")
    image_buffer.seek(0)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawImage(ImageReader(image_buffer), 72, 200, width=450, height=585)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def truncated_pdf() -> bytes:
    """The first half of the article's bytes, as a broken download leaves it."""
    data = article_pdf()
    return data[: len(data) // 2]


def simple_pdf(
    pages: list[list[str]],
    *,
    title: str | None = None,
    author: str | None = None,
    subject: str | None = None,
    big_first_line: bool = False,
) -> bytes:
    """Pages of 10-point lines as given; the very first line in 18 points if asked."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if title is not None:
        pdf.setTitle(title)
    if author is not None:
        pdf.setAuthor(author)
    if subject is not None:
        pdf.setSubject(subject)
    for number, lines in enumerate(pages):
        y = 790.0
        for index, line in enumerate(lines):
            size = 18 if big_first_line and number == 0 and index == 0 else 10
            pdf.setFont("Times-Roman", size)
            pdf.drawString(72, y, line)
            y -= size * 1.4
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


LEFT_COLUMN = (
    "The left column holds the first paragraph of the discussion, which runs on for "
    "several lines so that it wraps inside the narrow column of the page."
)
RIGHT_COLUMN = (
    "The right column holds the second paragraph, which a reader reaches only after "
    "finishing the whole of the left column above."
)


def two_column_pdf() -> bytes:
    """One page set in two columns, as most journals print their articles."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    buffer = io.BytesIO()
    document = BaseDocTemplate(buffer, pagesize=A4)
    width = (A4[0] - 144 - 18) / 2
    frames = [
        Frame(72, 72, width, A4[1] - 144, id="left"),
        Frame(72 + width + 18, 72, width, A4[1] - 144, id="right"),
    ]
    document.addPageTemplates([PageTemplate(frames=frames)])
    styles = getSampleStyleSheet()
    document.build(
        [
            Paragraph("Two Column Discussion Of Results", styles["Title"]),
            Paragraph(LEFT_COLUMN, styles["BodyText"]),
            FrameBreak(),
            Paragraph(RIGHT_COLUMN, styles["BodyText"]),
        ]
    )
    return buffer.getvalue()
