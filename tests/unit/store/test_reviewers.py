"""Reviewers: initials, distinct colours, one row per name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.store import Library, open_library
from reviewapp.store.reviewers import PALETTE


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    opened = open_library(tmp_path / "library.sqlite")
    yield opened
    opened.close()


def test_reviewers_get_initials_and_distinct_colours(lib: Library) -> None:
    first = lib.reviewers.ensure("  Maria R. Luskin ")
    assert first.name == "Maria R. Luskin"
    assert first.initials == "MRL"
    assert lib.reviewers.ensure("maria r. luskin").id == first.id
    second = lib.reviewers.ensure("Dana Okafor", initials="DOk")
    assert second.initials == "DOk"
    assert second.colour != first.colour
    assert {first.colour, second.colour} <= set(PALETTE)
    assert [r.name for r in lib.reviewers.list()] == ["Dana Okafor", "Maria R. Luskin"]
    assert lib.reviewers.get_by_name("nobody") is None
    with pytest.raises(ValueError, match="name"):
        lib.reviewers.ensure("  ")


def test_colours_go_round_the_palette_and_initials_are_cut_to_four(lib: Library) -> None:
    names = [f"Reviewer {n}" for n in range(len(PALETTE) + 1)]
    colours = [lib.reviewers.ensure(name).colour for name in names]
    assert colours == [*PALETTE, PALETTE[0]]
    long = lib.reviewers.ensure("Jean-Luc Anne Marie Picard", initials="  JLAMP ")
    assert long.initials == "JLAM"
    assert lib.reviewers.get_by_name(" Jean-Luc Anne Marie Picard ") == long
