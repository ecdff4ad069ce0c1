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
