"""Estimates as clinicians write them, read from one (normalised) sentence.

HR, OR and RR with their 95% confidence intervals (dashes, "to", commas, semicolons),
p values (``P = .03``, ``p<0.001``), medians with their units and durations stated without
"median". Each reader returns what the sentence states, or nothing when in doubt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\d+(?:\.\d+)?"


# -- intervals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    start: int
    end: int
    low: str
    high: str
    level_95: bool


_SEP = r"\s*(?:-|to|,|;)\s*"
_CI = re.compile(
    r"(?:(\d{2}(?:\.\d+)?)\s*(?:%|percent|per cent)\s*(?:CI|C\.I\.|confidence interval"
    r"|confidence limits|CrI)"
    r"|\bCI\s*(\d{2})\s*%|\bCI\b)(?:\s*[(\[]CI[)\]])?"
    r"\s*(?:[,:=]|was|of|from)?\s*[(\[]?\s*(-?"
    + _NUM
    + r")\s*%?"
    + _SEP
    + r"(-?"
    + _NUM
    + r")\s*%?\s*[)\]]?",
    re.IGNORECASE,
)
_CI_LEVEL_ONLY = re.compile(
    r"\d{2}(?:\.\d+)?\s*(?:%|percent|per cent)\s*(?:CI|confidence interval)", re.IGNORECASE
)


def intervals(text: str) -> list[Interval]:
    """Every confidence interval with its bounds; ``level_95`` when it is (or is written
    without a level, as "CI 0.41–0.88", which by convention is) a 95% interval."""
    found = []
    for m in _CI.finditer(text):
        level = m.group(1) or m.group(2)
        found.append(
            Interval(m.start(), m.end(), m.group(3), m.group(4), level is None or level == "95")
        )
    return found


def masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span blanked (same length), so its numbers are not read again."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    out = "".join(chars)
    return _CI_LEVEL_ONLY.sub(lambda m: " " * len(m.group(0)), out)


# -- estimates, p values, medians -------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    start: int
    end: int
    measure: str
    value: str


# What a ratio is of may be long ("the hazard ratio for disease progression or death with X as
# compared with Y was 0.56") and name its subgroup by a marker, a percentage or an age ("among
# patients with PD-L1 expression of 1% or more", "aged 65 years or older"). Each piece of it is
# taken atomically ("(?>…)"): "1%-1%-…" could otherwise be split into pieces in exponentially
# many ways before the match fails.
_MEASURES = {"hazard ratio": "HR", "odds ratio": "OR", "relative risk": "RR", "risk ratio": "RR"}
_RATIO = re.compile(
    r"(?:\b(?:a|adjusted\s+)?(HR|OR|RR)\b|\b(hazard ratio|odds ratio|relative risk|risk ratio)"
    r"(?:\s*[(\[](?:a?HR|OR|RR)[)\]])?)"
    r"(?:\s+(?:for|of)\s+(?>[^\d;()\[\]]|(?<=[A-Za-z-])\d+|\d+(?:\.\d+)?\s*(?:%|years?\b)"
    r"|\((?-i:[A-Z][A-Za-z-]{1,9})\)"
    r"|\d+\s+(?:[\w-]+\s+)?(?:trials?|studies|patients|cohorts?|cent(?:re|er)s)\b"
    r"|\d+-(?:months?|years?|weeks?|days?|courses?|cycles?)\b)"
    r"{1,100}?)?"
    # "hazard ratio favoring the X group, 0.68", "hazard ratio in the X group, 0.69"
    r"(?:\s+(?:favou?ring|in|with)\s+(?:the\s+)?(?:[\w/+–-]+\s+){1,4}?(?:group|arm)s?\b)?"
    r"\s*(?:[,:=]|\bwas\b|\bof\b|\bis\b|\bwere\b)?"
    r"(?:\s*\b(?:was\s+|had\s+)?(?:reduced|decreased|lowered|fell|dropped|increased|rose"
    r"|improved)\s+to\b)?\s*[(\[]?\s*(?<![\w-])(\d+(?:\.\d+)?)(?!\s*(?:%|years?\b|trials?\b|studies\b)|\d|-[a-z])",
    re.IGNORECASE,
)


def estimates(text: str) -> list[Estimate]:
    """HR, OR and RR with their values, in order ("OR" only in capitals: "3 or 4")."""
    found = []
    for m in _RATIO.finditer(text):
        if m.group(1) and m.group(1) != m.group(1).upper():
            continue
        if m.group(1) and not re.match(r"[A-Z]", m.group(0).lstrip()[0:1] or "x"):
            continue
        label = m.group(1) or _MEASURES[m.group(2).lower()]
        found.append(Estimate(m.start(), m.end(), label.upper(), m.group(3)))
    return found


_P = re.compile(
    r"(?<![\w-])[Pp](?:\s*-?\s*values?)?\s*(?:\bof\b|\bwas\b|[,:])?\s*([=<>≤≥])?\s*"
    r"(\d*\.\d+|[01](?![\d.]))(?![\d%])"
)


_SIGNS = {"less": " < ", "greater": " > "}
_IN_WORDS = re.compile(r"(?<![\w-])([Pp])\s+(less|greater)\s+than\s+", re.IGNORECASE)


def p_value(text: str) -> str | None:
    """The first p value, as "0.03", ".004" or "<.001" (the comparator kept, "=" dropped;
    "P less than .0001" is "<.0001")."""
    text = _IN_WORDS.sub(lambda m: m.group(1) + _SIGNS[m.group(2).lower()], text)
    for m in _P.finditer(text):
        has_word = re.match(r"[Pp]\s*-?\s*value", m.group(0)) is not None
        if m.group(1) is None and not has_word:
            continue
        return ("" if m.group(1) in (None, "=") else m.group(1)) + m.group(2)
    return None


_UNIT = r"(months?|mo\b\.?|weeks?|wk\b|days?|years?|yrs?\b|y\b)"
_UNIT_NAMES = {"mo": "months", "wk": "weeks", "yr": "years", "y": "years"}
_MEDIAN = re.compile(
    r"\bmedian\b([^\d;]{0,90}?)(\d+(?:\.\d+)?)\s*(?:" + _UNIT + r")?"
    r"(?:\s*(?:\([^)]*\)?\s*)?(?:v\.?|vs\.?|versus|and|compared with|to|with)\s*"
    r"(?P<second>\d+(?:\.\d+)?)\s*(?:" + _UNIT + r")?)?",
    re.IGNORECASE,
)
# "improved median OS from 15.6 to 20.5 months": the value reached is the outcome's.
_FROM = re.compile(r"\bfrom\s*$", re.IGNORECASE)
_NOT_AN_OUTCOME = re.compile(
    r"follow|age\b|aged|dose|cycles|number|exposure|treatment duration|duration of (?:treatment"
    r"|therapy|exposure)|time on|time to (?:onset|first|treatment)|infusions|lines|prior",
    re.IGNORECASE,
)


# A list of values given with one unit at its end ("21.4, 15.8, and 11.2 months … ,
# respectively"): the unit is every value's, the first value the first group's.
_LIST = r"(?:\s*,\s*\d+(?:\.\d+)?)+\s*,?\s*(?:and|or)\s*\d+(?:\.\d+)?\s*" + _UNIT + r"(?![\w-])"
_LISTED = re.compile(_LIST, re.IGNORECASE)


@dataclass(frozen=True)
class Median:
    start: int
    end: int
    value: str
    unit: str


# "Median OS was not reached after 30 months": no median, whatever number follows.
_NOT_REACHED = re.compile(
    r"\bnot (?:yet )?(?:been )?(?:reached|estimable|evaluable)\b|(?-i:\bNR\b)", re.IGNORECASE
)


def medians(text: str) -> list[Median]:
    """Medians of an outcome with their unit (a median follow-up, age or dose is not one);
    "7.1 v 4.3 months" gives the first arm's 7.1 in months."""
    found = []
    for m in _MEDIAN.finditer(text):
        if (
            _NOT_AN_OUTCOME.search(m.group(1))
            or _NOT_REACHED.search(m.group(1))
            or re.search(r"%", text[m.end(2) : m.end(2) + 2])
        ):
            continue
        listed = _LISTED.match(text, m.end(2))
        unit = m.group(3) or m.group(5) or (listed.group(1) if listed else None)
        value = m.group(2)
        reached = m.end(3) if m.group(3) else m.end(2)
        if _FROM.search(m.group(1)) and m.group("second") and re.match(r"\s*to\b", text[reached:]):
            value = m.group("second")
        if unit:
            found.append(Median(m.start(), m.end(), value, _unit_name(unit)))
    return found


