"""JATS full-text articles: PubMed Central's ``.nxml`` files and publishers' JATS XML.

The article's metadata comes from ``front/article-meta``; its readable text is the title,
the abstract, the body (each section heading on its own line, paragraphs separated by blank
lines, tables as their caption and rows, figure captions) and a "References" section with one
line per reference, each with its DOI, so that the cited articles' DOIs are known as related
DOIs while the article's own DOI stays its primary one.
"""

from __future__ import annotations

import re
from typing import Any

from reviewapp.core.identifiers import find_dois, normalise_doi
from reviewapp.core.models import Article, DoiRef, DoiRelation
from reviewapp.importers import detect, fields
from reviewapp.importers.base import ImportFailure, ParsedFile, RecordError
from reviewapp.importers.xml_safe import parse_xml

FORMAT_JATS = detect.JATS

# Elements that stand as blocks of their own even when a paragraph holds them.
_BLOCKS = frozenset(
    {
        "fig",
        "fig-group",
        "table-wrap",
        "table-wrap-group",
        "list",
        "disp-quote",
        "boxed-text",
        "supplementary-material",
        "def-list",
    }
)
# Inline elements whose text is not part of the sentence around them.
_NOT_INLINE = _BLOCKS | {"fn", "graphic", "media", "inline-graphic", "object-id"}
_TITLE_SKIP = _NOT_INLINE | {"xref"}
_INITIALS = re.compile(r"[A-Z]{1,4}")
_CITATIONS = ("mixed-citation", "element-citation", "citation", "nlm-citation")
# Publication dates in order of preference: the electronic, then the print issue.
_DATE_PREFERENCE = ("epub", "ppub", "epub-ppub", "pub", "collection")


def parse_jats(data: bytes, name: str) -> ParsedFile:
    """Every article of a JATS file (one ``<article>``, or several in a ``<pmc-articleset>``).

    Raises ImportFailure when the file is not XML, or is XML of another kind.
    """
    root = parse_xml(data, "JATS article")
    for element in root.iter():
        # Publishers' files may put JATS in a namespace; every name below is a local one.
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]
    if root.tag == "article":
        articles = [root]
    else:
        articles = list(root.iter("article"))
        if not articles:
            raise ImportFailure(
                f"the file is XML but not a JATS article (its main element is <{root.tag}>, "
                "not <article>)"
            )
    if len(articles) == 1:
        return fields.collect(articles, lambda _n, _a: "the article", _build, FORMAT_JATS)
    return fields.collect(articles, lambda n, _a: f"article {n}", _build, FORMAT_JATS)


def _build(article: Any) -> Article:
    try:
        return _build_article(article)
    except RecursionError:
        raise RecordError("the article is nested too deeply to be read") from None


def _build_article(article: Any) -> Article:
    meta = article.find("front/article-meta")
    if meta is None:
        raise RecordError("the article has no front matter (article-meta), so no title")
    title = _title(meta)
    ids = _article_ids(meta)
    abstract = _main_abstract(meta)
    abstract_parts = _abstract_parts(abstract) if abstract is not None else []
    references = _references(article.find("back"))
    text = _article_text(title, abstract_parts, article, references)
    built = fields.record_article(
        title=title,
        source_format=FORMAT_JATS,
        abstract="\n\n".join(f"{h}: {p}" if h else p for h, p in abstract_parts) or None,
        authors=_authors(meta),
        journal=_journal(article.find("front/journal-meta")),
        year=_year(meta),
        doi=ids.get("doi"),
        pmid=ids.get("pmid"),
        pmcid=ids.get("pmcid"),
        keywords=[k for k in (_inline(k) for k in meta.iterfind("kwd-group/kwd")) if k],
        text=text,
    )
    _mark_cited_dois(built, ids.get("doi"), "\n".join(references))
    return built


def _mark_cited_dois(article: Article, own: str | None, references: str) -> None:
    """DOIs of the reference list are the cited articles' (related), never the article's."""
    cited = {ref.doi for ref in find_dois(references)}
    own_doi = normalise_doi(own) if own else None
    article.dois = [
        DoiRef(ref.doi, DoiRelation.RELATED)
        if ref.doi in cited and ref.doi != own_doi and ref.relation is DoiRelation.SOURCE
        else ref
        for ref in article.dois
    ]
    if own_doi is None:
        sources = [ref.doi for ref in article.dois if ref.relation is DoiRelation.SOURCE]
        article.doi = sources[0] if sources else None


def _title(meta: Any) -> str | None:
    group = meta.find("title-group")
    if group is None:
        return None
    title = _inline(group.find("article-title"), _TITLE_SKIP)
    subtitle = _inline(group.find("subtitle"), _TITLE_SKIP)
    if title and subtitle:
        return f"{title.rstrip(':')}: {subtitle}"
    return title


