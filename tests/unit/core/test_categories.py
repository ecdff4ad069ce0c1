"""The four categories and their typed fields: names, keys, kinds and choices."""

from __future__ import annotations

import pytest

from reviewapp.core.categories import SCHEMAS, Kind, field_specs, parse_category
from reviewapp.core.models import Category


def test_parse_category_is_case_insensitive_and_names_choices() -> None:
    assert parse_category(" Toxicity ") is Category.TOXICITY
    with pytest.raises(ValueError, match="efficacy, toxicity, mechanism, reference"):
        parse_category("harms")


def test_every_category_has_a_schema_with_unique_keys() -> None:
    for category in Category:
        keys = [spec.key for spec in SCHEMAS[category]]
        assert len(keys) == len(set(keys))
        assert set(field_specs(category)) == set(keys)


def test_every_choice_field_offers_its_choices_and_only_choice_fields_do() -> None:
    for category in Category:
        for spec in SCHEMAS[category]:
            assert bool(spec.choices) == (spec.kind is Kind.CHOICE), (category, spec.key)


def test_each_category_requires_what_names_its_finding() -> None:
    required = {c: [s.key for s in SCHEMAS[c] if s.required] for c in Category}
    assert required == {
        Category.EFFICACY: ["endpoint"],
        Category.TOXICITY: ["event"],
        Category.MECHANISM: ["agent"],
        Category.REFERENCE: [],
    }


def test_field_specs_are_found_by_key() -> None:
    specs = field_specs(Category.TOXICITY)
    assert specs["grade"].kind is Kind.CHOICE and "≥3" in specs["grade"].choices
    assert specs["n"].kind is Kind.INTEGER and specs["incidence_pct"].kind is Kind.NUMBER
    assert field_specs(Category.REFERENCE)["relation"].choices == (
        "source",
        "correction",
        "related",
    )
