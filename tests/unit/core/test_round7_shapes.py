"""Shapes read from real abstracts in round 7, in sentences of our own: arms named by a
role with the treatment in brackets ("Arm B (X) … arm A (Y)"), "the addition of X to Y",
a subject set against a later figure's treatment, "between patients treated with X and
those given Y", codes such as "S-1", "CPX-351", "5FU/LV" and "7+3", "no maintenance",
"X-containing"; end points of radiotherapy and supportive-care trials; and what is not an
arm, a ratio's value or a target."""

from __future__ import annotations

import pytest

from reviewapp.core.comparisons import arm_and_comparator
from reviewapp.core.efficacy import efficacy
from reviewapp.core.mechanism import agent_and_aliases, targets
from reviewapp.core.treatments import is_regimen, is_treatment
from reviewapp.core.vocabulary import Vocabulary

_WORDS = Vocabulary()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Arm 2 (vinorelbine plus cisplatin) did not prolong survival over arm 1 (cisplatin"
            " alone) (HR 0.96).",
            {"arm": "vinorelbine plus cisplatin", "comparator": "cisplatin alone"},
        ),
        (
            "The response rate in the experimental arm (olaparib plus cediranib) was 48% versus"
            " 30% in the control arm (olaparib alone).",
            {"arm": "olaparib plus cediranib", "comparator": "olaparib alone"},
        ),
        (
            "The addition of gemcitabine to cisplatin improved overall survival (HR 0.64).",
            {"arm": "gemcitabine", "comparator": "cisplatin"},
        ),
        (
            "Capivasertib yielded a median PFS of 7.2 months compared with 3.6 months for"
            " fulvestrant (HR 0.60).",
            {"arm": "capivasertib", "comparator": "fulvestrant"},
        ),
        (
            "Lurbinectedin extended median survival to 9.3 months from 6.1 months with placebo.",
            {"arm": "lurbinectedin", "comparator": "placebo"},
        ),
        (
            "EFS did not differ between patients treated with rituximab and those given"
            " obinutuzumab (P = .40).",
            {"arm": "rituximab", "comparator": "obinutuzumab"},
        ),
        (
            "The 3-year DFS was 70.2% in the S-1 group and 67.9% in the UFT/LV group.",
            {"arm": "S-1", "comparator": "UFT/LV"},
        ),
        (
            "CR was reached in 61% of those who received CPX-351 and in 49% of those given 7+3.",
            {"arm": "CPX-351", "comparator": "7+3"},
        ),
        (
            "Bortezomib maintenance prolonged PFS relative to no maintenance (HR 0.70).",
            {"arm": "bortezomib maintenance", "comparator": "no maintenance"},
        ),
        (
            "Compared to observation, adjuvant pembrolizumab prolonged DFS (HR 0.68).",
            {"arm": "adjuvant pembrolizumab", "comparator": "observation"},
        ),
        (
            "Compared with docetaxel, ramucirumab-based chemotherapy was associated with longer OS"
            " (HR 0.86).",
            {"arm": "ramucirumab-based chemotherapy", "comparator": "docetaxel"},
        ),
        (
            "At 5 years, the chemoradiotherapy group had higher local control than the"
            " radiotherapy group (88% vs 79%).",
            {"arm": "chemoradiotherapy", "comparator": "radiotherapy"},
        ),
        (
            "Patients in the atezolizumab-containing arms had a median OS of 15.1 months versus"
            " 12.0 months for those who did not receive it.",
            {"arm": "atezolizumab"},
        ),
        (
            "Dose-dense cisplatin yielded a median PFS of 11.0 months compared with 9.1 months"
            " for conventional cisplatin.",
            {"arm": "dose-dense cisplatin", "comparator": "conventional cisplatin"},
        ),
    ],
)
def test_arms_in_the_shapes_of_real_abstracts(sentence: str, expected: dict[str, str]) -> None:
    assert arm_and_comparator(sentence, _WORDS) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # durations and roles are no arms
        "The hazard ratio of the 6-month group compared with the 12-month group was 1.50.",
        # one role in brackets is not a pair
        "The ORR in the experimental arm (olaparib) was 40%.",
        # a generic "addition" names no treatment
        "The addition of the antibody to chemotherapy improved survival (HR 0.80).",
    ],
)
def test_no_pair_where_only_one_treatment_is_named(sentence: str) -> None:
    found = arm_and_comparator(sentence, _WORDS)
    assert "comparator" not in found


