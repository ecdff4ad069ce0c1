"""What a brief says about each article and across articles, derived from findings.

Pure functions: the PDF (and later tables) lay these out; tests check them directly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reviewapp.core.models import Article, Category, Finding

_PHASE = re.compile(
    r"\b(?P<lead>(?:this|our|the present|the current|a|an)\s+(?:[\w-]+\s+){0,3})?phase\s+"
    r"(?P<phase>[1-4][ab]?(?:\s*[/–-]\s*[1-4][ab]?)?|I{1,3}[ab]?(?:\s*[/–-]\s*I{1,3}[ab]?)?|IV)"
    r"(?![\w/–-])(?!\s+(?:dose|doses|cycles?|weeks?|months?|days?|portion)\b)",
    re.IGNORECASE,
)
_ROMAN = {"III": "3", "II": "2", "IV": "4", "I": "1"}
_NUMBER = r"(?<![\d,.])(\d{1,3}(?:,\d{3})+|\d{2,6})(?![\d,])"
_PEOPLE_WORDS = "patients|participants|adults|children|subjects|women|men"
_PEOPLE = rf"(?:{_PEOPLE_WORDS})"
# Words that may stand between a verb and its count ("295 evaluable adult ALL patients"),
# but never a number, "of" ("30 of 45 patients") or what counts places and time.
_FILLER = (
    r"(?:(?!of\b|sites\b|cent(?:er|re)s\b|countries\b|hospitals\b|cycles\b|doses\b)"
    r"[A-Za-z][\w-]*\s+){0,3}"
)
_N_PATTERNS = (
    re.compile(
        rf"\b(?:enrolled|randomi[sz]ed|included|accrued|recruited)\s+{_NUMBER}\s+"
        rf"{_FILLER}{_PEOPLE}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"{_NUMBER}\s+{_FILLER}{_PEOPLE}\s+(?:were\s+)?(?:enrolled|randomi[sz]ed|"
        rf"included|accrued|recruited)",
        re.IGNORECASE,
    ),
    re.compile(rf"\ba total of\s+{_NUMBER}\s+{_FILLER}{_PEOPLE}", re.IGNORECASE),
    re.compile(
        rf"\b(?:study|trial|cohort)\s+(?:of|in|with)\s+{_NUMBER}\s+{_FILLER}{_PEOPLE}",
        re.IGNORECASE,
    ),
    re.compile(rf"{_NUMBER}\s+(?:evaluable\s+|eligible\s+)?{_PEOPLE}\s+with\b", re.IGNORECASE),
    # "trial (n = 612)": a lower-case n right after the trial or the patients, as a last resort
    # (elsewhere it is often a subgroup).
    re.compile(
        rf"\b(?:trial|study|cohort|{_PEOPLE_WORDS})\s*\(\s*n\s*=\s*{_NUMBER}", re.IGNORECASE
    ),
    re.compile(rf"\bN\s*=\s*{_NUMBER}"),  # capital N: the whole population, not a subgroup
)
_RANDOMISED = re.compile(r"(?<!non-)(?<!non )(?<!not )\brandomi[sz]ed\b", re.IGNORECASE)
_SEVERITY = {"5": 6, "4": 5, "≥3": 4, "3": 4, "2": 2, "1": 1, "any": 0}


@dataclass(frozen=True)
class Design:
    phase: str | None
    randomised: bool
    n: int | None

    def label(self) -> str:
        parts = []
        if self.phase:
            parts.append(f"Phase {self.phase}")
        if self.randomised:
            parts.append("randomised")
        if self.n is not None:
            parts.append(f"N = {self.n}")
        return ", ".join(parts) if parts else "not stated"


def study_design(text: str) -> Design:
    """Phase, randomisation and N as the article text states them.

    Cautious on purpose: a brief shows these to a tumor board, so a count that is not
    plainly the number of patients (sites, cycles, years, "30 of 45") is not taken.
    """
    return Design(_phase(text), bool(_RANDOMISED.search(text)), _sample_size(text))


def _phase(text: str) -> str | None:
    matches = [
        m
        for m in _PHASE.finditer(text)
        if not re.search(
            r"recommended\s+$", text[max(0, m.start() - 14) : m.start()], re.IGNORECASE
        )
    ]
    if not matches:
        return None
    # "this phase 2 study" describes the article's own trial; other mentions may be others'.
    own = next(
        (
            m
            for m in matches
            if m.group("lead")
            and re.match(r"(this|our|the present|the current)\b", m.group("lead"), re.I)
        ),
        None,
    )
    raw = (own or matches[0]).group("phase").replace(" ", "")
    parts = re.split(r"[/–-]", raw)
    return "/".join(_arabic(part) for part in parts)


def _arabic(part: str) -> str:
    suffix = part[-1].lower() if part[-1].lower() in "ab" and len(part) > 1 else ""
    core = part[: len(part) - len(suffix)].upper()
    return _ROMAN.get(core, core) + suffix


def _sample_size(text: str) -> int | None:
    for pattern in _N_PATTERNS:
        for match in pattern.finditer(text):
            number = int(match.group(1).replace(",", ""))
            if "," not in match.group(1) and 1900 <= number <= 2100:
                continue  # a year ("since 2019 patients …"), not a count
            return number
    return None


def fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def mechanism_headline(findings: Sequence[Finding]) -> str:
    for f in findings:
        if f.category is Category.MECHANISM:
            v = f.fields
            agent = fmt(v.get("agent", ""))
            if v.get("aliases"):
                agent += f" ({fmt(v['aliases'])})"
            parts = [
                agent,
                fmt(v.get("modality", "")),
                ("targets " + fmt(v["targets"])) if v.get("targets") else "",
            ]
            return "; ".join(p for p in parts if p)
    return "—"


def efficacy_text(fields: dict[str, Any]) -> str:
    """ "OS HR 0.71 (95% CI 0.55–0.92), p 0.01, benefit"."""
    endpoint = fmt(fields.get("endpoint", ""))
    measure = fmt(fields.get("measure", ""))
    value = fields.get("value")
    text = endpoint
    if value is not None:
        unit = fmt(fields.get("unit", ""))
        shown = f"{fmt(value)}{'%' if unit == '%' else (' ' + unit if unit else '')}"
        text += f" {measure} {shown}" if measure else f" {shown}"
    if fields.get("ci_low") is not None and fields.get("ci_high") is not None:
        text += f" (95% CI {fmt(fields['ci_low'])}–{fmt(fields['ci_high'])})"
    if fields.get("p_value"):
        text += f", p {fmt(fields['p_value'])}"
    if fields.get("direction"):
        text += f", {fmt(fields['direction'])}"
    comparison = " vs ".join(fmt(fields[k]) for k in ("arm", "comparator") if fields.get(k))
    if comparison:  # two results of one endpoint are told apart by what they compare
        text += f" ({comparison})"
    return " ".join(text.split())


def efficacy_headline(findings: Sequence[Finding]) -> str:
    """The first efficacy finding with a value, else the first at all."""
    efficacy = [f for f in findings if f.category is Category.EFFICACY]
    if not efficacy:
        return "—"
    chosen = next((f for f in efficacy if f.fields.get("value") is not None), efficacy[0])
    return efficacy_text(chosen.fields)


def toxicity_text(fields: dict[str, Any]) -> str:
    """ "CMV viremia, grade any: 23.3% (14/60), during"."""
    text = fmt(fields.get("event", "adverse event"))
    if fields.get("grade"):
        text += f", grade {fmt(fields['grade'])}"
    numbers = []
    if fields.get("incidence_pct") is not None:
        numbers.append(f"{fmt(fields['incidence_pct'])}%")
    if fields.get("n") is not None and fields.get("N") is not None:
        numbers.append(f"({fields['n']}/{fields['N']})")
    if numbers:
        text += ": " + " ".join(numbers)
    if fields.get("timing"):
        text += f", {fmt(fields['timing'])}"
    return text


def toxicity_headline(findings: Sequence[Finding]) -> str:
    """The most severe event, then the most frequent, with its n/N."""
    toxicity = [f for f in findings if f.category is Category.TOXICITY]
    if not toxicity:
        return "—"

    def rank(f: Finding) -> tuple[int, float]:
        grade = _SEVERITY.get(str(f.fields.get("grade", "any")), 0)
        return (grade, float(f.fields.get("incidence_pct") or 0))

    return toxicity_text(max(toxicity, key=rank).fields)


@dataclass
class ToxicityCell:
    grade: str
    incidence_pct: float | None
    n: int | None
    N: int | None
    timing: str

    def label(self) -> str:
        parts = [f"{fmt(self.incidence_pct)}%" if self.incidence_pct is not None else ""]
        if self.n is not None and self.N is not None:
            parts.append(f"({self.n}/{self.N})")
        if self.grade:
            parts.append(f"gr {self.grade}")
        if self.timing:
            parts.append(self.timing)
        return " ".join(p for p in parts if p)


@dataclass
class ToxicityMatrix:
    """Adverse events × articles: the cells, and the events in order of first mention."""

    events: list[str] = field(default_factory=list)
    cells: dict[tuple[str, int], list[ToxicityCell]] = field(default_factory=dict)


def toxicity_matrix(items: Sequence[tuple[Article, Sequence[Finding]]]) -> ToxicityMatrix:
    matrix = ToxicityMatrix()
    for number, (_article, findings) in enumerate(items, 1):
        for f in findings:
            if f.category is not Category.TOXICITY:
                continue
            event = fmt(f.fields.get("event", "")).strip() or "adverse event"
            key = event.lower()
            known = next((e for e in matrix.events if e.lower() == key), None)
            if known is None:
                matrix.events.append(event)
                known = event
            pct = f.fields.get("incidence_pct")
            n, total = f.fields.get("n"), f.fields.get("N")
            if pct is None and n is not None and total:
                pct = round(100 * n / total, 1)
            matrix.cells.setdefault((known, number), []).append(
                ToxicityCell(
                    fmt(f.fields.get("grade", "")),
                    float(pct) if pct is not None else None,
                    n,
                    total,
                    fmt(f.fields.get("timing", "")),
                )
            )
    return matrix


@dataclass(frozen=True)
class EfficacyRow:
    endpoint: str
    article_number: int
    text: str
    hr: tuple[float, float, float] | None  # estimate, CI low, CI high (ratio measures)
    measure: str
    arm: str = ""


def efficacy_rows(items: Sequence[tuple[Article, Sequence[Finding]]]) -> list[EfficacyRow]:
    """Efficacy findings across articles, grouped by endpoint (in the order of ENDPOINTS)."""
    rows: list[EfficacyRow] = []
    for number, (_article, findings) in enumerate(items, 1):
        for f in findings:
            if f.category is not Category.EFFICACY:
                continue
            v = f.fields
            ratio = None
            if v.get("measure") in ("HR", "OR", "RR") and all(
                v.get(k) is not None for k in ("value", "ci_low", "ci_high")
            ):
                ratio = (float(v["value"]), float(v["ci_low"]), float(v["ci_high"]))
            rows.append(
                EfficacyRow(
                    fmt(v.get("endpoint", "other")),
                    number,
                    efficacy_text(v),
                    ratio,
                    fmt(v.get("measure", "")),
                    fmt(v.get("arm", "")),
                )
            )
    order = ["OS", "PFS", "DFS", "EFS", "ORR", "CR", "DoR", "pCR", "other"]
    return sorted(
        rows,
        key=lambda r: (order.index(r.endpoint) if r.endpoint in order else 99, r.article_number),
    )
