"""Importing files into a library: parse, recognise duplicates, store, index, report.

Each file is stored in one transaction: a file that fails leaves the library as it was.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from reviewapp.core.models import Article
from reviewapp.exporters.atomic import write_text
from reviewapp.importers import (
    FORMAT_NAMES,
    ImportFailure,
    ParsedFile,
    ParsedRecord,
    discover_files,
)
from reviewapp.importers.detect import FULL_TEXT_FORMATS, RECORD_FORMATS
from reviewapp.importers.isolation import ParserProcess, shared_parser
from reviewapp.services.library import Cancelled, LibrarySession, Progress
from reviewapp.store.database import Library, LibraryError
from reviewapp.store.duplicates import Duplicate, titles_alike

log = logging.getLogger(__name__)

INDEX_BATCH = 100  # articles stored before the index catches up during a long import


class FileStatus(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    PARTIAL = "partial"
    FAILED = "failed"


class RecordStatus(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass
class RecordReport:
    """What happened to one record of a file. ``article_id`` is the new article, or for a
    duplicate the existing article it was merged into."""

    record: str
    status: RecordStatus
    title: str = ""
    article_id: int | None = None
    reason: str = ""

    def note(self) -> str:
        if self.status is RecordStatus.IMPORTED:
            return f"imported “{self.title}”"
        if self.status is RecordStatus.DUPLICATE:
            return f"duplicate of article {self.article_id} ({self.reason})"
        return self.reason


@dataclass
class FileReport:
    """What happened to one file. ``article_ids`` holds new and matched (duplicate) ids."""

    file: str
    status: FileStatus
    imported: int = 0
    duplicates: int = 0
    failed: int = 0
    article_ids: list[int] = field(default_factory=list)
    message: str = ""
    format: str = ""
    records: list[RecordReport] = field(default_factory=list)

    @classmethod
    def failure(cls, file: str, message: str) -> FileReport:
        return cls(file, FileStatus.FAILED, failed=1, message=message)

    def to_json(self) -> dict[str, Any]:
        """The per-file summary (the shape ``import --json`` prints)."""
        return {key: getattr(self, key) for key in _SUMMARY_KEYS} | {"status": self.status.value}

    def detail_json(self) -> dict[str, Any]:
        """The summary with the format and every record (``import --report``)."""
        return self.to_json() | {
            "format": self.format,
            "records": [asdict(r) | {"status": r.status.value} for r in self.records],
        }


# What merge_missing reports, in the words of the report.
_FIELD_NAMES = {
    "full_text": "full text",
    "content_hash": "full text",
    "source_format": "full text",
    "source_file": "full text",
    "dois": "DOIs",
    "doi": "DOI",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "nct_ids": "trial ids",
}
_SUMMARY_KEYS = ("file", "status", "imported", "duplicates", "failed", "article_ids", "message")
_FAILURES_IN_MESSAGE = 3


@dataclass
class ImportTimes:
    """Where an import's time went, wall clock, in seconds: waiting for files to be read
    (reading overlaps storing: only the wait counts), storing them, and the index catching
    up until every stored record is searchable."""

    reading: float = 0.0
    storing: float = 0.0
    indexing: float = 0.0

    @property
    def total(self) -> float:
        return self.reading + self.storing + self.indexing

    @contextmanager
    def timing(self, part: str) -> Iterator[None]:
        """Add the time the block takes to ``part`` (reading, storing or indexing)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            setattr(self, part, getattr(self, part) + time.perf_counter() - start)


