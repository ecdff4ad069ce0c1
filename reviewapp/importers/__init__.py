"""Importers: one module per format, each turning a file into core Articles.

``parse_file`` recognises the format by content (see ``detect``), reads the file with that
format's importer and turns every failure into an ImportFailure with a reason a clinician
understands. ``isolation.ParserProcess`` runs it in a child process that can be stopped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from reviewapp.importers import detect
from reviewapp.importers.base import (
    MAX_FILE_BYTES,
    MAX_TEXT_BYTES,
    ImportFailure,
    ParsedFile,
    ParsedRecord,
    handing_on,
)
from reviewapp.importers.decoding import decode_text
from reviewapp.importers.plaintext import parse_plain_text

__all__ = [
    "FORMAT_NAMES",
    "ImportFailure",
    "ParsedFile",
    "ParsedRecord",
    "discover_files",
    "parse_bytes",
    "parse_file",
    "parser_for",
]

Parser = Callable[[bytes, str], ParsedFile]

# Each format's parser, imported on first use (lxml, pypdf and bibtexparser cost start-up time).
_PARSERS: dict[str, tuple[str, str]] = {
    detect.RIS: ("reviewapp.importers.ris", "parse_ris"),
    detect.BIBTEX: ("reviewapp.importers.bibtex", "parse_bibtex"),
    detect.MEDLINE: ("reviewapp.importers.medline", "parse_medline"),
    detect.PUBMED_XML: ("reviewapp.importers.pubmed_xml", "parse_pubmed_xml"),
    detect.JATS: ("reviewapp.importers.jats", "parse_jats"),
    detect.ENDNOTE_XML: ("reviewapp.importers.endnote_xml", "parse_endnote_xml"),
    detect.CSL_JSON: ("reviewapp.importers.csl_json", "parse_csl_json"),
    detect.TABLE: ("reviewapp.importers.table", "parse_table"),
    detect.HTML: ("reviewapp.importers.html_page", "parse_html"),
    detect.PDF: ("reviewapp.importers.pdf", "parse_pdf"),
}
FORMAT_NAMES = {
    detect.RIS: "RIS",
    detect.BIBTEX: "BibTeX",
    detect.MEDLINE: "PubMed MEDLINE",
    detect.PUBMED_XML: "PubMed XML",
    detect.JATS: "JATS full text",
    detect.ENDNOTE_XML: "EndNote XML",
    detect.CSL_JSON: "CSL-JSON",
    detect.TABLE: "CSV/TSV table",
    detect.HTML: "web page",
    detect.PDF: "PDF",
    detect.TEXT: "plain text",
    "markdown": "Markdown",
}
# Formats whose whole file is one article's text, where a text this large is not an article.
_ARTICLE_TEXT_FORMATS = {detect.TEXT, detect.HTML}
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def discover_files(paths: list[Path]) -> list[Path]:
    """The files named, and those inside named folders (recursively, hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if (
                    child.is_file()
                    and not any(p.startswith(".") for p in relative)
                    and (child.name not in _IGNORED_NAMES)
                ):
                    files.append(child)
        else:
            files.append(path)
    return files


def parse_file(path: Path, parts: Callable[[list[ParsedRecord]], None] | None = None) -> ParsedFile:
    """Read and parse one file in this process. Raises ImportFailure for what cannot come in.

    With ``parts``, a record file's records are handed to it in parts as they are read
    (``base.handing_on``), each article with its source file, and the file returned holds
    only the rest (perhaps none); ImportFailure may still come after some parts.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFailure("the file does not exist") from None
    except OSError as exc:
        raise ImportFailure(f"the file cannot be read ({exc.strerror or exc})") from None
    if not path.is_file():
        raise ImportFailure("not a regular file")
    if size > MAX_FILE_BYTES:
        raise ImportFailure(
            f"the file is too large ({_size(size)}; the limit is {_size(MAX_FILE_BYTES)})"
        )
    if size == 0:
        raise ImportFailure("the file is empty")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"the file cannot be read ({exc.strerror or exc})") from None
    if parts is None:
        parsed = parse_bytes(data, path.name)
    else:

        def hand_on(records: list[ParsedRecord]) -> None:
            _name_source(records, path.name)
            parts(records)

        with handing_on(hand_on):
            parsed = parse_bytes(data, path.name)
    _name_source(parsed.records, path.name)
    return parsed


def _name_source(records: list[ParsedRecord], name: str) -> None:
    for record in records:
        if record.article is not None:
            record.article.source_file = name


def parse_bytes(data: bytes, name: str) -> ParsedFile:
    """Parse a file's bytes (``name`` only breaks ties between formats)."""
    if not data.strip():
        raise ImportFailure("the file is empty")
    kind = detect.detect_format(data, name)
    if kind in _ARTICLE_TEXT_FORMATS and len(data) > MAX_TEXT_BYTES:
        raise ImportFailure(
            f"the file is too large for one article ({_size(len(data))}; the limit is "
            f"{_size(MAX_TEXT_BYTES)})"
        )
    if kind == detect.TEXT:
        text, _encoding = decode_text(data)
        return parse_plain_text(text, name)
    parsed = parser_for(kind)(data, name)
    if not parsed.records and not parsed.handed:
        raise ImportFailure(f"no records were found in this {FORMAT_NAMES[kind]} file")
    return parsed


def parser_for(kind: str) -> Parser:
    """The parse function of a format (see ``detect``), imported on first use."""
    module_name, function = _PARSERS[kind]
    parser: Parser = getattr(importlib.import_module(module_name), function)
    return parser


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 2**20:
        return f"{count / 1024:.0f} KB"
    return f"{count / 2**20:.0f} MB"
