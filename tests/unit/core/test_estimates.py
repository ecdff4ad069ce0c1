"""Estimates as clinicians write them: intervals, p values, medians and durations."""

from __future__ import annotations

import pytest

from reviewapp.core.estimates import durations, estimates, intervals, medians, p_value
from reviewapp.core.numbers import normalise


def test_durations_without_median_skip_time_points() -> None:
    found = durations("PFS was 7.4 and 5.1 months; OS at 24 months was 61%")
    assert [(d.value, d.unit) for d in found] == [("7.4", "months"), ("5.1", "months")]
    assert durations("OS was 14.2 mo with the drug")[0].unit == "months"
    assert durations("PFS after a follow-up of 20 months") == []


@pytest.mark.parametrize(
    "text",
    [
        "HR 0.62; 95% CI 0.41-0.88",
        "HR 0.62 (95% CI, 0.41 to 0.88)",
        "HR 0.62, 95% CI: 0.41, 0.88",
        "HR 0.62 (95% CI 0.41; 0.88)",
        "HR 0.62 [95% confidence interval 0.41–0.88]",
    ],
)
def test_intervals_with_dashes_to_commas_and_semicolons(text: str) -> None:
    (found,) = intervals(normalise(text))
    assert (found.low, found.high, found.level_95) == ("0.41", "0.88", True)


def test_a_90_percent_interval_is_not_a_95_percent_one() -> None:
    (found,) = intervals("HR 0.62 (90% CI 0.45-0.85)")
    assert not found.level_95


@pytest.mark.parametrize(
    ("text", "p"),
    [
        ("P = .03", ".03"),
        ("p<0.001", "<0.001"),
        ("P < .001", "<.001"),
        ("p-value of 0.04", "0.04"),
        ("(HR 0.8; P=0.2)", "0.2"),
        ("P for interaction = .04", None),
        ("PFS 5 months", None),
    ],
)
def test_p_values(text: str, p: str | None) -> None:
    assert p_value(text) == p


def test_medians_keep_their_unit_and_skip_follow_up() -> None:
    (found,) = medians("At a median follow-up of 18.2 months, median OS was 7.1 v 4.3 months.")
    assert (found.value, found.unit) == ("7.1", "months")
    (found,) = medians("median PFS, 9.2 mo")
    assert (found.value, found.unit) == ("9.2", "months")
    assert medians("median age 64 years; median OS was not reached") == []
    assert medians("Median OS was not reached after 30 months of follow-up.") == []
    assert medians("median PFS was NR at 12 months") == []


def test_a_respectively_list_gives_the_first_value_with_the_lists_unit() -> None:
    text = normalise("Median OS was 21.4, 15.8, and 11.2 months in the three groups")
    assert [(m.value, m.unit) for m in medians(text)] == [("21.4", "months")]
    listed = normalise("PFS was 7.4, 6.1 or 5.1 weeks")
    assert next((m.value, m.unit) for m in durations(listed)) == ("7.4", "weeks")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # what the ratio is of may be long, and name its subgroup by a marker or a percentage
        (
            "The hazard ratio for disease progression or death with ribociclib as compared with"
            " placebo was 0.56",
            "0.56",
        ),
        (
            "The hazard ratio for progression or death among patients with PD-L1 expression of"
            " 1% or more was 0.62",
            "0.62",
        ),
        ("The HR for death among patients aged 65 years or older was 0.81", "0.81"),
        # the 1 of PD-L1 is no ratio's value
        ("The HR for death in PD-L1-positive patients was 0.72", "0.72"),
    ],
)
def test_a_ratio_after_a_long_description_of_what_it_is_of(text: str, value: str) -> None:
    (found,) = estimates(normalise(text))
    assert (found.measure, found.value) == ("HR", value)


def test_no_duration_after_a_median_not_reached() -> None:
    text = "median PFS was not reached with X and was 20.4 months with Y"
    assert durations(text, text.index("PFS")) == []
    assert [d.value for d in durations("PFS was 7.4 months with X")] == ["7.4"]
