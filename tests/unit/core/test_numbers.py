"""Numbers as clinicians write them: counts, grades, intervals, p values and medians."""

from __future__ import annotations

import pytest

from reviewapp.core.numbers import (
    counts,
    durations,
    grade,
    intervals,
    medians,
    normalise,
    p_value,
    percentages,
)


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("Two of 28 patients", "2 of 28 patients"),
        ("Twenty-one of 40", "21 of 40"),
        ("None of the 30 patients", "0 of the 30 patients"),
        ("1 of 1,234", "1 of 1234"),
        ("HR 0·62", "HR 0.62"),
        ("12,5 %", "12.5 %"),
        ("grade > or = 3", "grade ≥ 3"),
        ("0.41–0.88", "0.41-0.88"),
        ("a one-sided test", "a one-sided test"),
    ],
)
def test_normalise(written: str, plain: str) -> None:
    assert normalise(written) == plain


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("grade 3 neutropenia", "3"),
        ("grade ≥3", "≥3"),
        ("≥ grade 3", "≥3"),
        ("grade 3 or higher", "≥3"),
        ("grade 3 and above", "≥3"),
        ("grade 3+", "≥3"),
        ("grade 3/4", "≥3"),
        ("grade 3-4", "≥3"),
        ("grades 3 and 4", "≥3"),
        ("grade 3 or 4", "≥3"),
        ("grade 3 to 5", "≥3"),
        ("grade III-IV", "≥3"),
        ("grade IV", "4"),
        ("G3/4 anemia", "≥3"),
        ("any-grade rash", "any"),
        ("rash (all grades)", "any"),
        ("grade 1-2", None),
        ("grade 2 or higher", None),
        ("grade 2 or lower", None),
        ("mostly grade 1", None),
        ("greater than grade 2 diarrhea", "≥3"),
        ("higher than grade 1 pneumonitis", None),
        ("less than grade 3", None),
    ],
)
def test_grades_map_to_the_forms_choices(text: str, choice: str | None) -> None:
    found = grade(normalise(text))
    assert found is not None and found[1] == choice


def test_grades_given_their_own_figures_respectively_are_read_one_by_one() -> None:
    text = normalise("10% and 3% had grade 3 or 4 events, respectively")
    assert grade(text, respectively=True) == (text.index("grade"), "3")
    assert grade(text) == (text.index("grade"), "≥3")
    text = "grade 3/4 events in 10% and 3%, respectively"
    assert grade(text, respectively=True) == (0, "≥3")


def test_a_change_gives_its_end_and_a_range_gives_nothing() -> None:
    assert percentages("rose from 48% to 81%") == [(17, "81")]
    assert percentages("ranged from 20% to 45%") == []


def test_durations_without_median_skip_time_points() -> None:
    found = durations("PFS was 7.4 and 5.1 months; OS at 24 months was 61%")
    assert [(d.value, d.unit) for d in found] == [("7.4", "months"), ("5.1", "months")]
    assert durations("OS was 14.2 mo with the drug")[0].unit == "months"
    assert durations("PFS after a follow-up of 20 months") == []


def test_no_grade_in_a_sentence_without_one() -> None:
    assert grade("KRAS G12C inhibitors; high-grade lymphoma; phase 3") is None


def test_n_equals_counting_events_is_not_a_count_of_patients() -> None:
    read = counts(normalise("A total of 52 adverse events (n = 52) occurred in 19 patients."))
    assert (read.n, read.total) == ("19", None)


def test_a_population_before_a_count_is_the_total() -> None:
    read = counts(normalise("Among 120 treated patients, 9 (7.5%) had febrile neutropenia."))
    assert (read.n, read.total, read.pct) == ("9", "120", "7.5")
    read = counts(normalise("In the safety population (N = 243), 31 patients (12.8%) had it."))
    assert (read.n, read.total, read.pct) == ("31", "243", "12.8")


def test_counts_that_disagree_with_the_percentage_are_dropped() -> None:
    read = counts(normalise("Neutropenia: 14/70 (23.3%)."))
    assert (read.n, read.total, read.pct) == (None, None, "23.3")


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
