"""PubMed's MEDLINE text format (.nbib, .txt from "Send to: Citation manager / File").

Each line is a tag padded to four characters, "- " and a value ("PMID- 39000101",
"AU  - Varga T"); long values go on in lines indented by six spaces; a blank line ends a
record. PubMed ends every title with a full stop, which is dropped so that the title reads
the same as in other formats.
"""

from __future__ import annotations

import logging
import re

from reviewapp.core.identifiers import find_dois, find_nct_ids, normalise_doi
from reviewapp.core.models import Article
from reviewapp.importers import detect
from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.decoding import decode_text
from reviewapp.importers.fields import TaggedRecord, clean, collect, person, record_article

FORMAT_MEDLINE = detect.MEDLINE

log = logging.getLogger(__name__)

# "PMID- 1", "TI  - A title", "AU  - Varga T"; some tools drop the padding ("TI - A title").
_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$")
_DOI_MARK = re.compile(r"^(.*?)\s*\[doi\]\s*$", re.IGNORECASE)
_QUALIFIER = re.compile(r"/.*$")
# "Erratum in" and "Retraction in" cite the later notice, whose DOI is a correction of this
# article. Comments (CIN) are not corrections.
_CORRECTION_TAGS = ("EIN", "RIN")
# MeSH check tags describe the study population, not the article's subject.
_CHECK_TAGS = frozenset(
    {"humans", "animals", "male", "female", "adult", "aged", "aged, 80 and over", "middle aged",
     "young adult", "adolescent", "child", "child, preschool", "infant", "mice", "rats"}
)  # fmt: skip


def parse_medline(data: bytes, name: str) -> ParsedFile:
    """Every record of a MEDLINE (.nbib) file; records without a title are reported.

    Raises ImportFailure when the bytes are not text or the file has no "PMID- " line.
    """
    text, _encoding = decode_text(data)
    if not re.search(r"^PMID *- ?\S", text, re.MULTILINE):
        raise ImportFailure("the file is not valid MEDLINE: no PMID line was found")
    records = _split_records(text)
    if not records:
        raise ImportFailure("no records found in the MEDLINE file")
    log.debug("%s: %d MEDLINE records", name, len(records))
    return collect(records, lambda n, r: r.label(n), _article, FORMAT_MEDLINE)


def _split_records(text: str) -> list[TaggedRecord]:
    """A blank line ends a record; so does a second PMID line without one in between."""
    records: list[TaggedRecord] = []
    # Values are kept as the pieces of their lines and joined once at the end (linear time
    # however many lines a value is wrapped over).
    pieces: list[dict[str, list[list[str]]]] = []
    current: dict[str, list[list[str]]] | None = None
    value: list[str] | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.lstrip("\ufeff").rstrip()
        if not line:
            current, value = None, None
            continue
        if line[0] in " \t":
            if value is not None:
                # An indented line goes on with the previous tag's value.
                value.append(line.strip())
            continue
        match = _TAG.match(line)
        if match is None:
            continue  # a stray line (a header PubMed does not write); nothing to attach it to
        tag = match.group(1)
        if current is None or (tag == "PMID" and "PMID" in current):
            records.append(TaggedRecord(number))
            current = {}
            pieces.append(current)
        value = [match.group(2).strip()]
        current.setdefault(tag, []).append(value)
    for record, tags in zip(records, pieces, strict=True):
        record.tags = {tag: [" ".join(v) for v in values] for tag, values in tags.items()}
    return records


def _article(record: TaggedRecord) -> Article:
    return record_article(
        title=_title(record),
        source_format=FORMAT_MEDLINE,
        abstract=record.first("AB"),
        authors=_authors(record),
        journal=record.first("JT", "TA"),
        year=record.first("DP", "DEP", "EDAT"),
        doi=_doi(record),
        pmid=record.first("PMID"),
        pmcid=record.first("PMC"),
        keywords=_keywords(record),
        nct_ids=[n for v in record.all("SI") for n in find_nct_ids(v)],
        correction_dois=[
            ref.doi for tag in _CORRECTION_TAGS for v in record.all(tag) for ref in find_dois(v)
        ],
    )


def _title(record: TaggedRecord) -> str | None:
    title = record.first("TI", "BTI")
    if title is None:
        return None
    # A translated title is bracketed: "[Early response to durvalumab]."
    if title.startswith("[") and title.rstrip(".").endswith("]"):
        title = title.rstrip(".")[1:-1]
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    return title


def _authors(record: TaggedRecord) -> list[str]:
    short = record.all("AU")
    if short:
        return short
    full = [_full_name(v) for v in record.all("FAU")]
    names = [n for n in full if n]
    return names or record.all("CN")


def _full_name(value: str) -> str | None:
    family, _, given = value.partition(",")
    return person(family, given) if clean(family) else clean(given)


def _doi(record: TaggedRecord) -> str | None:
    for tag in ("LID", "AID"):
        for value in record.all(tag):
            match = _DOI_MARK.match(value)
            doi = normalise_doi(match.group(1)) if match else None
            if doi:
                return doi
    return None


def _keywords(record: TaggedRecord) -> list[str]:
    own = record.all("OT")
    if own:
        return own
    # MeSH headings: "Carcinoma, Small Cell/*drug therapy" -> "Carcinoma, Small Cell".
    headings = [_QUALIFIER.sub("", v).lstrip("*").strip() for v in record.all("MH")]
    return [h for h in headings if h.lower() not in _CHECK_TAGS]
