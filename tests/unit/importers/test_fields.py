"""A record's fields made into an Article the same way for every format: tidy text, years,
PubMed ids, names, DOIs by their relation, and records that fail alone."""

from __future__ import annotations

import pytest

from reviewapp.core.models import DoiRef, DoiRelation
from reviewapp.importers.base import RecordError
from reviewapp.importers.fields import (
    MAX_TITLE_CHARS,
    TaggedRecord,
    clean,
    clean_paragraphs,
    collect,
    parse_pmcid,
    parse_pmid,
    parse_year,
    person,
    record_article,
    split_names,
)


def test_clean_folds_white_space_and_joins_lists() -> None:
    assert clean("  Tarlatamab\n\tin  SCLC ") == "Tarlatamab in SCLC"
    assert clean(["DLL3", None, "CD3"]) == "DLL3 CD3"
    assert clean(2024) == "2024"
    assert clean("   ") is None
    assert clean(None) is None


def test_clean_paragraphs_keeps_blank_lines_between_paragraphs() -> None:
    abstract = "Background: relapsed\r\nSCLC.\r\n\r\n  \nResults: ORR 40%.\n\n\n"
    assert clean_paragraphs(abstract) == "Background: relapsed SCLC.\n\nResults: ORR 40%."
    assert clean_paragraphs(" \n\n ") is None


@pytest.mark.parametrize(
    ("value", "year"),
    [("2024 Mar 5", 2024), ("Epub 2023-11-02", 2023), ("1799", None), ("n.d.", None), (None, None)],
)
def test_parse_year(value: object, year: int | None) -> None:
    assert parse_year(value) == year


@pytest.mark.parametrize(
    ("value", "pmid"),
    [
        ("38412345", "38412345"),
        ("PMID: 38412345", "38412345"),
        ("https://pubmed.ncbi.nlm.nih.gov/38412345/", "38412345"),
        ("https://www.ncbi.nlm.nih.gov/pubmed/38412345", "38412345"),
        ("0", None),
        ("38412345 and 38412346", None),
    ],
)
def test_parse_pmid(value: str, pmid: str | None) -> None:
    assert parse_pmid(value) == pmid


def test_parse_pmcid() -> None:
    assert parse_pmcid("pmc10234567") == "PMC10234567"
    assert parse_pmcid("PMCID: PMC1023") == "PMC1023"
    assert parse_pmcid("10234567") is None


def test_split_names_drops_et_al_and_trailing_punctuation() -> None:
    assert split_names("Smith, J; Lee, K.; et al") == ["Smith, J", "Lee, K"]
    assert split_names("Smith J and Lee K") == ["Smith J", "Lee K"]
    assert split_names(None) == []


@pytest.mark.parametrize(
    ("family", "given", "name"),
    [
        ("Okafor", "Nkechi Chioma", "Okafor NC"),
        ("Okafor", "N.C.", "Okafor NC"),
        ("Okafor", "N C", "Okafor NC"),
        ("Paz-Ares", "Luis", "Paz-Ares L"),
        ("Okafor", None, "Okafor"),
        (None, "Nkechi", "Nkechi"),
        ("Lindqvist", "Jean-Luc", "Lindqvist JL"),
    ],
)
def test_person(family: str | None, given: str | None, name: str) -> None:
    assert person(family, given) == name


def test_a_records_text_is_its_title_and_abstract() -> None:
    article = record_article(
        title="  Tarlatamab for relapsed SCLC ",
        source_format="ris",
        abstract="ORR was 40%.\n\nSee NCT05060016.",
        authors=["Ahn MJ", "  ", "Paz-Ares L"],
        journal="N Engl J Med",
        year="2023 Oct 20",
        doi="https://doi.org/10.1056/NEJMoa2307980",
        pmid="PMID: 37861218",
        keywords=["DLL3", "dll3 ", "DLL3", "bispecific"],
        nct_ids=["NCT05060016"],
    )
    assert article.title == "Tarlatamab for relapsed SCLC"
    assert article.text == "Tarlatamab for relapsed SCLC\n\nORR was 40%.\n\nSee NCT05060016.\n"
    assert article.authors == ["Ahn MJ", "Paz-Ares L"]
    assert (article.year, article.pmid, article.source_format) == (2023, "37861218", "ris")
    assert article.doi == "10.1056/nejmoa2307980"
    assert article.dois == [DoiRef("10.1056/nejmoa2307980")]
    assert article.nct_ids == ["NCT05060016"]
    assert article.keywords == ["DLL3", "dll3", "bispecific"]


def test_a_record_without_an_abstract_is_its_title() -> None:
    assert record_article(title="Ivonescimab in NSCLC", source_format="bibtex").text == (
        "Ivonescimab in NSCLC\n"
    )


def test_a_doi_in_an_abstract_is_cited_not_the_articles_own() -> None:
    article = record_article(
        title="Commentary on CodeBreaK 200",
        source_format="medline",
        abstract="Responding to doi:10.1016/S0140-6736(23)00221-0, we ask more.",
        correction_dois=["10.1016/s0140-6736(23)00999-9", "not a doi"],
    )
    assert article.doi is None
    assert article.dois == [
        DoiRef("10.1016/s0140-6736(23)00999-9", DoiRelation.CORRECTION),
        DoiRef("10.1016/s0140-6736(23)00221-0"),
    ]


def test_a_full_texts_first_source_doi_is_its_own() -> None:
    text = "This study (doi:10.5555/own.2) cites doi:10.5555/c.3.\n\nErratum in: doi:10.5555/fix.1"
    article = record_article(title="A full text", source_format="jats", text=text)
    assert article.text == text
    assert article.doi == "10.5555/own.2"
    assert [(d.doi, d.relation) for d in article.dois] == [
        ("10.5555/own.2", DoiRelation.SOURCE),
        ("10.5555/c.3", DoiRelation.SOURCE),
        ("10.5555/fix.1", DoiRelation.CORRECTION),
    ]


def test_a_year_out_of_range_is_read_from_nothing() -> None:
    assert record_article(title="T", source_format="csl-json", year=1066).year is None
    assert record_article(title="T", source_format="csl-json", year=2021).year == 2021


def test_records_that_are_not_articles_are_refused_with_a_reason() -> None:
    with pytest.raises(RecordError, match="no title"):
        record_article(title="  ", source_format="ris")
    with pytest.raises(RecordError, match="characters long; not a title"):
        record_article(title="x" * (MAX_TITLE_CHARS + 1), source_format="ris")


def test_a_tagged_records_values_and_label() -> None:
    record = TaggedRecord(line=41, tags={"TI": ["  ", " Tarlatamab  in SCLC"], "AU": ["A", " "]})
    assert record.first("T1", "TI") == "Tarlatamab in SCLC"
    assert record.first("JO") is None
    assert record.all("AU", "A1") == ["A"]
    assert record.label(3) == "record 3 (line 41)"


def test_collect_keeps_each_failure_with_its_record() -> None:
    def build(item: dict[str, str]) -> object:
        return record_article(title=item["title"], source_format="table")

    parsed = collect(
        [{"title": "First"}, {"title": ""}, {}, {"title": "Fourth"}],
        lambda number, _item: f"row {number + 1}",
        build,  # type: ignore[arg-type]
        "table",
    )
    assert parsed.format == "table"
    assert [r.label for r in parsed.records] == ["row 2", "row 3", "row 4", "row 5"]
    assert [a.title for a in parsed.articles] == ["First", "Fourth"]
    assert [p.problem for p in parsed.problems] == [
        "the record has no title",
        "the record could not be read ('title')",
    ]