def import_paths(
    session: LibrarySession,
    paths: list[Path],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    on_file: Callable[[FileReport], None] | None = None,
    catch_up: Callable[[], object] | None = None,
    parser: ParserProcess | None = None,
    times: ImportTimes | None = None,
) -> list[FileReport]:
    """Import files and folders; one report per file, in order. Stops early when cancelled.
    ``times``, if given, is told where the time went.

    Files are parsed in ``parser`` (by default the shared child process, which can be
    stopped when a file runs too long or the import is cancelled). The index catches up
    every INDEX_BATCH articles and at the end, through ``catch_up`` (by default in this
    session, never failing the import: what is stored is stored).
    """

    session.library.check_writable()  # refused whole, not file by file
    clock = times if times is not None else ImportTimes()

    @clock.timing("indexing")
    def index() -> None:
        if catch_up is None:
            session.index_after_write()
            return
        try:
            catch_up()
        except Exception as exc:  # stored is stored; the change log lets the index catch up
            log.warning("the search index will catch up later (%s)", exc)

    files = discover_files(paths)
    reader = parser or shared_parser()
    reports: list[FileReport] = []
    unindexed = 0
    stopping = threading.Event()

    def stopped() -> bool:
        return stopping.is_set() or (cancelled is not None and cancelled())

    # A file's records are stored as the parser's process reads them, in parts, and the next
    # file is read as soon as this one is: reading and storing each take about half of an
    # import, and there are two cores.
    ahead = _ReadAhead(lambda path, parts: reader.parse(path, stopped, parts))

    def read_next(path: Path, incoming: _Incoming) -> None:
        # Not when the index is to catch up after this file: the catch-up would first wait
        # for the whole next file to be read (it forks), where storing begins with its
        # first part once it is started after the catch-up.
        if not stopped() and unindexed + incoming.records < INDEX_BATCH:
            ahead.start(path)

    try:
        for done, path in enumerate(files):
            if stopped():
                break
            incoming = ahead.take(path)
            following = files[done + 1] if done + 1 < len(files) else None
            if following is not None:
                incoming.then = functools.partial(read_next, following, incoming)
            with clock.timing("storing"):
                report = _store_file(session, path, incoming)
            clock.storing -= incoming.waited
            clock.reading += incoming.waited
            if stopped() and report.status is FileStatus.FAILED:
                break  # the file was stopped midway: not a failure of the file
            reports.append(report)
            unindexed += report.imported + report.duplicates
            if unindexed >= INDEX_BATCH:
                # The index catches up as the import goes: searches meanwhile see what has
                # arrived, and no single index commit grows large. Alone in the process,
                # so that the index may fork its writers (search/bulk.py).
                with clock.timing("reading"):
                    ahead.wait()
                index()
                unindexed = 0
            if on_file is not None:
                on_file(report)
            if progress is not None:
                progress(done + 1, len(files))
    finally:
        stopping.set()  # a file still being read ahead is not wanted any more
        ahead.wait()
    if unindexed:
        index()
    return reports


def start_file_reader() -> None:
    """Start the process that reads files (see importers.isolation) ahead of an import."""
    shared_parser().warm()


