"""The evidence table: one row per finding, as CSV (for spreadsheets) and Markdown.

Rows are plain dictionaries of strings with the same columns whatever the category, so a
spreadsheet can filter and sort a whole review at once: an efficacy finding leaves the
toxicity columns empty and the other way round.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from reviewapp.core.categories import SCHEMAS
from reviewapp.core.citation import short_citation
from reviewapp.core.models import Article, Category, Finding
from reviewapp.exporters.atomic import atomic_text

Progress = Callable[[int, int], None]

ARTICLE_COLUMNS = ("article_id", "article_uid", "citation", "title", "year", "doi", "category")
# Every field key of every category, in a fixed order: efficacy, toxicity, the counts both
# share, mechanism, reference. Keys that mean something else in another category are renamed.
FIELD_COLUMNS = (
    "endpoint",
    "arm",
    "comparator",
    "measure",
    "value",
    "unit",
    "ci_low",
    "ci_high",
    "p_value",
    "direction",
    "event",
    "grade",
    "incidence_pct",
    "timing",
    "serious",
    "n",
    "N",
    "agent",
    "aliases",
    "modality",
    "targets",
    "ref_doi",
    "pmid",
    "nct",
    "ref_citation",
    "relation",
)
FINDING_COLUMNS = ("quote", "note", "reviewer", "status", "finding_uid")
COLUMNS = ARTICLE_COLUMNS + FIELD_COLUMNS + FINDING_COLUMNS

# The article's own DOI has a column already; a reference finding's DOI and citation are
# about another article.
_RENAMED = {
    (Category.REFERENCE, "doi"): "ref_doi",
    (Category.REFERENCE, "citation"): "ref_citation",
}

_MARKDOWN_HEADINGS = ("Article", "Category", "Fields", "Quote", "Note", "Reviewer", "Status")


def field_column(category: Category, key: str) -> str:
    """The evidence-table column that holds field ``key`` of a ``category`` finding."""
    return _RENAMED.get((category, key), key)


def _field_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for category, specs in SCHEMAS.items():
        for spec in specs:
            labels.setdefault(field_column(category, spec.key), spec.label)
    return labels


_FIELD_LABELS = _field_labels()
_FIELD_COLUMN_SET = frozenset(FIELD_COLUMNS)


def format_value(value: Any) -> str:
    """A field value as a table prints it: lists joined with "; ", booleans as yes/no,
    numbers as they were typed (23.3, never 23.300000000000001 or 1e-05)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        # repr is the shortest text that reads back as the same float; Decimal then spells
        # very small and very large numbers out instead of using an exponent.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, list | tuple):
        return "; ".join(format_value(item) for item in value)
    return str(value)


def evidence_rows(items: Sequence[tuple[Article, Sequence[Finding]]]) -> list[dict[str, str]]:
    """One row per finding, with the columns in ``COLUMNS`` (an article without findings
    gives no row)."""
    rows: list[dict[str, str]] = []
    for article, findings in items:
        citation = short_citation(article)
        for finding in findings:
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                article_id="" if article.id is None else str(article.id),
                article_uid=article.uid,
                citation=citation,
                title=article.title,
                year="" if article.year is None else str(article.year),
                doi=article.doi or "",
                category=finding.category.value,
                quote=finding.quote,
                note=finding.note,
                reviewer=finding.reviewer,
                status=finding.status.value,
                finding_uid=finding.uid,
            )
            for key, value in finding.fields.items():
                column = field_column(finding.category, key)
                # Validation admits only schema keys, and every schema key has a column
                # (a test holds the two together), so nothing is dropped here.
                if column in _FIELD_COLUMN_SET:
                    row[column] = format_value(value)
            rows.append(row)
    return rows


# -- CSV -----------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` with a leading apostrophe when a spreadsheet would run it as a formula.

    Excel and LibreOffice evaluate a cell that starts with = + - or @: an article's text
    could carry a formula that runs on the reviewer's machine, and a quote that starts
    with "- " shows as #NAME?. Plain numbers such as -0.5 are left alone.
    """
    if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def write_csv(rows: Sequence[dict[str, str]], path: Path, progress: Progress | None = None) -> None:
    """Write the rows as CSV, atomically: UTF-8 with a byte-order mark (without one, Excel
    reads the file as the local code page and garbles ≥, µ and Greek), CRLF line ends,
    cells quoted where they hold a comma, a quote or a line break."""
    total = len(rows)
    with atomic_text(path, encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="", extrasaction="ignore")
        writer.writeheader()
        for done, row in enumerate(rows, 1):
            writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
            if progress is not None:
                progress(done, total)


# -- Markdown ------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def markdown_cell(text: str) -> str:
    """``text`` made safe for one cell of a GitHub table: Markdown and HTML characters
    escaped (a pipe would end the cell), line breaks as <br> (one would end the row)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return "<br>".join(line.strip() for line in escaped.splitlines()).strip()


def _fields_cell(row: dict[str, str]) -> str:
    return " · ".join(
        f"{_FIELD_LABELS[column]}: {row[column]}" for column in FIELD_COLUMNS if row.get(column)
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def write_markdown(
    rows: Sequence[dict[str, str]],
    path: Path,
    title: str = "Evidence table",
    progress: Progress | None = None,
) -> None:
    """Write the rows as a Markdown document, atomically: a heading, a line counting the
    findings and their articles, and a GitHub-flavoured table with one row per finding."""
    articles = {(row.get("article_id", ""), row.get("article_uid", "")) for row in rows}
    heading = markdown_cell(" ".join(title.split())) or "Evidence table"
    lines = [
        f"# {heading}",
        "",
        f"{_plural(len(rows), 'finding')} from {_plural(len(articles), 'article')}.",
        "",
        "| " + " | ".join(_MARKDOWN_HEADINGS) + " |",
        "|" + "|".join("---" for _ in _MARKDOWN_HEADINGS) + "|",
    ]
    total = len(rows)
    for done, row in enumerate(rows, 1):
        cells = (
            row.get("citation", ""),
            row.get("category", ""),
            _fields_cell(row),
            row.get("quote", ""),
            row.get("note", ""),
            row.get("reviewer", ""),
            row.get("status", ""),
        )
        lines.append("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |")
        if progress is not None:
            progress(done, total)
    with atomic_text(path) as handle:
        handle.write("\n".join(lines) + "\n")
