"""Numbers as clinicians write them: counts, percentages and grades."""

from __future__ import annotations

import pytest

from reviewapp.core.grades import grade
from reviewapp.core.numbers import counts, normalise, percentages


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
        "rates lay between 12% and 40% across sites",
        "the rate varied widely (18-76%)",
        "a 42% reduced risk of death",
        "a 30% lower risk of relapse",
    ],
)
def test_ranges_and_changes_in_risk_are_not_values(text: str) -> None:
    assert percentages(normalise(text)) == []


def test_a_total_after_comprised_and_a_population_of_women() -> None:
    assert counts("the cohort comprised 80 patients; 12 (15%) responded").total == "80"
    lead = counts("Of 143 women who received the regimen, 11 (7.7%) had the event")
    assert (lead.n, lead.total) == ("11", "143")


def test_the_sizes_of_several_groups_are_not_the_total() -> None:
    two = "Median OS was 20.0 months for X (n = 210) and 10.9 months for Y (n = 208)."
    assert counts(normalise(two), people_are_counts=False).total is None
    one = "In the intention-to-treat population (n = 412), median PFS was 16.6 months."
    assert counts(normalise(one), people_are_counts=False).total == "412"
