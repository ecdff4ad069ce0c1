"""RIS reference files, as PubMed, Zotero, EndNote, Mendeley, Scopus and Web of Science export.

Lines are normalised and records split here rather than by rispy, because exporters bend the
format in ways rispy refuses or misreads: a byte-order mark, a tab or a single space around
the hyphen ("TY\\t- JOUR", "TY - JOUR"), empty tags, abstracts wrapped onto lines without a
tag (EndNote), and a last record without its closing ER. rispy's tag table tells which
two-letter tags are real RIS tags, so that loosely written tag lines are only accepted for
those, and a wrapped abstract line such as "OS - 14.2 months" stays part of the abstract.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterator

import rispy

from reviewapp.core.identifiers import find_dois, normalise_doi
from reviewapp.core.models import Article
from reviewapp.importers import detect
from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.decoding import decode_text
from reviewapp.importers.fields import (
    TaggedRecord,
    collect,
    parse_pmcid,
    parse_pmid,
    record_article,
)
from reviewapp.importers.names import author_name, journal_name

FORMAT_RIS = detect.RIS

log = logging.getLogger(__name__)

# A tag line as the specification writes it: "AU  - Smith, J" (two spaces, hyphen, space).
_STRICT_TAG = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")
# What exporters also write: tabs, one or three spaces, no space after the hyphen,
# leading white space. Accepted only for tags RIS defines.
_LOOSE_TAG = re.compile(r"^[ \t]*([A-Z][A-Z0-9])[ \t]{0,3}-(?:[ \t]+(.*)|[ \t]*)$")
_KNOWN_TAGS = frozenset(rispy.TAG_KEY_MAPPING) | {
    "BT", "CP", "CT", "DI", "ED", "IP", "JP", "L3", "LK", "M2", "N1", "PP", "SV", "T1", "U1",
    "U2", "U3", "U4", "U5", "Y3",
}  # fmt: skip
_TITLE_TAGS = ("TI", "T1", "CT", "BT", "ST")
# Full journal names before abbreviations.
_JOURNAL_TAGS = ("JF", "T2", "JO", "JA", "J2")
_YEAR_TAGS = ("PY", "Y1", "DA", "Y2")
_AUTHOR_TAGS = ("AU", "A1")
# Where exporters leave a DOI when they do not use DO: links, file paths, notes, and the
# "type of work" field, where old EndNote versions wrote it.
_DOI_FALLBACK_TAGS = ("DI", "UR", "L3", "L2", "L1", "LK", "M3", "N1", "AN")
_URL_TAGS = ("UR", "L1", "L2", "L3", "LK", "N1")
_PMC_URL = re.compile(r"\b(PMC\d{4,9})\b")


def parse_ris(data: bytes, name: str) -> ParsedFile:
    """Every record of an RIS file; records without a title are reported, not imported.

    Raises ImportFailure when the bytes are not text or hold no TY tag at all.
    """
    text, _encoding = decode_text(data)
    records = _split_records(text)  # as they are met: the first can be stored meanwhile
    before: list[TaggedRecord] = []
    for record in records:
        before.append(record)
        if "TY" in record.tags:
            break
    else:
        raise ImportFailure("the file is not valid RIS: no TY tag was found")
    parsed = collect(
        itertools.chain(before, records), lambda n, r: r.label(n), _article, FORMAT_RIS
    )
    log.debug("%s: %d RIS records", name, parsed.handed + len(parsed.records))
    return parsed


def _match_tag(line: str) -> tuple[str, str] | None:
    # Most lines are strict "XX  - value"; checking them without a regex halves the time.
    if line[2:5] == "  -" and line[5:6] in ("", " ") and line[:2] in _KNOWN_TAGS:
        return line[:2], line[6:]
    strict = _STRICT_TAG.match(line)
    if strict:
        return strict.group(1), strict.group(2) or ""
    loose = _LOOSE_TAG.match(line)
    if loose and loose.group(1) in _KNOWN_TAGS:
        return loose.group(1), loose.group(2) or ""
    return None


# A record's title: one met again after a blank line begins the next record, whose TY line
# is missing (its ER too, or the one before it). (Not a year or DOI: double-spaced files and
# notes repeat those within one record.)
_ONCE_TAGS = frozenset({"TI", "T1"})


def _split_records(text: str) -> Iterator[TaggedRecord]:
    """TY starts a record; ER, the next TY or the end of the file closes it. A record
    whose TY line is missing or broken starts at its first tag line after the record
    before closed, or at a title that follows a blank line in a record that has one
    already, so that its title never lands in a neighbour and it is not lost. Each record
    is given as soon as it is closed."""
    # Each value is kept as the pieces of its lines and joined once the record is closed,
    # so that a value wrapped over many thousand lines costs linear time.
    record: TaggedRecord | None = None
    current: dict[str, list[list[str]]] | None = None  # None once ER closed the record
    value: list[str] | None = None  # the pieces of the value the previous tag line began
    paragraph_break = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.lstrip("\ufeff\u200b").rstrip()
        if not line:
            paragraph_break = value is not None
            continue
        tagged = _match_tag(line)
        if tagged is None:
            if value is not None:
                # A line without a tag continues the previous tag's value (wrapped text).
                if value[-1]:
                    value.append("\n\n" if paragraph_break else "\n")
                value.append(line.strip())
            paragraph_break = False
            continue
        tag, text_value = tagged
        after_break, paragraph_break = paragraph_break, False
        if tag == "ER":
            if record is not None and current is not None:
                yield _closed(record, current)
            record, current, value = None, None, None
            continue
        starts = (
            tag == "TY" or current is None or (after_break and tag in _ONCE_TAGS and tag in current)
        )
        if starts:
            if record is not None and current is not None:
                yield _closed(record, current)
            record, current = TaggedRecord(number), {}
        assert current is not None
        value = [text_value.strip()]
        current.setdefault(tag, []).append(value)
    if record is not None and current is not None:
        yield _closed(record, current)


def _closed(record: TaggedRecord, pieces: dict[str, list[list[str]]]) -> TaggedRecord:
    record.tags = {tag: ["".join(v) for v in values] for tag, values in pieces.items()}
    return record


def _article(record: TaggedRecord) -> Article:
    return record_article(
        title=record.first(*_TITLE_TAGS),
        source_format=FORMAT_RIS,
        abstract=_abstract(record),
        authors=[a for a in (author_name(v) for v in record.all(*_AUTHOR_TAGS)) if a],
        journal=_journal(record),
        year=record.first(*_YEAR_TAGS),
        doi=_doi(record),
        pmid=_pmid(record),
        pmcid=_pmcid(record),
        keywords=[k.strip() for v in record.all("KW") for k in v.split(";") if k.strip()],
    )


def _journal(record: TaggedRecord) -> str | None:
    journal = record.first(*_JOURNAL_TAGS)
    if journal is None and record.first("TI", "T1", "CT"):
        # A chapter: BT is the book it appeared in (without TI/T1, BT was the title).
        journal = record.first("BT")
    return journal_name(journal)


def _abstract(record: TaggedRecord) -> str | None:
    for tag in ("AB", "N2"):
        for value in record.tags.get(tag, ()):
            if value and not value.isspace():
                return value
    return None


def _doi(record: TaggedRecord) -> str | None:
    for value in record.all("DO"):
        doi = normalise_doi(value) or next((r.doi for r in find_dois(value)), None)
        if doi:
            return doi
    for value in record.all(*_DOI_FALLBACK_TAGS):
        found = find_dois(value)
        if found:
            return found[0].doi
    return None


def _pmid(record: TaggedRecord) -> str | None:
    # PubMed, Zotero and EndNote put the PMID in the accession number; other databases put
    # their own accession numbers there (WOS:…, long Scopus and Embase numbers), which
    # parse_pmid does not take for PMIDs.
    for value in record.all("AN", "PM"):
        pmid = parse_pmid(value)
        if pmid:
            return pmid
    for value in record.all(*_URL_TAGS):
        pmid = parse_pmid(value) if "pubmed" in value.lower() else None
        if pmid:
            return pmid
    # Scopus writes the PubMed id in C2, where EndNote keeps a PMCID.
    for value in record.all("C2"):
        pmid = parse_pmid(value)
        if pmid:
            return pmid
    return None


def _pmcid(record: TaggedRecord) -> str | None:
    for value in record.all("C2", "C1", "C7", "N1"):
        pmcid = parse_pmcid(value)
        if pmcid:
            return pmcid
    for value in record.all(*_URL_TAGS):
        match = _PMC_URL.search(value)
        if match:
            return match.group(1).upper()
    return None
