"""The direction an efficacy sentence states: more of a bad outcome is no benefit, and a
non-inferior result is no harm (sentences of our own)."""

from __future__ import annotations

import pytest

from reviewapp.core.efficacy import efficacy
from reviewapp.core.vocabulary import Vocabulary

_WORDS = Vocabulary()


@pytest.mark.parametrize(
    "sentence",
    [
        "Mortality was greater in the nivolumab group (32%) compared with the docetaxel group "
        "(25%).",
        "Relapse was greater among patients receiving rituximab (30%) compared with those "
        "receiving observation (20%).",
        "Disease progression was greater in the sorafenib arm, 60% versus 40% in the "
        "lenvatinib arm.",
        "Weight loss was greater with cisplatin (12%) versus carboplatin (5%).",
        "Mortality was greater in the nivolumab group than in the docetaxel group.",
        "Nivolumab was non-inferior to docetaxel for overall survival.",
    ],
)
def test_more_of_a_bad_outcome_or_non_inferiority_is_not_called_a_benefit_or_harm(
    sentence: str,
) -> None:
    assert "direction" not in efficacy(sentence, _WORDS)


def test_a_survival_longer_with_the_arm_is_a_benefit() -> None:
    found = efficacy(
        "Event-free survival was longer in the blinatumomab group (HR 0.41) compared with "
        "the chemotherapy group.",
        _WORDS,
    )
    assert found.get("arm") == "blinatumomab"
    assert found.get("direction") == "benefit"


@pytest.mark.parametrize(
    "sentence",
    [
        "Lenalidomide maintenance extended progression-free survival compared with placebo.",
        "The risk of death was 25% lower with ipilimumab plus nivolumab than with sunitinib.",
        "With tamoxifen, mortality was reduced by a third compared with no adjuvant therapy.",
        "The rate of pCR was higher in the pembrolizumab–chemotherapy group than in the"
        " placebo–chemotherapy group (65% vs 51%).",
    ],
)
def test_extended_survival_a_lower_risk_and_less_mortality_are_benefits(sentence: str) -> None:
    assert efficacy(sentence, _WORDS).get("direction") == "benefit"


def test_extended_follow_up_is_no_direction() -> None:
    found = efficacy("With extended follow-up, median OS was 20.4 months with nivolumab.", _WORDS)
    assert "direction" not in found
