"""Importing files into a library: parse, recognise duplicates, store, index, report.

Each file is stored in one transaction: a file that fails leaves the library as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from reviewapp.core.text import title_key
from reviewapp.importers import ImportFailure, discover_files, parse_file
from reviewapp.services.library import Cancelled, LibrarySession, Progress

log = logging.getLogger(__name__)

INDEX_BATCH = 100  # articles stored before the index catches up during a long import


class FileStatus(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    PARTIAL = "partial"
    FAILED = "failed"


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

    @classmethod
    def failure(cls, file: str, message: str) -> FileReport:
        return cls(file, FileStatus.FAILED, failed=1, message=message)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        return data


def import_paths(
    session: LibrarySession,
    paths: list[Path],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    on_file: Callable[[FileReport], None] | None = None,
    catch_up: Callable[[], object] | None = None,
) -> list[FileReport]:
    """Import files and folders; one report per file, in order. Stops early when cancelled.

    The index catches up every INDEX_BATCH articles and at the end, through ``catch_up``
    (by default in this session, never failing the import: what is stored is stored).
    """

    def index() -> None:
        if catch_up is None:
            session.index_after_write()
            return
        try:
            catch_up()
        except Exception as exc:  # stored is stored; the change log lets the index catch up
            log.warning("the search index will catch up later (%s)", exc)

    files = discover_files(paths)
    reports: list[FileReport] = []
    unindexed = 0
    for done, path in enumerate(files):
        if cancelled is not None and cancelled():
            break
        report = import_file(session, path)
        reports.append(report)
        unindexed += report.imported + report.duplicates
        if unindexed >= INDEX_BATCH:
            # The index catches up as the import goes: searches meanwhile see what has
            # arrived, and no single index commit grows large.
            index()
            unindexed = 0
        if on_file is not None:
            on_file(report)
        if progress is not None:
            progress(done + 1, len(files))
    if unindexed:
        index()
    return reports


def import_file(session: LibrarySession, path: Path) -> FileReport:
    name = str(path)
    try:
        parsed = parse_file(path)
    except ImportFailure as exc:
        return FileReport.failure(name, str(exc))
    except Exception as exc:  # a parser bug must not take the whole import down
        log.debug("unexpected error importing %s", path, exc_info=True)
        return FileReport.failure(name, f"could not be read ({type(exc).__name__}: {exc})")
    report = FileReport(name, FileStatus.IMPORTED, failed=len(parsed.problems))
    notes: list[str] = []
    lib = session.library
    try:
        with lib.transaction():
            for article in parsed.articles:
                duplicate = lib.articles.find_duplicate(article)
                if duplicate is None:
                    report.article_ids.append(lib.articles.insert(article))
                    report.imported += 1
                    notes.append(f"imported “{article.title}”")
                else:
                    existing = lib.articles.get(duplicate.article_id)
                    same_work = duplicate.reason == "same text" or (
                        existing is not None
                        and title_key(existing.title) == title_key(article.title)
                    )
                    filled = lib.articles.merge_missing(
                        duplicate.article_id, article, identifiers=same_work
                    )
                    report.article_ids.append(duplicate.article_id)
                    report.duplicates += 1
                    merged = f"; filled in {', '.join(filled)}" if filled else ""
                    notes.append(
                        f"duplicate of article {duplicate.article_id} ({duplicate.reason}){merged}"
                    )
    except Exception as exc:
        log.debug("storing %s failed", path, exc_info=True)
        return FileReport.failure(name, f"could not be stored ({exc}); nothing was imported")
    notes.extend(parsed.problems)
    report.status = _status(report)
    report.message = "; ".join(notes)
    return report


def _status(report: FileReport) -> FileStatus:
    if report.failed and (report.imported or report.duplicates):
        return FileStatus.PARTIAL
    if report.failed:
        return FileStatus.FAILED
    if report.imported == 0 and report.duplicates:
        return FileStatus.DUPLICATE
    return FileStatus.IMPORTED
