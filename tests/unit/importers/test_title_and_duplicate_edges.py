"""Titles that are not titles, PMIDs that are not PMIDs, and DOI matches that are not the
same work."""

from __future__ import annotations

from pathlib import Path

from reviewapp.importers.plaintext import parse_plain_text
from reviewapp.services.importing import FileStatus, import_paths
from reviewapp.services.library import LibrarySession


def _title(text: str, name: str = "a.txt") -> str:
    return parse_plain_text(text, name).articles[0].title


def test_a_short_markdown_h1_is_the_title() -> None:
    assert _title("# Blinatumomab consolidation\n\nBy Jane Smith, MD\n\nBody.\n", "a.md") == (
        "Blinatumomab consolidation"
    )


def test_bylines_and_dates_are_not_titles() -> None:
    text = (
        "12 March 2025\nBy Jane Smith, MD\n"
        "Consolidation With Blinatumomab Improves Survival in Adults\nBody text.\n"
    )
    assert _title(text) == "Consolidation With Blinatumomab Improves Survival in Adults"
    assert _title("Published: March 12, 2025\nA Real Title For This Article\n") == (
        "A Real Title For This Article"
    )


def test_a_labelled_pmid_must_be_a_pmid() -> None:
    article = parse_plain_text("A Title Long Enough Here\nPMID: pending\n", "a.txt").articles[0]
    assert article.pmid is None


def test_files_with_pending_pmids_are_not_duplicates(
    session: LibrarySession, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, title in (
        ("a.txt", "First Unrelated Trial Summary"),
        ("b.txt", "Second Unrelated Trial Summary"),
    ):
        (folder / name).write_text(f"{title}\nPMID: pending\nBody of {name}.\n", "utf-8")
    reports = import_paths(session, [folder])
    assert [r.status for r in reports] == [FileStatus.IMPORTED, FileStatus.IMPORTED]


def test_an_editorial_citing_a_doi_does_not_hand_over_its_trial_ids(
    session: LibrarySession, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "1_trial.txt").write_text(
        "The Original Trial Report Of Drug X\nResults. doi:10.5555/trial.1\n", "utf-8"
    )
    (folder / "2_editorial.txt").write_text(
        "An Editorial About Drug X Trials\nSee NCT09999999. doi:10.5555/trial.1\n", "utf-8"
    )
    reports = import_paths(session, [folder])
    assert reports[1].status is FileStatus.DUPLICATE
    original = session.library.articles.get(reports[0].article_ids[0])
    assert original is not None and original.nct_ids == []
