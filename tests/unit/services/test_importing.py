"""Importing files and folders: per-file reports, duplicates, failures that change nothing."""

from __future__ import annotations

import random
from pathlib import Path

from reviewapp.services.importing import FileReport, FileStatus, import_paths
from reviewapp.services.library import LibrarySession


def test_importing_the_fixture_folder(session: LibrarySession, articles_dir: Path) -> None:
    seen: list[FileReport] = []
    progress: list[tuple[int, int]] = []
    reports = import_paths(
        session,
        [articles_dir],
        on_file=seen.append,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert [Path(r.file).name for r in reports] == [
        "alemtuzumab_all.txt",
        "alveltamig_sclc.txt",
        "fictional_kras.md",
    ]
    assert all(r.status is FileStatus.IMPORTED for r in reports)
    assert sum(r.imported for r in reports) == 3
    assert all(len(r.article_ids) == 1 for r in reports)
    assert reports[0].message.startswith("imported “Anti-CD52 Alemtuzumab")
    assert seen == reports
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert session.library.articles.count() == 3
    assert session.index_status(thorough=True).health.value == "ok"


def test_importing_again_finds_three_duplicates(
    session: LibrarySession, articles_dir: Path
) -> None:
    first = import_paths(session, [articles_dir])
    again = import_paths(session, [articles_dir])
    assert [r.status for r in again] == [FileStatus.DUPLICATE] * 3
    assert sum(r.duplicates for r in again) == 3
    assert sum(r.imported for r in again) == 0
    assert [r.article_ids for r in again] == [r.article_ids for r in first]
    assert all("same text" in r.message for r in again)
    assert session.library.articles.count() == 3


def test_a_reworded_copy_with_the_same_doi_is_a_duplicate_that_fills_gaps(
    session: LibrarySession, tmp_path: Path
) -> None:
    original = tmp_path / "original.txt"
    original.write_text(
        "Bispecific Antibody Trial In Myeloma\nDOI: 10.5555/myeloma.1\nBody.\n", encoding="utf-8"
    )
    copy = tmp_path / "copy.txt"
    copy.write_text(
        "Bispecific Antibody Trial In Myeloma (Update)\nDOI: 10.5555/MYELOMA.1\n"
        "Journal: Blood Examples\nYear: 2024\nDifferent body.\n",
        encoding="utf-8",
    )
    [first] = import_paths(session, [original])
    [second] = import_paths(session, [copy])
    assert second.status is FileStatus.DUPLICATE
    assert second.article_ids == first.article_ids
    assert "same DOI 10.5555/myeloma.1" in second.message
    assert "filled in journal, year" in second.message
    article = session.library.articles.get(first.article_ids[0])
    assert article is not None
    assert (article.journal, article.year) == ("Blood Examples", 2024)
    assert article.title == "Bispecific Antibody Trial In Myeloma"


def test_bad_files_fail_one_by_one_and_change_nothing(
    session: LibrarySession, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a_noise.txt").write_bytes(random.Random(7).randbytes(3000))
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_scan.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
    (folder / "d_blank.txt").write_text("   \n\n  ", encoding="utf-8")
    (folder / "e_good.txt").write_text(
        "Tarlatamab After Platinum In Small Cell Lung Cancer\nA short, good summary.\n",
        encoding="utf-8",
    )
    before_articles = session.library.articles.count()
    before_change = session.library.last_change()
    reports = import_paths(session, [folder])
    by_name = {Path(r.file).name: r for r in reports}
    assert list(by_name) == [
        "a_noise.txt",
        "b_empty.txt",
        "c_scan.pdf",
        "d_blank.txt",
        "e_good.txt",
    ]
    for name in ("a_noise.txt", "b_empty.txt", "c_scan.pdf", "d_blank.txt"):
        report = by_name[name]
        assert report.status is FileStatus.FAILED, name
        assert (report.imported, report.duplicates, report.failed) == (0, 0, 1)
        assert report.article_ids == []
    assert "binary data" in by_name["a_noise.txt"].message
    assert "empty" in by_name["b_empty.txt"].message
    assert "the PDF is damaged" in by_name["c_scan.pdf"].message
    assert "empty" in by_name["d_blank.txt"].message
    good = by_name["e_good.txt"]
    assert good.status is FileStatus.IMPORTED
    assert session.library.articles.count() == before_articles + 1
    assert session.library.last_change() == before_change + 1
    assert [r["title"] for r in session.library.articles.summaries()] == [
        "Tarlatamab After Platinum In Small Cell Lung Cancer"
    ]
    assert [r.article_id for r in session.search("tarlatamab")] == good.article_ids


def test_only_failures_leave_the_library_and_index_untouched(
    session: LibrarySession, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(bytes(range(32)) * 50)
    [report] = import_paths(
        session,
        [
            bad,
        ],
    )
    assert report.status is FileStatus.FAILED
    assert session.library.articles.count() == 0
    assert session.library.last_change() == 0
    assert report.to_json() == {
        "file": str(bad),
        "status": "failed",
        "imported": 0,
        "duplicates": 0,
        "failed": 1,
        "article_ids": [],
        "message": report.message,
    }


def test_a_missing_path_is_reported_not_raised(session: LibrarySession, tmp_path: Path) -> None:
    [report] = import_paths(session, [tmp_path / "nowhere.txt"])
    assert report.status is FileStatus.FAILED
    assert "does not exist" in report.message


def test_cancelling_stops_before_the_next_file(session: LibrarySession, articles_dir: Path) -> None:
    done: list[FileReport] = []
    reports = import_paths(
        session, [articles_dir], on_file=done.append, cancelled=lambda: len(done) >= 1
    )
    assert len(reports) == 1
    assert session.library.articles.count() == 1
    assert session.index_status().health.value == "ok"
