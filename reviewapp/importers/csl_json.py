"""CSL-JSON, the citation data Zotero, Mendeley, citation.js and Crossref export.

A file holds a list of items, one item, or {"items": [...]}. Each item names its fields as
CSL does: title, author [{family, given}], container-title, issued {"date-parts": [[2024]]},
DOI, PMID, PMCID, abstract, keyword. Crossref wraps abstracts in JATS tags, which are removed.
"""

from __future__ import annotations

import html
import json
import logging
import re
from typing import Any

from reviewapp.core.models import Article
from reviewapp.importers import detect
from reviewapp.importers.base import ImportFailure, ParsedFile, RecordError
from reviewapp.importers.decoding import decode_text
from reviewapp.importers.fields import (
    clean,
    collect,
    parse_pmcid,
    parse_pmid,
    person,
    record_article,
)

FORMAT_CSL_JSON = detect.CSL_JSON

log = logging.getLogger(__name__)

_TAGS = re.compile(r"<[^<>]{1,200}>")
_NOTE_PMID = re.compile(r"\bPMID\s*:\s*(\d{1,9})\b", re.IGNORECASE)
_NOTE_PMCID = re.compile(r"\bPMCID\s*:\s*(PMC\d{4,9})\b", re.IGNORECASE)
_DATE_FIELDS = ("issued", "published-print", "published-online", "original-date")
_LABEL_ID = re.compile(r"^[\w:./\-]{1,60}$")


def _integer(digits: str) -> int | str:
    """JSON integers as ints, except absurdly long ones, kept as text (a field that holds
    one is then refused for its record, not the whole file for a conversion limit)."""
    return int(digits) if len(digits) <= 30 else digits


def parse_csl_json(data: bytes, name: str) -> ParsedFile:
    """Every item of a CSL-JSON file; items without a title are reported.

    Raises ImportFailure when the file is not JSON, not CSL-JSON, or holds no items.
    """
    text, _encoding = decode_text(data)
    try:
        document = json.loads(text, parse_int=_integer)
    except RecursionError:
        raise ImportFailure("the JSON is nested too deeply to be a reference list") from None
    except json.JSONDecodeError as exc:
        raise ImportFailure(
            f"the file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    items = _items(document)
    if not items:
        raise ImportFailure("no records found: the CSL-JSON list is empty")
    if not any(isinstance(item, dict) for item in items):
        raise ImportFailure("the file is not CSL-JSON: its list holds no reference items")
    log.debug("%s: %d CSL-JSON items", name, len(items))
    return collect(items, _label, _article, FORMAT_CSL_JSON)


def _items(document: object) -> list[object]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        inner = document.get("items")
        if isinstance(inner, list):
            return inner
        if any(key in document for key in ("title", "type", "DOI", "author")):
            return [document]
    raise ImportFailure(
        "the file is not CSL-JSON: expected a list of reference items, found "
        + ("an object without items" if isinstance(document, dict) else type(document).__name__)
    )


def _label(number: int, item: object) -> str:
    key = item.get("id") if isinstance(item, dict) else None
    if isinstance(key, str | int) and not isinstance(key, bool):
        key_text = str(key)
        if _LABEL_ID.match(key_text):
            return f"item {number} ({key_text})"
    return f"item {number}"


def _article(item: object) -> Article:
    if not isinstance(item, dict):
        raise RecordError(f"the item is not a reference but a JSON {type(item).__name__}")
    note = _text(item.get("note")) or ""
    note_pmid = _NOTE_PMID.search(note)
    note_pmcid = _NOTE_PMCID.search(note)
    return record_article(
        title=_text(item.get("title")) or _text(item.get("title-short")),
        source_format=FORMAT_CSL_JSON,
        abstract=_abstract(item.get("abstract")),
        authors=_authors(item.get("author")),
        journal=_text(item.get("container-title"))
        or _text(item.get("container-title-short"))
        or _text(item.get("journalAbbreviation")),
        year=_year(item),
        doi=_text(item.get("DOI")) or _text(item.get("doi")),
        pmid=parse_pmid(_text(item.get("PMID")))
        or (note_pmid.group(1) if note_pmid else None)
        or (parse_pmid(_text(item.get("URL"))) if "pubmed" in str(item.get("URL")) else None),
        pmcid=parse_pmcid(_text(item.get("PMCID")))
        or (note_pmcid.group(1) if note_pmcid else None),
        keywords=_keywords(item.get("keyword")),
    )


def _text(value: object) -> str | None:
    """A field as text: strings, numbers, and the first string of a list."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | int | float)), None)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value)
    # Lone surrogates ("\ud800" is valid JSON) cannot be stored as UTF-8.
    return clean(text.encode("utf-8", "replace").decode("utf-8"))


def _abstract(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.encode("utf-8", "replace").decode("utf-8")
    if "<" in text:
        # Crossref: "<jats:title>Abstract</jats:title><jats:p>...</jats:p>"
        text = re.sub(r"<jats:title>[^<]{0,40}</jats:title>", "", text)
        text = re.sub(r"</(?:jats:)?p>", "\n\n", text)
        text = _TAGS.sub("", text)
    return html.unescape(text)


def _authors(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    names: list[str] = []
    for entry in value:
        if isinstance(entry, str):
            name = clean(entry)
        elif isinstance(entry, dict):
            name = _author(entry)
        else:
            name = None
        if name:
            names.append(name)
    return names


def _author(entry: dict[str, Any]) -> str | None:
    literal = _text(entry.get("literal"))
    family = _text(entry.get("family"))
    if family is None:
        return literal or _text(entry.get("given"))
    particle = _text(entry.get("non-dropping-particle"))
    return person(f"{particle} {family}" if particle else family, _text(entry.get("given")))


def _year(item: dict[str, Any]) -> str | None:
    for key in _DATE_FIELDS:
        value = item.get(key)
        if isinstance(value, dict):
            parts = value.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                first = parts[0][0]
                if isinstance(first, int | str) and not isinstance(first, bool):
                    return str(first)
            for field in ("raw", "literal"):
                raw = _text(value.get(field))
                if raw:
                    return raw
        elif isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None


def _keywords(value: object) -> list[str]:
    if isinstance(value, list):
        return [k for k in (_text(v) for v in value) if k]
    text = _text(value)
    if text is None:
        return []
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]
