"""The agreement statistics against published worked examples, against statsmodels and the
krippendorff package, and where they are undefined (None, never a division by zero)."""

from __future__ import annotations

import math
import random

import krippendorff
import numpy as np
import pytest
from statsmodels.stats import inter_rater

from reviewapp.core.agreement import (
    binary_table,
    cohen_kappa,
    fleiss_kappa,
    kappa_of_table,
    krippendorff_alpha,
    positive_agreement,
)

# Wikipedia, "Cohen's kappa", worked example (50 grant proposals read by A and B): both yes
# 20, A yes B no 5, A no B yes 10, both no 15; p_o = 0.7, p_e = 0.5, kappa = 0.4.
A = [True] * 20 + [True] * 5 + [False] * 10 + [False] * 15
B = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15


def test_cohens_kappa_of_the_worked_example() -> None:
    result = cohen_kappa(A, B)
    assert result is not None
    assert result.kappa == pytest.approx(0.4)
    # Its large-sample interval (Fleiss, Cohen and Everitt 1969), as statsmodels gives it.
    reference = inter_rater.cohens_kappa(np.array([[20, 5], [10, 15]]))
    assert result.low == pytest.approx(reference.kappa_low)
    assert result.high == pytest.approx(reference.kappa_upp)
    assert result.low == pytest.approx(0.1511, abs=1e-4)


def test_positive_agreement_of_the_worked_example() -> None:
    # 2a / (2a + b + c) = 40 / 55 (Cicchetti and Feinstein 1990; de Vet et al. 2013).
    assert positive_agreement(A, B) == pytest.approx(40 / 55)


@pytest.mark.parametrize("seed", range(6))
def test_cohens_kappa_agrees_with_statsmodels_on_any_table(seed: int) -> None:
    rng = random.Random(seed)
    first = [rng.randint(0, 3) for _ in range(60)]
    second = [v if rng.random() < 0.55 else rng.randint(0, 3) for v in first]
    table = np.zeros((4, 4))
    for a, b in zip(first, second, strict=True):
        table[a, b] += 1
    ours = kappa_of_table(table)
    reference = inter_rater.cohens_kappa(table)
    assert ours is not None
    assert ours.kappa == pytest.approx(reference.kappa)
    assert (ours.low, ours.high) == pytest.approx((reference.kappa_low, reference.kappa_upp))


def test_binary_table_counts_as_cohen_kappa_does() -> None:
    table = binary_table(np.array(A), np.array(B))
    assert table.tolist() == [[15, 10], [5, 20]]
    again = kappa_of_table(table)
    assert again is not None and again.kappa == pytest.approx(0.4)


# Wikipedia, "Fleiss' kappa", worked example (Fleiss 1971 style): 10 subjects, 14 raters, 5
# categories; P-bar 0.378, P-bar-e 0.213, kappa 0.210.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_of_the_worked_example() -> None:
    kappa = fleiss_kappa(FLEISS_TABLE)
    assert kappa == pytest.approx(0.210, abs=5e-4)
    assert kappa == pytest.approx(inter_rater.fleiss_kappa(np.array(FLEISS_TABLE)))


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the example with
# missing values: 4 observers, 12 units, nominal alpha = 0.743.
KRIPPENDORFF = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_krippendorff_alpha_of_the_worked_example() -> None:
    alpha = krippendorff_alpha(KRIPPENDORFF)
    assert alpha == pytest.approx(0.743, abs=5e-4)
    data = [[np.nan if v is None else v for v in row] for row in KRIPPENDORFF]
    nominal = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert alpha == pytest.approx(nominal)


def test_krippendorff_alpha_of_yes_no_ratings_with_missing_raters() -> None:
    ratings: list[list[bool | None]] = [
        [True, False, True, None],
        [True, False, False, True],
        [None, False, True, True],
    ]
    data = [[np.nan if v is None else float(v) for v in row] for row in ratings]
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha(ratings) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ([], []),  # no units
        ([False] * 8, [False] * 8),  # a category nobody used: chance agreement is 1
        ([True] * 8, [True] * 8),  # a category everybody used everywhere
    ],
)
def test_cohen_kappa_is_undefined_not_a_crash(first: list[bool], second: list[bool]) -> None:
    assert cohen_kappa(first, second) is None


def test_undefined_cases_give_none() -> None:
    assert positive_agreement([False] * 5, [False] * 5) is None
    assert fleiss_kappa([]) is None
    assert fleiss_kappa([[3, 0], [3, 0]]) is None  # everyone put everything in one category
    assert fleiss_kappa([[1, 0], [0, 1]]) is None  # one rater per unit
    assert fleiss_kappa([[2, 0], [1, 2]]) is None  # units with different numbers of raters
    assert krippendorff_alpha([[True, True, False]]) is None  # one reviewer: nothing paired
    assert krippendorff_alpha([[True, None], [None, False]]) is None  # no unit rated twice
    assert krippendorff_alpha([[False, False], [False, False]]) is None  # one value only
    # One value in every unit rated twice; the other only where one reviewer rated alone.
    assert krippendorff_alpha([[True, False, False], [None, False, False]]) is None
    assert krippendorff_alpha([]) is None


def test_perfect_and_opposite_agreement() -> None:
    perfect = cohen_kappa([True, False, True, False], [True, False, True, False])
    opposite = cohen_kappa([True, False, True, False], [False, True, False, True])
    assert perfect is not None and perfect.kappa == pytest.approx(1.0)
    assert opposite is not None and opposite.kappa == pytest.approx(-1.0)
    assert not math.isnan(perfect.low)
