"""Exporting from the library: the evidence table (CSV, Markdown) and the references (RIS,
BibTeX) of chosen articles, a collection, or the whole library."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.models import Article, Finding
from reviewapp.exporters.references import write_bibtex, write_ris
from reviewapp.exporters.tables import evidence_rows, write_csv, write_markdown
from reviewapp.services.library import LibrarySession, Progress, ServiceError
from reviewapp.services.selection import select_articles

FORMATS = ("csv", "md", "ris", "bibtex")
# What each format is called in messages, and the file endings it accepts (a file with no
# ending is accepted too: the name is the user's to choose).
_NAMES = {"csv": "CSV", "md": "Markdown", "ris": "RIS", "bibtex": "BibTeX"}
_SUFFIXES = {
    "csv": (".csv",),
    "md": (".md", ".markdown", ".txt"),
    "ris": (".ris", ".txt"),
    "bibtex": (".bib",),
}
_TABLES = ("csv", "md")


@dataclass(frozen=True)
class ExportReport:
    """What was written: ``rows`` counts table rows (findings) or references."""

    path: Path
    format: str
    articles: int
    rows: int


def _format(fmt: str) -> str:
    name = fmt.strip().lower()
    if name not in FORMATS:
        choices = ", ".join(FORMATS[:-1]) + " or " + FORMATS[-1]
        raise ServiceError(f"unknown export format {fmt!r}: choose {choices}")
    return name


def _check_destination(session: LibrarySession, fmt: str, out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix and suffix not in _SUFFIXES[fmt]:
        endings = " or ".join(_SUFFIXES[fmt])
        raise ServiceError(
            f"a {_NAMES[fmt]} export goes in a file ending in {endings} (or with no ending), "
            f"not {out}"
        )
    # The export replaces the file at ``out``: never let that be the library itself.
    try:
        is_library = os.path.samefile(out, session.library.path)
    except OSError:  # nothing at ``out`` (or nothing we may look at): not the library
        is_library = False
    if is_library:
        raise ServiceError(f"{out} is the library file: choose another file to export to")


def export(
    session: LibrarySession,
    fmt: str,
    out: Path,
    article_refs: list[str] | None = None,
    collection: str | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    """Write the evidence table (``csv``, ``md``) or the references (``ris``, ``bibtex``) of
    the named articles and collection (their union), or of the whole library.

    The file is written whole or not at all. Raises ServiceError for an unknown format,
    article or collection, a file ending that belongs to another format, nothing to
    export, or a file that cannot be written.
    """
    name = _format(fmt)
    _check_destination(session, name, out)
    lib = session.library
    selection = select_articles(session, article_refs, collection, "export")
    ids, collection_name = selection.ids, selection.collection
    articles: list[Article] = []
    for article_id in ids:
        article = lib.articles.get(article_id)
        assert article is not None  # resolved just now, in this session
        articles.append(article)
    try:
        if name in _TABLES:
            rows = _write_table(session, name, out, ids, articles, collection_name, progress)
        elif name == "ris":
            write_ris(articles, out, progress)
            rows = len(articles)
        else:
            write_bibtex(articles, out, progress)
            rows = len(articles)
    except OSError as exc:
        raise ServiceError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return ExportReport(out, name, len(articles), rows)


def _write_table(
    session: LibrarySession,
    name: str,
    out: Path,
    ids: list[int],
    articles: list[Article],
    collection_name: str | None,
    progress: Progress | None,
) -> int:
    """Write the evidence table of ``articles``; returns the number of rows (findings)."""
    items: list[tuple[Article, list[Finding]]] = [
        (article, session.library.findings.list(article_id=article_id))
        for article_id, article in zip(ids, articles, strict=True)
    ]
    rows = evidence_rows(items)
    if not rows:
        raise ServiceError(
            "no findings to put in a table: tag findings on these articles first, "
            "or export their references (ris, bibtex)"
        )
    if name == "csv":
        write_csv(rows, out, progress)
    else:
        title = f"Evidence table: {collection_name}" if collection_name else "Evidence table"
        write_markdown(rows, out, title, progress)
    return len(rows)
