"""The evidence table from plain core objects: columns, values, CSV and Markdown files."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewapp.core.anchoring import locate_quote
from reviewapp.core.categories import SCHEMAS
from reviewapp.core.models import Anchor, Article, Category, Finding, Status
from reviewapp.exporters.tables import (
    COLUMNS,
    FIELD_COLUMNS,
    evidence_rows,
    field_column,
    format_value,
    markdown_cell,
    spreadsheet_safe,
    write_csv,
    write_markdown,
)

TEXT = (
    "Median PFS was 6.8 months (95% CI 5.1–8.2); HR 0.62 (95% CI 0.48–0.80; p<0.001).\n"
    "Grade ≥3 diarrhoea occurred in 23.3% (14/60) of patients on 480 µg.\n"
    'The nurse wrote: "dose held, then resumed\nat 1 µg | half dose", per protocol.\n'
    "Alveltamig binds DLL3 and CD3.\n"
)
TRICKY_QUOTE = 'The nurse wrote: "dose held, then resumed\nat 1 µg | half dose", per protocol.'


def _anchor(quote: str) -> Anchor:
    anchor = locate_quote(TEXT, quote)
    assert anchor is not None
    return anchor


def _article(**overrides: object) -> Article:
    values: dict[str, object] = {
        "title": "A Fictional KRAS G12C Trial",
        "text": TEXT,
        "authors": ["Rivera P", "Okafor N"],
        "journal": "Journal of Fictional Oncology",
        "year": 2024,
        "doi": "10.9999/jfo.2024.0042",
        "id": 7,
    }
    values.update(overrides)
    return Article(**values)  # type: ignore[arg-type]


def _findings(article_id: int = 7) -> list[Finding]:
    return [
        Finding(
            article_id=article_id,
            category=Category.EFFICACY,
            anchor=_anchor("HR 0.62 (95% CI 0.48–0.80; p<0.001)"),
            fields={
                "endpoint": "PFS",
                "measure": "HR",
                "value": 0.62,
                "ci_low": 0.48,
                "ci_high": 0.8,
                "p_value": "<0.001",
                "direction": "benefit",
            },
            reviewer="Dana Okafor",
            status=Status.ACCEPTED,
        ),
        Finding(
            article_id=article_id,
            category=Category.TOXICITY,
            anchor=_anchor("Grade ≥3 diarrhoea occurred in 23.3% (14/60) of patients on 480 µg"),
            fields={
                "event": "diarrhoea",
                "grade": "≥3",
                "incidence_pct": 23.3,
                "n": 14,
                "N": 60,
                "serious": True,
            },
            note="dose 480 µg; α/β both",
            reviewer="Maria Luskin",
        ),
        Finding(
            article_id=article_id,
            category=Category.MECHANISM,
            anchor=_anchor(TRICKY_QUOTE),
            fields={"agent": "alveltamig", "targets": ["DLL3", "CD3"], "aliases": []},
            note="a | pipe\nand a second line",
            reviewer="Dana Okafor",
        ),
        Finding(
            article_id=article_id,
            category=Category.REFERENCE,
            anchor=_anchor("Alveltamig binds DLL3 and CD3."),
            fields={
                "doi": "10.1002/cncr.35803",
                "citation": "Luskin MR, et al. Cancer. 2025",
                "relation": "correction",
                "nct": "NCT09999901",
            },
            reviewer="Dana Okafor",
        ),
    ]


def test_every_schema_field_has_exactly_one_column() -> None:
    columns = {
        field_column(category, spec.key) for category in Category for spec in SCHEMAS[category]
    }
    assert columns == set(FIELD_COLUMNS)
    assert len(FIELD_COLUMNS) == len(set(FIELD_COLUMNS))
    assert len(COLUMNS) == len(set(COLUMNS))
    assert COLUMNS[:7] == (
        "article_id",
        "article_uid",
        "citation",
        "title",
        "year",
        "doi",
        "category",
    )
    assert COLUMNS[-5:] == ("quote", "note", "reviewer", "status", "finding_uid")
    assert FIELD_COLUMNS.index("p_value") < FIELD_COLUMNS.index("event")
    assert FIELD_COLUMNS.index("serious") < FIELD_COLUMNS.index("n") < FIELD_COLUMNS.index("N")
    assert FIELD_COLUMNS.index("N") < FIELD_COLUMNS.index("agent")
    assert FIELD_COLUMNS[-5:] == ("ref_doi", "pmid", "nct", "ref_citation", "relation")


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (23.3, "23.3"),
        (0.1 + 0.2, "0.30000000000000004"),  # a real float: kept, not rounded away
        (1e-05, "0.00001"),
        (6.0, "6.0"),
        (14, "14"),
        (True, "yes"),
        (False, "no"),
        (["DLL3", "CD3"], "DLL3; CD3"),
        ([], ""),
        (None, ""),
        ("≥3", "≥3"),
    ],
)
def test_values_print_as_typed(value: object, printed: str) -> None:
    assert format_value(value) == printed


def test_one_row_per_finding_with_fields_in_their_columns() -> None:
    article = _article()
    findings = _findings()
    bare = _article(id=8, title="No findings here", authors=[])
    rows = evidence_rows([(article, findings), (bare, [])])
    assert len(rows) == 4
    assert all(list(row) == list(COLUMNS) for row in rows)
    efficacy, toxicity, mechanism, reference = rows
    assert efficacy["article_id"] == "7"
    assert efficacy["article_uid"] == article.uid
    assert efficacy["citation"] == "Rivera et al, Journal of Fictional Oncology 2024"
    assert efficacy["title"] == "A Fictional KRAS G12C Trial"
    assert (efficacy["year"], efficacy["doi"]) == ("2024", "10.9999/jfo.2024.0042")
    assert efficacy["category"] == "efficacy"
    assert efficacy["value"] == "0.62"
    assert (efficacy["ci_low"], efficacy["ci_high"], efficacy["p_value"]) == (
        "0.48",
        "0.8",
        "<0.001",
    )
    assert efficacy["direction"] == "benefit"
    assert efficacy["event"] == ""
    assert efficacy["status"] == "accepted"
    assert toxicity["incidence_pct"] == "23.3"
    assert (toxicity["n"], toxicity["N"], toxicity["grade"]) == ("14", "60", "≥3")
    assert toxicity["serious"] == "yes"
    assert toxicity["note"] == "dose 480 µg; α/β both"
    assert toxicity["reviewer"] == "Maria Luskin"
    assert toxicity["status"] == "draft"
    assert mechanism["targets"] == "DLL3; CD3"
    assert mechanism["aliases"] == ""
    assert mechanism["quote"] == TRICKY_QUOTE
    assert reference["ref_doi"] == "10.1002/cncr.35803"
    assert reference["doi"] == "10.9999/jfo.2024.0042"  # the article's own, not the finding's
    assert reference["ref_citation"] == "Luskin MR, et al. Cancer. 2025"
    assert (reference["relation"], reference["nct"]) == ("correction", "NCT09999901")
    assert [row["finding_uid"] for row in rows] == [f.uid for f in findings]


def test_an_article_without_id_year_or_doi_leaves_those_cells_empty() -> None:
    article = _article(id=None, year=None, doi=None, authors=[], journal=None)
    rows = evidence_rows([(article, _findings()[:1])])
    assert (rows[0]["article_id"], rows[0]["year"], rows[0]["doi"]) == ("", "", "")
    assert rows[0]["citation"] == "A Fictional KRAS G12C Trial"


def test_csv_reads_back_exactly_in_utf8_with_a_bom(tmp_path: Path) -> None:
    findings = _findings()
    rows = evidence_rows([(_article(), findings)])
    out = tmp_path / "tables" / "evidence.csv"
    calls: list[tuple[int, int]] = []
    write_csv(rows, out, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") >= 5  # header and four rows end in CRLF, as Excel writes them
    with out.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        back = list(reader)
    assert back == rows
    assert [row["quote"] for row in back] == [f.quote for f in findings]
    assert back[2]["quote"] == TRICKY_QUOTE
    assert back[1]["grade"] == "≥3"
    assert "µg" in back[1]["quote"]
    assert [row["reviewer"] for row in back] == [f.reviewer for f in findings]
    assert list(tmp_path.glob("tables/.*")) == []


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused(tmp_path: Path) -> None:
    assert spreadsheet_safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert spreadsheet_safe("- In phase 1") == "'- In phase 1"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("+1 more") == "'+1 more"
    assert spreadsheet_safe("-0.5") == "-0.5"
    assert spreadsheet_safe("+3") == "+3"
    assert spreadsheet_safe("<0.001") == "<0.001"
    assert spreadsheet_safe("≥3") == "≥3"
    row = evidence_rows([(_article(), _findings()[:1])])[0]
    row["note"] = "=1+1"
    out = tmp_path / "formula.csv"
    write_csv([row], out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["note"] == "'=1+1"


def _cells(line: str) -> list[str]:
    """The cells of a GitHub table row, splitting at pipes no backslash escapes."""
    assert line.startswith("| ") and line.endswith(" |")
    cells: list[str] = []
    current = ""
    escaped = False
    for char in line[1:-1]:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            current += char
            escaped = True
        elif char == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += char
    cells.append(current.strip())
    return cells


def test_markdown_has_a_heading_a_count_and_one_unbroken_row_per_finding(tmp_path: Path) -> None:
    other = _article(id=9, title="Another", authors=["Yin J"], journal="Cancer", year=2025)
    rows = evidence_rows([(_article(), _findings()), (other, _findings(9)[:1])])
    out = tmp_path / "evidence.md"
    calls: list[tuple[int, int]] = []
    write_markdown(rows, out, "CD52 | evidence", progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (5, 5)
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# CD52 \\| evidence"
    assert "5 findings from 2 articles." in lines
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + len(rows)  # header, divider, one line per finding
    header = _cells(table[0])
    assert header == ["Article", "Category", "Fields", "Quote", "Note", "Reviewer", "Status"]
    assert re.fullmatch(r"\|(?:---\|){7}", table[1])
    body = [_cells(line) for line in table[2:]]
    assert all(len(cells) == len(header) for cells in body)
    mechanism = body[2]
    assert mechanism[3] == (
        'The nurse wrote: "dose held, then resumed<br>at 1 µg \\| half dose", per protocol.'
    )
    assert mechanism[4] == "a \\| pipe<br>and a second line"
    assert mechanism[2] == "Agent: alveltamig · Targets: DLL3; CD3"
    toxicity = body[1]
    assert toxicity[0] == "Rivera et al, Journal of Fictional Oncology 2024"
    assert "Grade: ≥3" in toxicity[2]
    assert "Incidence %: 23.3" in toxicity[2]
    assert "Serious: yes" in toxicity[2]
    assert body[0][3] == "HR 0.62 (95% CI 0.48–0.80; p\\<0.001)"
    assert body[4][0] == "Yin, Cancer 2025"


def test_markdown_of_one_finding_says_so_in_the_singular(tmp_path: Path) -> None:
    out = tmp_path / "one.md"
    write_markdown(evidence_rows([(_article(), _findings()[:1])]), out, "One")
    assert "1 finding from 1 article." in out.read_text(encoding="utf-8")


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_any_text_stays_in_its_own_markdown_cell(text: str) -> None:
    cell = markdown_cell(text)
    line = f"| {cell} | end |"
    assert "\n" not in line and "\r" not in line
    assert len(line.splitlines()) == 1
    assert _cells(line)[-1] == "end"
    assert len(_cells(line)) == 2


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    rows = evidence_rows([(_article(), _findings())])
    out = tmp_path / "evidence.csv"
    out.write_text("the previous export", encoding="utf-8")

    def fail_halfway(done: int, total: int) -> None:
        if done == 2:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_csv(rows, out, progress=fail_halfway)
    with pytest.raises(OSError, match="No space left"):
        write_markdown(rows, tmp_path / "evidence.md", "x", progress=fail_halfway)
    assert out.read_text(encoding="utf-8") == "the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence.csv"]
