"""Grades as clinicians write them (3, ≥3, "3 or higher", "3/4", "grade III–IV", "G3",
"any grade"), read from one normalised sentence and mapped to the finding form's choices.
"""

from __future__ import annotations

import re

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}

_G = r"(?:[1-5]|IV|V|I{1,3})"
_GRADE = re.compile(
    r"(?:(≥|>|≤|<|(?:greater|higher|more|worse)\s+than|above|(?:less|lower)\s+than|below)"
    r"\s*grades?\s*(" + _G + r")"
    r"|\bgrades?\s*(≥|>|≤|<)?\s*(" + _G + r")(?![\w]|\.\d)"
    r"(?:\s*(?:-|/|to|or|and|,)\s*(" + _G + r")(?![\w]|\.\d))?"
    r"(\s*(?:\+|or (?:higher|above|greater|worse|more)|and (?:higher|above)|or more severe"
    r"|or (?:lower|less|below)|and (?:lower|below)))?"
    r"|(?<![\w])G(" + _G + r")(?:\s*(?:-|/)\s*G?(" + _G + r"))?(?![\w]|\.\d)"
    r"|\b(any|all)[-\s]grades?\b(?!\s*(?:[1-5]|[IV]+\b))|\bgrades?\s*any\b"
    r"|\b(severe\s+(?:or|and|/)\s+life-threatening)\b)",
    re.IGNORECASE,
)


# CTCAE's grades in words: grade 3 is "severe", grade 4 "life-threatening".
IN_WORDS = re.compile(r"severe\s+(?:or|and|/)\s+life-threatening\b", re.IGNORECASE)


_SUBSET = re.compile(
    r"(?:\b(?:mostly|predominantly|primarily|mainly|largely|including|of which|of whom|all of"
    r"|majority)\b|\bmost (?:events|cases|episodes|were|of)\b)[^.;]*$",
    re.IGNORECASE,
)


# "grade 1 in all but one", "grade 2 in most": the grade of some of them, said after it.
_MOST_OF = re.compile(
    r"\s*(?:events?\s+|cases?\s+)?in\s+(?:all\s+but|most|the\s+majority|some|a\s+few)\b", re.I
)


# A surgical complication's Clavien–Dindo grade is no CTCAE grade.
_SURGICAL = re.compile(r"\bClavien(?:\W+Dindo)?\W*(?:classification\W*)?$", re.IGNORECASE)


def _grade_number(text: str) -> int:
    return int(text) if text.isdigit() else _ROMAN[text.upper()]


def _comparator(written: str) -> str:
    """ "greater than" as ">", "below" as "<"; symbols as they are."""
    if written[:1] in "≥>≤<":
        return written
    return "<" if re.match(r"less|lower|below", written, re.IGNORECASE) else ">"


def grade(text: str, respectively: bool = False) -> tuple[int, str | None] | None:
    """The first grade the sentence states, as the form's choice ("3", "≥3", "any"), or
    None for the choice when it has none ("grade 1–2", "≥2"); None when there is no grade.

    ``respectively``: grades joined by "and" or "or" are each given their own figures
    ("grade 3 or 4 … in 10% and 3%, respectively"): the first grade is the first figure's."""
    m = next((g for g in _GRADE.finditer(text) if not _SURGICAL.search(text[: g.start()])), None)
    if m is None:
        return None
    if m.group(10):
        return m.start(), "≥3"  # CTCAE's grade 3 is "severe", grade 4 "life-threatening"
    if _SUBSET.search(text[max(0, m.start() - 28) : m.start()]) or _MOST_OF.match(text, m.end()):
        return m.start(), None  # "mostly grade 1", "including grade 5 events": not all of them
    if m.group(9) or m.group(0).lower().strip().endswith("any"):
        return m.start(), "any"
    if m.group(1):
        return m.start(), _grade_choice(
            _comparator(m.group(1)), _grade_number(m.group(2)), None, ""
        )
    if m.group(7):
        low, high = _grade_number(m.group(7)), m.group(8)
        return m.start(), _grade_choice("", low, _grade_number(high) if high else None, "")
    low = _grade_number(m.group(4))
    high = _grade_number(m.group(5)) if m.group(5) else None
    split = re.match(r"\s*(?:and|or|,)", text[m.end(4) :], re.IGNORECASE) is not None
    if respectively and split and not m.group(3) and not m.group(6):
        high = None
    return m.start(), _grade_choice(m.group(3) or "", low, high, m.group(6) or "")


def _grade_choice(comparator: str, low: int, high: int | None, more: str) -> str | None:
    if re.search(r"lower|less|below", more):
        return None
    if comparator in ("≤", "<", ">"):
        return "≥3" if comparator == ">" and low == 2 else None
    if comparator == "≥" or more.strip():
        return "≥3" if low == 3 and high is None else None
    if high is None or high == low:
        return str(low)
    return "≥3" if low == 3 and high in (4, 5) else None
