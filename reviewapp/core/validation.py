"""Checking a finding's fields as they are typed: forms, ranges and cross-field agreement.

Every problem names the field (or fields) it is about, so the CLI can print it and the
form can mark the right boxes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from reviewapp.core.categories import SCHEMAS, FieldSpec, Kind, field_specs
from reviewapp.core.identifiers import normalise_doi, normalise_nct
from reviewapp.core.models import Category

_P_VALUE = re.compile(r"^(?:p\s*)?(<=|>=|≤|≥|<|>|=)?\s*(\d*[.,]?\d+(?:e-?\d+)?)$", re.I)
_TRUE = {"yes", "y", "true", "1", "serious"}
_FALSE = {"no", "n", "false", "0", "not serious"}
_CHOICE_ALIASES = {">=3": "≥3", "3+": "≥3", "grade ≥3": "≥3", "grade >=3": "≥3", "all": "any"}


@dataclass(frozen=True)
class Problem:
    """One validation problem; ``fields`` names the field keys involved."""

    fields: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return f"{', '.join(self.fields)}: {self.message}" if self.fields else self.message


@dataclass
class Checked:
    """The cleaned, typed values and the problems found."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_for(self, key: str) -> list[Problem]:
        return [p for p in self.problems if key in p.fields]


def validate_fields(category: Category, raw: Mapping[str, Any]) -> Checked:
    """Parse and check ``raw`` field values for ``category``."""
    specs = field_specs(category)
    result = Checked()
    decimals: dict[str, Decimal] = {}
    for key, value in raw.items():
        spec = specs.get(key)
        if spec is None:
            valid = ", ".join(specs)
            result.problems.append(
                Problem((key,), f"not {_a(category.value)} field (valid fields: {valid})")
            )
            continue
        if _is_blank(value):
            continue
        try:
            parsed = _parse(spec, value)
        except ValueError as exc:
            result.problems.append(Problem((key,), str(exc)))
            continue
        result.values[key] = parsed
        if spec.kind in (Kind.NUMBER, Kind.INTEGER):
            decimals[key] = _decimal(value)
    for spec in SCHEMAS[category]:
        if spec.required and spec.key not in result.values and not result.problems_for(spec.key):
            required = f"required for {_a(category.value)} finding"
            result.problems.append(Problem((spec.key,), required))
    result.problems.extend(_cross_checks(category, result.values, decimals))
    return result


def _is_blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str | list | tuple) and len(value) == 0)
        or (isinstance(value, str) and not value.strip())
    )


# No clinical count, percentage, estimate or interval bound reaches 10^13.
_MAX_EXPONENT = 12


def _decimal(value: Any) -> Decimal:
    """A finite number of sane size, or ValueError (NaN, infinity and 1e999999 are refused)."""
    text = str(value).strip().rstrip("%").strip().replace(",", ".")
    if not text.isascii():
        raise ValueError(f"{value!r} is not a number (use the digits 0-9)")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a number")
    if number and number.adjusted() > _MAX_EXPONENT:  # no arithmetic: 1e999999999 is safe
        raise ValueError(f"{value!r} is out of range")
    return number


def _parse(spec: FieldSpec, value: Any) -> Any:
    text = value.strip() if isinstance(value, str) else value
    match spec.kind:
        case Kind.TEXT:
            return str(text)
        case Kind.NUMBER:
            number = _decimal(text)
            return (
                int(number)
                if number == number.to_integral_value() and "." not in str(text)
                else float(number)
            )
        case Kind.INTEGER:
            number = _decimal(text)
            if number != number.to_integral_value():
                raise ValueError(f"{value!r} is not a whole number")
            if number < 0:
                raise ValueError(f"{value!r} must not be negative")
            return int(number)
        case Kind.CHOICE:
            return _choice(spec, str(text))
        case Kind.LIST:
            items = text if isinstance(text, list | tuple) else re.split(r"[;,]", str(text))
            return [str(item).strip() for item in items if str(item).strip()]
        case Kind.BOOLEAN:
            return _boolean(text)
        case Kind.DOI:
            doi = normalise_doi(str(text))
            if doi is None:
                raise ValueError(f"{value!r} is not a DOI (expected the form 10.1234/suffix)")
            return doi
        case Kind.NCT:
            nct = normalise_nct(str(text))
            if nct is None:
                raise ValueError(f"{value!r} is not an NCT id (expected NCT and 8 digits)")
            return nct
        case Kind.PMID:
            if not re.fullmatch(r"[1-9]\d{0,8}", str(text)):
                raise ValueError(f"{value!r} is not a PMID (expected 1 to 9 digits)")
            return str(text)
        case Kind.P_VALUE:
            return _p_value(str(text))
    raise AssertionError(spec.kind)  # pragma: no cover