def test_codes_and_slashed_regimens_are_treatments_but_durations_are_not() -> None:
    assert is_regimen("S-1") and is_regimen("CPX-351") and is_regimen("5FU/LV")
    assert not is_regimen("CR/CRi") and not is_regimen("PD-1/PD-L1")
    assert not is_treatment(["12-month"], _WORDS)
    assert is_treatment(["immediate", "treatment"], _WORDS)


@pytest.mark.parametrize(
    ("sentence", "endpoint"),
    [
        ("Median locoregional control was 24 months.", "other"),
        ("Failure-free survival at 5 years was 81%.", "other"),
        ("Disease-specific survival was 77% at 3 years.", "other"),
        ("The proportion with no nausea was 40% in the delayed phase.", "other"),
        ("The 1-year survival rate was 35%.", "OS"),
    ],
)
def test_end_points_of_radiotherapy_and_supportive_care_trials(
    sentence: str, endpoint: str
) -> None:
    assert efficacy(sentence, _WORDS)["endpoint"] == endpoint


def test_survival_in_another_sense_is_no_end_point() -> None:
    assert "endpoint" not in efficacy("Survival outcomes were similar across subgroups.", _WORDS)


def test_a_duration_written_before_a_ratio_is_not_its_value() -> None:
    fields = efficacy(
        "The hazard ratio for RFS of the 4-course group compared with the 8-course group was"
        " 2.10 (95% CI, 1.12-3.94).",
        _WORDS,
    )
    assert (fields["value"], fields["ci_low"], fields["ci_high"]) == ("2.10", "1.12", "3.94")


@pytest.mark.parametrize(
    ("sentence", "direction"),
    [
        ("OS was not statistically different between the arms (P = .44).", "no difference"),
        ("PFS was in favour of the combination arm (HR 0.70; P = .01).", "benefit"),
        ("PFS was in favor of the placebo arm (HR 1.30; P = .02).", "harm"),
        ("There was a trend in favor of the combination (HR 0.85; P = .09).", None),
    ],
)
def test_directions_in_favour_of_and_not_different(sentence: str, direction: str | None) -> None:
    assert efficacy(sentence, _WORDS).get("direction") == direction


def test_targets_ranges_menin_and_not_cell_ratios() -> None:
    assert targets("an inhibitor of FGFR1–3") == ["FGFR1–3"]
    assert targets("an oral inhibitor that binds menin") == ["menin"]
    assert targets("a CD19-directed product given at a 1:1 CD4:CD8 ratio") == ["CD19"]


def test_a_small_letter_code_and_another_name_in_brackets_are_aliases() -> None:
    assert agent_and_aliases("Nimotuzumab (h-R3) is an antibody.", _WORDS) == (
        "nimotuzumab",
        ["h-R3"],
    )
    assert agent_and_aliases("Apatinib (rivoceranib) is an oral inhibitor.", _WORDS) == (
        "apatinib",
        ["rivoceranib"],
    )


def test_batch_two_shapes() -> None:
    failed = efficacy("Olaparib failed to improve OS compared with placebo (HR 0.98).", _WORDS)
    assert failed["direction"] == "no difference"
    local = efficacy("The local recurrence rate at 5 years was 5.0% with surgery.", _WORDS)
    assert local["endpoint"] == "other"
    on_arm = arm_and_comparator(
        "Median EFS was 30.1 months on the ibrutinib arm versus 21.0 months on the control arm.",
        _WORDS,
    )
    assert on_arm == {"arm": "ibrutinib"}
    # the other phrase names a group that is no role: nothing is taken
    groups = arm_and_comparator(
        "Median EFS was 30.1 months on the ibrutinib arm versus 21.0 months on the older arm.",
        _WORDS,
    )
    assert "comparator" not in groups
