"""Numbers that are not finite, or absurdly large, are problems on their field, not crashes."""

from __future__ import annotations

import pytest

from reviewapp.core.models import Category
from reviewapp.core.validation import validate_fields


@pytest.mark.parametrize(
    ("category", "raw", "key"),
    [
        (Category.TOXICITY, {"event": "x", "incidence_pct": "NaN"}, "incidence_pct"),
        (Category.TOXICITY, {"event": "x", "incidence_pct": "inf"}, "incidence_pct"),
        (Category.TOXICITY, {"event": "x", "n": "Infinity"}, "n"),
        (Category.EFFICACY, {"endpoint": "OS", "value": "nan"}, "value"),
        (Category.EFFICACY, {"endpoint": "OS", "value": "-inf"}, "value"),
    ],
)
def test_non_finite_numbers_are_problems_not_crashes(
    category: Category, raw: dict[str, str], key: str
) -> None:
    checked = validate_fields(category, raw)
    assert [p.fields for p in checked.problems] == [(key,)]
    assert key not in checked.values


@pytest.mark.parametrize("huge", ["1e999999999", "-1e999999999", "1e13"])
def test_absurd_magnitudes_are_out_of_range(huge: str) -> None:
    checked = validate_fields(Category.TOXICITY, {"event": "x", "n": huge})
    assert [p.fields for p in checked.problems] == [("n",)]
    assert "out of range" in checked.problems[0].message


@pytest.mark.parametrize("p", ["<0", "0", ">1", "1.5", "<1e999999999999999999999", "0.0٥"])
def test_impossible_or_unreadable_p_values_are_refused(p: str) -> None:
    checked = validate_fields(Category.EFFICACY, {"endpoint": "OS", "p_value": p})
    assert [problem.fields for problem in checked.problems] == [("p_value",)]


def test_a_tiny_percentage_does_not_overflow_the_agreement_check() -> None:
    checked = validate_fields(
        Category.TOXICITY, {"event": "x", "incidence_pct": "1e-999999999", "n": "0", "N": "10"}
    )
    assert checked.ok  # 0/10 is 0%, and 1e-999999999 rounds to it at any sane precision


def test_a_percentage_ci_must_lie_between_0_and_100() -> None:
    checked = validate_fields(
        Category.EFFICACY,
        {"endpoint": "ORR", "value": "40", "unit": "%", "ci_low": "-20", "ci_high": "180"},
    )
    assert sorted(p.fields for p in checked.problems) == [("ci_high",), ("ci_low",)]
