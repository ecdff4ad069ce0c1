"""What the review of issue 18's suggester found: inputs that took tens of seconds (a ratio's
description that can be split many ways, many targets in one text, long runs of spaces), and
sentences that were given wrong values. Each timing bound is generous: the inputs took tens
of seconds before and take milliseconds now."""

from __future__ import annotations

import time

from reviewapp.core.estimates import estimates
from reviewapp.core.mechanism import targets
from reviewapp.core.models import Category
from reviewapp.core.suggest import suggest_fields
from reviewapp.services.suggestions import load_vocabulary

_WORDS = load_vocabulary()


def _eff(sentence: str) -> dict[str, str]:
    return suggest_fields(Category.EFFICACY, sentence, _WORDS)


def _tox(sentence: str) -> dict[str, str]:
    return suggest_fields(Category.TOXICITY, sentence, _WORDS)


def _mech(sentence: str) -> dict[str, str]:
    return suggest_fields(Category.MECHANISM, sentence, _WORDS)


# -- time -----------------------------------------------------------------------------------


def test_a_ratio_described_by_many_percentages_is_read_in_linear_time() -> None:
    text = "The hazard ratio for OS in " + "1%-" * 22 + " subgroups"
    started = time.perf_counter()
    assert estimates(text) == []
    assert time.perf_counter() - started < 1.0  # 28 s before


def test_many_targets_are_read_in_linear_time() -> None:
    started = time.perf_counter()
    assert targets("KRAS " * 8000) == ["KRAS"]
    assert targets("EGFR " * 8000 + "inhibitor") == ["EGFR"]
    assert time.perf_counter() - started < 1.0  # 12 s each before


def test_a_long_run_of_spaces_is_read_in_linear_time() -> None:
    started = time.perf_counter()
    for category in Category:
        suggest_fields(category, "a" + " " * 10_000 + "b", _WORDS)
        suggest_fields(category, "Median OS was" + " \n" * 5_000 + "12 months.", _WORDS)
    assert time.perf_counter() - started < 1.0  # 19 s for efficacy alone before


def test_a_run_of_spaces_reads_as_one_space() -> None:
    assert _eff("Median  OS was\n\n12.1   months with  pembrolizumab.") == _eff(
        "Median OS was 12.1 months with pembrolizumab."
    )
