"""Numbers as clinicians write them, read from one sentence: counts and percentages.

Counts (n/N, "Two of 28 patients", "n = 14", "14 (23.3%)") and percentages, after
``normalise`` has written every number one way (``read`` also blanks the confidence
intervals). Ratios, their intervals, p values and medians are read by ``core.estimates``,
grades by ``core.grades``. Each reader returns what the sentence states, or nothing when in
doubt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewapp.core.estimates import Interval, intervals, masked


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_UNITS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen"
    " fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD_NUMBER = re.compile(
    r"\b(?:("
    + "|".join(_TENS)
    + r")(?:[-\s]("
    + "|".join(_UNITS[1:10])
    + r"))?|("
    + "|".join(_UNITS)
    + r"))\b(?!-(?:sided|year|month|week|day|third|half|fold|time|arm))",
    re.IGNORECASE,
)


def _number_word(match: re.Match[str]) -> str:
    if match.group(3):
        return str(_UNITS.index(match.group(3).lower()))
    value = _TENS[match.group(1).lower()]
    return str(value + (_UNITS.index(match.group(2).lower()) if match.group(2) else 0))


def normalise(text: str) -> str:
    """``text`` with one way of writing each number: digits for number words, "." for the
    decimal point (the Lancet's "0·62" and a comma before one or two digits), no thousands
    separators, hyphens for every dash, ≥ and ≤ for their spellings, spaces for odd spaces."""
    out = re.sub(r"[\u00a0\u2002-\u200a\u202f]", " ", text)
    out = re.sub(r"(?<=\d)[·⋅](?=\d)", ".", out)
    out = re.sub(r"[‐‑‒–—−]", "-", out)
    out = re.sub(r">\s*or\s*=|>\s*/\s*=|>=|=>|⩾", "≥", out)
    out = re.sub(r"<\s*or\s*=|<\s*/\s*=|<=|=<|⩽", "≤", out)
    out = re.sub(r"\bnone of\b", "0 of", out, flags=re.IGNORECASE)
    out = _WORD_NUMBER.sub(_number_word, out)
    out = re.sub(
        r"(?<![\d.,])(\d{1,3})((?:,\d{3})+)(?![\d.,]?\d)",
        lambda m: m.group(1) + m.group(2).replace(",", ""),
        out,
    )
    out = re.sub(r"(?<![\d.,])(\d+),(\d{1,2})(?=\s*%)", r"\1.\2", out)
    return out


def read_sentence(text: str) -> tuple[str, list[Interval], str]:
    """The sentence normalised, its intervals, and the sentence with them blanked."""
    plain = normalise(text)
    found = intervals(plain)
    return plain, found, masked(plain, [(i.start, i.end) for i in found])


# -- percentages and counts ----------------------------------------------------------------


_PCT = re.compile(
    r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b|per cent\b"
    r"|(?=(?:vs\.?|versus)\s*\d{1,3}(?:\.\d+)?\s*(?:%|percent\b|per cent\b))"
    r"|(?=and\s*\d{1,3}(?:\.\d+)?\s*%\s*,?\s*respectively\b))",
    re.IGNORECASE,
)
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\b(?:grades?|phase|stage|day|cycle|week|month|year|dose level|cohort|arm|version"
    r"|CTCAE|v|aged?|over)|(?-i:\bG))\s*(?:≥|≤|>|<)?\s*$",
    re.IGNORECASE,
)
_NOT_PATIENTS = (
    r"(?:mg|mL|months?|mo|weeks?|days?|years?|cycles?|doses?|dose levels?|cohorts?|arms?|sites?"
    r"|cent(?:er|re)s?|(?:adverse )?events?|AEs?|episodes?|infusions?|trials?|studies|lines?"
    r"|lesions?|nodes?|tumou?rs?|samples?|specimens?)\b"
)
_N_OF_N = re.compile(
    r"(?<![\w.,/-])(\d{1,6})\s*(?:/|\bof\b|\bout of\b)\s*(?:the\s+|all\s+|these\s+"
    r"|(?:a\s+)?total\s+(?:of\s+)?(?:n\s*=\s*)?)?(\d{1,6})"
    r"(?![\d.,]?\d|\s*%)(?!\s*(?:[\w-]+\s+)?" + _NOT_PATIENTS + ")",
    re.IGNORECASE,
)
_COUNT_PCT = re.compile(
    r"(?<![\w.,])(\d{1,6})\s+(?:(?:[\w-]+\s+){0,2}?(?:patients|participants|subjects|pts"
    r"|recipients|cases|children|adults|men|women)\s*)?[(\[]\s*(\d{1,3}(?:\.\d+)?)\s*%",
    re.IGNORECASE,
)
_COUNT_PCT_TIGHT = re.compile(r"(?<![\w.,])(\d{1,6})\s*[(\[]\s*(\d{1,3}(?:\.\d+)?)\s*%")
# "141 (70.1%) of 201 patients": the count, its percentage, then the total.
_COUNT_PCT_OF = re.compile(
    r"(?<![\w.,])(\d{1,6})\s*[(\[]\s*(\d{1,3}(?:\.\d+)?)\s*%\s*[)\]]\s*(?:of|out\s+of)\s+"
    r"(?:the\s+|all\s+)?(\d{1,6})(?![\d.,]?\d|\s*%)",
    re.IGNORECASE,
)
_PCT_N = re.compile(
    r"(\d{1,3}(?:\.\d+)?)\s*%\s*[,;]?\s*[(\[]?\s*n\s*=\s*(\d{1,6})(?!\s*/)", re.IGNORECASE
)
_N_EQUALS = re.compile(r"(?<![\w])([nN])\s*=\s*(\d{1,6})\b")
_PATIENT_COUNT = re.compile(
    r"(?<![\w.,-])(\d{1,6})\s+(?!percent|per cent)(?:[\w-]+\s+){0,2}?(?:patients?|participants?"
    r"|subjects?|pts|recipients?|children|adults?|women|men|individuals)\b(?!-)",
    re.IGNORECASE,
)
_POPULATION_WORDS = re.compile(
    r"(?:patients|participants|subjects|population|cohort|arm|group|evaluable|treated"
    r"|enrolled|randomi[sz]ed|ITT|set|total|overall|safety)\W*$",
    re.IGNORECASE,
)
_EVENT_WORDS = re.compile(
    r"(?:events?|AEs?|episodes?|cycles?|infusions?|doses?|occurrences?|reports?)\W*$",
    re.IGNORECASE,
)


@dataclass
class Counts:
    """n, N and a percentage as written ("23.3"); None where the sentence does not say."""

    n: str | None = None
    total: str | None = None
    pct: str | None = None
    pct_start: int = -1


def _agrees(pct: str, n: str, total: str) -> bool:
    if int(total) == 0:
        return False
    places = len(pct.split(".")[1]) if "." in pct else 0
    return bool(abs(100 * int(n) / int(total) - float(pct)) <= 0.5 / 10**places + 1e-9)


# What a count and its percentage may describe instead of an event: "41 (73.2%) were male".
_DEMOGRAPHIC = re.compile(
    r"[^()\[\]]{0,3}[)\]]?\s*(?:were|was)\s+(?:male|female|men|women|white|black|asian|aged|older"
    r"|younger|smokers|never|current|former)\b",
    re.IGNORECASE,
)


def _counts_context_ok(text: str, start: int) -> bool:
    return _NOT_A_COUNT_BEFORE.search(text[max(0, start - 14) : start]) is None


# "fewer than 5%", "up to 30%", "< 10%": a bound, not a value.
_BOUND_BEFORE = re.compile(
    r"(?:(?:fewer|less|more|greater|higher|lower)\s+than|up\s+to|under|over|at\s+least|"
    r"at\s+most|[<>≤≥])\s*$",
    re.IGNORECASE,
)


# "from 72% to 93%": the change's end is the figure; "ranged from 5% to 20%" has none.
_FROM_TO = re.compile(
    r"\b(?P<range>(?:rang\w*|varied|varying)\s+)?from\s+(?P<first>\d{1,3}(?:\.\d+)?)\s*%"
    r"\s*(?:to|-)\s*(?P<last>\d{1,3}(?:\.\d+)?)\s*%",
    re.IGNORECASE,
)


# "between 25% and 100%", "(17-82%)": a range, neither end a value.
_RANGE = re.compile(
    r"\bbetween\s+(?P<first>\d{1,3}(?:\.\d+)?)\s*%?\s*and\s+(?P<last>\d{1,3}(?:\.\d+)?)\s*%"
    r"|(?<![\d.])(?P<low>\d{1,3}(?:\.\d+)?)\s*%?\s*-\s*(?P<high>\d{1,3}(?:\.\d+)?)\s*%",
    re.IGNORECASE,
)
# "a 42% reduced risk", "a 30% lower risk of death": the change in a risk, not a rate.
_RISK_CHANGE = re.compile(
    r"\s*(?:relative\s+)?(?:reduc\w*|decreas\w*|lower|higher|increas\w*|greater)\s+"
    r"(?:in\s+(?:the\s+)?)?(?:risk|hazard|odds|likelihood)\b"
    # "at least a 50% reduction in symptom score": the change a patient had to reach
    r"|\s*(?:reduction|decrease|decline|increase|improvement)\s+(?:in|of)\b",
    re.IGNORECASE,
)


_SHARE_OF_EVENTS = re.compile(
    r"\d\s+(?:[\w-]+\s+)?(?:events|episodes|admissions|cycles|infusions|reports)\s*[,;(\[]\s*$",
    re.IGNORECASE,
)


def _not_values(text: str) -> set[int]:
    """Where the percentages that are no value start: the start of a change "from 72% to
    93%", both ends of a range ("from 5% to 20%", "between 25% and 100%", "(17-82%)")."""
    skipped: set[int] = set()
    for change in _FROM_TO.finditer(text):
        skipped.add(change.start("first"))
        if change.group("range"):
            skipped.add(change.start("last"))
    for span in _RANGE.finditer(text):
        skipped.update(span.start(g) for g in ("first", "last", "low", "high") if span.group(g))
    return skipped


def percentages(text: str) -> list[tuple[int, str]]:
    """Percentages outside confidence intervals, not a reduction ("by 30%", "a 42% reduced
    risk"), in order; of a change "from 72% to 93%" only the end, of a range neither."""
    skipped = _not_values(text)
    found = []
    for m in _PCT.finditer(text):
        if m.start() in skipped or _RISK_CHANGE.match(text, m.end()):
            continue
        after = text[m.end() : m.end() + 30]
        reduced = re.search(
            r"(?:reduc|decreas|lower|increas|improv|cut)\w*\s+(?:\w+\s+)?by\s*$",
            text[max(0, m.start() - 30) : m.start()],
            re.IGNORECASE,
        )
        of_events = re.match(
            r"\s*of\s+(?:all\s+|the\s+)?(?:courses|cycles|infusions|doses|events|episodes)", after
        )
        bound = _BOUND_BEFORE.search(text[max(0, m.start() - 16) : m.start()])
        # "(55 of 172 events, 32%)": a share of the events counted just before, not of patients
        share = _SHARE_OF_EVENTS.search(text[max(0, m.start() - 40) : m.start()])
        if _DEMOGRAPHIC.match(text, m.end()):
            continue  # "52 (61.9%) were male"
        if bound or reduced or of_events or share or re.match(r"\s*(?:CI|C\.I|confidence)", after):
            continue  # (a bound, "fewer than 5%", is not the incidence itself)
        found.append((m.start(), m.group(1)))
    return found


def counts(text: str, people_are_counts: bool = True) -> Counts:
    """The sentence's n, N and percentage, taken together only where they agree.

    ``people_are_counts``: "in 19 patients" is a count of those with the event (toxicity);
    otherwise (efficacy) only "among 304 patients" is read, as the total."""
    result = Counts()
    pcts = percentages(text)
    if pcts:
        result.pct_start, result.pct = pcts[0]
    lead = _lead_population(text, result)
    if lead is not None:
        result.n, result.total = lead
        return result
    for m in _COUNT_PCT_OF.finditer(text):
        if result.pct in (None, m.group(2)) and _agrees(m.group(2), m.group(1), m.group(3)):
            result.n, result.total = m.group(1), m.group(3)
            return result
    ratios = [
        m
        for m in _N_OF_N.finditer(text)
        if _counts_context_ok(text, m.start()) and 0 < int(m.group(2)) >= int(m.group(1))
    ]
    if ratios:
        chosen = _ratio_for(ratios, result)
        if chosen is not None:
            result.n, result.total = chosen.group(1), chosen.group(2)
            return result
        # No ratio agrees with the percentage ("grade (G) 1/2"): read the counts without them.
        text = masked(text, [(m.start(), m.end()) for m in ratios])
    n, total = _count_and_total(text, result, people_are_counts)
    result.n, result.total = n, total
    if result.pct and n and total and not _agrees(result.pct, n, total):
        result.n = result.total = None
    return result


# A population named before the comma and the count after it: "In a cohort of 300 patients,
# 15 had …", "Among those treated at the dose (n = 315), 48 (15.2%) …".
_LEAD_POPULATION = re.compile(
    r"^\s*(?:among|in|of|from)\s+(?:(?:a|the)\s+(?:cohort|group|total|series)\s+of\s+|the\s+|all\s+)?"
    r"(?:(\d{1,6})\s+(?:[\w-]+\s+){0,2}?(?:patients|participants|subjects|pts|recipients|adults"
    r"|children|women|men|individuals)\b[^,;()]*|[^,;]*?[(\[]\s*[nN]\s*=\s*(\d{1,6})\s*[)\]][^,;]*)[,;]\s*"
    r"(\d{1,6})(?![\d.,]?\d|\s*(?:%|percent|of\b|/|[\w-]+\s+(?:months|years|weeks|days))"
    r"|\s+(?:[\w-]+\s+)?(?:events|episodes|admissions|cycles|infusions|doses|reports)\b)",
    re.IGNORECASE,
)


def _lead_population(text: str, result: Counts) -> tuple[str, str] | None:
    m = _LEAD_POPULATION.search(text)
    if m is None:
        return None
    total, n = m.group(1) or m.group(2), m.group(3)
    if int(n) > int(total) or (result.pct is not None and not _agrees(result.pct, n, total)):
        return None
    return n, total


def _ratio_for(ratios: list[re.Match[str]], result: Counts) -> re.Match[str] | None:
    if result.pct is None:
        return ratios[0]
    near = [m for m in ratios if abs(m.start() - result.pct_start) <= 24]
    for m in near + ratios:
        if _agrees(result.pct, m.group(1), m.group(2)):
            return m
    return None


def _count_and_total(
    text: str, result: Counts, people_are_counts: bool
) -> tuple[str | None, str | None]:
    n: str | None = None
    n_at = -1
    sizes: list[str] = []
    for m in _N_EQUALS.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if people_are_counts and _EVENT_WORDS.search(before.rstrip(" ([,;")):
            continue
        after = text[m.end() : m.end() + 12]
        if re.search(r"%\s*[,;]?\s*[(\[]?\s*$", before) or re.match(
            r"\s*[,;]\s*\d[\d.]*\s*%", after
        ):
            if n is None:
                n, n_at = m.group(2), m.start()
        elif (
            m.group(1) == "N"
            or not people_are_counts
            or _POPULATION_WORDS.search(before.rstrip(" ([,;:"))
        ):
            sizes.append(m.group(2))
    # "for X (n = 210) and … for Y (n = 208)": each group's size, none of them the total.
    total = sizes[0] if len(set(sizes)) == 1 else None
    for pattern in (_COUNT_PCT, _COUNT_PCT_TIGHT):
        for m in pattern.finditer(text):
            later = result.pct is not None and result.pct_start < m.start()
            if not _counts_context_ok(text, m.start()) or (later and not people_are_counts):
                continue
            if later and _PCT.search(text, result.pct_start + 1, m.start()):
                continue  # another event's count, after figures of its own ("…, FN 18 (3%)")
            if _DEMOGRAPHIC.match(text, m.end()):
                continue  # "41 (73.2%) were male": who the patients were
            if n is None:
                n, n_at = m.group(1), m.start()
                if result.pct is None or result.pct_start < m.start():
                    result.pct, result.pct_start = m.group(2), m.start(2)
    for m in _PCT_N.finditer(text):
        if n is None:
            n, n_at = m.group(2), m.start(2)
    breakdown = re.search(r"\b(?:including|of whom|of which)\b", text, re.IGNORECASE)
    people = [
        m
        for m in _PATIENT_COUNT.finditer(text)
        if _counts_context_ok(text, m.start()) and not (breakdown and m.start() > breakdown.end())
    ]
    for m in people:
        if m.start() == n_at:
            continue
        is_total = re.search(
            r"(?:among|of|in|to|involving|enrolling|comprised|comprising|consisted of|included)\s+"
            r"(?:the|all|these)?\s*$",
            text[max(0, m.start() - 16) : m.start()],
            re.IGNORECASE,
        )
        later_count = (n is not None and n_at > m.start()) or any(
            o.start() > m.start() for o in people if o is not m
        )
        # "in 14.3% of the 147 patients": the total the percentage is of
        of_pct = re.search(r"%\s*(?:of|among)\s+(?:the|all|these)?\s*$", text[: m.start()])
        # "Among 300 patients, grade ≥3 …": the population the sentence opens with
        opening = re.match(r"\W*(?:among|in|of)\s+(?:the|all|these)?\s*$", text[: m.start()], re.I)
        # "A response was observed in 23 patients": those who had it, not the total
        had_it = re.search(
            r"\b(?:observed|seen|noted|occurred|achieved|reported|documented)\s+in\s+$",
            text[max(0, m.start() - 16) : m.start()],
            re.IGNORECASE,
        )
        if had_it and not people_are_counts and n is None:
            n = m.group(1)
            continue
        if (
            is_total
            and (later_count or not people_are_counts or of_pct or opening)
            and not _EVENT_WORDS.search(text[m.start() : m.end()])
        ):
            total = total or m.group(1)
        elif people_are_counts and n is None and total != m.group(1):
            n = m.group(1)
    if n is not None and total is not None and int(n) > int(total):
        return None, None
    return n, total
