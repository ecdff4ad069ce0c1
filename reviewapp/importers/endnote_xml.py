"""EndNote XML: what EndNote's "Export… XML" writes (``<xml><records><record>``).

EndNote wraps every value in ``<style face="normal" font="default" size="100%">`` runs,
sometimes several per value; all their text is taken. Authors come as "Family, Given";
the DOI as the "electronic resource number"; the PMID as the "accession number".
"""

from __future__ import annotations

import re
from typing import Any

from reviewapp.core.identifiers import find_dois
from reviewapp.core.models import Article
from reviewapp.importers import detect, fields
from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.xml_safe import element_text, parse_xml

FORMAT_ENDNOTE_XML = detect.ENDNOTE_XML

_INITIALS = re.compile(r"[A-Z]{1,4}")
_KEYWORD_SEPARATORS = re.compile(r"\s*[\n;]\s*")
# EndNote's record types that name a periodical in their "secondary title".
_JOURNAL_PATHS = (
    "periodical/full-title",
    "titles/secondary-title",
    "alt-periodical/full-title",
    "periodical/abbr-1",
    "titles/alt-title",
)


def parse_endnote_xml(data: bytes, name: str) -> ParsedFile:
    """Every reference of an EndNote XML export; one without a title is reported as a problem.

    Raises ImportFailure when the file is not XML, or is XML of another kind.
    """
    root = parse_xml(data, "EndNote library as XML")
    if root.tag == "record":
        records = [root]
    elif root.tag in ("xml", "records"):
        records = list(root.iter("record"))
    else:
        raise ImportFailure(
            f"the file is XML but not EndNote XML (its main element is <{root.tag}>, not <xml> "
            "with <records>)"
        )
    if not records:
        raise ImportFailure(f"no records found: the EndNote XML file {name} holds no references")
    return fields.collect(records, _label, _build, FORMAT_ENDNOTE_XML)


def _label(number: int, record: Any) -> str:
    rec_number = _text(record, "rec-number")
    if rec_number and rec_number.isdigit():
        return f"record {number} (EndNote record {rec_number})"
    return f"record {number}"


def _text(element: Any, path: str) -> str | None:
    found = element.find(path)
    return fields.clean(element_text(found)) if found is not None else None


def _texts(element: Any, path: str) -> list[str]:
    return [t for t in (fields.clean(element_text(e)) for e in element.iterfind(path)) if t]


def _build(record: Any) -> Article:
    urls = _texts(record, "urls//url")
    return fields.record_article(
        title=_text(record, "titles/title"),
        source_format=FORMAT_ENDNOTE_XML,
        abstract=_paragraphs(record.find("abstract")),
        authors=[_author(a) for a in _texts(record, "contributors/authors/author")],
        journal=next((j for j in (_text(record, p) for p in _JOURNAL_PATHS) if j), None),
        year=_text(record, "dates/year") or _text(record, "dates/pub-dates/date"),
        doi=_doi(record, urls),
        pmid=_pmid(record, urls),
        pmcid=_pmcid(record),
        keywords=_keywords(record),
    )


def _paragraphs(element: Any) -> str | None:
    """A long value with its line breaks (EndNote writes them as carriage returns)."""
    if element is None:
        return None
    return fields.clean_paragraphs(element_text(element).replace("\r", "\n"))


def _author(name: str) -> str:
    """ "Varga, Tamás" → "Varga T"; a name without a comma (a group) stays as it is."""
    name = name.strip().rstrip(",")
    if "," not in name:
        return name
    family, given = (part.strip() for part in name.split(",", 1))
    if _INITIALS.fullmatch(given.replace(" ", "")):
        return f"{family} {given.replace(' ', '')}"
    return fields.person(family, given) or name


def _doi(record: Any, urls: list[str]) -> str | None:
    # "10.1000/x [doi]" or several identifiers on lines, as EndNote's PubMed import writes.
    for value in (_text(record, "electronic-resource-num"), *urls):
        found = find_dois(value or "")
        if found:
            return found[0].doi
    return None


def _pmid(record: Any, urls: list[str]) -> str | None:
    accession = _text(record, "accession-num")
    database = (_text(record, "remote-database-provider") or "") + (
        _text(record, "remote-database-name") or ""
    )
    pmid = fields.parse_pmid(accession)
    # An accession number is a PMID unless the record says it came from another database.
    if pmid and (not database or re.search(r"pubmed|medline|nlm", database, re.IGNORECASE)):
        return pmid
    return next((p for p in (fields.parse_pmid(url) for url in urls) if p), None)


def _pmcid(record: Any) -> str | None:
    # EndNote's PubMed import keeps the PMCID in a custom field ("PMC1234567").
    for path in ("custom2", "custom1", "custom3", "custom4", "custom5", "custom6", "notes"):
        value = _text(record, path)
        if value:
            match = re.search(r"\bPMC\d{4,9}\b", value)
            if match:
                return match.group(0)
    return None


def _keywords(record: Any) -> list[str]:
    words: list[str] = []
    for keyword in record.iterfind("keywords/keyword"):
        text = element_text(keyword).replace("\r", "\n")
        words.extend(w for w in _KEYWORD_SEPARATORS.split(text) if w.strip())
    return words
