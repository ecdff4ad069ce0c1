"""Field validation: forms, ranges, choices and the cross-field checks clinicians rely on."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewapp.core.models import Category
from reviewapp.core.validation import Checked, percentage_agrees, validate_fields


def _fields_named(checked: Checked) -> set[str]:
    return {key for problem in checked.problems for key in problem.fields}


def _toxicity(**values: Any) -> Checked:
    return validate_fields(Category.TOXICITY, {"event": "CMV viremia", **values})


# -- n, N and percentages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pct", "stored"),
    [("23.3", 23.3), ("23", 23), ("23.33", 23.33), ("23.3%", 23.3), ("23,3", 23.3), (23.3, 23.3)],
)
def test_percentage_agreeing_with_n_over_N_at_its_printed_rounding_is_accepted(
    pct: Any, stored: float
) -> None:
    checked = _toxicity(incidence_pct=pct, n="14", N="60")
    assert checked.ok, checked.problems
    assert checked.values["incidence_pct"] == pytest.approx(stored)
    assert checked.values["n"] == 14
    assert checked.values["N"] == 60


def test_whole_number_percentage_is_kept_as_an_integer() -> None:
    checked = _toxicity(incidence_pct="23", n=14, N=60)
    assert checked.values["incidence_pct"] == 23
    assert isinstance(checked.values["incidence_pct"], int)


def test_percentage_that_disagrees_with_n_over_N_names_all_three_fields() -> None:
    checked = _toxicity(incidence_pct="23.3", n="14", N="70")
    assert not checked.ok
    assert len(checked.problems) == 1
    problem = checked.problems[0]
    assert set(problem.fields) == {"incidence_pct", "n", "N"}
    assert "14/70" in problem.message
    assert "20.0%" in problem.message
    assert str(problem).startswith("incidence_pct, n, N: ")
    for key in ("incidence_pct", "n", "N"):
        assert checked.problems_for(key) == [problem]


@pytest.mark.parametrize("pct", ["23.4", "20", "23.2", "24"])
def test_percentage_off_by_more_than_its_rounding_is_refused(pct: str) -> None:
    checked = _toxicity(incidence_pct=pct, n=14, N=60)
    assert _fields_named(checked) == {"incidence_pct", "n", "N"}


def test_n_larger_than_N_is_refused_naming_both() -> None:
    checked = _toxicity(n="61", N="60")
    assert [set(p.fields) for p in checked.problems] == [{"n", "N"}]
    assert "larger" in checked.problems[0].message


def test_n_equal_to_N_is_fine() -> None:
    assert _toxicity(n=60, N=60, incidence_pct=100).ok


def test_N_of_zero_is_refused() -> None:
    checked = _toxicity(n=0, N=0)
    assert _fields_named(checked) == {"N"}


def test_percentage_outside_0_to_100_is_refused() -> None:
    checked = _toxicity(incidence_pct="120")
    assert _fields_named(checked) == {"incidence_pct"}


@pytest.mark.parametrize(
    ("value", "message"),
    [("-3", "negative"), ("2.5", "whole number"), ("many", "not a number")],
)
def test_counts_must_be_non_negative_whole_numbers(value: str, message: str) -> None:
    checked = _toxicity(n=value)
    assert _fields_named(checked) == {"n"}
    assert message in checked.problems[0].message


def test_percentage_agrees_examples() -> None:
    assert percentage_agrees(Decimal("23.3"), 14, 60)
    assert percentage_agrees(Decimal("23"), 14, 60)
    assert not percentage_agrees(Decimal("23.4"), 14, 60)
    assert not percentage_agrees(Decimal("20"), 14, 60)
    assert not percentage_agrees(Decimal("23.3"), 14, 70)
    assert not percentage_agrees(Decimal("0"), 0, 0)


@settings(max_examples=50, deadline=None)
@given(
    total=st.integers(min_value=1, max_value=5000),
    share=st.floats(min_value=0, max_value=1),
    places=st.integers(min_value=0, max_value=2),
)
def test_percentage_agrees_with_n_over_N_rounded_and_not_two_units_away(
    total: int, share: float, places: int
) -> None:
    n = round(share * total)
    unit = Decimal(1).scaleb(-places)
    printed = (Decimal(100) * n / total).quantize(unit, rounding=ROUND_HALF_UP)
    assert percentage_agrees(printed, n, total)
    assert not percentage_agrees(printed + 2 * unit, n, total)
    assert not percentage_agrees(printed - 2 * unit, n, total)


# -- efficacy: confidence intervals and ratios --------------------------------------------------


def _efficacy(**values: Any) -> Checked:
    return validate_fields(Category.EFFICACY, {"endpoint": "PFS", **values})


def test_estimate_inside_its_ci_is_accepted() -> None:
    checked = _efficacy(measure="HR", value="0.62", ci_low="0.48", ci_high="0.80", p_value="<0.001")
    assert checked.ok, checked.problems
    assert checked.values["value"] == pytest.approx(0.62)
    assert checked.values["p_value"] == "<0.001"


def test_estimate_outside_its_ci_is_refused_naming_the_three_fields() -> None:
    checked = _efficacy(measure="HR", value="0.9", ci_low="0.48", ci_high="0.80")
    assert _fields_named(checked) == {"value", "ci_low", "ci_high"}
    assert "outside" in checked.problems[0].message


def test_ci_with_low_above_high_is_refused() -> None:
    checked = _efficacy(ci_low="0.9", ci_high="0.5")
    assert _fields_named(checked) == {"ci_low", "ci_high"}


def test_half_a_ci_is_refused_naming_the_missing_bound() -> None:
    assert _fields_named(_efficacy(ci_low="0.4")) == {"ci_high"}
    assert _fields_named(_efficacy(ci_high="0.9")) == {"ci_low"}


@pytest.mark.parametrize("measure", ["HR", "OR", "RR"])
@pytest.mark.parametrize("value", ["0", "-0.5"])
def test_ratio_must_be_greater_than_zero(measure: str, value: str) -> None:
    checked = _efficacy(measure=measure, value=value)
    assert _fields_named(checked) == {"value"}
    assert "greater than 0" in checked.problems[0].message


def test_a_median_may_be_zero_or_negative() -> None:
    assert _efficacy(measure="median", value="-1.5", unit="months").ok


def test_efficacy_percentage_is_checked_when_the_unit_is_percent() -> None:
    checked = _efficacy(endpoint="ORR", measure="rate", value="40", unit="%", n="10", N="40")
    assert _fields_named(checked) == {"value", "n", "N"}
    assert _efficacy(endpoint="ORR", measure="rate", value="25", unit="%", n="10", N="40").ok


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("<0.001", "<0.001"),
        ("0.03", "0.03"),
        ("p=0.03", "0.03"),
        ("p < 0.05", "<0.05"),
        ("<=0.05", "≤0.05"),
        ("≥0.2", "≥0.2"),
        ("0,04", "0.04"),
        ("1", "1"),
    ],
)
def test_p_values_accepted(raw: str, stored: str) -> None:
    checked = _efficacy(p_value=raw)
    assert checked.ok, checked.problems
    assert checked.values["p_value"] == stored


@pytest.mark.parametrize("raw", ["1.5", "abc", "<<0.01", "-0.2", "p"])
def test_p_values_refused(raw: str) -> None:
    checked = _efficacy(p_value=raw)
    assert _fields_named(checked) == {"p_value"}


# -- keys, required fields and choices ------------------------------------------------------


def test_unknown_field_key_is_refused_naming_the_valid_keys() -> None:
    checked = _toxicity(incidence="23.3")
    assert _fields_named(checked) == {"incidence"}
    message = checked.problems[0].message
    assert "not a toxicity field" in message
    for key in ("event", "grade", "incidence_pct", "n", "N", "timing", "serious"):
        assert key in message


@pytest.mark.parametrize(
    ("category", "required"),
    [
        (Category.EFFICACY, "endpoint"),
        (Category.TOXICITY, "event"),
        (Category.MECHANISM, "agent"),
    ],
)
def test_required_field_missing_or_blank_is_refused(category: Category, required: str) -> None:
    for raw in ({}, {required: "   "}, {required: None}):
        checked = validate_fields(category, raw)
        assert [p.fields for p in checked.problems] == [(required,)]
        assert "required" in checked.problems[0].message


def test_an_invalid_required_field_is_reported_once() -> None:
    checked = validate_fields(Category.EFFICACY, {"endpoint": "survival-ish"})
    assert len(checked.problems) == 1
    assert "not one of" in checked.problems[0].message


def test_reference_needs_at_least_one_identifier_or_citation() -> None:
    checked = validate_fields(Category.REFERENCE, {"relation": "source"})
    assert _fields_named(checked) == {"doi", "pmid", "nct", "citation"}
    assert validate_fields(Category.REFERENCE, {"citation": "Luskin MR, et al."}).ok


@pytest.mark.parametrize(
    ("raw", "stored"),
    [(">=3", "≥3"), ("3+", "≥3"), ("Grade >=3", "≥3"), ("≥3", "≥3"), ("All", "any"), ("2", "2")],
)
def test_grade_choices_with_aliases(raw: str, stored: str) -> None:
    checked = _toxicity(grade=raw)
    assert checked.ok, checked.problems
    assert checked.values["grade"] == stored


def test_choices_forgive_case_spaces_hyphens_and_underscores() -> None:
    checked = validate_fields(
        Category.MECHANISM,
        {"agent": "alveltamig", "modality": "Trispecific T cell_engager"},
    )
    assert checked.values["modality"] == "trispecific T-cell engager"
    assert _efficacy(direction="No-Difference").values["direction"] == "no difference"
    assert _efficacy(endpoint="pfs").values["endpoint"] == "PFS"


def test_unknown_choice_is_refused_listing_the_choices() -> None:
    checked = _toxicity(timing="before")
    assert _fields_named(checked) == {"timing"}
    assert "during, after" in checked.problems[0].message


@pytest.mark.parametrize(("raw", "stored"), [("yes", True), ("N", False), (True, True)])
def test_boolean_fields(raw: Any, stored: bool) -> None:
    assert _toxicity(serious=raw).values["serious"] is stored


def test_boolean_refuses_other_words() -> None:
    assert _fields_named(_toxicity(serious="maybe")) == {"serious"}


def test_list_fields_split_on_commas_and_semicolons() -> None:
    checked = validate_fields(
        Category.MECHANISM, {"agent": "alveltamig", "targets": "DLL3, CD3; ", "aliases": ["ZG006"]}
    )
    assert checked.values["targets"] == ["DLL3", "CD3"]
    assert checked.values["aliases"] == ["ZG006"]


@pytest.mark.parametrize(
    "raw", ["10.1002/CNCR.35750", "https://doi.org/10.1002/cncr.35750", "doi: 10.1002/cncr.35750"]
)
def test_doi_field_is_normalised(raw: str) -> None:
    checked = validate_fields(Category.REFERENCE, {"doi": raw})
    assert checked.ok
    assert checked.values["doi"] == "10.1002/cncr.35750"


@pytest.mark.parametrize("raw", ["cncr.35750", "10.1002", "https://example.org/x"])
def test_doi_field_refuses_other_forms(raw: str) -> None:
    checked = validate_fields(Category.REFERENCE, {"doi": raw, "citation": "x"})
    assert _fields_named(checked) == {"doi"}
    assert "10.1234/suffix" in checked.problems[0].message


def test_nct_and_pmid_fields() -> None:
    checked = validate_fields(Category.REFERENCE, {"nct": "nct01234567", "pmid": "31234567"})
    assert checked.values == {"nct": "NCT01234567", "pmid": "31234567"}
    refused = validate_fields(Category.REFERENCE, {"nct": "NCT123", "pmid": "0123"})
    assert _fields_named(refused) == {"nct", "pmid", "doi", "citation"}
    assert {p.fields[0] for p in refused.problems[:2]} == {"nct", "pmid"}


def test_messages_name_the_category_with_its_article() -> None:
    # Seen in the terminal: "required for a efficacy finding".
    problems = validate_fields(Category.EFFICACY, {}).problems
    assert any(p.message == "required for an efficacy finding" for p in problems)
    problems = validate_fields(Category.TOXICITY, {}).problems
    assert any(p.message == "required for a toxicity finding" for p in problems)
