"""Agreement between reviewers: Cohen's κ with its 95% interval and positive specific
agreement for a pair, Fleiss' κ for several raters who rated every unit, Krippendorff's α
(nominal) for any raters with missing ratings.

Krippendorff's α comes from the ``krippendorff`` package. Cohen's and Fleiss' κ are a few
lines of arithmetic on a contingency table, written out here rather than bringing
statsmodels (with scipy and pandas, some 150 MB) into a desktop application; the tests
check them against published worked examples and against statsmodels itself.

Every function returns None where the statistic is undefined (no units, one rater, a
category that nobody or everybody used, so that chance agreement is 1), never a division
by zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


@dataclass(frozen=True)
class Kappa:
    kappa: float
    low: float  # 95% confidence interval
    high: float


def _table(first: Sequence[object], second: Sequence[object]) -> np.ndarray:
    if len(first) != len(second):
        raise ValueError("two raters must rate the same units")
    categories = sorted({*first, *second}, key=repr)
    where = {category: i for i, category in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for a, b in zip(first, second, strict=True):
        table[where[a], where[b]] += 1
    return table


def cohen_kappa(first: Sequence[object], second: Sequence[object]) -> Kappa | None:
    """Cohen's κ of two raters' ratings of the same units, with the 95% interval from the
    large-sample variance of Fleiss, Cohen and Everitt (1969)."""
    return kappa_of_table(_table(first, second))


def binary_table(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The 2×2 table of two raters' yes/no ratings (boolean arrays), counted in numpy."""
    both = int(np.count_nonzero(first & second))
    only_first = int(np.count_nonzero(first & ~second))
    only_second = int(np.count_nonzero(~first & second))
    neither = len(first) - both - only_first - only_second
    return np.array([[neither, only_second], [only_first, both]], dtype=float)


def kappa_of_table(table: np.ndarray) -> Kappa | None:
    """Cohen's κ of a contingency table (rows: the first rater, columns: the second)."""
    n = table.sum()
    if n == 0:
        return None
    p = table / n
    rows, columns = p.sum(axis=1), p.sum(axis=0)
    observed = float(np.trace(p))
    expected = float(rows @ columns)
    if math.isclose(expected, 1.0):
        return None
    kappa = (observed - expected) / (1 - expected)
    diagonal = np.diag(p)
    a = float(np.sum(diagonal * (1 - (rows + columns) * (1 - kappa)) ** 2))
    off = p.copy()
    np.fill_diagonal(off, 0.0)
    b = (1 - kappa) ** 2 * float(np.sum(off * (columns[:, None] + rows[None, :]) ** 2))
    c = (kappa - expected * (1 - kappa)) ** 2
    variance = max(a + b - c, 0.0) / (n * (1 - expected) ** 2)
    half = Z95 * math.sqrt(variance)
    return Kappa(kappa, kappa - half, kappa + half)


def positive_agreement(first: Sequence[bool], second: Sequence[bool]) -> float | None:
    """Positive specific agreement, 2a / (2a + b + c): of the units either rater called
    positive, how often both did (Cicchetti and Feinstein 1990)."""
    table = binary_table(np.asarray(first, dtype=bool), np.asarray(second, dtype=bool))
    return positive_agreement_of_table(table)


def positive_agreement_of_table(table: np.ndarray) -> float | None:
    """Positive specific agreement of a 2×2 table (index 1: positive)."""
    both, one = table[1, 1], table[0, 1] + table[1, 0]
    return None if both + one == 0 else float(2 * both / (2 * both + one))


def fleiss_kappa(counts: Sequence[Sequence[int]] | np.ndarray) -> float | None:
    """Fleiss' κ (1971): ``counts[i][j]`` raters put unit i in category j; every unit has
    the same number of raters (two or more)."""
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.shape[0] == 0:
        return None
    raters = table.sum(axis=1)
    if raters[0] < 2 or not np.all(raters == raters[0]):
        return None
    m = raters[0]
    units = table.shape[0]
    p_units = (np.sum(table * table, axis=1) - m) / (m * (m - 1))
    p_categories = table.sum(axis=0) / (units * m)
    observed = float(p_units.mean())
    expected = float(np.sum(p_categories**2))
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(ratings: Sequence[Sequence[object | None]]) -> float | None:
    """Krippendorff's α, nominal: ``ratings[r][u]`` is rater r's value for unit u, None where
    r did not rate u. None when fewer than two values can be paired, or only one value
    occurs (no disagreement is possible, so none can be measured)."""
    values = sorted({v for row in ratings for v in row if v is not None}, key=repr)
    code = {value: float(i) for i, value in enumerate(values)}
    data = np.array(
        [[np.nan if v is None else code[v] for v in row] for row in ratings], dtype=float
    )
    return krippendorff_alpha_of_codes(data)


def krippendorff_alpha_of_codes(data: np.ndarray) -> float | None:
    """``krippendorff_alpha`` of a raters × units array of value codes (NaN: not rated)."""
    if data.ndim != 2 or data.size == 0:
        return None
    # Only units two raters rated can be paired; a value seen elsewhere alone is no
    # disagreement (one such value beside pairs that all agree made 0/0).
    pairable = data[:, np.sum(~np.isnan(data), axis=0) >= 2]
    if len(np.unique(pairable[~np.isnan(pairable)])) < 2:
        return None
    alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return None if math.isnan(alpha) else alpha
