"""Reference tables: CSV and tab-delimited exports of Rayyan, ASReview, Covidence, Scopus,
Embase and Web of Science, and spreadsheets saved as CSV.

Columns are found by their header names, whatever their case or order ("Title",
"Article Title", "TI"...). The delimiter (comma, tab or semicolon, as European Excel
writes) is read from the header line. Rows are numbered as a spreadsheet shows them, the
header being row 1, so "row 12" is where the user finds it when opening the file.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from reviewapp.core.models import Article
from reviewapp.importers import detect
from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.decoding import decode_text
from reviewapp.importers.fields import clean, collect, parse_pmcid, parse_pmid, record_article
from reviewapp.importers.names import author_name, journal_name

FORMAT_TABLE = detect.TABLE

log = logging.getLogger(__name__)

# Python's default cell limit (128 KiB) is below what Web of Science's cited-references
# column reaches; a cell above this is not a reference export's.
_FIELD_LIMIT = 16 * 1024 * 1024

# Header names per field, best first; compared in lower case with "_" read as a space.
_TITLE = ("title", "article title", "document title", "primary title", "ti")
_AUTHORS = ("authors", "author", "author names", "author(s)", "au", "author full names", "af")
_JOURNAL = (
    "source title", "journal", "journal title", "journal name", "journal/book",
    "publication title", "secondary title", "so", "source", "publication",
)  # fmt: skip
_YEAR = (
    "year", "publication year", "published year", "py", "pubyear", "pub year",
    "year published", "publication date", "date",
)  # fmt: skip
_DOI = ("doi", "di", "doi link")
_PMID = (
    "pubmed id", "pmid", "medline pmid", "pm", "pubmed", "pubmed id (pmid)", "pmid number",
    "pubmed number", "pubmed identifier",
)  # fmt: skip
_PMCID = ("pmcid", "pmc id", "pubmed central id")
_ABSTRACT = ("abstract", "ab", "abstract note")
_KEYWORDS = ("author keywords", "keywords", "de", "keyword", "manual tags")
# What Scopus writes in its "Source" column: the database, not the journal.
_DATABASES = frozenset({"scopus", "embase", "medline", "pubmed", "web of science"})
_SCOPUS_ID = re.compile(r"\s*\(\d{5,}\)")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_FAMILY_INITIALS = re.compile(r"^\S.*\s(?:[A-Z]\.?[\s\-]?){1,4}$")
_INITIALS_ONLY = re.compile(r"^(?:[A-Z]\.?[\s\-]?){1,4}$")


@dataclass(frozen=True)
class _Row:
    number: int
    cells: list[str]


@dataclass(frozen=True)
class _Columns:
    """Where each field is in a row; None where the table has no such column."""

    title: int
    authors: int | None
    journal: int | None
    journal_is_source: bool
    year: int | None
    doi: int | None
    pmid: int | None
    pmcid: int | None
    abstract: int | None
    keywords: int | None


def parse_table(data: bytes, name: str) -> ParsedFile:
    """Every row of a CSV/TSV reference export; rows without a title are reported.

    Raises ImportFailure when the table cannot be read, has no title column or no rows.
    """
    text, _encoding = decode_text(data)
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(text.split("\n", 1)[0], name)
    rows = _read_rows(text, delimiter)
    if not rows:
        raise ImportFailure("no records found: the table is empty")
    header = [_header_key(cell) for cell in rows[0].cells]
    columns = _columns(header, rows[0].cells)
    body = [row for row in rows[1:] if any(cell.strip() for cell in row.cells)]
    if not body:
        raise ImportFailure("no records found: the table has a header but no rows")
    log.debug("%s: %d rows, delimiter %r", name, len(body), delimiter)
    return collect(body, _label, _builder(columns), FORMAT_TABLE)


def _delimiter(header: str, name: str) -> str:
    """The delimiter that splits the header line most often, outside quotes."""
    counts = {",": 0, "\t": 0, ";": 0}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    if name.lower().endswith((".tsv", ".tab")) and counts["\t"]:
        return "\t"
    best = max(counts, key=lambda d: (counts[d], d == "\t", d == ","))
    return best if counts[best] else ","


def _read_rows(text: str, delimiter: str) -> list[_Row]:
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[_Row] = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append(_Row(number, cells))
    except csv.Error as exc:
        raise ImportFailure(f"the table cannot be read at line {reader.line_num}: {exc}") from None
    return rows


def _header_key(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").replace("_", " ").strip().strip('"').lower().split())


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    """The column of the first of ``names`` the header has: as written (in lower case, "_"
    read as a space), else with spaces and punctuation left out, as spreadsheets and
    databases also spell them ("pubmedID", "PubMed-ID", "PMID_number")."""
    for name in names:
        if name in header:
            return header.index(name)
    compact = [_compact(cell) for cell in header]
    for name in names:
        if _compact(name) in compact:
            return compact.index(_compact(name))
    return None


def _compact(name: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", name)


def _columns(header: list[str], raw: list[str]) -> _Columns:
    title = _find(header, _TITLE)
    if title is None:
        shown = ", ".join(clean(cell) or "(blank)" for cell in raw[:20])
        more = f" and {len(raw) - 20} more" if len(raw) > 20 else ""
        raise ImportFailure(f"the table has no title column; columns found: {shown}{more}")
    journal = _find(header, _JOURNAL)
    return _Columns(
        title=title,
        authors=_find(header, _AUTHORS),
        journal=journal,
        journal_is_source=journal is not None and header[journal] == "source",
        year=_find(header, _YEAR),
        doi=_find(header, _DOI),
        pmid=_find(header, _PMID),
        pmcid=_find(header, _PMCID),
        abstract=_find(header, _ABSTRACT),
        keywords=_find(header, _KEYWORDS),
    )


def _label(_number: int, row: _Row) -> str:
    return f"row {row.number}"


def _builder(columns: _Columns) -> Callable[[_Row], Article]:
    def cell(row: _Row, index: int | None) -> str | None:
        if index is None or index >= len(row.cells):
            return None
        return row.cells[index] or None

    def build(row: _Row) -> Article:
        journal = clean(cell(row, columns.journal))
        if columns.journal_is_source and journal and journal.lower() in _DATABASES:
            journal = None
        return record_article(
            title=cell(row, columns.title),
            source_format=FORMAT_TABLE,
            abstract=cell(row, columns.abstract),
            authors=split_authors(cell(row, columns.authors)),
            journal=journal_name(journal),
            year=cell(row, columns.year),
            doi=cell(row, columns.doi),
            pmid=parse_pmid(cell(row, columns.pmid)),
            pmcid=parse_pmcid(cell(row, columns.pmcid)),
            keywords=_keywords(cell(row, columns.keywords)),
        )

    return build


def split_authors(value: str | None) -> list[str]:
    """Authors from one cell, each as "Family GI", however the exporter joined them.

    "Varga, T; Okafor, NC" (Web of Science), "Varga T.; Okafor N.C." (Scopus),
    "Varga T., Okafor N.C." (Embase), "Varga, T. and Okafor, N. C." (Rayyan), and
    "Varga, T., Okafor, N. C." (old Scopus), where every second part is initials.
    """
    text = clean(value)
    if text is None:
        return []
    text = _SCOPUS_ID.sub("", text)
    if ";" in text:
        parts = text.split(";")
    elif " and " in text:
        parts = text.split(" and ")
    elif "," in text:
        parts = _comma_separated(text)
    else:
        parts = [text]
    names = [author_name(part) for part in parts]
    return [n for n in names if n and n.lower() not in {"et al", "et al."}]


def _comma_separated(text: str) -> list[str]:
    tokens = [t.strip() for t in text.split(",") if t.strip()]
    if all(_FAMILY_INITIALS.match(t) for t in tokens):
        return tokens  # "Varga T., Okafor N.C."
    if len(tokens) % 2 == 0 and all(_INITIALS_ONLY.match(t) for t in tokens[1::2]):
        return [
            f"{family}, {given}" for family, given in zip(tokens[::2], tokens[1::2], strict=True)
        ]
    if len(tokens) == 2:
        return [text]  # one author: "Varga, Tamas"
    return tokens


def _keywords(value: str | None) -> list[str]:
    text = clean(value)
    if text is None:
        return []
    separator = ";" if ";" in text else ","
    return [part.strip() for part in text.split(separator) if part.strip()]
