"""Recognising, normalising and checking DOIs, PMIDs, PMCIDs and trial registry ids."""

from __future__ import annotations

import re

from reviewapp.core.models import DoiRef, DoiRelation

# A DOI: the directory indicator 10., a registrant code, a slash and a suffix without spaces.
# Suffix characters: printable ASCII but quotes and angle brackets, so curly quotes, dashes
# and ellipses around a DOI in running text end it.
_DOI_IN_TEXT = re.compile(r"\b10\.\d{4,9}/[!#-;=?-~]+", re.IGNORECASE)
# What follows a DOI without belonging to it: a Markdown link's "](", HTML escapes.
_DOI_END = re.compile(r"\]\(|&(?:gt|lt|quot|amp);")
_DOI_FORM = re.compile(r"^10\.\d{4,9}/[^\s\"<>]+$", re.IGNORECASE)
_DOI_PREFIXES = re.compile(
    r"^(?:https?://(?:dx\.)?doi\.org/|doi\.org/|doi:\s*|urn:doi:)", re.IGNORECASE
)
_TRAILING = ".,;:'\"!?*#"
_CLOSING = {")": "(", "]": "[", "}": "{"}
_NCT_IN_TEXT = re.compile(r"\bNCT\s?(\d{8})\b", re.IGNORECASE)
_NCT_FORM = re.compile(r"^NCT\d{8}$")
_PMID_IN_TEXT = re.compile(r"\bPMID\s*:?\s*(\d{1,8})\b")
_PMID_FORM = re.compile(r"^\d{1,8}$")
_PMCID_IN_TEXT = re.compile(r"\b(PMC\d{4,9})\b")
_CORRECTION_WORDS = re.compile(r"correct|erratum|errata|retract", re.IGNORECASE)
_CORRECTION_LINE = re.compile(
    r"\s*(?:[-*•]\s*)?(?:erratum|errata|correction|corrigendum|retraction)\b", re.IGNORECASE
)


def _strip_trailing(doi: str) -> str:
    """Drop punctuation that ends a sentence rather than the DOI, and unbalanced brackets."""
    while doi:
        last = doi[-1]
        unbalanced = last in _CLOSING and doi.count(last) > doi.count(_CLOSING[last])
        if last in _TRAILING or unbalanced:
            doi = doi[:-1]
        else:
            break
    return doi


def normalise_doi(value: str) -> str | None:
    """Return the DOI in lower case without URL/doi: prefix or trailing punctuation.

    Returns None when what remains does not have the form of a DOI.
    """
    doi = _DOI_PREFIXES.sub("", value.strip())
    doi = _strip_trailing(doi).lower()
    return doi if _DOI_FORM.match(doi) else None


def is_valid_doi(value: str) -> bool:
    return bool(_DOI_FORM.match(value.strip()))


def normalise_nct(value: str) -> str | None:
    match = _NCT_IN_TEXT.fullmatch(value.strip())
    return f"NCT{match.group(1)}" if match else None


def is_valid_nct(value: str) -> bool:
    return bool(_NCT_FORM.match(value.strip()))


def is_valid_pmid(value: str) -> bool:
    return bool(_PMID_FORM.match(value.strip())) and int(value) > 0


def find_dois(text: str) -> list[DoiRef]:
    """All distinct DOIs in ``text`` in order of appearance, each with its relation.

    A DOI counts as a correction when the bracketed or sentence context just before it
    speaks of a correction, erratum or retraction; the rest are sources.
    """
    found: dict[str, DoiRef] = {}
    for match in _DOI_IN_TEXT.finditer(text):
        doi = normalise_doi(_DOI_END.split(match.group(0), maxsplit=1)[0])
        if doi is None or doi in found:
            continue
        found[doi] = DoiRef(doi, _relation_from_context(text, match.start()))
    return list(found.values())


# What ends a DOI's context: a closing bracket, a sentence's end (before a space or a line
# break), a paragraph break.
_CONTEXT_END = re.compile(r"\]|\.\s|\n\s*\n")


def _relation_from_context(text: str, start: int) -> DoiRelation:
    line = text[text.rfind("\n", 0, start) + 1 : start]
    if _CORRECTION_LINE.match(line):  # "Erratum in: Cancer. 2025;…. doi: …"
        return DoiRelation.CORRECTION
    window = text[max(0, start - 120) : start]
    # Only the context since the last closing bracket or sentence end counts.
    opening = window.rfind("[")
    if opening != -1 and "]" not in window[opening:]:
        window = window[opening:]
    else:
        ends = list(_CONTEXT_END.finditer(window))
        window = window[ends[-1].end() :] if ends else window
    return DoiRelation.CORRECTION if _CORRECTION_WORDS.search(window) else DoiRelation.SOURCE


def primary_doi(dois: list[DoiRef]) -> str | None:
    """The article's own DOI: the first source DOI, else the first DOI at all."""
    for ref in dois:
        if ref.relation is DoiRelation.SOURCE:
            return ref.doi
    return dois[0].doi if dois else None


def find_nct_ids(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in _NCT_IN_TEXT.finditer(text):
        seen.setdefault(f"NCT{match.group(1)}", None)
    return list(seen)


def find_pmid(text: str) -> str | None:
    match = _PMID_IN_TEXT.search(text)
    return match.group(1) if match else None


def find_pmcid(text: str) -> str | None:
    match = _PMCID_IN_TEXT.search(text)
    return match.group(1) if match else None
