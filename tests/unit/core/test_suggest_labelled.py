"""The suggester on the labelled set: our own sentences, each with exactly the fields a careful
oncologist fills in the form (tests/fixtures/suggestions/labelled.jsonl).

Every sentence must be suggested exactly: no field missing, none extra, none different. The
few the suggester is known to miss carry ``known_miss`` (why) and are strict xfails, so
fixing one shows. ``benchmarks/suggestions.py`` prints the same set's recall and precision.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewapp.core.models import Category
from reviewapp.core.suggest import suggest_fields
from reviewapp.core.vocabulary import Vocabulary
from reviewapp.services.paths import resource

CASES = Path(__file__).parents[2] / "fixtures" / "suggestions" / "labelled.jsonl"


def _cases() -> list[Any]:
    params = []
    for number, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        record = json.loads(line)
        marks = (
            [pytest.mark.xfail(strict=True, reason=record["known_miss"])]
            if "known_miss" in record
            else []
        )
        params.append(
            pytest.param(
                Category(record["category"]),
                record["sentence"],
                record["fields"],
                marks=marks,
                id=f"{number}-{record['category']}",
            )
        )
    return params


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (the tests' settings folder holds no copy of its own)."""
    events = resource("adverse_events.txt").read_text(encoding="utf-8").splitlines()
    synonyms = resource("synonyms.txt").read_text(encoding="utf-8").splitlines()
    return Vocabulary.from_lines(events, synonyms)


def test_the_set_is_large_and_covers_every_category() -> None:
    records = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 100
    per_category = {c.value: sum(r["category"] == c.value for r in records) for c in Category}
    assert min(per_category.values()) >= 8, per_category
    assert sum("known_miss" in r for r in records) <= len(records) // 20


@pytest.mark.parametrize(("category", "sentence", "expected"), _cases())
def test_the_suggestions_are_exactly_what_the_sentence_states(
    category: Category, sentence: str, expected: dict[str, str], vocabulary: Vocabulary
) -> None:
    assert suggest_fields(category, sentence, vocabulary) == expected
