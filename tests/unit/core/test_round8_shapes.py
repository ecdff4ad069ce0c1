"""Shapes read from real abstracts in round 8, in sentences of our own: counts and shares
that are not of patients (episodes, events, cycles, lesions), grades that are not the
event's (another event's in brackets, a Clavien–Dindo grade), "severe or life-threatening",
a count before a heading's colon, a 95 "percent" interval, a ratio after "the seven
trials", an arm named only after "compared with", antiemetic complete response, and
targets named before "inhibitor"."""

from __future__ import annotations

import pytest

from reviewapp.core.mechanism import joined, targets
from reviewapp.core.models import Category
from reviewapp.core.suggest import suggest_fields
from tests.suggesting import WORDS, eff, tox


def test_a_count_of_episodes_after_the_population_is_not_the_patients() -> None:
    fields = tox(
        "Among the 200 patients, 15 episodes of febrile neutropenia occurred in 11 patients."
    )
    assert fields["n"] == "11"


def test_a_share_of_events_or_cycles_is_no_incidence() -> None:
    assert "incidence_pct" not in tox("Colitis led most admissions (40 of 90 events, 44%).")
    assert "incidence_pct" not in tox("Grade 3 anaemia was seen in 9 of 45 cycles (20%).")


def test_another_events_grade_in_brackets_is_not_the_events() -> None:
    fields = tox("DLTs occurred in 2 of 12 patients (grade 3 rash in one, colitis in one).")
    assert fields["event"] == "dose-limiting toxicity"
    assert "grade" not in fields


def test_a_clavien_dindo_grade_is_no_ctcae_grade() -> None:
    fields = tox("Postoperative complications of Clavien-Dindo grade III or more affected 8%.")
    assert "grade" not in fields


def test_severe_or_life_threatening_is_grade_3_or_more() -> None:
    assert tox("Severe or life-threatening neutropenia occurred in 21%.")["grade"] == "≥3"


def test_a_count_before_the_colon_keeps_the_general_event() -> None:
    fields = tox("Three patients had DLTs: diarrhoea at 60 mg and fatigue at 90 mg.")
    assert fields["event"] == "dose-limiting toxicity"
    assert fields["n"] == "3"


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("Surgical site infection occurred in 6% after open resection.", "wound infection"),
        ("Bone pain was reported by 12% of women.", "bone pain"),
        ("Late GU toxicity of grade ≥2 was seen in 9% of men.", "genitourinary toxicity"),
        ("Anastomotic leakage occurred in 4 patients (3%).", "anastomotic leak"),
    ],
)
def test_new_events(sentence: str, event: str) -> None:
    assert tox(sentence)["event"] == event


def test_a_number_of_trials_is_not_the_ratio() -> None:
    fields = eff(
        "The pooled hazard ratio for OS across the nine trials was 0.77 (95% CI 0.66-0.90)."
    )
    assert (fields["value"], fields["ci_low"], fields["ci_high"]) == ("0.77", "0.66", "0.90")


def test_a_95_percent_confidence_interval_written_in_words() -> None:
    fields = eff("Relapse was reduced (RR 0.64; 95 percent confidence interval, 0.50 to 0.82).")
    assert (fields["ci_low"], fields["ci_high"]) == ("0.50", "0.82")


def test_a_treatment_named_only_after_compared_with_is_not_the_arm() -> None:
    fields = eff(
        "DFS among women given CMFP was 84 percent, as compared with 69 percent in the"
        " observation group (P = 0.0001)."
    )
    assert fields.get("arm") != "observation"
    fields = eff(
        "DFS among women given CMF was 80 percent, as compared with 70 percent in the"
        " observation group (P = 0.01)."
    )
    assert (fields["arm"], fields["comparator"]) == ("CMF", "observation")


def test_lesions_are_not_patients() -> None:
    fields = eff("Objective response was seen in 30 of 90 target lesions (33%).")
    assert "n" not in fields and "N" not in fields


def test_an_antiemetic_complete_response_is_no_tumour_response() -> None:
    assert (
        eff("Complete response in the delayed phase was 70% with olanzapine.")["endpoint"]
        == "other"
    )
    assert eff("Complete response was reached by 40% of patients.")["endpoint"] == "CR"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("X-1 is an oral inhibitor of ERK1 and ERK2.", ["ERK1", "ERK2"]),
        ("X-1 is an inhibitor of cyclin-dependent kinase 9 (CDK9).", ["CDK9"]),
        ("X-1, an oral CBP/p300 bromodomain inhibitor, was given daily.", ["CBP", "p300"]),
        ("X-1 is a selective KAT6 inhibitor.", ["KAT6"]),
        ("X-1 is an ADC directed against tissue factor.", ["TF"]),
        ("X-1 is a BCR-ABL1 inhibitor active against the T315I mutation.", ["BCR-ABL1"]),
    ],
)
def test_targets_named_before_inhibitor(sentence: str, expected: list[str]) -> None:
    assert targets(joined(sentence)) == expected


def test_an_oligonucleotide_is_another_modality_and_elstat_a_drug() -> None:
    fields = suggest_fields(
        Category.MECHANISM, "Imetelstat is an oligonucleotide telomerase inhibitor.", WORDS
    )
    assert fields == {"agent": "imetelstat", "modality": "other", "targets": "telomerase"}
