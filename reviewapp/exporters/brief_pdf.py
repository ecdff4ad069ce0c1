"""The evidence brief as a PDF (reportlab platypus), with an embedded Unicode font.

This first brief proves the path from store to paper: a cover block, each article with
its findings grouped by category (quote, fields, reviewer, note) and the references with
their DOIs as links. Every page carries "page x of y".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reviewapp.core.categories import field_specs
from reviewapp.core.citation import vancouver, vancouver_authors
from reviewapp.core.models import Article, Category, DoiRelation, Finding
from reviewapp.exporters.fonts import register_font

CATEGORY_COLOURS = {
    Category.EFFICACY: colors.HexColor("#1B7F3B"),
    Category.TOXICITY: colors.HexColor("#B3261E"),
    Category.MECHANISM: colors.HexColor("#1F5FAD"),
    Category.REFERENCE: colors.HexColor("#6B4FA0"),
}
_INK = colors.HexColor("#1F2328")
_MUTED = colors.HexColor("#59636E")


@dataclass
class BriefArticle:
    article: Article
    findings: list[Finding] = field(default_factory=list)


@dataclass
class BriefData:
    title: str
    question: str = ""
    made_on: date = field(default_factory=date.today)
    reviewers: list[str] = field(default_factory=list)
    articles: list[BriefArticle] = field(default_factory=list)


class _Styles:
    def __init__(self, font: str) -> None:
        bold = font + "-Bold"
        base = ParagraphStyle(
            "base", fontName=font, fontSize=9.5, leading=13, textColor=_INK, alignment=TA_LEFT
        )
        self.body = base
        self.title = ParagraphStyle(
            "title", base, fontName=bold, fontSize=18, leading=22, spaceAfter=6
        )
        self.meta = ParagraphStyle("meta", base, textColor=_MUTED, fontSize=9, leading=12)
        self.h1 = ParagraphStyle(
            "h1", base, fontName=bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=4
        )
        self.h2 = ParagraphStyle(
            "h2", base, fontName=bold, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=2
        )
        self.quote = ParagraphStyle("quote", base, leftIndent=4, textColor=_INK)
        self.small = ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=_MUTED)


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that knows the page count when it writes each footer ("page x of y")."""

    font = "Helvetica"
    footer_left = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        width, _height = self._pagesize
        self.setFont(self.font, 8)
        self.setFillColor(_MUTED)
        self.drawString(18 * mm, 11.5 * mm, self.footer_left)
        self.drawString(
            18 * mm,
            8 * mm,
            "For discussion among clinicians; not advice about any individual patient.",
        )
        self.drawRightString(width - 18 * mm, 8 * mm, f"page {self._pageNumber} of {total}")


class _Bookmark(Flowable):  # type: ignore[misc]
    """An invisible flowable that adds a PDF outline entry where it lands."""

    def __init__(self, title: str, key: str, level: int = 0) -> None:
        super().__init__()
        self.title, self.key, self.level = title, key, level
        self.width = self.height = 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _fields_line(finding: Finding) -> str:
    specs = field_specs(finding.category)
    values = dict(finding.fields)
    parts: list[str] = []
    if "n" in values and "N" in values:
        values["n/N"] = f"{values.pop('n')}/{values.pop('N')}"
    for key, value in values.items():
        label = specs[key].label if key in specs else key
        parts.append(f"<b>{escape(label)}</b> {escape(_format_value(value))}")
    return " · ".join(parts)


def _finding_block(finding: Finding, styles: _Styles) -> KeepTogether:
    colour = CATEGORY_COLOURS[finding.category]
    rows: list[list[Any]] = [[Paragraph(f"“{escape(finding.quote)}”", styles.quote)]]
    fields = _fields_line(finding)
    if fields:
        rows.append([Paragraph(fields, styles.body)])
    tail = f"— {escape(finding.reviewer)} · {finding.status.value}"
    if finding.note:
        tail = f"Note: {escape(finding.note)} " + tail
    rows.append([Paragraph(tail, styles.small)])
    table = Table(rows, colWidths=["100%"])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),  # the default is Helvetica
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, colour),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F6F8FA")),
            ]
        )
    )
    return KeepTogether([table, Spacer(1, 4)])


