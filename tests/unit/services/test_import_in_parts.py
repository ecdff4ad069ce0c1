"""A record file's records are stored as the parser's process reads them, in parts, in the
file's one transaction: the storing of a large export overlaps its reading, and a file whose
reading stops midway still leaves nothing of it behind."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewapp.importers.base import PART_RECORDS, ImportFailure, ParsedFile, ParsedRecord
from reviewapp.importers.isolation import ParserProcess
from reviewapp.services.importing import INDEX_BATCH, FileStatus, ImportTimes, import_paths
from reviewapp.services.library import LibrarySession

Parts = Callable[[list[ParsedRecord]], None]


def write_export(path: Path, count: int, first: int = 1) -> Path:
    """An RIS export of ``count`` distinct records (each its own DOI), numbered from
    ``first``."""
    lines: list[str] = []
    for n in range(first, first + count):
        lines += [
            "TY  - JOUR",
            f"TI  - Cohort {n} of adjuvant capecitabine after resected biliary cancer",
            f"AU  - Okafor, N{n % 7}.",
            "T2  - Journal of Hepatobiliary Oncology",
            f"PY  - {2000 + n % 25}",
            f"DO  - 10.5555/hbo.{n}",
            f"AB  - In cohort {n}, {n % 90 + 10} patients received capecitabine; the median "
            f"recurrence-free survival was {n % 30 + 6}.2 months.",
            "ER  - ",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class _Watched(ParserProcess):
    """The real child, with the parts it hands on counted (``sizes``) and the files it was
    asked for named (``paths``). Given ``stored`` (how many articles the import has
    inserted so far), each part is handed on only once every part before it is stored, and
    ``stored_at_hand`` says how many were when each part was handed on. After
    ``stop_after`` parts the import is asked to stop (``stop``)."""

    def __init__(self, stored: Callable[[], int] | None = None, stop_after: int = 0) -> None:
        super().__init__()
        self.sizes: list[int] = []
        self.paths: list[str] = []
        self.stored_at_hand: list[int] = []
        self.stored, self.stop_after = stored, stop_after
        self.stop = threading.Event()

    def parse(self, path: Path, cancelled: Any = None, parts: Parts | None = None) -> ParsedFile:
        self.paths.append(path.name)
        if parts is None:
            return super().parse(path, cancelled)
        handed_on: Parts = parts

        def counted(records: list[ParsedRecord]) -> None:
            if self.stored is not None:
                deadline = time.monotonic() + 30
                while self.stored() < sum(self.sizes) and time.monotonic() < deadline:
                    time.sleep(0.005)
                self.stored_at_hand.append(self.stored())
            handed_on(records)
            self.sizes.append(len(records))
            if self.stop_after and len(self.sizes) >= self.stop_after:
                self.stop.set()

        return super().parse(path, cancelled, counted)


def inserts_counted(session: LibrarySession, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """How many articles the library's real insert has stored so far (in any transaction,
    committed or not)."""
    articles = session.library.articles
    insert = articles.insert
    done: list[int] = []

    def counted(article: Any) -> int:
        article_id = insert(article)
        done.append(article_id)
        return article_id

    monkeypatch.setattr(articles, "insert", counted)
    return lambda: len(done)


@pytest.fixture
def watched() -> Iterator[_Watched]:
    parser = _Watched()
    yield parser
    parser.close()


def test_the_child_hands_a_record_file_over_in_parts_as_it_reads_it(
    tmp_path: Path, watched: _Watched
) -> None:
    export = write_export(tmp_path / "export.ris", 2 * PART_RECORDS + 100)
    parts: list[list[ParsedRecord]] = []
    rest = watched.parse(export, parts=parts.append)
    assert [len(p) for p in parts] == [PART_RECORDS, PART_RECORDS, 100]
    assert rest.records == [] and rest.format == "ris"
    articles = [r.article for part in parts for r in part]
    assert all(a is not None and a.source_file == "export.ris" for a in articles)
    assert [a.title for a in articles if a is not None][-1].startswith("Cohort 600 of")
    # Asked for whole, the same file comes back whole.
    whole = watched.parse(export)
    assert len(whole.records) == 600 and whole.format == "ris"
    assert [r.label for r in whole.records] == [r.label for part in parts for r in part]


def test_an_import_stores_every_part_of_a_file_as_it_comes(
    session: LibrarySession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = write_export(tmp_path / "export.ris", 2 * PART_RECORDS + 100)
    times = ImportTimes()
    watched = _Watched(stored=inserts_counted(session, monkeypatch))
    try:
        [report] = import_paths(session, [export], parser=watched, times=times)
    finally:
        watched.close()
    assert watched.sizes == [PART_RECORDS, PART_RECORDS, 100]
    # Each part was stored while the next waited to be read.
    assert watched.stored_at_hand == [0, PART_RECORDS, 2 * PART_RECORDS]
    assert report.status is FileStatus.IMPORTED, report.message
    assert (report.imported, report.duplicates, report.failed) == (600, 0, 0)
    assert report.message.startswith("RIS: 600 imported") and report.format == "ris"
    assert len(report.article_ids) == 600 == session.library.articles.count()
    assert times.reading >= 0 and times.storing > 0


def test_the_next_file_is_read_after_a_catch_up_that_follows_this_one_not_before(
    session: LibrarySession, tmp_path: Path, watched: _Watched
) -> None:
    # Files large enough that the index catches up after each: the catch-up would wait for
    # a file being read, so the next is read only after it (and stored as it is read).
    size = INDEX_BATCH + 20
    files = [write_export(tmp_path / f"{n}.ris", size, 1 + i * size) for i, n in enumerate("abc")]
    small = [write_export(tmp_path / f"{n}.ris", 2, 10_000 + 2 * i) for i, n in enumerate("xy")]
    read_at_catch_up: list[list[str]] = []
    reports = import_paths(
        session,
        [*files, *small],
        parser=watched,
        catch_up=lambda: read_at_catch_up.append(list(watched.paths)),
    )
    assert [r.imported for r in reports] == [size] * 3 + [2, 2]
    assert watched.paths == ["a.ris", "b.ris", "c.ris", "x.ris", "y.ris"]
    # Each large file was read after the catch-up that followed the one before; the small
    # y was read ahead while x was stored, and the last catch-up comes after both.
    assert read_at_catch_up == [
        ["a.ris"],
        ["a.ris", "b.ris"],
        ["a.ris", "b.ris", "c.ris"],
        watched.paths,
    ]


def test_a_file_stopped_after_some_parts_were_stored_leaves_nothing_of_it(
    session: LibrarySession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = write_export(tmp_path / "earlier.ris", 3)
    export = write_export(tmp_path / "export.ris", 8 * PART_RECORDS, first=100)
    [kept] = import_paths(session, [earlier])
    assert kept.imported == 3
    paced = _Watched(stored=inserts_counted(session, monkeypatch), stop_after=3)
    try:
        before = session.library.last_change()
        reports = import_paths(session, [export], cancelled=paced.stop.is_set, parser=paced)
        # Two parts were stored, in the file's transaction, when the import was cancelled.
        assert len(paced.sizes) == 3
        assert paced.stored_at_hand == [0, PART_RECORDS, 2 * PART_RECORDS]
        assert reports == []  # a file stopped midway is not reported as a failure of it
        assert session.library.articles.count() == 3
        assert session.library.last_change() == before
    finally:
        paced.close()


def test_a_file_whose_reading_times_out_midway_leaves_nothing_of_it(
    session: LibrarySession, tmp_path: Path, watched: _Watched
) -> None:
    count = 200 * PART_RECORDS  # some seconds to read, here and on faster machines
    export = write_export(tmp_path / "export.ris", count)
    # The child started and its readers imported first: not part of the file's time.
    assert len(watched.parse(write_export(tmp_path / "small.ris", 2)).records) == 2
    watched.base_seconds, watched.seconds_per_mb = 1.0, 0.0
    [report] = import_paths(session, [export], parser=watched)
    assert watched.sizes, "no part arrived within the time limit"
    assert sum(watched.sizes) < count
    assert report.status is FileStatus.FAILED
    assert "took longer than 1 second, so it was stopped" in report.message
    assert session.library.articles.count() == 0


def test_a_file_that_cannot_be_read_fails_before_anything_is_stored(
    session: LibrarySession, tmp_path: Path, watched: _Watched
) -> None:
    broken = tmp_path / "broken.ris"
    broken.write_bytes(bytes(range(256)) * 64)
    [report] = import_paths(session, [broken], parser=watched)
    assert report.status is FileStatus.FAILED
    assert watched.sizes == []
    assert session.library.articles.count() == 0
    with pytest.raises(ImportFailure):
        watched.parse(broken, parts=lambda _records: None)


def test_a_file_whose_parts_cannot_be_taken_leaves_the_reader_in_step(
    tmp_path: Path, watched: _Watched
) -> None:
    big = write_export(tmp_path / "big.ris", 4 * PART_RECORDS)
    small = write_export(tmp_path / "small.ris", 3, first=5000)

    def refused(_records: list[ParsedRecord]) -> None:
        raise MemoryError

    with pytest.raises(MemoryError):
        watched.parse(big, parts=refused)
    # The next file gets its own records, not the rest of the one before.
    titles = [r.article.title for r in watched.parse(small).records if r.article]
    assert [t.split(" of ")[0] for t in titles] == ["Cohort 5000", "Cohort 5001", "Cohort 5002"]
