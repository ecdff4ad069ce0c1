"""The evidence brief as a PDF (reportlab platypus) for a tumor board or a journal club.

Sections, in order: cover block, bottom line, evidence table, toxicity across articles (table
and bar chart), efficacy across articles (table and forest plot), one section per article
with every finding and its quote, references (Vancouver, numbered in order of first
citation, DOIs as links). Every page has a header, "page x of y" and a line that the brief is
for discussion. An embedded Unicode font; an outline; document metadata.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reviewapp.core.categories import field_specs
from reviewapp.core.citation import short_citation, vancouver, vancouver_authors
from reviewapp.core.evidence import (
    efficacy_headline,
    efficacy_rows,
    fmt,
    mechanism_headline,
    study_design,
    toxicity_headline,
    toxicity_matrix,
)
from reviewapp.core.models import Article, Category, DoiRelation, Finding
from reviewapp.exporters.brief_appendix import AgreementSummary, appendix_story
from reviewapp.exporters.brief_charts import forest_plot, incidence_bars
from reviewapp.exporters.fonts import register_font
from reviewapp.exporters.pdf_base import (
    LINK,
    MARGIN,
    RULE,
    SHADE,
    Bookmark,
    NumberedCanvas,
    Styles,
    shorten,
)

CATEGORY_COLOURS = {
    Category.EFFICACY: colors.HexColor("#1B7F3B"),
    Category.TOXICITY: colors.HexColor("#B3261E"),
    Category.MECHANISM: colors.HexColor("#1F5FAD"),
    Category.REFERENCE: colors.HexColor("#6B4FA0"),
}
HEADER_FILL = colors.HexColor("#24425F")
AUDIENCES = {"tumor-board": "Tumor board brief", "journal-club": "Journal club brief"}
PAPERS = {"a4": A4, "letter": LETTER}
MAX_CHART_BARS = 30  # more rows than this no longer fit a page, nor a reader's attention


@dataclass
class BriefArticle:
    article: Article
    findings: list[Finding] = field(default_factory=list)
    # What the club found nothing in (a consensus of "nothing"): printed, not tabulated.
    nothing: list[str] = field(default_factory=list)


@dataclass
class BriefData:
    title: str
    question: str = ""
    made_on: date = field(default_factory=date.today)
    reviewers: list[str] = field(default_factory=list)
    initials: dict[str, str] = field(default_factory=dict)
    articles: list[BriefArticle] = field(default_factory=list)
    audience: str = "tumor-board"
    paper: str = "a4"
    bottom_line: str = ""
    scope: str = "all findings"
    # With consensus findings only: per article index, whether its review is settled.
    settled: dict[int, str] = field(default_factory=dict)
    agreement: AgreementSummary | None = None  # the appendix, for a club's collection


@dataclass(frozen=True)
class Reference:
    number: int
    text: str
    url: str | None
    relation: DoiRelation = DoiRelation.SOURCE


# -- references ------------------------------------------------------------------------------


@dataclass
class Numbering:
    """References in order of first citation, each article's number, and the number of
    every cited work by its key (doi:…, pmid:…, nct:…), for reference findings."""

    refs: list[Reference] = field(default_factory=list)
    articles: dict[int, int] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)


def number_references(data: BriefData) -> Numbering:
    """Each article (by DOI, else PMID) with its corrections right after it, then what
    reference findings cite; a bare identifier gives way to a fuller citation text."""
    numbering = Numbering()
    own: set[str] = set()  # articles keep their Vancouver text

    def add(key: str, text: str, url: str | None, relation: DoiRelation) -> int:
        number = numbering.keys.get(key)
        if number is None:
            numbering.refs.append(Reference(len(numbering.refs) + 1, text, url, relation))
            numbering.keys[key] = number = len(numbering.refs)
        elif key not in own and len(text) > len(numbering.refs[number - 1].text):
            old = numbering.refs[number - 1]
            numbering.refs[number - 1] = Reference(number, text, old.url or url, old.relation)
        return number

    for index, item in enumerate(data.articles):
        article = item.article
        text = vancouver(article).removesuffix(f"doi:{article.doi}").strip()
        if article.doi:
            key, url = f"doi:{article.doi}", f"https://doi.org/{article.doi}"
        elif article.pmid:
            key, url = f"pmid:{article.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{article.pmid}/"
        else:
            key, url = f"article:{article.uid}", None
        own.add(key)
        numbering.articles[index] = add(key, text, url, DoiRelation.SOURCE)
        for ref in article.dois:
            if ref.relation is DoiRelation.CORRECTION:
                add(
                    f"doi:{ref.doi}",
                    f"Correction to: {shorten(text, 160)}",
                    f"https://doi.org/{ref.doi}",
                    DoiRelation.CORRECTION,
                )
    for item in data.articles:
        for finding in item.findings:
            if finding.category is Category.REFERENCE:
                add(*_finding_reference(finding))
    return numbering


def _finding_reference(finding: Finding) -> tuple[str, str, str | None, DoiRelation]:
    """(key, text, url, relation) for what a reference finding cites."""
    v = finding.fields
    if v.get("doi"):
        key, url = f"doi:{v['doi']}", f"https://doi.org/{v['doi']}"
    elif v.get("pmid"):
        key, url = f"pmid:{v['pmid']}", f"https://pubmed.ncbi.nlm.nih.gov/{v['pmid']}/"
    elif v.get("nct"):
        key, url = f"nct:{v['nct']}", f"https://clinicaltrials.gov/study/{v['nct']}"
    else:
        key, url = f"citation:{v.get('citation') or finding.quote}", None
    relation = DoiRelation(v["relation"]) if v.get("relation") else DoiRelation.RELATED
    text = str(v.get("citation") or "") or key.split(":", 1)[1]
    return key, text, url, relation


# -- sections --------------------------------------------------------------------------------


def _p(text: str, style: Any) -> Paragraph:
    return Paragraph(_printable(text), style)


def _printable(text: str) -> str:
    """Mathematical letters (U+1D400–U+1D7FF: 𝛼, 𝐀) have no glyphs in the embedded font;
    their plain forms (α, A) say the same and render."""
    if not any("\U0001d400" <= ch <= "\U0001d7ff" for ch in text):
        return text
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\U0001d400" <= ch <= "\U0001d7ff" else ch
        for ch in text
    )


def _link(url: str, label: str | None = None) -> str:
    return f'<link href="{escape(url)}" color="{LINK}">{escape(label or url)}</link>'


def _table(rows: list[list[Any]], widths: list[float], styles: Styles) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.font),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _section(
    heading: str, key: str, styles: Styles, space_mm: int, outline: str | None = None
) -> list[Flowable]:
    """A section's opening: a new page unless ``space_mm`` is left, its outline entry and
    its heading."""
    return [CondPageBreak(space_mm * mm), Bookmark(outline or heading, key), _p(heading, styles.h1)]


def _head(labels: list[str], styles: Styles) -> list[Any]:
    return [_p(escape(label), styles.cell_head) for label in labels]


def _cover(data: BriefData, styles: Styles) -> list[Flowable]:
    reviewers = (
        ", ".join(
            f"{name} ({data.initials[name]})" if data.initials.get(name) else name
            for name in data.reviewers
        )
        or "—"
    )
    findings = sum(len(a.findings) for a in data.articles)
    story: list[Flowable] = [
        Bookmark(shorten(data.title, 80), "cover"),
        _p(escape(data.title), styles.title),
        _p(
            f"{AUDIENCES.get(data.audience, 'Evidence brief')} · {data.made_on.isoformat()}",
            styles.subtitle,
        ),
    ]
    if data.question:
        story.append(_p(f"<b>Clinical question.</b> {escape(data.question)}", styles.body))
        story.append(Spacer(1, 3))
    story.append(
        _p(
            f"<b>Reviewers:</b> {escape(reviewers)}<br/><b>Evidence:</b> {len(data.articles)} "
            f"articles, {findings} findings ({escape(data.scope)})",
            styles.meta,
        )
    )
    return story


def _bottom_line(data: BriefData, styles: Styles) -> list[Flowable]:
    text = (
        escape(data.bottom_line)
        if data.bottom_line
        else ("<i>No bottom line was written for this brief.</i>")
    )
    box = Table(
        [[_p(text.replace("\n", "<br/>"), styles.bottom_line)]], colWidths=["100%"], splitInRow=1
    )
    box.setStyle(
        TableStyle(
            [
                ("LINEBEFORE", (0, 0), (0, -1), 3, HEADER_FILL),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#EEF3F8")),
                ("FONTNAME", (0, 0), (-1, -1), styles.font),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return [Bookmark("Bottom line", "bottom-line"), _p("Bottom line", styles.h1), box]


def _evidence_table(
    data: BriefData, numbers: dict[int, int], styles: Styles, width: float
) -> list[Flowable]:
    rows: list[list[Any]] = [
        _head(
            ["Study", "Design / N", "Mechanism", "Efficacy headline", "Toxicity headline"], styles
        )
    ]
    for index, item in enumerate(data.articles):
        article, findings = item.article, item.findings
        rows.append(
            [
                _p(f"{escape(short_citation(article))} [{numbers[index]}]", styles.cell),
                _p(escape(study_design(article.text).label()), styles.cell),
                _p(escape(mechanism_headline(findings)), styles.cell),
                _p(escape(efficacy_headline(findings)), styles.cell),
                _p(escape(toxicity_headline(findings)), styles.cell),
            ]
        )
    shares = [0.18, 0.14, 0.22, 0.23, 0.23]
    return [
        *_section("Evidence table", "evidence-table", styles, 40),
        _table(rows, [width * s for s in shares], styles),
    ]


def _toxicity(
    data: BriefData, numbers: dict[int, int], styles: Styles, width: float
) -> list[Flowable]:
    items = [(a.article, a.findings) for a in data.articles]
    matrix = toxicity_matrix(items)
    story: list[Flowable] = [
        *_section("Toxicity across articles", "toxicity", styles, 40),
    ]
    if not matrix.events:
        return [*story, _p("No toxicity findings were tagged.", styles.small)]
    rows: list[list[Any]] = [
        _head(["Adverse event", "Study", "Grade", "Incidence (n/N)", "Timing"], styles)
    ]
    bars: list[tuple[str, float]] = []
    for event in matrix.events:
        for number in range(1, len(items) + 1):
            for cell in matrix.cells.get((event, number), []):
                article = items[number - 1][0]
                citation = f"{short_citation(article)} [{numbers[number - 1]}]"
                incidence = f"{fmt(cell.incidence_pct)}%" if cell.incidence_pct is not None else ""
                if cell.n is not None and cell.N is not None:
                    incidence += f" ({cell.n}/{cell.N})"
                rows.append(
                    [
                        _p(escape(event), styles.cell),
                        _p(escape(citation), styles.cell),
                        _p(escape(cell.grade or "—"), styles.cell),
                        _p(escape(incidence or "—"), styles.cell),
                        _p(escape(cell.timing or "—"), styles.cell),
                    ]
                )
                if cell.incidence_pct is not None:
                    timing = f", {cell.timing}" if cell.timing else ""
                    grade = f" gr {cell.grade}" if cell.grade and cell.grade != "any" else ""
                    label = f"{event}{grade}{timing} — {short_citation(article)}"
                    bars.append((f"{label} [{numbers[number - 1]}]", cell.incidence_pct))
    story.append(_table(rows, [width * s for s in (0.26, 0.30, 0.12, 0.18, 0.14)], styles))
    if bars:
        shown = sorted(bars, key=lambda b: -b[1])[:MAX_CHART_BARS]
        story.append(Spacer(1, 6))
        story.append(
            KeepTogether(
                [
                    _p("Incidence by event and study", styles.h2),
                    incidence_bars(shown, width, styles.font),
                ]
            )
        )
        if len(bars) > len(shown):
            story.append(
                _p(f"The {len(shown)} highest of {len(bars)} incidences are shown.", styles.small)
            )
    return story


def _efficacy(
    data: BriefData, numbers: dict[int, int], styles: Styles, width: float
) -> list[Flowable]:
    items = [(a.article, a.findings) for a in data.articles]
    rows_data = efficacy_rows(items)
    story: list[Flowable] = [
        *_section("Efficacy across articles", "efficacy", styles, 40),
    ]
    if not rows_data:
        return [*story, _p("No efficacy findings were tagged.", styles.small)]
    rows: list[list[Any]] = [_head(["Endpoint", "Study", "Result"], styles)]
    forest: list[tuple[str, float, float, float]] = []
    for row in rows_data:
        article = items[row.article_number - 1][0]
        citation = f"{short_citation(article)} [{numbers[row.article_number - 1]}]"
        rows.append(
            [
                _p(escape(row.endpoint), styles.cell),
                _p(escape(citation), styles.cell),
                _p(escape(row.text), styles.cell),
            ]
        )
        if row.hr is not None:
            arm = f" {row.arm}" if row.arm else ""
            reference = numbers[row.article_number - 1]
            label = f"{row.endpoint}{arm} — {short_citation(article)} [{reference}]"
            forest.append((label, *row.hr))
    story.append(_table(rows, [width * s for s in (0.14, 0.30, 0.56)], styles))
    if forest:
        measures = {r.measure for r in rows_data if r.hr is not None}
        story.append(Spacer(1, 6))
        measure = measures.pop() if len(measures) == 1 else "ratio"
        shown = forest[:MAX_CHART_BARS]
        story.append(
            KeepTogether(
                [
                    _p("Ratio estimates with 95% confidence intervals", styles.h2),
                    forest_plot(shown, width, styles.font, measure),
                ]
            )
        )
        if len(forest) > len(shown):
            story.append(
                _p(
                    f"The first {len(shown)} of {len(forest)} ratio estimates are shown.",
                    styles.small,
                )
            )
    return story


def _fields_line(finding: Finding) -> str:
    specs = field_specs(finding.category)
    values = dict(finding.fields)
    if "n" in values and "N" in values:
        values["n/N"] = f"{values.pop('n')}/{values.pop('N')}"
    return " · ".join(
        f"<b>{escape(specs[key].label if key in specs else key)}</b> {escape(fmt(value))}"
        for key, value in values.items()
    )


def _finding_block(
    finding: Finding, data: BriefData, styles: Styles, reference: int | None = None
) -> Table:
    rows: list[list[Any]] = [[_p(f"“{escape(finding.quote)}”", styles.body)]]
    fields = _fields_line(finding)
    if reference is not None:  # where this work sits in the numbered references
        fields = f"<b>[{reference}]</b> " + fields
    if fields:
        rows.append([_p(fields, styles.body)])
    who = data.initials.get(finding.reviewer) or finding.reviewer
    tail = f"{escape(who)} · {finding.status.value}"
    if finding.note:
        tail = f"Note: {escape(finding.note)} — " + tail
    rows.append([_p(tail, styles.small)])
    table = Table(rows, colWidths=["100%"], splitInRow=1)  # a long quote may span pages
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.font),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, CATEGORY_COLOURS[finding.category]),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
            ]
        )
    )
    return table


def _article(
    index: int, item: BriefArticle, numbering: Numbering, data: BriefData, styles: Styles
) -> list[Flowable]:
    number = numbering.articles[index]
    article = item.article
    story: list[Flowable] = [
        CondPageBreak(35 * mm),
        Bookmark(shorten(f"{index + 1}. {article.title}", 90), f"article-{index + 1}", level=1),
        _p(f"{index + 1}. {escape(article.title)}", styles.h1),
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
    story.append(_p(escape(source or "Source not recorded") + f" [{number}]", styles.meta))
    details = escape(study_design(article.text).label())
    if article.doi:
        details += " · DOI " + _link(f"https://doi.org/{article.doi}", article.doi)
    if article.nct_ids:
        details += " · " + escape(", ".join(article.nct_ids))
    story.append(_p(details, styles.meta))
    if index in data.settled:
        story.append(_p(f"<b>Review:</b> {escape(data.settled[index])}", styles.meta))
    if not item.findings:
        story.append(_p("No findings tagged for this article.", styles.small))
    for what in item.nothing:
        story.append(_p(f"The club found nothing here: {escape(what)}", styles.small))
    for category in Category:
        findings = [f for f in item.findings if f.category is category]
        if not findings:
            continue
        colour = CATEGORY_COLOURS[category].hexval()[2:]
        heading = _p(
            f'<font color="#{colour}">■</font> {category.value.capitalize()} ({len(findings)})',
            styles.h2,
        )
        # Each finding stays on one page; the heading stays with the first (never nest
        # KeepTogether: reportlab then breaks pages early).
        for i, finding in enumerate(findings):
            reference = (
                numbering.keys.get(_finding_reference(finding)[0])
                if finding.category is Category.REFERENCE
                else None
            )
            block = [_finding_block(finding, data, styles, reference), Spacer(1, 4)]
            story.append(KeepTogether([heading, *block] if i == 0 else block))
    return story


def _references(refs: list[Reference], styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        *_section("References", "references", styles, 30),
    ]
    for ref in refs:
        text = escape(ref.text)
        if ref.relation is DoiRelation.CORRECTION and not text.startswith("Correction"):
            text = "Correction: " + text
        if ref.url:
            text += " " + _link(ref.url)
        story.append(_p(f"{ref.number}. {text}", styles.body))
    return story


def write_brief(
    data: BriefData,
    out: Path,
    progress: Callable[[int, int], None] | None = None,
    font_dirs: Sequence[Path] = (),
) -> int:
    """Write the brief to ``out``; returns the number of pages. The font is looked for in
    ``font_dirs`` first (the fonts shipped with reviewapp), then on the system."""
    font = register_font(list(font_dirs))
    styles = Styles(font)
    pagesize = PAPERS.get(data.paper, A4)
    width = pagesize[0] - 2 * MARGIN - 12  # the frame's own padding, 6 pt each side
    numbering = number_references(data)
    numbers = numbering.articles
    story: list[Flowable] = []
    story += _cover(data, styles)
    story += _bottom_line(data, styles)
    story += _evidence_table(data, numbers, styles, width)
    story += _toxicity(data, numbers, styles, width)
    story += _efficacy(data, numbers, styles, width)
    story += [
        *_section("Articles and their findings", "articles", styles, 40, outline="Articles"),
    ]
    for index, item in enumerate(data.articles):
        story += _article(index, item, numbering, data, styles)
        if progress is not None:
            progress(index + 1, len(data.articles))
    story += _references(numbering.refs, styles)
    if data.agreement is not None:
        story += appendix_story(data.agreement, styles, width, _p, _table, _head, _section)

    out.parent.mkdir(parents=True, exist_ok=True)
    keywords = sorted(
        {
            str(v)
            for a in data.articles
            for f in a.findings
            if f.category is Category.MECHANISM
            for v in [f.fields.get("agent"), *f.fields.get("targets", [])]
            if v
        }
    )
    doc = SimpleDocTemplate(
        str(out),
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=data.title,
        author=", ".join(data.reviewers) or "reviewapp",
        subject=data.question or AUDIENCES.get(data.audience, "Evidence brief"),
        keywords=", ".join(["evidence brief", *keywords]),
        creator="reviewapp",
        initialFontName=font,  # else every page references Helvetica, never embedded
    )

    class _Canvas(NumberedCanvas):
        pass

    _Canvas.font = font
    _Canvas.header_text = (
        f"{shorten(data.title, 90)} · {AUDIENCES.get(data.audience, 'Evidence brief')}"
    )
    _Canvas.footer_text = f"{data.made_on.isoformat()} · reviewapp"
    _Canvas.disclaimer = "For discussion among clinicians; not advice about any individual patient."
    doc.build(story, canvasmaker=_Canvas)
    return int(doc.page)
