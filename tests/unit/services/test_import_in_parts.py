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
    """The real child, with each part handed on counted. With ``paced``, a part is handed
    on only once the importer has taken the one before (so that every part before the
    newest has been stored), and after ``stop_after`` parts the import is asked to stop."""

    def __init__(self, paced: bool = False, stop_after: int = 0) -> None:
        super().__init__()
        self.sizes: list[int] = []
        self.paths: list[str] = []
        self.paced, self.stop_after = paced, stop_after
        self.stop = threading.Event()

    def parse(self, path: Path, cancelled: Any = None, parts: Parts | None = None) -> ParsedFile:
        self.paths.append(path.name)
        if parts is None:
            return super().parse(path, cancelled)
        handed_on: Parts = parts

        def counted(records: list[ParsedRecord]) -> None:
            if self.paced:
                taken = parts.__self__._queue  # type: ignore[attr-defined]  # the _Incoming's
                deadline = time.monotonic() + 30
                while not taken.empty() and time.monotonic() < deadline:
                    time.sleep(0.005)
            handed_on(records)
            self.sizes.append(len(records))
            if self.stop_after and len(self.sizes) >= self.stop_after:
                self.stop.set()

        return super().parse(path, cancelled, counted)


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
    session: LibrarySession, tmp_path: Path, watched: _Watched
) -> None:
    export = write_export(tmp_path / "export.ris", 2 * PART_RECORDS + 100)
    times = ImportTimes()
    [report] = import_paths(session, [export], parser=watched, times=times)
    assert watched.sizes == [PART_RECORDS, PART_RECORDS, 100]
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
    # Small files are read ahead while the one before is stored: x's reading began while
    # c's was stored, y's while x's was; the last catch-up comes after both.
    assert read_at_catch_up == [
        ["a.ris"],
        ["a.ris", "b.ris"],
        ["a.ris", "b.ris", "c.ris"],
        watched.paths,
    ]


def test_a_file_stopped_after_some_parts_were_stored_leaves_nothing_of_it(
    session: LibrarySession, tmp_path: Path
) -> None:
    earlier = write_export(tmp_path / "earlier.ris", 3)
    export = write_export(tmp_path / "export.ris", 8 * PART_RECORDS)
    paced = _Watched(paced=True, stop_after=3)
    try:
        [kept] = import_paths(session, [earlier], parser=paced)
        assert kept.imported == 3
        before = session.library.last_change()
        reports = import_paths(session, [export], cancelled=paced.stop.is_set, parser=paced)
        # The third part was handed on once the second was taken, the first stored whole.
        assert len(paced.sizes) == 3
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
    watched.warm()  # the child's start is not part of the file's time
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
