"""The arm and comparator of an efficacy sentence: treatments as the sentence names them."""

from __future__ import annotations

import pytest

from reviewapp.core.arms import arms
from reviewapp.core.vocabulary import Vocabulary

_WORDS = Vocabulary()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("ORR was 61% with KRd and 47% with Rd.", {"arm": "KRd", "comparator": "Rd"}),
        (
            "EFS was longer in the R-CHOP-21 group than in the R-CHOP-14 group.",
            {"arm": "R-CHOP-21", "comparator": "R-CHOP-14"},
        ),
        ("Sac-TMT achieved an ORR of 43%.", {"arm": "Sac-TMT"}),
        (
            "Neoadjuvant nivolumab improved EFS compared with chemotherapy.",
            {"arm": "neoadjuvant nivolumab", "comparator": "chemotherapy"},
        ),
        (
            "Response was deeper with the quadruplet than with the triplet.",
            {"arm": "quadruplet", "comparator": "triplet"},
        ),
    ],
)
def test_abbreviations_settings_and_earlier_arms_are_read(
    sentence: str, expected: dict[str, str]
) -> None:
    assert arms(sentence, _WORDS) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The ORR was 38% in patients with NSCLC and 21% in those with SCLC.",
        "Median PFS was 9.1 months in HER2-positive and 6.2 months in HER2-low disease.",
        "In patients refractory to lenalidomide, the ORR was 52%.",
        "Median OS was 14.2 months in the experimental arm and 11.0 months in the control arm.",
    ],
)
def test_diseases_markers_prior_drugs_and_roles_are_not_arms(sentence: str) -> None:
    assert arms(sentence, _WORDS) == {}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "ORR was 40% and 25% in the selpercatinib and placebo groups, respectively.",
            {"arm": "selpercatinib", "comparator": "placebo"},
        ),
        (
            "PFS was 9.0 months for patients receiving tucatinib vs 5.6 months for those given"
            " placebo.",
            {"arm": "tucatinib", "comparator": "placebo"},
        ),
        (
            "Tucatinib plus trastuzumab produced an ORR of 38%.",
            {"arm": "tucatinib plus trastuzumab"},
        ),
        (
            "OS was 12.1 months with erdafitinib given orally versus 7.8 months with docetaxel.",
            {"arm": "erdafitinib", "comparator": "docetaxel"},
        ),
    ],
)
def test_groups_respectively_receiving_partners_and_run_on_words(
    sentence: str, expected: dict[str, str]
) -> None:
    assert arms(sentence, _WORDS) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The ORR assessed by RECIST was 31%.",
        "PFS was 8.1 and 6.0 months in the experimental and control groups, respectively.",
    ],
)
def test_assessment_criteria_and_roles_in_a_list_are_not_arms(sentence: str) -> None:
    assert arms(sentence, _WORDS) == {}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Compared with placebo, apalutamide improved MFS.",
            {"arm": "apalutamide", "comparator": "placebo"},
        ),
        ("Alectinib significantly prolonged PFS (HR 0.47).", {"arm": "alectinib"}),
        ("The lenvatinib group had a median PFS of 7.3 months.", {"arm": "lenvatinib"}),
        ("Pembrolizumab-treated patients had an ORR of 44%.", {"arm": "pembrolizumab"}),
    ],
)
def test_leading_comparators_subjects_before_verbs_and_treated_patients(
    sentence: str, expected: dict[str, str]
) -> None:
    assert arms(sentence, _WORDS) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The ORR was 52% in the older cohort and 38% in those given decitabine.",
        "The ORR was 50% in the AYA cohort and 44% in the adult cohort.",
        "The ORR was 40% with SC dosing and 42% with IV dosing.",
    ],
)
def test_a_treatment_named_only_with_the_second_value_and_populations_are_not_arms(
    sentence: str,
) -> None:
    assert arms(sentence, _WORDS) == {}
