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
