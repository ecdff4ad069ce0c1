"""DOIs, NCT ids, PMIDs and PMCIDs: found in text, normalised and checked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewapp.core.identifiers import (
    find_dois,
    find_nct_ids,
    find_pmcid,
    find_pmid,
    is_valid_doi,
    is_valid_nct,
    is_valid_pmid,
    normalise_doi,
    normalise_nct,
    primary_doi,
)
from reviewapp.core.models import DoiRef, DoiRelation


@pytest.mark.parametrize(
    "raw",
    [
        "10.1002/cncr.35750",
        "10.1002/CNCR.35750",
        "https://doi.org/10.1002/cncr.35750",
        "http://dx.doi.org/10.1002/CNCR.35750",
        "doi.org/10.1002/cncr.35750",
        "doi:10.1002/cncr.35750",
        "DOI: 10.1002/cncr.35750",
        "urn:doi:10.1002/cncr.35750",
        "  10.1002/cncr.35750.  ",
        "10.1002/cncr.35750;",
    ],
)
def test_normalise_doi_strips_prefixes_and_lowercases(raw: str) -> None:
    assert normalise_doi(raw) == "10.1002/cncr.35750"


@pytest.mark.parametrize(
    "raw", ["", "cncr.35750", "10.12/abc", "doi:", "https://doi.org/", "11.1002/x"]
)
def test_normalise_doi_refuses_what_is_not_a_doi(raw: str) -> None:
    assert normalise_doi(raw) is None


def test_normalise_doi_keeps_balanced_brackets_and_drops_unbalanced_ones() -> None:
    assert normalise_doi("10.1016/S1470-2045(23)00001-2") == "10.1016/s1470-2045(23)00001-2"
    assert normalise_doi("10.1016/S1470-2045(23)00001-2)") == "10.1016/s1470-2045(23)00001-2"


def test_find_dois_drops_trailing_sentence_punctuation() -> None:
    text = "See doi:10.1002/cncr.35750. Also (10.1200/JCO.2024.1234), and 10.1056/NEJMoa1;"
    assert [ref.doi for ref in find_dois(text)] == [
        "10.1002/cncr.35750",
        "10.1200/jco.2024.1234",
        "10.1056/nejmoa1",
    ]


def test_find_dois_marks_a_published_correction_as_correction() -> None:
    text = (
        "Luskin MR, Yin J, et al. A phase 1/2 study of an antibody in adult ALL [published "
        "correction appears in Cancer. 2025;131(6):e35803. doi: 10.1002/cncr.35803.]. "
        "Cancer. 2025;131(4):e35750. doi:10.1002/cncr.35750"
    )
    refs = find_dois(text)
    assert refs == [
        DoiRef("10.1002/cncr.35803", DoiRelation.CORRECTION),
        DoiRef("10.1002/cncr.35750", DoiRelation.SOURCE),
    ]
    assert primary_doi(refs) == "10.1002/cncr.35750"


def test_find_dois_reads_erratum_and_retraction_as_corrections() -> None:
    text = "Erratum in: J Clin Oncol 2024, doi:10.1200/jco.1. Retraction of 10.1200/jco.2"
    assert [ref.relation for ref in find_dois(text)] == [
        DoiRelation.CORRECTION,
        DoiRelation.CORRECTION,
    ]


def test_find_dois_context_stops_at_sentence_end() -> None:
    text = "This was later corrected. The trial itself is doi:10.1002/abc.1"
    assert find_dois(text) == [DoiRef("10.1002/abc.1", DoiRelation.SOURCE)]


def test_find_dois_lists_each_doi_once_in_order() -> None:
    text = "10.1000/b then 10.1000/A then 10.1000/B again and https://doi.org/10.1000/a."
    assert [ref.doi for ref in find_dois(text)] == ["10.1000/b", "10.1000/a"]


def test_primary_doi_falls_back_to_a_correction_and_to_none() -> None:
    only_correction = [DoiRef("10.1/x", DoiRelation.CORRECTION)]
    assert primary_doi(only_correction) == "10.1/x"
    assert primary_doi([]) is None


def test_is_valid_doi() -> None:
    assert is_valid_doi("10.1002/cncr.35750")
    assert not is_valid_doi("https://doi.org/10.1002/cncr.35750")
    assert not is_valid_doi("10.1002/has space")


def test_nct_ids_found_normalised_and_checked() -> None:
    text = "Registered as NCT01234567 and nct 07654321; NCT01234567 again; NCT123 is too short."
    assert find_nct_ids(text) == ["NCT01234567", "NCT07654321"]
    assert normalise_nct(" nct01234567 ") == "NCT01234567"
    assert normalise_nct("NCT 01234567") == "NCT01234567"
    assert normalise_nct("NCT0123456") is None
    assert normalise_nct("see NCT01234567") is None
    assert is_valid_nct("NCT01234567")
    assert not is_valid_nct("nct01234567")
    assert not is_valid_nct("NCT012345678")


def test_pmid_and_pmcid_found_and_checked() -> None:
    text = "PMID: 31234567. Free full text: PMC7654321."
    assert find_pmid(text) == "31234567"
    assert find_pmid("PMID 12") == "12"
    assert find_pmid("no identifier here") is None
    assert find_pmcid(text) == "PMC7654321"
    assert find_pmcid("PMC12") is None
    assert is_valid_pmid("31234567")
    assert not is_valid_pmid("0")
    assert not is_valid_pmid("123456789")
    assert not is_valid_pmid("12a")


_DOI_SUFFIX = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-;()/:",
    min_size=1,
    max_size=30,
)


@settings(max_examples=50, deadline=None)
@given(
    registrant=st.integers(min_value=1000, max_value=999_999_999),
    suffix=_DOI_SUFFIX,
    prefix=st.sampled_from(["", "doi:", "DOI: ", "https://doi.org/", "http://dx.doi.org/"]),
    trailing=st.sampled_from(["", ".", ",", ";", ")"]),
)
def test_normalise_doi_is_idempotent(
    registrant: int, suffix: str, prefix: str, trailing: str
) -> None:
    doi = normalise_doi(f"{prefix}10.{registrant}/{suffix}{trailing}")
    if doi is None:
        return
    assert doi == doi.lower()
    assert normalise_doi(doi) == doi
    assert normalise_doi("https://doi.org/" + doi) == doi


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=60))
def test_normalise_doi_of_any_text_is_none_or_a_fixed_point(text: str) -> None:
    doi = normalise_doi(text)
    assert doi is None or (is_valid_doi(doi) and normalise_doi(doi) == doi)
