"""Arms read from a sentence's structure: lists matched to figures, pairs, figures handed to
their treatments, a subject measured against another; nothing when a shape reads two ways."""

from __future__ import annotations

import pytest

from reviewapp.core.comparisons import arm_and_comparator
from reviewapp.core.vocabulary import Vocabulary

_WORDS = Vocabulary()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "PFS was 6.2 and 3.1 months with cabozantinib and placebo, respectively.",
            {"arm": "cabozantinib", "comparator": "placebo"},
        ),
        (
            "CR rates were 55% v 40% for decitabine plus venetoclax and decitabine alone,"
            " respectively.",
            {"arm": "decitabine plus venetoclax", "comparator": "decitabine alone"},
        ),
        (
            "OS did not differ between the durvalumab and chemotherapy groups (HR 0.9).",
            {"arm": "durvalumab", "comparator": "chemotherapy"},
        ),
        (
            "ORR was 48% in the doublet arm versus 31% with docetaxel.",
            {"arm": "doublet", "comparator": "docetaxel"},
        ),
        (
            "Median OS: cabozantinib, 10.2 months; sorafenib, 8.1 months.",
            {"arm": "cabozantinib", "comparator": "sorafenib"},
        ),
        (
            "Bortezomib plus melphalan and prednisone was superior to melphalan and prednisone"
            " alone for time to progression.",
            {
                "arm": "bortezomib plus melphalan and prednisone",
                "comparator": "melphalan and prednisone alone",
            },
        ),
        (
            "DFS was 80% among patients assigned to adjuvant sunitinib and 75% among those"
            " assigned to placebo.",
            {"arm": "adjuvant sunitinib", "comparator": "placebo"},
        ),
    ],
)
def test_the_structure_hands_each_figure_its_treatment(
    sentence: str, expected: dict[str, str]
) -> None:
    assert arm_and_comparator(sentence, _WORDS) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # roles are not treatments
        "OS was 14.2 and 11.0 months in the experimental and standard arms, respectively.",
        # what patients had before is not an arm
        "PFS was 9.4 months in patients previously treated with ibrutinib versus 14.1 months"
        " in others.",
        # two ways to split the list: nothing is taken
        "ORR was 40% and 30% with lenalidomide and dexamethasone and bortezomib and"
        " dexamethasone, respectively.",
    ],
)
def test_no_arm_is_made_up_from_roles_history_or_an_ambiguous_list(sentence: str) -> None:
    assert "comparator" not in arm_and_comparator(sentence, _WORDS)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Who the patients are, not what they were compared on.
        (
            "In patients given dexamethasone for nausea, ORR with pembrolizumab was 40% "
            "versus 30%.",
            {},
        ),
        (
            "In patients receiving G-CSF prophylaxis, febrile neutropenia occurred in 5% with "
            "docetaxel versus 15% in others.",
            {},
        ),
        # Two treatments named, but no comparison between them.
        (
            "ORR was 45% with nivolumab; among patients given prednisone for immune-related "
            "events, ORR was 40%.",
            {"arm": "nivolumab"},
        ),
        # "respectively" may belong to the subgroups listed first.
        (
            "ORR was 50% and 30% in patients aged <65 and ≥65 years treated with rituximab and "
            "bendamustine, respectively.",
            {"arm": "rituximab"},
        ),
        ("PFS was 12 and 8 months in men and women given olaparib and placebo, respectively.", {}),
        # The people named before their treatment.
        (
            "Relapse occurred in 30% of patients receiving rituximab compared with those "
            "receiving observation (20%).",
            {"arm": "rituximab", "comparator": "observation"},
        ),
    ],
)
def test_a_population_or_a_list_of_subgroups_gives_no_arm(
    sentence: str, expected: dict[str, str]
) -> None:
    assert arm_and_comparator(sentence, _WORDS) == expected