class _Incoming:
    """A file's records as they are read, in parts (iterating waits for each), ended by the
    file's format or by the ImportFailure that stopped its reading (raised by iterating).
    ``then`` is called once the file is read; ``records`` counts the records handed on,
    ``waited`` the time spent waiting for them."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[list[ParsedRecord] | ParsedFile | ImportFailure] = (
            queue.SimpleQueue()
        )
        self.format = ""
        self.records = 0
        self.waited = 0.0
        self.then: Callable[[], None] | None = None
        self._read = threading.Event()

    def part(self, records: list[ParsedRecord]) -> None:
        self.records += len(records)
        self._queue.put(records)

    def end(self, outcome: ParsedFile | ImportFailure) -> None:
        if isinstance(outcome, ParsedFile):
            self.records += len(outcome.records)
        self._queue.put(outcome)
        self._read.set()

    def _then(self) -> None:
        then, self.then = self.then, None
        if then is not None:
            then()

    @classmethod
    def whole(cls, outcome: ParsedFile | ImportFailure) -> _Incoming:
        incoming = cls()
        incoming.end(outcome)
        return incoming

    def __iter__(self) -> Iterator[list[ParsedRecord]]:
        while True:
            if self._read.is_set():  # read to its end: ``then`` while the rest is stored
                self._then()
            started = time.perf_counter()
            item = self._queue.get()
            self.waited += time.perf_counter() - started
            if isinstance(item, list):
                yield item
                continue
            self._then()
            if isinstance(item, ImportFailure):
                raise item
            self.format = item.format
            if item.records:
                yield item.records
            return


class _ReadAhead:
    """Reads one file at a time in a thread of its own (which waits on the parser's
    process), handing its records on as they are read (``_Incoming``), so that the caller
    stores them meanwhile, and then reads the next (``start``) while the caller stores the
    rest of this one."""

    def __init__(self, parse: Callable[[Path, Callable[[list[ParsedRecord]], None]], ParsedFile]):
        self._parse = parse
        self._thread: threading.Thread | None = None
        self._reading: tuple[Path, _Incoming] | None = None

    def start(self, path: Path) -> None:
        """Read ``path`` next, once the file being read is read."""
        self.wait()
        incoming = _Incoming()

        def run() -> None:
            outcome: ParsedFile | ImportFailure = ImportFailure(
                "could not be read: reviewapp's reader stopped on this file"
            )
            try:
                outcome = _reading(lambda: self._parse(path, incoming.part))
            finally:  # whatever ends the thread, the file's records end (storing waits on them)
                incoming.end(outcome)

        self._reading = (path, incoming)
        self._thread = threading.Thread(target=run, name="reviewapp-read-ahead", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Until the file being read is read (the process has one thread again)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def take(self, path: Path) -> _Incoming:
        """``path``'s records as they are read, its reading started if it is not yet."""
        if self._reading is None or self._reading[0] != path:
            self.start(path)
        assert self._reading is not None
        incoming = self._reading[1]
        self._reading = None
        return incoming


def import_file(
    session: LibrarySession,
    path: Path,
    parser: ParserProcess | None = None,
    cancelled: Cancelled | None = None,
) -> FileReport:
    """Parse and store one file in one transaction: a file that fails changes nothing."""
    reader = parser or shared_parser()
    return _store_file(
        session, path, _Incoming.whole(_reading(lambda: reader.parse(path, cancelled)))
    )


def _reading(parse: Callable[[], ParsedFile]) -> ParsedFile | ImportFailure:
    """A file's records, or why it could not be read."""
    try:
        return parse()
    except ImportFailure as exc:
        return exc
    except Exception as exc:  # the reading thread must end the file's records whatever
        log.debug("reading failed", exc_info=True)
        return ImportFailure(f"could not be read: reviewapp's reader failed on this file ({exc})")


def _store_file(session: LibrarySession, path: Path, incoming: _Incoming) -> FileReport:
    """Store a file's records, as they are read, in one transaction (begun with the first
    part, so that no write waits on a slow reader before it), or report why it could not
    be read or stored: a file that fails midway leaves nothing stored. The library's write
    lock is held from the first part to the last: a reader stalled in between holds it up
    to the file's time limit (record files are read straight through once their records
    come: their slow parts, XML parsing or a whole table's reading, come before)."""
    name = str(path)
    parts = iter(incoming)
    try:
        first = next(parts, None)
    except ImportFailure as exc:
        return FileReport.failure(name, str(exc))
    lib = session.library
    report = FileReport(name, FileStatus.IMPORTED)
    try:
        with lib.transaction():
            for part in itertools.chain([first] if first is not None else [], parts):
                report.records += [_store_record(lib, record) for record in part]
    except ImportFailure as exc:  # the rest could not be read: what was stored is undone
        return FileReport.failure(name, str(exc))
    except LibraryError as exc:  # a full disk: say so as it is
        log.debug("storing %s failed", path, exc_info=True)
        return FileReport.failure(name, f"could not be stored: {exc}")
    except Exception as exc:
        log.debug("storing %s failed", path, exc_info=True)
        return FileReport.failure(name, f"could not be stored ({exc}); nothing was imported")
    report.format = incoming.format
    # Ids listed so far, as a set: searching the report's list at each record took 0.75 s
    # for a file of 10,000.
    listed: set[int] = set()
    for record in report.records:
        if record.status is RecordStatus.FAILED:
            report.failed += 1
            continue
        assert record.article_id is not None
        if record.article_id not in listed:  # two records of one article
            listed.add(record.article_id)
            report.article_ids.append(record.article_id)
        if record.status is RecordStatus.IMPORTED:
            report.imported += 1
        else:
            report.duplicates += 1
    report.status = _status(report)
    report.message = _message(report)
    return report


