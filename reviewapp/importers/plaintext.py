"""Plain text and Markdown articles: news summaries, copied web text, notes.

The body is kept exactly as decoded (finding offsets depend on it). The title is the
first line that reads as a title; DOIs, PMIDs, NCT ids, and, where a reference line or a
labelled line states them, authors, journal and year are picked out of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewapp.core.identifiers import (
    find_dois,
    find_nct_ids,
    find_pmcid,
    find_pmid,
    normalise_doi,
    primary_doi,
)
from reviewapp.core.models import Article, DoiRef
from reviewapp.core.text import content_hash
from reviewapp.importers import detect
from reviewapp.importers.base import ImportFailure, ParsedFile, ParsedRecord

FORMAT_TEXT = detect.TEXT
FORMAT_MARKDOWN = detect.MARKDOWN

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_MD_MARKERS = re.compile(r"^[#>*_\s]+|[*_`]+$|^\*\*|\*\*$")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_LABEL = re.compile(
    r"^\s*(?P<label>authors?|by|journal|source|year|published|publication date|date|doi|pmid)"
    r"\s*[:：]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_REFERENCE_HEADING = re.compile(r"^\s*(?:#+\s*)?references?\s*:?\s*$", re.IGNORECASE)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_NAME = r"[A-Z][A-Za-z'’\-]+(?: [A-Z][A-Za-z'’\-]+)*"
_VANCOUVER_AUTHORS = re.compile(
    rf"^(?P<authors>(?:{_NAME} [A-Z]{{1,3}}, )*{_NAME} [A-Z]{{1,3}})(?P<etal>,? et al)?\."
)
_JOURNAL_YEAR = re.compile(
    r"\.\s+(?P<journal>[A-Z][A-Za-z&.\- ]{1,80}?)\.\s+(?P<year>(?:19|20)\d\d)\b[^;:.]{0,12}[;:.]"
)
_BYLINE = re.compile(r"^(?:by|from|posted by|written by)\s", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_LINE = re.compile(
    rf"^(?:(?:published|updated|posted|date)\s*:?\s*)?(?:\w+day,?\s+)?"
    rf"(?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:\s*,?\s*\d{{1,2}}:\d{{2}}.*)?$",
    re.IGNORECASE,
)
# A dateline's parts: "By Jane Doe | March 3, 2026", "Staff · 3 March 2026".
_DATELINE_PARTS = re.compile(r"\s+[|·•—–]\s+")
_DATELINE_LINES = 12  # a news story's date stands under its headline
_MAX_TITLE_CHARS = 250
_MAX_TITLE_WORDS = 35


@dataclass(frozen=True)
class _Citation:
    authors: list[str]
    journal: str | None
    year: int | None


def looks_like_markdown(text: str, filename: str) -> bool:
    if filename.lower().endswith((".md", ".markdown")):
        return True
    return bool(re.search(r"^\s{0,3}#{1,6}\s+\S", text[:5000], re.MULTILINE))


def parse_plain_text(text: str, filename: str) -> ParsedFile:
    """One article from a text or Markdown file (already decoded)."""
    markdown = looks_like_markdown(text, filename)
    lines = text.split("\n")
    title = _find_title(lines, markdown)
    if title is None:
        raise ImportFailure("no title found: the file has no line that reads as a title")
    labels = _labelled_values(lines[:40])
    dois = find_dois(text)
    if labels.get("doi"):
        labelled = normalise_doi(labels["doi"])
        if labelled and labelled not in {d.doi for d in dois}:
            dois.insert(0, DoiRef(labelled))
    doi = primary_doi(dois)
    citation = _citation(lines, doi)
    authors = _split_authors(labels["authors"]) if labels.get("authors") else citation.authors
    year = _labelled_year(labels) or citation.year or _dateline_year(lines)
    article = Article(
        title=title,
        text=text,
        authors=authors,
        journal=labels.get("journal") or citation.journal,
        year=year,
        doi=doi,
        dois=dois,
        pmid=_labelled_pmid(labels) or find_pmid(text),
        pmcid=find_pmcid(text),
        nct_ids=find_nct_ids(text),
        abstract=_abstract(lines),
        source_format=FORMAT_MARKDOWN if markdown else FORMAT_TEXT,
        content_hash=content_hash(text),
    )
    return ParsedFile([ParsedRecord("the article", article)], article.source_format or FORMAT_TEXT)


def _clean_line(line: str) -> str:
    return _MD_MARKERS.sub("", line).strip()


def reads_as_title(line: str) -> bool:
    """Short, not a sentence (no closing full stop), not a bullet, a label or a heading cue."""
    text = line.strip()
    if not text or _BULLET.match(text) or _LABEL.match(text):
        return False
    if len(text) > _MAX_TITLE_CHARS or len(text.split()) > _MAX_TITLE_WORDS:
        return False
    if text.endswith((".", ":", ";", ",")) and not text.endswith("..."):
        return False
    if len(text.split()) < 3 or _BYLINE.match(text) or _DATE_LINE.match(text):
        return False
    return (any(ch.isalpha() for ch in text) and text[0].isalnum()) or text[0] in "“\"'("


def _find_title(lines: list[str], markdown: bool) -> str | None:
    if markdown:
        # The first level-1 heading is the title, however short ("# Blinatumomab").
        for line in lines[:60]:
            h1 = re.match(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", line)
            if h1 and _clean_line(h1.group(1)) and len(h1.group(1)) <= _MAX_TITLE_CHARS:
                return _clean_line(h1.group(1))
        for line in lines[:60]:
            match = _MD_HEADING.match(line)
            if match and reads_as_title(_clean_line(match.group(1))):
                return _clean_line(match.group(1))
    for line in lines[:60]:
        candidate = _clean_line(line)
        if reads_as_title(candidate):
            return candidate
    first = next((_clean_line(line) for line in lines if line.strip()), "")
    if not first:
        return None
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    return sentence[:_MAX_TITLE_CHARS].rstrip(". ") or None


def _labelled_values(lines: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in lines:
        match = _LABEL.match(_clean_line(line) if line.lstrip().startswith(("*", "_")) else line)
        if not match:
            continue
        label = match.group("label").lower()
        key = {
            "by": "authors",
            "author": "authors",
            "source": "journal",
            "published": "year",
            "publication date": "year",
            "date": "year",
        }.get(label, label)
        values.setdefault(key, match.group("value").strip())
    return values


def _labelled_pmid(labels: dict[str, str]) -> str | None:
    """A labelled PMID only when it is one ("PMID: pending" is not)."""
    value = labels.get("pmid", "").strip()
    return value if re.fullmatch(r"[1-9]\d{0,8}", value) else None


def _labelled_year(labels: dict[str, str]) -> int | None:
    match = _YEAR.search(labels.get("year", ""))
    return int(match.group(1)) if match else None


def _dateline_year(lines: list[str]) -> int | None:
    """The year of the date under a headline: a line near the top that is a date, or a
    part of one that is ("By Jane Doe, PharmD | March 3, 2026", "Staff · 3 March 2026")."""
    found = []  # (updated?, year): a story's first publication before its updates
    for line in lines[:_DATELINE_LINES]:
        for part in _DATELINE_PARTS.split(_clean_line(line)):
            if _DATE_LINE.match(part.strip()):
                year = _YEAR.search(part)
                if year:
                    found.append((part.strip().lower().startswith("updated"), int(year.group(1))))
    return min(found, key=lambda each: each[0])[1] if found else None


def _split_authors(value: str) -> list[str]:
    parts = re.split(r"\s*;\s*|\s*,\s*(?=[A-Z][^,]*\s)|\s+and\s+", value.strip().rstrip("."))
    return [p.strip() for p in parts if p.strip() and p.strip().lower() != "et al"]


def _reference_lines(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if _REFERENCE_HEADING.match(line):
            return [_BULLET.sub("", ref).strip() for ref in lines[i + 1 :] if ref.strip()]
    return []


def _citation(lines: list[str], doi: str | None) -> _Citation:
    """Authors, journal and year from the reference line that cites the article's own DOI
    (or the only reference), in Vancouver style: "Luskin MR, Yin J, et al. Title. Cancer.
    2025;131(4):e35750."."""
    references = _reference_lines(lines)
    chosen = [r for r in references if doi and doi in r.lower()] or (
        references if len(references) == 1 else []
    )
    if not chosen:
        return _Citation([], None, None)
    reference = re.sub(r"\[[^\]]*\]", "", chosen[0])
    authors: list[str] = []
    match = _VANCOUVER_AUTHORS.match(reference)
    if match:
        authors = [a.strip() for a in match.group("authors").split(",")]
    journal_year = _JOURNAL_YEAR.search(reference)
    if journal_year:
        return _Citation(
            authors, journal_year.group("journal").strip(), int(journal_year.group("year"))
        )
    return _Citation(authors, None, None)


def _abstract(lines: list[str]) -> str | None:
    """The text under an Abstract or Summary heading, if the article has one."""
    for i, line in enumerate(lines):
        heading = _clean_line(line).lower().rstrip(":")
        if heading in ("abstract", "summary"):
            body: list[str] = []
            for following in lines[i + 1 :]:
                if not following.strip():
                    if body:
                        break
                    continue
                if _MD_HEADING.match(following):
                    break
                body.append(following.strip())
            return " ".join(body) or None
    return None