def _article_ids(meta: Any) -> dict[str, str]:
    ids: dict[str, str] = {}
    for item in meta.iterfind("article-id"):
        kind = (item.get("pub-id-type") or "").lower()
        value = fields.clean(item.text)
        if not value:
            continue
        if kind in ("pmc", "pmcid", "pmcaid"):
            ids.setdefault("pmcid", value if value.upper().startswith("PMC") else f"PMC{value}")
        elif kind in ("doi", "pmid"):
            ids.setdefault(kind, value)
    return ids


def _authors(meta: Any) -> list[str]:
    names: list[str] = []
    for contrib in meta.iterfind("contrib-group/contrib"):
        if (contrib.get("contrib-type") or "author") != "author":
            continue
        name = contrib.find("name")
        if name is None:
            name = contrib.find("name-alternatives/name")
        if name is not None:
            display = _person(_inline(name.find("surname")), _inline(name.find("given-names")))
        else:
            display = _inline(contrib.find("collab")) or _inline(contrib.find("string-name"))
        if display:
            names.append(display)
    return names


def _journal(journal_meta: Any) -> str | None:
    if journal_meta is None:
        return None
    for path in (
        "journal-title-group/journal-title",
        "journal-title",
        "journal-title-group/abbrev-journal-title",
        "journal-id[@journal-id-type='nlm-ta']",
    ):
        title = _inline(journal_meta.find(path))
        if title:
            return title
    return None


def _year(meta: Any) -> int | None:
    years: dict[str, int] = {}
    for date in meta.iterfind("pub-date"):
        # JATS 1.0 says pub-type="epub"; 1.1 and later say date-type and publication-format.
        kind = date.get("pub-type") or {"electronic": "epub", "print": "ppub"}.get(
            date.get("publication-format") or "", date.get("date-type") or "other"
        )
        year = fields.parse_year(date.findtext("year"))
        if year is not None:
            years.setdefault(kind, year)
    for kind in _DATE_PREFERENCE:
        if kind in years:
            return years[kind]
    return next(iter(years.values()), None)


def _main_abstract(meta: Any) -> Any:
    """The article's abstract, not its graphical abstract, teaser or plain-language summary."""
    abstracts = meta.findall("abstract")
    for abstract in abstracts:
        if not abstract.get("abstract-type"):
            return abstract
    return abstracts[0] if abstracts else None


def _abstract_parts(abstract: Any) -> list[tuple[str | None, str]]:
    """(heading, text) for each part of an abstract: its sections, or its paragraphs."""
    parts: list[tuple[str | None, str]] = []
    for child in abstract:
        if child.tag == "sec":
            heading = _inline(child.find("title"))
            joined = " ".join(p for p in (_inline(p) for p in child.iterfind("p")) if p)
            if joined:
                parts.append((heading, joined))
        elif child.tag == "p":
            text = _inline(child)
            if text:
                parts.append((None, text))
    return parts


def _article_text(
    title: str | None,
    abstract_parts: list[tuple[str | None, str]],
    article: Any,
    references: list[str],
) -> str:
    blocks: list[str] = [title] if title else []
    if abstract_parts:
        blocks.append("Abstract")
        for heading, text in abstract_parts:
            blocks.extend([heading, text] if heading else [text])
    body = article.find("body")
    if body is not None:
        blocks.extend(_blocks(body))
    floats = article.find("floats-group")
    if floats is not None:
        blocks.extend(_blocks(floats))
    if references:
        blocks.extend(["References", "\n".join(references)])
    return "\n\n".join(blocks) + "\n"


def _blocks(parent: Any) -> list[str]:
    """The readable blocks of a body or section, in order."""
    blocks: list[str] = []
    for child in parent:
        tag = child.tag
        if tag in ("title", "label") or not isinstance(tag, str):
            continue
        if tag == "sec" or tag in ("app", "ack", "fig-group", "table-wrap-group", "boxed-text"):
            heading = _inline(child.find("title"))
            if heading:
                blocks.append(heading)
            blocks.extend(_blocks(child))
        elif tag == "p":
            blocks.extend(_paragraph(child))
        else:
            blocks.extend(_block(child))
    return [b for b in blocks if b]


def _paragraph(paragraph: Any) -> list[str]:
    """A paragraph's sentences, then the tables, figures or lists it holds."""
    blocks = [_inline(paragraph, _NOT_INLINE) or ""]
    for child in paragraph.iter(*_BLOCKS):
        # Only the outermost block: a figure inside a box is rendered with its box.
        ancestor = child.getparent()
        while ancestor is not None and ancestor is not paragraph and ancestor.tag not in _BLOCKS:
            ancestor = ancestor.getparent()
        if ancestor is paragraph:
            blocks.extend(_block(child))
    return blocks


def _block(element: Any) -> list[str]:
    tag = element.tag
    if tag == "table-wrap":
        return _table(element)
    if tag in ("fig", "supplementary-material"):
        return [_caption(element)]
    if tag == "list":
        return ["\n".join(_list_lines(element, 0))]
    if tag in _BLOCKS or tag == "disp-quote":
        return _blocks(element)
    return [_inline(element) or ""]