def _article_story(number: int, item: BriefArticle, styles: _Styles) -> list[Flowable]:
    article = item.article
    story: list[Flowable] = [
        _Bookmark(f"{number}. {article.title[:80]}", f"article-{number}", level=1),
        Paragraph(f"{number}. {escape(article.title)}", styles.h1),
    ]
    source = " · ".join(
        p
        for p in (
            vancouver_authors(article.authors),
            article.journal or "",
            str(article.year or ""),
        )
        if p
    )
    if source:
        story.append(Paragraph(escape(source), styles.meta))
    if article.doi:
        url = f"https://doi.org/{article.doi}"
        story.append(
            Paragraph(
                f'DOI: <link href="{escape(url)}" color="#1F5FAD">{escape(article.doi)}</link>',
                styles.meta,
            )
        )
    if not item.findings:
        story.append(Paragraph("No findings tagged for this article.", styles.small))
    for category in Category:
        findings = [f for f in item.findings if f.category is category]
        if not findings:
            continue
        colour = CATEGORY_COLOURS[category].hexval()[2:]
        story.append(
            Paragraph(
                f'<font color="#{colour}">■</font> {category.value.capitalize()} ({len(findings)})',
                styles.h2,
            )
        )
        story.extend(_finding_block(f, styles) for f in findings)
    return story


def _references(data: BriefData, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = [
        _Bookmark("References", "references"),
        Paragraph("References", styles.h1),
    ]
    for number, item in enumerate(data.articles, 1):
        article = item.article
        text = escape(vancouver(article).removesuffix(f"doi:{article.doi}").strip())
        if article.doi:
            url = escape(f"https://doi.org/{article.doi}")
            text += f' <link href="{url}" color="#1F5FAD">{url}</link>'
        story.append(Paragraph(f"{number}. {text}", styles.body))
        for ref in article.dois:
            if ref.relation is DoiRelation.CORRECTION:
                url = escape(f"https://doi.org/{ref.doi}")
                story.append(
                    Paragraph(
                        f'&nbsp;&nbsp;&nbsp;Correction: <link href="{url}" color="#1F5FAD">{url}'
                        "</link>",
                        styles.body,
                    )
                )
    return story


def write_brief(
    data: BriefData, out: Path, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the brief to ``out``; returns the number of pages."""
    font = register_font()
    styles = _Styles(font)
    reviewers = ", ".join(data.reviewers) or "—"
    finding_count = sum(len(a.findings) for a in data.articles)
    story: list[Flowable] = [
        _Bookmark(data.title[:80], "cover"),
        Paragraph(escape(data.title), styles.title),
    ]
    if data.question:
        story.append(Paragraph(f"<b>Question:</b> {escape(data.question)}", styles.body))
    story.append(
        Paragraph(
            f"{data.made_on.isoformat()} · Reviewers: {escape(reviewers)} · "
            f"{len(data.articles)} articles · {finding_count} findings",
            styles.meta,
        )
    )
    story.append(Spacer(1, 6))
    story.append(_Bookmark("Articles", "articles"))
    for number, item in enumerate(data.articles, 1):
        story.extend(_article_story(number, item, styles))
        if progress is not None:
            progress(number, len(data.articles))
    story.extend(_references(data, styles))

    out.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=data.title,
        author=reviewers,
        subject=data.question or "Evidence brief",
        creator="reviewapp",
        keywords="evidence brief, reviewapp",
        initialFontName=font,  # else every page references Helvetica, never embedded
    )

    class _Canvas(_NumberedCanvas):
        pass

    _Canvas.font = font
    short_title = data.title if len(data.title) <= 90 else data.title[:89] + "…"
    _Canvas.footer_left = f"{short_title} · {data.made_on.isoformat()}"
    doc.build(story, canvasmaker=_Canvas)
    return int(doc.page)