def _store_record(lib: Library, record: ParsedRecord) -> RecordReport:
    """Store one parsed record, or merge it into the article it duplicates."""
    article = record.article
    if article is None:
        return RecordReport(record.label, RecordStatus.FAILED, reason=record.problem or "")
    duplicate = lib.articles.find_duplicate(article)
    if duplicate is None:
        article_id = lib.articles.insert(article)
        return RecordReport(record.label, RecordStatus.IMPORTED, article.title, article_id)
    filled = _merge(lib, duplicate, article)
    reason = duplicate.reason + (f"; filled in {', '.join(filled)}" if filled else "")
    return RecordReport(
        record.label, RecordStatus.DUPLICATE, article.title, duplicate.article_id, reason
    )


def _merge(lib: Library, duplicate: Duplicate, article: Article) -> list[str]:
    """Fill the existing article's empty fields; never touch what users made of it."""
    existing = lib.articles.get(duplicate.article_id)
    if existing is None:
        return []
    same_work = duplicate.reason == "same text" or titles_alike(existing.title, article.title)
    # A reference record's text is only its title and abstract: the full text of the same
    # work (alike titles: a news piece or editorial citing the DOI is not) takes its place,
    # unless a finding already rests on the old text.
    replace_text = (
        same_work
        and existing.source_format in RECORD_FORMATS
        and article.source_format in FULL_TEXT_FORMATS
        and not lib.findings.exist_for(duplicate.article_id)
    )
    filled = lib.articles.merge_missing(
        duplicate.article_id, article, identifiers=same_work, replace_text=replace_text
    )
    return list(dict.fromkeys(_FIELD_NAMES.get(column, column) for column in filled))


def _status(report: FileReport) -> FileStatus:
    if report.failed and (report.imported or report.duplicates):
        return FileStatus.PARTIAL
    if report.failed:
        return FileStatus.FAILED
    if report.imported == 0 and report.duplicates:
        return FileStatus.DUPLICATE
    return FileStatus.IMPORTED


def _message(report: FileReport) -> str:
    if len(report.records) == 1:
        return report.records[0].note()
    kind = format_label(report.format)
    parts = [f"{kind}: {report.imported} imported"]
    if report.duplicates:
        parts.append(f"{report.duplicates} duplicates")
    if report.failed:
        parts.append(f"{report.failed} failed")
    message = ", ".join(parts)
    failures = [r for r in report.records if r.status is RecordStatus.FAILED]
    if failures:
        shown = "; ".join(f"{r.record}: {r.reason}" for r in failures[:_FAILURES_IN_MESSAGE])
        more = len(failures) - _FAILURES_IN_MESSAGE
        message += f" ({shown}" + (f"; and {more} more" if more > 0 else "") + ")"
    return message


def format_label(kind: str) -> str:
    """A format's name as users know it ("PubMed XML" for "pubmed-xml")."""
    return FORMAT_NAMES.get(kind, kind)


def write_import_report(reports: list[FileReport], path: Path) -> None:
    """Write every file's and every record's outcome as JSON (whole or not at all)."""
    detail = {
        "files": [report.detail_json() for report in reports],
        "totals": {
            "files": len(reports),
            "imported": sum(r.imported for r in reports),
            "duplicates": sum(r.duplicates for r in reports),
            "failed": sum(r.failed for r in reports),
        },
    }
    write_text(path, json.dumps(detail, ensure_ascii=False, indent=2) + "\n")
