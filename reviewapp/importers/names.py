"""People's and journals' names as exporters write them, made consistent: authors as
"Family GI" (Vancouver style, as PubMed writes them), journals in title case."""

from __future__ import annotations

import re

from reviewapp.importers.fields import clean, person

_MINOR_WORDS = frozenset(
    {"a", "an", "and", "at", "de", "der", "du", "for", "in", "of", "on", "the", "to"}
)
_RUN_OF_INITIALS = re.compile(r"^[A-Z]{2,4}$")
_INITIALS = re.compile(r"^(?P<family>.+?)\s+(?P<initials>(?:[A-Z]\.?[\s\-]?){1,4})$")


def journal_name(value: str | None) -> str | None:
    """A journal's name, with the all-capitals names of Web of Science in title case."""
    text = clean(value)
    if text is None or not text.isupper() or len(text) <= 6:
        return text  # "BMJ", "JAMA", "CA" stay as they are
    words = text.lower().split(" ")
    return " ".join(
        word if index and word in _MINOR_WORDS else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def author_name(value: str) -> str | None:
    """An author as "Family GI": from "Family, Given", "Family, G. I." or "Family G.I.".

    Names in another form (an organisation, "Given Family") are kept as they are written.
    """
    text = clean(value)
    if text is None:
        return None
    if "," in text:
        family, _, rest = text.partition(",")
        # "Smith, John, Jr." — the suffix is not part of the initials.
        given = clean(rest.split(",")[0])
        if given and _RUN_OF_INITIALS.match(given):
            return f"{clean(family)} {given}"  # "Okafor, NC" (Web of Science) keeps both
        return person(family, given) if clean(family) else given
    match = _INITIALS.match(text)
    if match:
        initials = re.sub(r"[\s.\-]", "", match.group("initials"))
        return f"{match.group('family')} {initials}"
    return text


def display_name(name: str) -> str | None:
    """A person as "Family GI": from "Family, Given", "Given Family" or "Family GI"."""
    text = clean(name)
    if text is None:
        return None
    if "," in text:
        family, _, given = text.partition(",")
        return person(family, given)
    parts = text.split(" ")
    if len(parts) == 1:
        return text
    if re.fullmatch(r"[A-Z]{1,3}", parts[-1]):
        return text  # already "Varga T"
    # "Jan van der Berg": the family name starts at its lower-case particle.
    start = next((i for i in range(1, len(parts) - 1) if parts[i].islower()), len(parts) - 1)
    return person(" ".join(parts[start:]), " ".join(parts[:start]))


def split_author_names(value: str) -> list[str]:
    """Names from one string: "A B; C D", "A B, C D and E F" or "Family, Given"."""
    parts = [p for p in re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", value) if p.strip()]
    names: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1 and all(" " in p for p in pieces):
            names.extend(pieces)  # "Tamas Varga, Nkechi Okafor"
        else:
            names.append(part.strip())
    return names
