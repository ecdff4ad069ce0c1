"""People's and journals' names made consistent: authors as "Family GI", journals in title
case, and several authors in one string split apart."""

from __future__ import annotations

import pytest

from reviewapp.importers.names import author_name, display_name, journal_name, split_author_names


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Varga, Tamas", "Varga T"),
        ("Okafor, N. C.", "Okafor NC"),
        ("Okafor, NC", "Okafor NC"),
        ("Okafor N.C.", "Okafor NC"),
        ("Smith, John, Jr.", "Smith J"),
        ("An Invented Study Group", "An Invented Study Group"),
    ],
)
def test_author_names(raw: str, name: str) -> None:
    assert author_name(raw) == name


def test_journal_capitals_become_title_case_but_acronyms_stay() -> None:
    assert journal_name("BREAST CANCER RESEARCH AND TREATMENT") == (
        "Breast Cancer Research and Treatment"
    )
    assert journal_name("JAMA") == "JAMA"
    assert journal_name("Lung Cancer") == "Lung Cancer"


def test_journal_names_that_are_not_all_capitals_or_are_short_stay_as_written() -> None:
    assert journal_name("JOURNAL OF THE NATIONAL CANCER INSTITUTE") == (
        "Journal of the National Cancer Institute"
    )
    assert journal_name("CA") == "CA"
    assert journal_name("  ") is None
    assert journal_name(None) is None


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Varga, Tamas", "Varga T"),
        ("Tamas Varga", "Varga T"),
        ("Varga T", "Varga T"),
        ("Maria R. Luskin", "Luskin MR"),
        ("Jan van der Berg", "van der Berg J"),
        ("Madonna", "Madonna"),
    ],
)
def test_display_names_from_either_order(written: str, shown: str) -> None:
    assert display_name(written) == shown


def test_blank_names_are_none() -> None:
    assert display_name("   ") is None
    assert author_name("   ") is None


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Tamas Varga; Nkechi Okafor", ["Tamas Varga", "Nkechi Okafor"]),
        ("Varga T, Okafor N and Rossi D", ["Varga T", "Okafor N", "Rossi D"]),
        ("Tamas Varga, Nkechi Okafor", ["Tamas Varga", "Nkechi Okafor"]),
        ("Varga, Tamas", ["Varga, Tamas"]),  # one person, family name first
        ("Varga T & Okafor N", ["Varga T", "Okafor N"]),
    ],
)
def test_several_authors_in_one_string(value: str, names: list[str]) -> None:
    assert split_author_names(value) == names
