"""A library session: the store and its derived index, kept in step.

Every write goes to SQLite first (the source of truth); the index then catches up from the
store's change log. Opening a session repairs the index when it is missing, stale or
damaged, so no command ever searches an index that disagrees with the store.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from reviewapp.search.index import (
    Health,
    IndexBusy,
    IndexStatus,
    RawHit,
    SearchIndex,
    holding_lock,
)
from reviewapp.search.postings import SegmentDamaged
from reviewapp.search.schema import to_document
from reviewapp.search.segment_merge import MergeStopped
from reviewapp.search.snippets import make_snippet, marked_spans
from reviewapp.search.synonyms import load_synonyms
from reviewapp.services.paths import read_only_index_dir, synonym_files
from reviewapp.services.process import end_with_parent
from reviewapp.store import Library, LibraryError, open_library

log = logging.getLogger(__name__)

# What the store says of the library file itself (damaged, from a newer reviewapp, a disk
# with no room for a write): the terminal and the window show it as it is.
LibraryProblem = LibraryError
_Answer = TypeVar("_Answer")

# The index catches up on at most this many logged changes per commit.
INDEX_CHUNK = 10_000

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class ServiceError(Exception):
    """A use case that cannot go ahead, with a one-line message for the user."""


class IndexAction(StrEnum):
    CURRENT = "current"
    CAUGHT_UP = "caught up"
    REBUILT = "rebuilt"


@dataclass(frozen=True)
class IndexCoverage:
    """How much of the library the index reflects: searches are partial while it catches up
    (``behind`` changes not yet indexed)."""

    indexed: int
    total: int
    behind: int

    @property
    def partial(self) -> bool:
        # A missing or rebuilding index has no changes to take but lacks articles.
        return self.behind > 0 or self.indexed != self.total


@dataclass(frozen=True)
class IndexMerge:
    """What ``merge_index`` did: the index's segments before and after, and whether it was
    stopped before it was done."""

    before: int
    after: int
    stopped: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "segments_before": self.before,
            "segments_after": self.after,
            "stopped": self.stopped,
        }


@dataclass(frozen=True)
class SearchResult:
    article_id: int
    title: str
    score: float
    snippet: str
    terms: frozenset[str]


def _index_of(session: LibrarySession) -> SearchIndex:
    return session.index


def _index_for(library: Library, viewer_uid: str) -> SearchIndex:
    """The library's search index: beside it, or for a read-only library, in the settings
    folder (one per viewer: blind collections index each reviewer's own findings)."""
    timeout = float(os.environ.get("REVIEWAPP_INDEX_LOCK_TIMEOUT", "30"))
    folder = library.index_dir
    if library.read_only:
        folder = read_only_index_dir(library.path, library.uid, viewer_uid)
    return SearchIndex(folder, load_synonyms(synonym_files()), timeout)


class LibrarySession:
    """An open library with its index. Use from one thread; close when done."""

    def __init__(self, library: Library, index: SearchIndex) -> None:
        self.library = library
        self.index = index

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        sync_index: bool = True,
        progress: Progress | None = None,
        create: bool = True,
        viewer_uid: str | None = None,
    ) -> LibrarySession:
        """Open the library at ``path`` (creating it if new and ``create``) and bring its
        index up to date. A read-only library is shown as ``viewer_uid`` sees it, if given
        (see ``show_findings_of``: its connections cannot share the viewer through the
        library, which every writable library's do)."""
        try:
            library = open_library(path, create=create)
        except LibraryError as exc:
            raise ServiceError(str(exc)) from exc
        session = cls(library, _index_for(library, library.meta("viewer_uid") or ""))
        if viewer_uid is not None and library.read_only:
            session.show_findings_of(viewer_uid)
        if sync_index:
            session.ensure_index_quietly(progress)
        return session

    @property
    def read_only(self) -> bool:
        """Whether the library can only be read (a read-only medium or folder)."""
        return self.library.read_only

    def show_findings_of(self, viewer_uid: str) -> None:
        """Show the library as ``viewer_uid`` sees it (on blind collections' articles, their
        own findings only); a read-only library's index, kept apart per viewer, follows."""
        self.library.show_findings_of(viewer_uid)
        if self.library.read_only:
            wanted = _index_for(self.library, viewer_uid)
            if wanted.directory != self.index.directory:
                self.index.close()
                self.index = wanted

    def ensure_index_quietly(self, progress: Progress | None = None) -> None:
        """``ensure_index``, except when another process holds the index (then what is
        there answers, and the change log lets it catch up later)."""
        try:
            self.ensure_index(progress)
        except IndexBusy as exc:
            log.warning("%s", exc)

    @property
    def path(self) -> Path:
        """The library file."""
        return self.library.path

    def __enter__(self) -> LibrarySession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.index.close()
        self.library.close()

    # -- index upkeep --------------------------------------------------------------------------

    def index_status(self, thorough: bool = False) -> IndexStatus:
        lib = self.library
        return self.index.status(
            lib.uid,
            lib.last_change(),
            lib.articles.count(),
            lib.compacted_through(),
            store_digests=self._store_digests() if thorough else None,
        )

    def _store_digests(self) -> dict[int, str]:
        """What each article's index document should hash to, from the store."""
        docs = self.library.articles.index_documents(self.library.articles.ids())
        return {int(doc["id"]): to_document(doc)["digest"] for doc in docs}

    def index_coverage(self) -> IndexCoverage:
        """Cheap (the index's state file and two counts): for progress and "partial" labels."""
        seq, indexed = self.index.recorded_state()
        lib = self.library
        return IndexCoverage(indexed, lib.articles.count(), lib.pending_changes(seq))

    def index_is_current(self) -> bool:
        """The quick check: the index reflects the store's latest change."""
        return self.index_status().health is Health.OK

    @holding_lock(_index_of)
    def ensure_index(
        self, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> IndexAction:
        """Catch the index up with the store, or rebuild it when it cannot be caught up."""
        status = self.index_status()
        if status.health is Health.OK:
            return IndexAction.CURRENT
        if status.health is Health.STALE:
            self.sync_index()
            return IndexAction.CAUGHT_UP
        log.info("rebuilding the search index: %s", status.message)
        self.rebuild_index(progress, cancelled)
        return IndexAction.REBUILT

    @holding_lock(_index_of)
    def rebuild_index(
        self, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> int:
        lib = self.library
        if not lib.read_only:
            lib.articles.rebuild_title_blocks()  # the store's own derived table, mended alike
        seq = lib.last_change()  # read first: changes made meanwhile are caught up later
        ids = lib.articles.ids()
        count = self.index.rebuild(
            lib.uid, seq, lib.articles.index_documents(ids), len(ids), progress, cancelled
        )
        lib.compact_changes(seq)
        return count

    def index_after_write(self) -> None:
        """Catch the index up after a committed write, without failing the write: what is
        saved is saved, and the change log lets the index catch up on the next occasion."""
        try:
            self.sync_index()
        except Exception as exc:  # the write is committed; the index is derived
            log.warning("the search index will catch up later (%s)", exc)

    @holding_lock(_index_of)
    def sync_index(self, progress: Progress | None = None) -> int:
        """Apply the store changes the index has not seen yet; returns articles touched.

        Large backlogs are taken in parts of INDEX_CHUNK changes, each its own commit with
        its sequence number recorded: memory stays bounded, progress can be shown, and an
        interrupted catch-up resumes where it stopped.
        """
        try:
            return self._catch_up(progress)
        except SegmentDamaged as exc:
            log.warning("rebuilding the search index: a segment is damaged (%s)", exc)
            return self.rebuild_index()

    def _catch_up(self, progress: Progress | None) -> int:
        lib = self.library
        status = self.index_status()
        if status.needs_rebuild:
            return self.rebuild_index()
        seq = status.indexed_seq
        backlog = lib.pending_changes(seq)
        touched = done = 0
        while True:
            changed, newest = lib.changed_articles_since(seq, limit=INDEX_CHUNK)
            if not changed:
                break
            existing = lib.articles.existing_ids(changed)
            current = sorted(changed & existing)
            touched += self.index.apply(
                lib.uid,
                newest,
                lib.articles.index_documents(current),
                sorted(changed - existing),
                expected=len(current),
            )
            lib.compact_changes(newest)
            seq = newest
            done = min(backlog, done + INDEX_CHUNK)
            if progress is not None:
                progress(done, backlog)
        if not done:  # nothing to apply; the index may still lack derived files
            self.index.complete()
        return touched

    def merge_index(
        self,
        stopped: Cancelled | None = None,
        on_step: Callable[[int], None] | None = None,
        whole: bool = False,
    ) -> IndexMerge:
        """Merge the index's small segments, a step at a time, until none is due
        (``search/segment_merge.py``; an import leaves two segments for each 10,000 articles,
        and each query looks its words up in every one); ``whole``: every segment into one.
        The index is brought up to date first. ``stopped()``, asked between and within
        steps, ends it early: steps done stay done, the one under way is dropped whole.
        The index's lock is held a step at a time: another program's catch-up can come in
        between. ``on_step`` is told each step's count of segments merged. ``whole`` also
        rewrites the files kept beside the index's segments that are of an older format
        (a library indexed before phrases' positions were kept gains them)."""
        self.sync_index()
        before = len(self.index.segment_sizes())
        was_stopped = False
        try:
            while True:
                if stopped is not None and stopped():
                    raise MergeStopped()
                merged = self.index.merge_step(stopped, whole)
                if not merged:
                    break
                if on_step is not None:
                    on_step(merged)
        except MergeStopped:
            was_stopped = True
        if whole and not was_stopped:
            self.index.complete(upgrade=True)
        return IndexMerge(before, len(self.index.segment_sizes()), was_stopped)

    # -- searching -------------------------------------------------------------------------

    def _asking_index(self, query: str, ask: Callable[[], _Answer], empty: _Answer) -> _Answer:
        """``ask`` the index about ``query`` (``empty`` for a blank one); every query error
        becomes a ServiceError."""
        if not query.strip():
            return empty
        try:
            return ask()
        except ValueError as exc:
            raise ServiceError(str(exc)) from exc
        except Exception as exc:  # whoosh raises assorted errors on odd queries
            raise ServiceError(f"cannot search for {query!r}: {exc}") from exc

    def search(self, query: str, limit: int = 20) -> list[SearchResult]:
        """Ranked articles for ``query`` with highlighted snippets."""
        none: list[RawHit] = []
        hits = self._asking_index(query, lambda: self.index.search(query, limit=limit), none)
        return [self._result(hit, query) for hit in hits]

    def warm_search(self) -> None:
        """Prepare this session's searching (see ``SearchIndex.warm``)."""
        self.index.warm()

    def search_ids(self, query: str, limit: int = 5000) -> tuple[list[int], frozenset[str]]:
        """Ranked article ids and the index terms they matched, without snippets (for the
        window's table, which shows rows, not excerpts)."""
        none: tuple[list[int], frozenset[str]] = ([], frozenset())
        return self._asking_index(query, lambda: self.index.search_ids(query, limit), none)

    def _result(self, hit: RawHit, query: str) -> SearchResult:
        rows = list(
            self.library.db.query(
                "SELECT title, abstract, full_text FROM articles WHERE id = ?", [hit.article_id]
            )
        )
        if not rows:
            return SearchResult(hit.article_id, "", hit.score, "", hit.terms)
        row = rows[0]
        sources = [row["full_text"] or "", row["abstract"] or ""]
        sources += [
            f.quote + (" — " + f.note if f.note else "")
            for f in self.library.findings.list(article_id=hit.article_id)
        ]
        for text in sources:  # the body first, then the abstract, then findings and notes
            spans = marked_spans(text, hit.terms, query)
            if spans:
                snippet = make_snippet(text, hit.terms, spans=spans)
                break
        else:
            snippet = make_snippet(sources[0] or row["title"], ())
        return SearchResult(hit.article_id, row["title"], hit.score, snippet, hit.terms)


def catch_up_index(path: str, viewer_uid: str | None = None) -> int:
    """Bring the index of the library at ``path`` (as ``viewer_uid`` sees it) up to date;
    returns articles touched.

    A plain function of plain data, so that it can run in another process (the window runs
    index work there: whoosh's long commits then never hold the interpreter it draws with).
    """
    with LibrarySession.open(
        path, sync_index=False, create=False, viewer_uid=viewer_uid
    ) as session:
        return session.sync_index()


# Set in the window's index process (``index_process_started``): a catch-up is waiting.
_index_process: dict[str, Any] = {}


def index_process_started(catch_up_waiting: Any) -> None:
    """The window's index process, as it starts: it ends with the window, and knows, through
    ``catch_up_waiting`` (a multiprocessing event), when a merge should give way."""
    end_with_parent()
    _index_process["catch_up_waiting"] = catch_up_waiting


def merge_index_at(path: str, viewer_uid: str | None = None) -> IndexMerge:
    """``merge_index`` for the library at ``path``, in the window's index process, giving
    way as soon as a catch-up is asked for."""
    waiting = _index_process.get("catch_up_waiting")
    with LibrarySession.open(
        path, sync_index=False, create=False, viewer_uid=viewer_uid
    ) as session:
        return session.merge_index(waiting.is_set if waiting is not None else None)


def ensure_index_at(path: str, viewer_uid: str | None = None) -> IndexAction:
    """``ensure_index`` for the library at ``path``, for use in another process."""
    with LibrarySession.open(
        path, sync_index=False, create=False, viewer_uid=viewer_uid
    ) as session:
        return session.ensure_index()


@dataclass(frozen=True)
class Marks:
    """What a search marks in an article: the index terms its rows matched, and the query
    (whose quoted phrases are marked where they stand, not word by word)."""

    terms: frozenset[str] = frozenset()
    query: str = ""


def search_spans(text: str, marks: Marks) -> list[tuple[int, int]]:
    """Where a search's matches are in ``text`` (offsets), for marking them."""
    return marked_spans(text, marks.terms, marks.query)


@dataclass(frozen=True)
class CheckReport:
    """``reviewapp check``: whether the index and the store's derived tables agree with it."""

    ok: bool
    index: str  # the index's health
    message: str
    articles: int
    findings: int


def check_library(session: LibrarySession) -> CheckReport:
    """Compare the index with the store thoroughly, and the duplicate-title keys with the
    titles; every difference is named in the message."""
    status = session.index_status(thorough=True)
    lib = session.library
    stray_blocks = lib.articles.title_block_problems()
    problems = [] if status.health is Health.OK else [status.message]
    if stray_blocks:
        problems.append(
            f"the duplicate-title keys of {stray_blocks} articles are out of step with their titles"
        )
    return CheckReport(
        not problems,
        status.health.value,
        "; ".join(problems) or status.message,
        lib.articles.count(),
        lib.findings.count(),
    )