def _unit_name(unit: str) -> str:
    """A unit as the form names it: "mo" and "month" as "months"."""
    word = unit.lower().rstrip(".")
    return _UNIT_NAMES.get(word, word if word.endswith("s") else word + "s")


# A duration given without "median" ("PFS was 7.4 and 5.1 months", "a DoR of 11.3 months"):
# the first figure, its unit written after it or after the figure it is set against.
_DURATION = re.compile(
    r"(?<![\w.-])(\d+(?:\.\d+)?)\s*(?:" + _UNIT + r"(?![\w-])|(?=(?:\([^)]*\)\s*)?"
    r"(?:v\.?|vs\.?|versus|and|or|to|compared with)\s*\d+(?:\.\d+)?\s*" + _UNIT + r"(?![\w-]))"
    r"|(?=" + _LIST + "))",
    re.IGNORECASE,
)
# "at 24 months", "after 6 weeks", "within 30 days": a time point, not the outcome.
_TIME_POINT = re.compile(
    r"(?:\b(?:at|after|within|for|by|over|every|until|beyond|than|least|up to|from|per|q)"
    r"|[<>≤≥])\s*$",
    re.IGNORECASE,
)


# ("14.2 months from randomization" is a duration; "12 months after dosing" a time point)
_SINCE = re.compile(r"\s*(?:after|post)\b", re.IGNORECASE)


def durations(text: str, start: int = 0) -> list[Median]:
    """Durations after ``start`` (an outcome named there) with their unit, not time points
    nor follow-up, dose or exposure; the unit of "7.4 and 5.1 months" is the first's too.
    After "not reached" none: "not reached with X and 20.4 months with Y" is Y's figure."""
    found = []
    for m in _DURATION.finditer(text, start):
        if _TIME_POINT.search(text[max(0, m.start() - 10) : m.start()]) or _SINCE.match(
            text, m.end()
        ):
            continue  # "at 24 months", "12 months after dosing": a time point
        if _NOT_AN_OUTCOME.search(text[start : m.start()]) or _NOT_REACHED.search(
            text[start : m.start()]
        ):
            break
        unit = m.group(2) or m.group(3) or m.group(4)
        if unit:
            found.append(Median(m.start(), m.end(), m.group(1), _unit_name(unit)))
    return found
