"""Exporting from a real library: chosen articles, a collection, the whole library; errors."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import rispy
from bibtexparser.entrypoint import parse_file

from reviewapp.core.models import Finding
from reviewapp.services.exports import export
from reviewapp.services.findings import create_finding
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.organise import add_to_collection, create_collection

UNICODE_TITLE = "β-blockers ≥ 3 µg in α-thalassaemia"
UNICODE_ARTICLE = f"""# {UNICODE_TITLE}

Authors: Papadopoulou A; O'Brien K
Journal: Journal of Fictional Haematology
Year: 2023
DOI: 10.9999/jfh.2023.7

## Results

Grade ≥3 bradycardia occurred in 25% (5/20) of patients given 3 µg/kg.
The nurse wrote: "dose held, then resumed
at 1 µg | half dose", per protocol.
"""
TRICKY_QUOTE = 'The nurse wrote: "dose held, then resumed\nat 1 µg | half dose", per protocol.'
CMV_QUOTE = "it occurred in 23.3% (14/60) of patients during alemtuzumab"


@pytest.fixture
def unicode_id(session: LibrarySession, tmp_path: Path) -> int:
    """A fourth article with Greek letters, ≥, µ and a quote with a comma, a double quote,
    a pipe and a line break."""
    path = tmp_path / "articles" / "beta.md"
    path.parent.mkdir()
    path.write_text(UNICODE_ARTICLE, encoding="utf-8")
    (report,) = import_paths(session, [path])
    return report.article_ids[0]


@pytest.fixture
def findings(
    session: LibrarySession, fixture_ids: dict[str, int], unicode_id: int
) -> list[Finding]:
    return [
        create_finding(
            session,
            fixture_ids["alemtuzumab"],
            "toxicity",
            quote=CMV_QUOTE,
            fields={"event": "CMV viremia", "incidence_pct": "23.3", "n": "14", "N": "60"},
            note='prophylaxis, "letermovir"?\nask ID',
            reviewer="Dana Okafor",
        ),
        create_finding(
            session,
            unicode_id,
            "toxicity",
            quote="Grade ≥3 bradycardia occurred in 25% (5/20) of patients given 3 µg/kg",
            fields={"event": "bradycardia", "grade": ">=3", "incidence_pct": "25", "n": 5, "N": 20},
            reviewer="Μαρία Λ.",
        ),
        create_finding(
            session,
            unicode_id,
            "mechanism",
            quote=TRICKY_QUOTE,
            fields={"agent": "β-blocker", "targets": "β1, β2"},
            reviewer="Dana Okafor",
        ),
    ]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_of_chosen_articles_reads_back_exactly(
    session: LibrarySession,
    fixture_ids: dict[str, int],
    unicode_id: int,
    findings: list[Finding],
    tmp_path: Path,
) -> None:
    unicode_uid = session.library.articles.get(unicode_id)
    assert unicode_uid is not None
    out = tmp_path / "out" / "evidence.csv"
    report = export(
        session,
        "CSV",
        out,
        article_refs=[str(fixture_ids["alemtuzumab"]), unicode_uid.uid, str(unicode_id)],
    )
    assert (report.path, report.format, report.articles, report.rows) == (out, "csv", 2, 3)
    rows = _read_csv(out)
    assert len(rows) == len(findings)
    for row, finding in zip(rows, findings, strict=True):
        assert row["quote"] == finding.quote
        assert row["reviewer"] == finding.reviewer
        assert row["finding_uid"] == finding.uid
        assert row["note"] == finding.note
        assert row["article_id"] == str(finding.article_id)
    assert rows[0]["note"] == 'prophylaxis, "letermovir"?\nask ID'
    assert (rows[0]["event"], rows[0]["incidence_pct"], rows[0]["n"], rows[0]["N"]) == (
        "CMV viremia",
        "23.3",
        "14",
        "60",
    )
    assert rows[0]["citation"] == "Luskin et al, Cancer 2025"
    assert rows[0]["doi"] == "10.1002/cncr.35750"
    assert (rows[1]["grade"], rows[1]["incidence_pct"]) == ("≥3", "25")
    assert "µg" in rows[1]["quote"]
    assert rows[1]["reviewer"] == "Μαρία Λ."
    assert rows[1]["title"] == UNICODE_TITLE
    assert rows[2]["quote"] == TRICKY_QUOTE
    assert rows[2]["targets"] == "β1; β2"
    assert [p.name for p in out.parent.iterdir()] == ["evidence.csv"]


def test_markdown_of_a_collection(
    session: LibrarySession,
    fixture_ids: dict[str, int],
    unicode_id: int,
    findings: list[Finding],
    tmp_path: Path,
) -> None:
    collection = create_collection(session, "Beta blockade", "Does it help?")
    add_to_collection(session, collection.id, [unicode_id, fixture_ids["kras"]])
    out = tmp_path / "beta.md"
    report = export(session, "md", out, collection="  beta BLOCKADE ")
    assert (report.articles, report.rows) == (2, 2)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Evidence table: Beta blockade\n")
    assert "2 findings from 1 article." in text
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 2
    # Every row has the header's seven cells: the pipe in the quote is escaped.
    for line in table:
        unescaped = line.replace("\\\\", "").replace("\\|", "")
        assert unescaped.count("|") == 8, line
    assert "at 1 µg \\| half dose" in table[3]
    assert "<br>" in table[3]
    assert "CMV" not in text  # the alemtuzumab article is not in the collection


def test_articles_and_a_collection_export_together(
    session: LibrarySession,
    fixture_ids: dict[str, int],
    unicode_id: int,
    findings: list[Finding],
    tmp_path: Path,
) -> None:
    collection = create_collection(session, "Beta blockade")
    add_to_collection(session, collection.id, [unicode_id, fixture_ids["alemtuzumab"]])
    out = tmp_path / "both.csv"
    report = export(
        session,
        "csv",
        out,
        article_refs=[str(fixture_ids["alemtuzumab"])],
        collection="Beta blockade",
    )
    assert (report.articles, report.rows) == (2, 3)
    assert [row["article_id"] for row in _read_csv(out)] == [
        str(fixture_ids["alemtuzumab"]),
        str(unicode_id),
        str(unicode_id),
    ]


def test_references_of_the_whole_library_read_back(
    session: LibrarySession, fixture_ids: dict[str, int], unicode_id: int, tmp_path: Path
) -> None:
    ris_report = export(session, "ris", tmp_path / "library.ris")
    bib_report = export(session, "bibtex", tmp_path / "library.bib")
    assert (ris_report.articles, ris_report.rows) == (4, 4)
    assert (bib_report.articles, bib_report.rows) == (4, 4)

    records = rispy.loads((tmp_path / "library.ris").read_text(encoding="utf-8"))
    by_title = {r["title"]: r for r in records}
    assert len(by_title) == 4
    luskin = by_title["Anti-CD52 Alemtuzumab With Chemotherapy in Adult ALL: Phase 1/2 Results"]
    assert luskin["authors"] == ["Luskin, M. R.", "Yin, J.", "Lozanski, G."]
    assert (luskin["year"], luskin["doi"]) == ("2025", "10.1002/cncr.35750")
    assert "Correction: doi:10.1002/cncr.35803" in luskin["notes"]
    kras = by_title["Dose-Finding of an Oral KRAS G12C Inhibitor: A Fictional Markdown Fixture"]
    assert kras["accession_number"] == "31234567"
    assert kras["notes"] == ["ClinicalTrials.gov: NCT01234567"]
    beta = by_title[UNICODE_TITLE]
    assert beta["authors"] == ["Papadopoulou, A.", "O'Brien, K."]
    assert (beta["year"], beta["doi"]) == ("2023", "10.9999/jfh.2023.7")

    library = parse_file(str(tmp_path / "library.bib"))
    assert library.failed_blocks == []
    keys = [entry.key for entry in library.entries]
    assert len(keys) == len(set(keys)) == 4
    assert "luskin2025cd52" in keys
    titles = {e.fields_dict["title"].value: e.fields_dict for e in library.entries}
    beta_entry = titles[UNICODE_TITLE]
    assert beta_entry["author"].value == "Papadopoulou, A. and O'Brien, K."
    assert (beta_entry["year"].value, beta_entry["doi"].value) == ("2023", "10.9999/jfh.2023.7")
    assert "First {U.S.} Patient Treated With Alveltamig for Small Cell Lung Cancer" in titles


def test_unknown_format_names_the_four(session: LibrarySession, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="csv, md, ris or bibtex") as raised:
        export(session, "xlsx", tmp_path / "x.xlsx")
    assert "'xlsx'" in str(raised.value)
    assert list(tmp_path.glob("x*")) == []


def test_unknown_collection_and_article_are_named(
    session: LibrarySession, fixture_ids: dict[str, int], tmp_path: Path
) -> None:
    with pytest.raises(ServiceError, match="no collection called 'Lymphoma'"):
        export(session, "ris", tmp_path / "x.ris", collection="Lymphoma")
    with pytest.raises(ServiceError, match="no article 999 in this library"):
        export(session, "ris", tmp_path / "x.ris", article_refs=["999"])
    assert not (tmp_path / "x.ris").exists()


def test_nothing_to_export_is_refused(
    session: LibrarySession, tmp_path: Path, articles_dir: Path
) -> None:
    with pytest.raises(ServiceError, match="no articles to export"):
        export(session, "bibtex", tmp_path / "empty.bib")
    import_paths(session, [articles_dir])
    with pytest.raises(ServiceError, match="no findings"):
        export(session, "csv", tmp_path / "empty.csv")
    create_collection(session, "Empty")
    with pytest.raises(ServiceError, match="'Empty' has no articles"):
        export(session, "ris", tmp_path / "empty.ris", collection="empty")
    assert list(tmp_path.glob("empty*")) == []


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("csv", "table.pdf"), ("md", "table.csv"), ("ris", "refs.bib"), ("bibtex", "refs.ris")],
)
def test_a_file_ending_of_another_format_is_refused(
    session: LibrarySession, fixture_ids: dict[str, int], tmp_path: Path, fmt: str, name: str
) -> None:
    with pytest.raises(ServiceError, match=re.escape(f"not {tmp_path / name}")):
        export(session, fmt, tmp_path / name)
    assert list(tmp_path.glob(name)) == []


def test_the_ending_is_not_forced(
    session: LibrarySession, fixture_ids: dict[str, int], tmp_path: Path
) -> None:
    export(session, "ris", tmp_path / "references")
    export(session, "bibtex", tmp_path / "REFS.BIB")
    assert len(rispy.loads((tmp_path / "references").read_text(encoding="utf-8"))) == 3
    assert len(parse_file(str(tmp_path / "REFS.BIB")).entries) == 3


def test_the_library_file_is_never_overwritten(tmp_path: Path, articles_dir: Path) -> None:
    path = tmp_path / "library.bib"  # an odd name for a library, but a possible one
    with LibrarySession.open(path) as session:
        import_paths(session, [articles_dir])
        with pytest.raises(ServiceError, match="is the library file"):
            export(session, "bibtex", path)
        assert session.library.articles.count() == 3


def test_an_unwritable_destination_is_a_service_error(
    session: LibrarySession, fixture_ids: dict[str, int], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(ServiceError, match="cannot write"):
        export(session, "ris", blocker / "refs.ris")
    folder = tmp_path / "a-folder.bib"
    folder.mkdir()
    with pytest.raises(ServiceError, match="cannot write"):
        export(session, "bibtex", folder)
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be"
    assert list(folder.iterdir()) == []
    assert list(tmp_path.glob(".*")) == []  # no temporary file left behind


def test_a_failed_write_leaves_no_partial_file(
    session: LibrarySession,
    fixture_ids: dict[str, int],
    findings: list[Finding],
    tmp_path: Path,
) -> None:
    out = tmp_path / "exports" / "evidence.csv"
    out.parent.mkdir()
    out.write_text("last week's table", encoding="utf-8")

    def disk_fills_up(done: int, total: int) -> None:
        if done == 2:
            raise OSError(28, "No space left on device")

    with pytest.raises(ServiceError, match=r"cannot write .*No space left on device"):
        export(session, "csv", out, progress=disk_fills_up)
    assert out.read_text(encoding="utf-8") == "last week's table"
    assert [p.name for p in out.parent.iterdir()] == ["evidence.csv"]

    fresh = tmp_path / "exports" / "new.csv"
    with pytest.raises(ServiceError, match="cannot write"):
        export(session, "csv", fresh, progress=disk_fills_up)
    assert not fresh.exists()
    assert [p.name for p in out.parent.iterdir()] == ["evidence.csv"]


def test_progress_counts_rows(
    session: LibrarySession, fixture_ids: dict[str, int], findings: list[Finding], tmp_path: Path
) -> None:
    calls: list[tuple[int, int]] = []
    export(session, "md", tmp_path / "e.md", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
