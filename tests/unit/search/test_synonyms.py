"""Synonym groups and query expansion."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.search.synonyms import Synonyms, load_synonyms
from reviewapp.services.paths import resource

SCLC_GROUP = '(SCLC OR "small cell lung cancer" OR "small-cell lung cancer")'


@pytest.fixture
def synonyms() -> Synonyms:
    return Synonyms.from_lines(
        [
            "# a comment",
            "",
            "SCLC = small cell lung cancer = small-cell lung cancer",
            "ALL = acute lymphoblastic leukemia",
            "CMV = cytomegalovirus",
            "tarlatamab = Imdelltra = AMG 757",
            "lonely term",
        ]
    )


def test_groups_are_read_and_bad_lines_skipped(synonyms: Synonyms) -> None:
    assert len(synonyms.groups) == 4
    assert synonyms.group_of("small-cell lung cancer") == synonyms.group_of("SCLC")
    assert synonyms.group_of("Small Cell Lung Cancer") == synonyms.group_of("sclc")
    assert synonyms.group_of("lonely term") is None


@pytest.mark.parametrize(
    ("query", "expanded"),
    [
        ("SCLC", SCLC_GROUP),
        ("sclc", SCLC_GROUP),
        ("small cell lung cancer", SCLC_GROUP),
        ('"small-cell lung cancer"', SCLC_GROUP),
        ("relapsed SCLC", "relapsed " + SCLC_GROUP),
        ("title:SCLC", "title:" + SCLC_GROUP),
        (
            "CMV AND tarlatamab",
            '(CMV OR cytomegalovirus) AND (tarlatamab OR Imdelltra OR "AMG 757")',
        ),
        ("(CMV OR rash)", "((CMV OR cytomegalovirus) OR rash)"),
        ("AMG 757", '(tarlatamab OR Imdelltra OR "AMG 757")'),
        ("rash", "rash"),
    ],
)
def test_expand_query(synonyms: Synonyms, query: str, expanded: str) -> None:
    assert synonyms.expand_query(query) == expanded


def test_ALL_expands_only_in_capitals(synonyms: Synonyms) -> None:
    assert synonyms.expand_query("ALL") == '(ALL OR "acute lymphoblastic leukemia")'
    assert synonyms.expand_query("all") == "all"
    assert synonyms.expand_query("All") == "All"
    assert synonyms.expand_query("adult ALL") == 'adult (ALL OR "acute lymphoblastic leukemia")'


def test_wildcards_fuzzy_and_operators_are_left_alone(synonyms: Synonyms) -> None:
    assert synonyms.expand_query("CMV*") == "CMV*"
    assert synonyms.expand_query("SCLC~") == "SCLC~"
    assert synonyms.expand_query("rash OR NOT itch") == "rash OR NOT itch"


def test_no_synonyms_means_no_change() -> None:
    assert Synonyms().expand_query("SCLC title:x") == "SCLC title:x"


def test_load_synonyms_takes_the_first_existing_file(tmp_path: Path) -> None:
    own = tmp_path / "synonyms.txt"
    own.write_text("\ufeffCRS = cytokine release syndrome\n", encoding="utf-8")
    loaded = load_synonyms([tmp_path / "absent.txt", own, resource("synonyms.txt")])
    assert loaded.groups == [("CRS", "cytokine release syndrome")]
    assert load_synonyms([tmp_path / "absent.txt"]).groups == []


def test_an_unreadable_synonyms_file_falls_back_to_the_next(tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"CRS = \xff\xfe broken\n")
    shipped = resource("synonyms.txt")
    assert shipped.is_file()
    loaded = load_synonyms([broken, shipped])
    assert loaded.group_of("SCLC") is not None


def test_the_shipped_file_knows_the_oncology_groups() -> None:
    shipped = Synonyms.from_file(resource("synonyms.txt"))
    assert "small cell lung cancer" in (shipped.group_of("SCLC") or ())
    assert "Imdelltra" in (shipped.group_of("tarlatamab") or ())
    assert "ZG006" in (shipped.group_of("alveltamig") or ())
    assert shipped.group_of("ALL") is not None
    assert shipped.group_of("all") is None
