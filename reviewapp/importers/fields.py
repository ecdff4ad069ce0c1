"""Turning the fields of a bibliographic record into an Article, the same way for every format.

Record formats (RIS, BibTeX, MEDLINE, PubMed XML, EndNote XML, CSL-JSON, CSV) give a title,
authors, journal, year, identifiers and an abstract; the article's readable text is then the
title and the abstract, so findings can be tagged in it like in any other article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from reviewapp.core.identifiers import (
    find_dois,
    find_nct_ids,
    normalise_doi,
)
from reviewapp.core.models import Article, DoiRef, DoiRelation
from reviewapp.importers.base import ParsedFile, ParsedRecord, RecordError, hand_over

_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|2100)(?!\d)")
_PMID = re.compile(r"^\s*(?:pmid\s*:?\s*)?([1-9]\d{0,8})\s*$", re.IGNORECASE)
_PMCID = re.compile(r"^\s*(?:pmcid\s*:?\s*)?(PMC\d{4,9})\s*$", re.IGNORECASE)
_PUBMED_URL = re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})|/pubmed/(\d{1,9})")
# Titles and abstracts longer than these are not a bibliographic record's fields.
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 200_000

T = TypeVar("T")


def clean(value: object) -> str | None:
    """A field's text with runs of white space made one space; None when nothing is left."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value if v is not None)
    text = _SPACE.sub(" ", str(value)).strip()
    return text or None


