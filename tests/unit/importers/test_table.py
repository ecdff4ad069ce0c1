"""CSV/TSV reference tables: each exporter's headers, author lists and delimiters."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.table import FORMAT_TABLE, parse_table, split_authors
from tests.unit.importers.test_ris import ALL_FIELDS, FIXTURES, assert_canonical

TABLE = FIXTURES / "table"


def _parse(name: str) -> ParsedFile:
    return parse_table((TABLE / name).read_bytes(), name)


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("scopus.csv", frozenset()),
        ("embase.csv", frozenset()),
        ("wos.tsv", frozenset()),
        # Covidence has no PMID or keyword column; ASReview's export has no journal or PMID.
        ("covidence.csv", frozenset({"pmid", "keywords"})),
        ("asreview.csv", frozenset({"journal", "pmid"})),
    ],
)
def test_each_exporter_gives_the_three_articles(name: str, missing: frozenset[str]) -> None:
    parsed = _parse(name)
    assert parsed.format == FORMAT_TABLE == "csv"
    assert parsed.problems == []
    assert [r.label for r in parsed.records] == ["row 2", "row 3", "row 4"]
    assert_canonical(parsed.articles, "csv", ALL_FIELDS - missing)
    for field in missing:
        assert all(not getattr(a, field) for a in parsed.articles), field


def test_scopus_file_starts_with_a_bom_and_its_source_column_is_ignored() -> None:
    assert (TABLE / "scopus.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert _parse("scopus.csv").articles[0].journal == "Journal of Thoracic Oncology"
    # Without "Source title", Scopus's "Source" names the database, not the journal.
    [article] = parse_table(b"Title,Source\nA title,Scopus\n", "x.csv").articles
    assert article.journal is None
    [article] = parse_table(b"Title,Source\nA title,Lung Cancer\n", "x.csv").articles
    assert article.journal == "Lung Cancer"


def test_web_of_science_capitals_become_title_case() -> None:
    assert b"\tJOURNAL OF THORACIC ONCOLOGY\t" in (TABLE / "wos.tsv").read_bytes()
    assert _parse("wos.tsv").articles[0].journal == "Journal of Thoracic Oncology"


def test_rayyan_export_with_a_line_break_in_an_abstract_and_a_row_without_title() -> None:
    assert b"(NCT09999901).\nResults:" in (TABLE / "rayyan.csv").read_bytes()
    parsed = _parse("rayyan.csv")
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("row 2", None),
        ("row 3", None),
        ("row 4", None),
        ("row 5", "the record has no title"),
    ]
    assert_canonical(parsed.articles, "csv")
    assert [a.pmcid for a in parsed.articles] == [None, "PMC10999202", None]


def test_semicolon_delimited_cp1252_spreadsheet() -> None:
    parsed = _parse("excel_semicolon.csv")
    first, second = parsed.articles
    assert first.title == "Réponse précoce au durvalumab – étude de cohorte régionale"
    assert first.authors == ["Dupré H", "Lefèvre JN"]
    assert (first.journal, first.year, first.doi) == (
        "Bulletin du Cancer",
        2022,
        "10.9999/bdc.2022.0071",
    )
    assert second.authors == ["Haddad R", "Novak P", "Ferreira-Lima A"]


def test_blank_rows_are_skipped_but_rows_keep_their_spreadsheet_numbers() -> None:
    data = b"Title,Year\nFirst,2020\n,\n\nFourth,2021\n,2022\n"
    parsed = parse_table(data, "x.csv")
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("row 2", None),
        ("row 5", None),
        ("row 6", "the record has no title"),
    ]


def test_a_header_with_no_title_column_is_refused_with_the_columns_found() -> None:
    with pytest.raises(ImportFailure) as raised:
        parse_table(b"Name,Dose,Cycle\nA,1,2\n", "x.csv")
    assert str(raised.value) == "the table has no title column; columns found: Name, Dose, Cycle"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Title,Authors\n", "no records found: the table has a header but no rows"),
        (b"Title\n,\n", "no records found"),
        (b"", "empty"),
        (b'Title,Abstract\nA,"' + b"x" * (17 * 1024 * 1024) + b'"\n', "cannot be read at line"),
    ],
)
def test_unreadable_tables_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailure, match=message):
        parse_table(data, "x.csv")


def test_a_long_abstract_cell_is_read() -> None:
    abstract = "word " * 30_000  # 150 kB: above Python's default cell limit of 128 kB
    data = f'Title,Abstract\nLong one,"{abstract}"\n'.encode()
    [article] = parse_table(data, "x.csv").articles
    assert article.abstract is not None and len(article.abstract) == len(abstract.strip())


def test_tab_is_chosen_for_a_tsv_name_even_when_commas_outnumber_tabs() -> None:
    data = b"TI\tAU\nA title\tVarga, T; Okafor, NC\n"
    [article] = parse_table(data, "export.tsv").articles
    assert article.authors == ["Varga T", "Okafor NC"]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Varga, T; Okafor, NC", ["Varga T", "Okafor NC"]),
        ("Varga T.; Okafor N.C.", ["Varga T", "Okafor NC"]),
        ("Varga T., Okafor N.C., Lindqvist M.", ["Varga T", "Okafor NC", "Lindqvist M"]),
        ("Varga, T., Okafor, N. C.", ["Varga T", "Okafor NC"]),
        ("Varga, T. and Okafor, N. C.", ["Varga T", "Okafor NC"]),
        ("Varga, Tamas", ["Varga T"]),
        ("Varga, Tamas (57190000001); Okafor, Nneka C. (57190000002)", ["Varga T", "Okafor NC"]),
        ("Varga T; et al", ["Varga T"]),
        ("", []),
    ],
)
def test_author_cells(cell: str, names: list[str]) -> None:
    assert split_authors(cell) == names


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_files_fail_only_with_import_failure(data: st.DataObject) -> None:
    original = bytearray((TABLE / "rayyan.csv").read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    try:
        parsed = parse_table(bytes(original), "x.csv")
    except ImportFailure:
        return
    assert all((r.article is None) != (r.problem is None) for r in parsed.records)


@pytest.mark.parametrize(
    "column", ["PMID", "PubMed ID", "pubmedID", "PubmedId", "PMID_number", "PubMed-ID", "pmid#"]
)
def test_pmids_are_kept_however_the_column_is_spelled(column: str) -> None:
    data = f'Title,Authors,{column},Year\n"An invented trial","Quill A",31234567,2024\n'
    [article] = parse_table(data.encode(), "export.csv").articles
    assert article.pmid == "31234567"