def _caption(element: Any) -> str:
    """ "Figure 1. Title. Text." from a figure's or table's label and caption."""
    label = _inline(element.find("label"))
    caption = element.find("caption")
    parts = [_inline(child) for child in caption] if caption is not None else []
    text = " ".join(p for p in parts if p)
    if label and text:
        return f"{label} {text}" if label[-1] in ".:" else f"{label}. {text}"
    return label or text


def _table(wrap: Any) -> list[str]:
    rows = []
    for row in wrap.iter("tr"):
        cells = [_inline(cell) or "" for cell in row if cell.tag in ("td", "th")]
        if any(cells):
            rows.append(" | ".join(cells))
    notes = [_inline(p) for p in wrap.iterfind("table-wrap-foot//p")]
    return [_caption(wrap), "\n".join(rows), *[n for n in notes if n]]


def _list_lines(element: Any, depth: int) -> list[str]:
    lines: list[str] = []
    for item in element.iterfind("list-item"):
        text = " ".join(t for t in (_inline(c, _NOT_INLINE) for c in item if c.tag != "list") if t)
        if text:
            lines.append(f"{'  ' * depth}- {text}")
        for nested in item.iterfind("list"):
            lines.extend(_list_lines(nested, depth + 1))
    return lines


def _references(back: Any) -> list[str]:
    """One line per reference, each with its DOI (and PMID) written out."""
    if back is None:
        return []
    lines: list[str] = []
    for number, ref in enumerate(back.iter("ref"), start=1):
        citation = next((c for c in ref.iter(*_CITATIONS)), None)
        if citation is None:
            continue
        if citation.tag == "element-citation":
            line = _element_citation(citation)
        else:
            line = _inline(citation, _NOT_INLINE) or ""
        doi = fields.clean(citation.findtext(".//pub-id[@pub-id-type='doi']"))
        if doi and doi.lower() not in line.lower():
            line = f"{line} doi:{doi}"
        pmid = fields.clean(citation.findtext(".//pub-id[@pub-id-type='pmid']"))
        if pmid and pmid not in line:
            line = f"{line} PMID: {pmid}"
        label = _inline(ref.find("label")) or str(number)
        if line.strip():
            lines.append(f"{label.rstrip('.')}. {line.strip()}")
    return lines


def _element_citation(citation: Any) -> str:
    """A Vancouver-style line from a citation given as separate fields."""
    names = [
        _person(_inline(name.find("surname")), _inline(name.find("given-names")))
        for name in citation.iter("name")
    ]
    authors = ", ".join(n for n in names if n)
    collab = _inline(citation.find(".//collab"))
    if collab:
        authors = f"{authors}, {collab}" if authors else collab
    if citation.find(".//etal") is not None and authors:
        authors += ", et al"
    title = _inline(citation.find("article-title")) or _inline(citation.find("chapter-title"))
    where = ";".join(
        p for p in (_inline(citation.find("year")), _inline(citation.find("volume"))) if p
    )
    pages = "-".join(
        p for p in (_inline(citation.find("fpage")), _inline(citation.find("lpage"))) if p
    )
    where += f":{pages}" if where and pages else ""
    parts = [authors, title, _inline(citation.find("source")), where]
    return " ".join(f"{p.rstrip('.')}." for p in parts if p)


def _person(family: str | None, given: str | None) -> str | None:
    """ "Okafor NC" from surname and given names, where the given names may be initials
    already ("NC", which ``fields.person`` would read as one name)."""
    if family and given and _INITIALS.fullmatch(given):
        return f"{family} {given}"
    return fields.person(family, given)


def _inline(element: Any, skip: frozenset[str] = _NOT_INLINE) -> str | None:
    """An element's running text, white space made single, without the elements in skip."""
    if element is None:
        return None
    pieces: list[str] = []
    _collect(element, pieces, skip)
    return fields.clean("".join(pieces))


def _collect(element: Any, pieces: list[str], skip: frozenset[str]) -> None:
    if element.text:
        pieces.append(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "sup":
            pieces.append(_superscript(child, pieces, skip))
        elif tag == "break":
            pieces.append(" ")
        elif tag == "pub-id":
            # "2019;1:1-2.<pub-id>10.9999/x</pub-id>": the DOI is a word of its own.
            pieces.append(" ")
            _collect(child, pieces, skip)
        elif tag == "alternatives" and len(child):
            # The same formula as MathML, TeX and an image: one of them is enough.
            _collect(child[0], pieces, skip)
        elif tag and tag not in skip:
            _collect(child, pieces, skip)
        if child.tail:
            pieces.append(child.tail)


def _superscript(sup: Any, before: list[str], skip: frozenset[str]) -> str:
    """Citation marks as "[12]", exponents as "10^9"; other superscripts ("CD34+") as is."""
    inner: list[str] = []
    _collect(sup, inner, skip)
    text = "".join(inner).strip()
    if not text:
        return ""
    if sup.find(".//xref") is not None:
        return f" [{text}]"
    last = before[-1][-1:] if before and before[-1] else ""
    if last.isdigit() and text.lstrip("-−").isdigit():
        return f"^{text}"
    return text
