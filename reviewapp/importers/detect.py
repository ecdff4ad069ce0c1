"""Recognising a file's format by its content; the extension only breaks ties.

Users rename files, and exporters use whatever extension they like (.txt for RIS and MEDLINE,
.xml for PubMed, JATS and EndNote alike), so the first few kilobytes decide.
"""

from __future__ import annotations

import codecs
import re

from reviewapp.importers.base import ImportFailure

RIS = "ris"
BIBTEX = "bibtex"
MEDLINE = "medline"
PUBMED_XML = "pubmed-xml"
JATS = "jats"
ENDNOTE_XML = "endnote-xml"
CSL_JSON = "csl-json"
TABLE = "csv"
HTML = "html"
PDF = "pdf"
TEXT = "text"
MARKDOWN = "markdown"

# Formats that carry bibliographic records (the article text is title and abstract), and
# formats that carry an article's whole text.
RECORD_FORMATS = frozenset({RIS, BIBTEX, MEDLINE, PUBMED_XML, ENDNOTE_XML, CSL_JSON, TABLE})
FULL_TEXT_FORMATS = frozenset({JATS, HTML, PDF, TEXT, MARKDOWN})

# Binary formats this version does not read, named so the message says what the file is.
_UNSUPPORTED: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive or an Office document; unzip it or save it as PDF or text"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document; save it as PDF or text"),
    (b"{\\rtf", "an RTF document; save it as PDF or plain text"),
    (b"\x89PNG", "a PNG image; reviewapp imports text, not pictures"),
    (b"\xff\xd8\xff", "a JPEG image; reviewapp imports text, not pictures"),
    (b"GIF8", "a GIF image; reviewapp imports text, not pictures"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
    (b"SQLite format 3\x00", "an SQLite database, not an article or reference export"),
)

_RIS_TAG = re.compile(r"^\s*TY[ \t]{0,3}-", re.MULTILINE)
_MEDLINE_TAG = re.compile(r"^PMID[ \t]*-[ \t]*\d", re.MULTILINE)
_BIBTEX_ENTRY = re.compile(
    r"^[ \t]*@(?:(?:string|preamble|comment)\s*[{(]|[A-Za-z]+\s*[{(]\s*[^\s,{}()]+\s*,)",
    re.MULTILINE | re.IGNORECASE,
)
_XML_ROOT = re.compile(r"<(?![?!/])([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_HTML_MARK = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_XML_COMMENTS = re.compile(r"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.DOTALL)
_TABLE_EXTENSIONS = (".csv", ".tsv", ".tab")
_TITLE_HEADERS = re.compile(
    r"(?:^|[,;\t\"])\s*\"?(?:title|article title|document title|primary_title|ti)\"?"
    r"\s*(?:[,;\t]|$)",
    re.IGNORECASE,
)
_SNIFF_BYTES = 64 * 1024


def detect_format(data: bytes, name: str) -> str:
    """The format of a file from its first bytes (and its name only where content is silent).

    Raises ImportFailure for binary formats reviewapp does not read, naming what they are.
    """
    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    for signature, kind in _UNSUPPORTED:
        if data.startswith(signature):
            raise ImportFailure(f"the file is {kind}")
    head = _head_text(data)
    stripped = head.lstrip()
    lower_name = name.lower()
    if stripped.startswith("<"):
        return _markup_format(stripped)
    if stripped.startswith(("[", "{")):
        return CSL_JSON
    if _MEDLINE_TAG.search(head):
        return MEDLINE
    if _RIS_TAG.search(head) and re.search(r"^\s*[A-Z][A-Z0-9][ \t]{0,3}-", head, re.MULTILINE):
        return RIS
    if lower_name.endswith((".bib", ".bibtex")) or _looks_like_bibtex(stripped):
        return BIBTEX
    if lower_name.endswith(_TABLE_EXTENSIONS) or _looks_like_table(head):
        return TABLE
    if lower_name.endswith((".html", ".htm", ".xhtml")):
        return HTML
    return TEXT


def _head_text(data: bytes) -> str:
    """The first bytes as text, good enough to recognise a format (not to import it)."""
    head = data[:_SNIFF_BYTES]
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="replace")
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return head.decode("utf-16-le", errors="replace")
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return head.decode("utf-16-be", errors="replace")
    return head.decode("utf-8", errors="replace")


# PubMed's sets and single records, journal articles and NCBI Bookshelf books alike.
_PUBMED_ROOTS = frozenset(
    {
        "PubmedArticleSet",
        "PubmedArticle",
        "PubmedBookArticleSet",
        "PubmedBookArticle",
        "MedlineCitationSet",
        "MedlineCitation",
    }
)


def _markup_format(head: str) -> str:
    body = _XML_COMMENTS.sub("", head)
    match = _XML_ROOT.search(body)
    root = match.group(2) if match else ""
    # The root element decides: JATS and HTML both have a <body>.
    if root in _PUBMED_ROOTS:
        return PUBMED_XML
    if root in {"article", "pmc-articleset"}:
        return JATS
    if root == "xml" or (root in {"records", "record"} and "<ref-type" in body):
        return ENDNOTE_XML
    if root.lower() in {"html", "head", "body", "div", "p", "meta", "title"} or _HTML_MARK.search(
        head[:4096]
    ):
        return HTML
    raise ImportFailure(
        f"the file is XML with a <{root or '?'}> root, which is not a format reviewapp "
        "imports (PubMed XML, PMC/JATS full text and EndNote XML are)"
    )


def _looks_like_bibtex(head: str) -> bool:
    # An entry "@type{key," or a macro/comment block begins a line; text before the first
    # entry is allowed (BibTeX ignores it), as are "% Encoding:" lines.
    return bool(_BIBTEX_ENTRY.search(head))


def _looks_like_table(head: str) -> bool:
    first = head.split("\n", 1)[0]
    separators = max(first.count(","), first.count("\t"), first.count(";"))
    return separators >= 2 and bool(_TITLE_HEADERS.search(first))