def clean_paragraphs(value: object) -> str | None:
    """Like ``clean`` but keeps paragraph breaks (blank lines) of a long text such as an
    abstract; single line breaks inside a paragraph become spaces."""
    if value is None:
        return None
    paragraphs = re.split(r"\n\s*\n", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    kept = [p for p in (clean(part) for part in paragraphs) if p]
    return "\n\n".join(kept) or None


def parse_year(value: object) -> int | None:
    """The first plausible publication year (1800–2100) in a date such as "2024 Mar 5"."""
    text = clean(value)
    if text is None:
        return None
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def parse_pmid(value: object) -> str | None:
    """A PubMed id from "38412345", "PMID: 38412345" or a PubMed URL; None otherwise."""
    text = clean(value)
    if text is None:
        return None
    match = _PMID.match(text)
    if match:
        return match.group(1)
    url = _PUBMED_URL.search(text)
    return (url.group(1) or url.group(2)) if url else None


def parse_pmcid(value: object) -> str | None:
    text = clean(value)
    if text is None:
        return None
    match = _PMCID.match(text)
    return match.group(1).upper() if match else None


def split_names(value: object, separators: str = r"\s*;\s*|\s+and\s+") -> list[str]:
    """Authors given as one string ("Smith, J; Lee, K" or "Smith J and Lee K")."""
    text = clean(value)
    if text is None:
        return []
    parts = re.split(separators, text)
    return [p.strip().rstrip(".,") for p in parts if p.strip() and p.strip().lower() != "et al"]


def person(family: object, given: object = None) -> str | None:
    """A display name "Family GI" (Vancouver style, as PubMed writes them) from its parts."""
    family_text = clean(family)
    given_text = clean(given)
    if family_text is None:
        return given_text
    if given_text is None:
        return family_text
    if re.fullmatch(r"(?:[A-Z]\.?\s?){1,4}", given_text):
        # Already initials: "NC", "N.C.", "N C" (PubMed and EndNote write them so).
        initials = re.sub(r"[^A-Z]", "", given_text)
    else:
        initials = "".join(
            part[0].upper()
            for part in re.split(r"[\s.\-]+", given_text)
            if part and part[0].isalpha()
        )
    return f"{family_text} {initials}" if initials else family_text


def record_article(
    *,
    title: object,
    source_format: str,
    abstract: object = None,
    authors: Iterable[str] = (),
    journal: object = None,
    year: object = None,
    doi: object = None,
    pmid: object = None,
    pmcid: object = None,
    keywords: Iterable[str] = (),
    nct_ids: Iterable[str] = (),
    correction_dois: Iterable[str] = (),
    text: str | None = None,
) -> Article:
    """An Article from a record's fields. Raises RecordError when the record has no title.

    ``text`` is the article's readable text when the format carries one (JATS, HTML, PDF);
    otherwise it is the title followed by the abstract.
    """
    title_text = clean(title)
    if title_text is None:
        raise RecordError("the record has no title")
    if len(title_text) > MAX_TITLE_CHARS:
        raise RecordError(f"the title is {len(title_text):,} characters long; not a title")
    abstract_text = clean_paragraphs(abstract)
    if abstract_text is not None and len(abstract_text) > MAX_ABSTRACT_CHARS:
        raise RecordError(f"the abstract is {len(abstract_text):,} characters long")
    body = text if text is not None else _record_text(title_text, abstract_text)
    primary = normalise_doi(str(doi)) if clean(doi) else None
    dois: list[DoiRef] = [DoiRef(primary)] if primary else []
    known = {d.doi for d in dois}
    for value in correction_dois:
        normalised = normalise_doi(value)
        if normalised and normalised not in known:
            dois.append(DoiRef(normalised, DoiRelation.CORRECTION))
            known.add(normalised)
    for ref in find_dois(abstract_text or "") if text is None else find_dois(body):
        if ref.doi not in known:
            dois.append(ref)
            known.add(ref.doi)
    ncts = list(dict.fromkeys([*nct_ids, *find_nct_ids(f"{title_text}\n{body}")]))
    return Article(
        title=title_text,
        text=body,
        authors=[a for a in (clean(name) for name in authors) if a],
        journal=clean(journal),
        year=year if isinstance(year, int) and 1800 <= year <= 2100 else parse_year(year),
        doi=primary or _own_doi(dois, full_text=text is not None),
        dois=dois,
        pmid=parse_pmid(pmid),
        pmcid=parse_pmcid(pmcid),
        nct_ids=ncts,
        abstract=abstract_text,
        keywords=list(dict.fromkeys(k for k in (clean(w) for w in keywords) if k)),
        source_format=source_format,
    )


def _own_doi(dois: list[DoiRef], full_text: bool) -> str | None:
    """The article's own DOI when the record names none: in a full text, the first DOI that
    is not a correction; in a bibliographic record, none (a DOI in an abstract is cited,
    and an erratum's DOI is not the article's)."""
    if not full_text:
        return None
    return next((d.doi for d in dois if d.relation is DoiRelation.SOURCE), None)


def _record_text(title: str, abstract: str | None) -> str:
    return f"{title}\n\n{abstract}\n" if abstract else f"{title}\n"


@dataclass
class TaggedRecord:
    """A record of a tagged-line format (RIS, MEDLINE): each tag's values in file order, and
    the line where the record begins."""

    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)

    def first(self, *names: str) -> str | None:
        """The first non-blank value of the first of ``names`` that has one, cleaned."""
        for name in names:
            for value in self.tags.get(name, ()):
                text = clean(value)
                if text:
                    return text
        return None

    def all(self, *names: str) -> list[str]:
        return [v for name in names for v in self.tags.get(name, ()) if v.strip()]

    def label(self, number: int) -> str:
        return f"record {number} (line {self.line})"


def collect(
    items: Iterable[T],
    label: Callable[[int, T], str],
    build: Callable[[T], Article],
    source_format: str,
) -> ParsedFile:
    """Build one article per item; a record that fails becomes a problem with its reason.

    Any error in one record (a RecordError or a parser's own exception on odd data) stays
    with that record: the rest of the file still comes in. Where records are wanted as they
    are read (``base.handing_on``), they are handed on in parts.
    """
    parsed = ParsedFile(format=source_format)
    for number, item in enumerate(items, start=1):
        where = label(number, item)
        try:
            parsed.records.append(ParsedRecord(where, article=build(item)))
        except RecordError as exc:
            parsed.records.append(ParsedRecord(where, problem=str(exc)))
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            parsed.records.append(
                ParsedRecord(where, problem=f"the record could not be read ({exc})")
            )
        hand_over(parsed)
    return parsed
