"""Importing every format through the service: one article per work whatever the format,
per-record reports, the seeds merged with their reference records, parsers that overrun."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewapp.core.models import Category
from reviewapp.importers.isolation import ParserProcess
from reviewapp.services.findings import create_finding
from reviewapp.services.importing import (
    FileStatus,
    RecordStatus,
    import_file,
    import_paths,
    write_import_report,
)
from reviewapp.services.library import LibrarySession

IMPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
CANONICAL = {
    "10.9999/jto.2024.0117": "39000101",
    "10.9999/bcrt.2023.0452": "38000202",
    "10.9999/lc.2025.0893": "40000303",
}
CANONICAL_FILES = [
    IMPORTS / "ris" / "canonical.ris",
    IMPORTS / "medline" / "canonical.nbib",
    IMPORTS / "pubmed_xml" / "canonical.xml",
    IMPORTS / "bibtex" / "canonical.bib",
    IMPORTS / "endnote_xml" / "canonical.xml",
    IMPORTS / "csl_json" / "canonical.json",
    IMPORTS / "table" / "scopus.csv",
    IMPORTS / "table" / "rayyan.csv",
]


def _articles(session: LibrarySession) -> dict[str, dict[str, object]]:
    return {str(row["doi"]): row for row in session.library.articles.summaries()}


def test_the_same_articles_as_ris_medline_and_pubmed_xml_end_as_one_article_each(
    session: LibrarySession,
) -> None:
    ris, medline, xml = CANONICAL_FILES[:3]
    first = import_paths(session, [ris])
    assert (first[0].imported, first[0].duplicates) == (3, 0)
    later = import_paths(session, [medline, xml])
    for report in later:
        assert report.status is FileStatus.DUPLICATE, report.message
        assert sorted(report.article_ids) == sorted(first[0].article_ids)
        assert all(r.status is RecordStatus.DUPLICATE for r in report.records)
    articles = _articles(session)
    assert sorted(articles) == sorted(CANONICAL)
    assert {doi: row["pmid"] for doi, row in articles.items()} == CANONICAL
    assert session.index_status(thorough=True).health.value == "ok"


def test_every_reference_format_merges_into_the_same_three_articles(
    session: LibrarySession,
) -> None:
    reports = import_paths(session, CANONICAL_FILES)
    # The EndNote and Rayyan fixtures also hold a record without a title, reported and skipped.
    expected_failures = [1 if "endnote" in r.file or "rayyan" in r.file else 0 for r in reports]
    assert [r.failed for r in reports] == expected_failures, [r.message for r in reports]
    # The EndNote fixture brings one more article of its own (a news report without a DOI).
    assert sum(r.imported for r in reports) == 4
    assert sum(r.duplicates for r in reports) == 3 * (len(CANONICAL_FILES) - 1)
    assert session.library.articles.count() == 4
    assert set(CANONICAL) <= set(_articles(session))
    ostrelimab = next(
        a
        for a in (session.library.articles.get(i) for i in session.library.articles.ids())
        if a is not None and a.doi == "10.9999/jto.2024.0117"
    )
    assert ostrelimab.authors[:2] == ["Varga T", "Okafor NC"]
    assert ostrelimab.year == 2024
    assert ostrelimab.nct_ids == ["NCT09999901"]
    assert ostrelimab.abstract is not None and "48% (29/60)" in ostrelimab.abstract


def test_seeds_and_their_reference_records_merge_into_two_articles(
    session: LibrarySession, articles_dir: Path
) -> None:
    seeds = [articles_dir / "alemtuzumab_all.txt", articles_dir / "alveltamig_sclc.txt"]
    texts = import_paths(session, seeds)
    ids = [r.article_ids[0] for r in texts]
    for records in (IMPORTS / "ris" / "seeds.ris", IMPORTS / "bibtex" / "seeds.bib"):
        [report] = import_paths(session, [records])
        assert report.status is FileStatus.DUPLICATE, report.message
        assert report.article_ids == ids
    assert session.library.articles.count() == 2
    alemtuzumab = session.library.articles.get(ids[0])
    alveltamig = session.library.articles.get(ids[1])
    assert alemtuzumab is not None and alveltamig is not None
    assert alemtuzumab.source_format == "text"  # the full text stays what is read
    assert alveltamig.year == 2025  # filled in from the records
    assert alveltamig.journal == "Targeted Oncology"


def test_full_text_replaces_a_reference_records_text_unless_findings_rest_on_it(
    session: LibrarySession, articles_dir: Path, tmp_path: Path
) -> None:
    record = tmp_path / "zotero.ris"
    record.write_text(
        "TY  - JOUR\nTI  - Anti-CD52 alemtuzumab with chemotherapy in adult ALL: phase 1/2 "
        "results\nAU  - Luskin, MR\nPY  - 2025\nDO  - 10.1002/cncr.35750\nER  - \n",
        encoding="utf-8",
    )
    [records] = import_paths(session, [record])
    alemtuzumab_id = records.article_ids[0]
    before = session.library.articles.get(alemtuzumab_id)
    assert before is not None and before.source_format == "ris"
    [text] = import_paths(session, [articles_dir / "alemtuzumab_all.txt"])
    assert text.article_ids == [alemtuzumab_id]
    assert "filled in full text" in text.message
    after = session.library.articles.get(alemtuzumab_id)
    assert after is not None
    assert after.source_format == "text"
    assert "CMV viremia" in after.text
    assert after.title == before.title  # the record's title is kept
    # With a finding resting on the record's text, a later full text leaves it alone.
    [records_again] = import_paths(session, [IMPORTS / "ris" / "seeds.ris"])
    alveltamig_id = records_again.article_ids[1]
    create_finding(
        session,
        alveltamig_id,
        Category.MECHANISM,
        quote="Alveltamig",
        fields={"agent": "alveltamig"},
        reviewer="Dana Okafor",
    )
    [news] = import_paths(session, [articles_dir / "alveltamig_sclc.txt"])
    assert news.article_ids == [alveltamig_id]
    kept = session.library.articles.get(alveltamig_id)
    assert kept is not None and kept.source_format == "ris"


def test_a_full_text_that_only_cites_a_records_doi_leaves_its_text_alone(
    session: LibrarySession, articles_dir: Path
) -> None:
    # The seeds' RIS record names the paper; the news summary cites its DOI.
    [records] = import_paths(session, [IMPORTS / "ris" / "seeds.ris"])
    [text] = import_paths(session, [articles_dir / "alemtuzumab_all.txt"])
    assert text.status is FileStatus.DUPLICATE
    assert text.article_ids == records.article_ids[:1]
    article = session.library.articles.get(records.article_ids[0])
    assert article is not None and article.source_format == "ris"
    assert "CMV viremia" not in article.text


def test_the_report_file_has_every_record(session: LibrarySession, tmp_path: Path) -> None:
    bad = tmp_path / "mixed.ris"
    bad.write_text(
        "TY  - JOUR\nTI  - A good record about neutropenia with pegfilgrastim\nPY  - 2021\n"
        "ER  - \nTY  - JOUR\nAB  - An abstract without any title at all.\nER  - \n",
        encoding="utf-8",
    )
    reports = import_paths(session, [bad, IMPORTS / "ris" / "canonical.ris"])
    assert reports[0].status is FileStatus.PARTIAL
    assert reports[0].message.startswith("RIS: 1 imported, 1 failed (record 2")
    path = tmp_path / "report.json"
    write_import_report(reports, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["totals"] == {"files": 2, "imported": 4, "duplicates": 0, "failed": 1}
    first = data["files"][0]
    assert set(first) == {
        "file",
        "status",
        "imported",
        "duplicates",
        "failed",
        "article_ids",
        "message",
        "format",
        "records",
    }
    assert [r["status"] for r in first["records"]] == ["imported", "failed"]
    assert first["records"][1]["reason"] == "the record has no title"
    assert first["records"][1]["record"].startswith("record 2")
    assert set(reports[0].to_json()) == set(first) - {"format", "records"}


def test_a_file_that_reads_too_long_is_stopped_and_changes_nothing(
    session: LibrarySession, tmp_path: Path
) -> None:
    big = tmp_path / "huge.ris"
    record = (IMPORTS / "ris" / "canonical.ris").read_text(encoding="utf-8-sig")
    big.write_text(record * 4000, encoding="utf-8")
    impatient = ParserProcess(base_seconds=0.3, seconds_per_mb=0.0)
    try:
        before = session.library.last_change()
        report = import_file(session, big, impatient)
        assert report.status is FileStatus.FAILED
        assert "took longer than 0.3 seconds, so it was stopped" in report.message
        assert session.library.last_change() == before
        assert session.library.articles.count() == 0
        # The next file is read by a fresh child process (given time to start: on a busy
        # machine, starting one can take longer than 0.3 s by itself).
        impatient.base_seconds = 30.0
        [good] = import_paths(session, [IMPORTS / "ris" / "canonical.ris"], parser=impatient)
        assert good.imported == 3
    finally:
        impatient.close()


def test_cancelling_stops_the_file_being_read(session: LibrarySession, tmp_path: Path) -> None:
    big = tmp_path / "huge.ris"
    record = (IMPORTS / "ris" / "canonical.ris").read_text(encoding="utf-8-sig")
    big.write_text(record * 4000, encoding="utf-8")
    calls: list[int] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    reports = import_paths(session, [big], cancelled=cancelled)
    assert reports == []
    assert session.library.articles.count() == 0


def test_a_file_over_the_size_limit_is_refused_at_once(
    session: LibrarySession, tmp_path: Path
) -> None:
    huge = tmp_path / "export.ris"
    with huge.open("wb") as handle:
        handle.truncate(201 * 2**20)  # sparse: no disk space used, nothing read
    [report] = import_paths(session, [huge])
    assert report.status is FileStatus.FAILED
    assert report.message == "the file is too large (201 MB; the limit is 200 MB)"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.ris", b"   \n", "the file is empty"),
        ("unknown.xml", b"<catalog><book/></catalog>", "<catalog> root"),
    ],
)
def test_unreadable_files_say_why(
    session: LibrarySession, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    [report] = import_paths(session, [path])
    assert report.status is FileStatus.FAILED
    assert message in report.message


def test_a_reader_started_ahead_is_the_one_that_reads(session: LibrarySession) -> None:
    reader = ParserProcess()
    try:
        reader.warm()
        started = reader._process
        assert started is not None and started.is_alive()
        [report] = import_paths(session, [IMPORTS / "ris" / "canonical.ris"], parser=reader)
        assert report.imported == 3
        assert reader._process is started  # not started again
    finally:
        reader.close()
