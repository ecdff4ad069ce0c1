"""The reader's HTML: the article text with each finding's quote in its category colour."""

from __future__ import annotations

import html

from reviewapp.core.models import Article, Category, Finding

CATEGORY_COLOURS = {
    Category.EFFICACY: "#CDEFD6",
    Category.TOXICITY: "#F9D3D0",
    Category.MECHANISM: "#D3E3F8",
    Category.REFERENCE: "#E4DCF3",
}


def article_html(article: Article, findings: list[Finding]) -> str:
    """Title, source line, identifiers as links (opened only when clicked), and the text."""
    meta = " · ".join(
        p
        for p in (", ".join(article.authors[:6]), article.journal or "", str(article.year or ""))
        if p
    )
    links = []
    if article.doi:
        links.append(
            f'DOI <a href="https://doi.org/{html.escape(article.doi)}">'
            f"{html.escape(article.doi)}</a>"
        )
    if article.pmid:
        links.append(
            f'PMID <a href="https://pubmed.ncbi.nlm.nih.gov/{article.pmid}/">{article.pmid}</a>'
        )
    for nct in article.nct_ids:
        links.append(f'<a href="https://clinicaltrials.gov/study/{nct}">{nct}</a>')
    head = f"<h2>{html.escape(article.title)}</h2>"
    if meta:
        head += f'<p style="color:#59636E">{html.escape(meta)}</p>'
    if links:
        head += f"<p>{' · '.join(links)}</p>"
    return (
        head
        + "<div style='white-space:pre-wrap'>"
        + _marked_text(article.text, findings)
        + "</div>"
    )


def _marked_text(text: str, findings: list[Finding]) -> str:
    spans = sorted(
        (f.anchor.start, f.anchor.end, f)
        for f in findings
        if 0 <= f.anchor.start < f.anchor.end <= len(text)
    )
    out: list[str] = []
    cursor = 0
    for span_start, end, finding in spans:
        start = max(span_start, cursor)  # overlapping findings: the earlier keeps the overlap
        if start >= end:
            continue
        out.append(html.escape(text[cursor:start]))
        colour = CATEGORY_COLOURS[finding.category]
        out.append(
            f'<span style="background-color:{colour}" title="{finding.category.value} · '
            f'{html.escape(finding.reviewer)}">{html.escape(text[start:end])}</span>'
        )
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)