def _choice(spec: FieldSpec, text: str) -> str:
    wanted = _CHOICE_ALIASES.get(text.lower(), text)
    folded = re.sub(r"[\s_-]+", " ", wanted).strip().lower()
    for choice in spec.choices:
        if re.sub(r"[\s_-]+", " ", choice).lower() == folded:
            return choice
    raise ValueError(f"{text!r} is not one of: {', '.join(spec.choices)}")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{value!r} is not yes or no")


def _p_value(text: str) -> str:
    match = _P_VALUE.match(text.replace(" ", ""))
    if not match:
        raise ValueError(f"{text!r} is not a p value (like 0.03 or <0.001)")
    comparator = {"<=": "≤", ">=": "≥", "=": ""}.get(match.group(1) or "", match.group(1) or "")
    number = _decimal(match.group(2))
    impossible = comparator == ">" and number == 1  # no p value exceeds 1
    if impossible or not Decimal(0) < number <= Decimal(1):
        raise ValueError(f"{text!r} is not a p value: it must be above 0 and at most 1")
    return f"{comparator}{match.group(2).replace(',', '.')}"


def percentage_agrees(pct: Decimal, n: int, total: int) -> bool:
    """Whether ``pct`` is n/N as a percentage, rounded to the decimals ``pct`` is printed with.

    14/60 = 23.33…% agrees with 23.3 and with 23; it does not agree with 23.4 or 20.
    """
    if total <= 0:
        return False
    exponent = pct.as_tuple().exponent
    # Nobody prints a percentage to more than a dozen decimals; capping keeps the arithmetic
    # below finite whatever was typed.
    places = min(-exponent, 12) if isinstance(exponent, int) and exponent < 0 else 0
    exact = Decimal(100) * Decimal(n) / Decimal(total)
    tolerance = Decimal(5) / (Decimal(10) ** (places + 1))
    return abs(exact - pct) <= tolerance + Decimal("1e-9")


def _cross_checks(
    category: Category, values: Mapping[str, Any], decimals: Mapping[str, Decimal]
) -> list[Problem]:
    problems: list[Problem] = []
    n, total = values.get("n"), values.get("N")
    if n is not None and total is not None:
        if total == 0:
            problems.append(Problem(("N",), "must be greater than 0"))
        elif n > total:
            problems.append(Problem(("n", "N"), f"n ({n}) is larger than N ({total})"))
    pct_key = _percentage_key(category, values)
    if pct_key and pct_key in decimals:
        pct = decimals[pct_key]
        if not Decimal(0) <= pct <= Decimal(100):
            problems.append(Problem((pct_key,), f"{pct}% is not between 0 and 100"))
        elif n is not None and total and n <= total and not percentage_agrees(pct, n, total):
            exact = 100 * n / total
            problems.append(
                Problem(
                    (pct_key, "n", "N"),
                    f"{pct}% does not agree with n/N = {n}/{total} ({exact:.1f}%)",
                )
            )
    if category is Category.EFFICACY:
        problems.extend(_ci_checks(values))
    if category is Category.REFERENCE and not any(
        values.get(k) for k in ("doi", "pmid", "nct", "citation")
    ):
        problems.append(Problem(("doi", "pmid", "nct", "citation"), "give at least one of these"))
    return problems


def _percentage_key(category: Category, values: Mapping[str, Any]) -> str | None:
    if category is Category.TOXICITY:
        return "incidence_pct"
    if category is Category.EFFICACY and str(values.get("unit", "")).strip() == "%":
        return "value"
    return None


def _ci_checks(values: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    low, high, value = values.get("ci_low"), values.get("ci_high"), values.get("value")
    if (low is None) != (high is None):
        missing = "ci_high" if high is None else "ci_low"
        problems.append(Problem((missing,), "a 95% CI needs both ci_low and ci_high"))
    elif low is not None and high is not None:
        if low > high:
            problems.append(
                Problem(("ci_low", "ci_high"), f"ci_low ({low}) exceeds ci_high ({high})")
            )
        elif value is not None and not low <= value <= high:
            problems.append(
                Problem(
                    ("value", "ci_low", "ci_high"),
                    f"the estimate {value} lies outside its 95% CI {low}–{high}",
                )
            )
    if str(values.get("unit", "")).strip() == "%":
        for key in ("ci_low", "ci_high"):
            if values.get(key) is not None and not 0 <= values[key] <= 100:
                problems.append(Problem((key,), f"{values[key]}% is not between 0 and 100"))
    if values.get("measure") in ("HR", "OR", "RR"):
        for key in ("value", "ci_low", "ci_high"):
            if values.get(key) is not None and values[key] <= 0:
                problems.append(Problem((key,), f"a {values['measure']} must be greater than 0"))
    return problems


def _a(word: str) -> str:
    """``word`` with its article: "an efficacy", "a toxicity"."""
    return ("an " if word[:1] in "aeiou" else "a ") + word
