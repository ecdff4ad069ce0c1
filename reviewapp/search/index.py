"""The whoosh index folder: build, catch up, check and search.

The index is derived. It records in ``state.json`` which library it belongs to and the last
store change (sequence number of the store's change log) it reflects; anything else about
it can be rebuilt from the store at any time.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import numpy as np
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from reviewapp.search import postings, segment_merge, warming, whoosh_internals
from reviewapp.search.bulk import (
    BULK_DOCS,
    bulk_writer_options,
    documents_lost,
    open_writer,
    stop_workers,
)
from reviewapp.search.ranking import Ranker
from reviewapp.search.schema import (
    DEFAULT_FIELDS,
    FIELD_ALIASES,
    SCHEMA_VERSION,
    build_schema,
    to_document,
)
from reviewapp.search.synonyms import Synonyms
from reviewapp.search.whoosh_internals import FileLock, MappedStorage, try_for

if TYPE_CHECKING:
    from whoosh.qparser import MultifieldParser
    from whoosh.query import Query

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
_WAITING_FRESH_S = 2.0  # a waiting mark older than this was left by a waiter gone
_FIELD_PREFIX = re.compile(r"(?:^|[\s(])([A-Za-z_]\w*):")
_QUOTED = re.compile(r'"[^"]*"')
_DOI_LINK = re.compile(r"\bhttps?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)", re.IGNORECASE)
_KNOWN_FIELDS = frozenset(build_schema().names()) | {
    alias for aliases in FIELD_ALIASES.values() for alias in aliases
}
# Queries whose results are kept until the index changes.
_CACHED_QUERIES = 256  # REVIEWAPP_SEARCH_CACHE overrides it (0: no cache, for measuring)
_HIGHLIGHTED = frozenset(
    {
        "title",
        "abstract",
        "body",
        "finding",
        "keyword",
        "tag",
        "author",
        "journal",
        "doi",
        "nct",
        "reviewer",
    }
)
Progress = Callable[[int, int], None]
_Answer = TypeVar("_Answer")
Cancelled = Callable[[], bool]


class Health(StrEnum):
    OK = "ok"
    MISSING = "missing"
    STALE = "stale"
    CORRUPT = "corrupt"
    FOREIGN = "foreign"
    OUTDATED = "outdated"
    INCONSISTENT = "inconsistent"


@dataclass(frozen=True)
class IndexStatus:
    health: Health
    message: str
    indexed_seq: int = 0
    doc_count: int = 0

    @property
    def needs_rebuild(self) -> bool:
        return self.health not in (Health.OK, Health.STALE)


@dataclass(frozen=True)
class RawHit:
    article_id: int
    score: float
    terms: frozenset[str] = field(default_factory=frozenset)


class IndexBusy(Exception):
    """Another process (or thread) is updating the index and did not finish in time."""


class RebuildCancelled(Exception):
    """Raised inside a rebuild when the caller cancels; the old index stays in place."""


_Owner = TypeVar("_Owner")
_Params = ParamSpec("_Params")
_Result = TypeVar("_Result")
_Method = Callable[Concatenate[_Owner, _Params], _Result]


def holding_lock(
    index_of: Callable[[_Owner], SearchIndex],
) -> Callable[[_Method[_Owner, _Params, _Result]], _Method[_Owner, _Params, _Result]]:
    """A decorator running a method under the cross-process lock of the index that
    ``index_of(self)`` names (re-entrant): for the index's own methods and its users'."""

    def decorate(
        method: _Method[_Owner, _Params, _Result],
    ) -> _Method[_Owner, _Params, _Result]:
        @functools.wraps(method)
        def locked(self: _Owner, /, *args: _Params.args, **kwargs: _Params.kwargs) -> _Result:
            with index_of(self).exclusive():
                return method(self, *args, **kwargs)

        return locked

    return decorate


def _itself(index: SearchIndex) -> SearchIndex:
    return index


class SearchIndex:
    """One library's index folder. Keeps one searcher open and refreshes it after writes.

    Reading the index mapped, ranking over its posting arrays and indexing with two
    processes use whoosh's internals (``whoosh_internals``). They are checked once per
    process; if the installed whoosh differs from what they expect, the differences are
    logged and the index keeps to whoosh's own reading, searching and writing.
    """

    def __init__(
        self, directory: Path, synonyms: Synonyms | None = None, lock_timeout: float = 30.0
    ) -> None:
        self.directory = directory
        self.lock_timeout = lock_timeout
        self.synonyms = synonyms or Synonyms()
        self._ix: Any = None
        self._searcher: Searcher | None = None
        self._searcher_key: tuple[str, int, str] | None = None
        self._ranker: Ranker | None = None
        self._parser: MultifieldParser | None = None
        self._results: OrderedDict[tuple[str, str, int], Any] = OrderedDict()
        self._cache_size = _cache_size()
        self._lock_depth = 0
        self._lock: Any = None
        # whoosh as this package's faster paths expect it (see whoosh_internals)
        self._internals_ok = not whoosh_internals.changed_internals()

    @contextmanager
    def exclusive(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the index's cross-process lock (re-entrant within this object).

        Every catch-up and rebuild runs under it, so two processes never write the index
        at once and the recorded store state never goes backwards.
        """
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.directory) + ".lock")
        wait = self.lock_timeout if timeout is None else timeout
        if not lock.acquire(blocking=False):
            # Said while waiting, so that a merge of segments holding the lock gives way
            # (a merge can wait; a catch-up or a rebuild is what someone is waiting for).
            waiting = self._waiting_marker()

            def attempt() -> bool:
                _touch(waiting)  # again each time: another waiter may have taken it away
                return bool(lock.acquire(blocking=False))

            try:
                acquired = try_for(attempt, wait, 0.05)
            finally:
                waiting.unlink(missing_ok=True)
            if not acquired:
                raise IndexBusy(
                    "the search index is being updated by another reviewapp; try again shortly"
                )
        self._lock, self._lock_depth = lock, 1
        try:
            yield
        finally:
            self._lock_depth = 0
            self._lock = None
            lock.release()

    def _waiting_marker(self) -> Path:
        return self.directory.with_name(self.directory.name + ".waiting")

    def someone_waiting(self) -> bool:
        """Whether another program (or thread) is waiting for the index's lock: a waiter
        marks it anew every 50 ms, so an older mark is one a waiter killed left behind."""
        try:
            age = time.time() - self._waiting_marker().stat().st_mtime
        except OSError:
            return False
        return abs(age) < _WAITING_FRESH_S

    # -- state -----------------------------------------------------------------------------

    def _read_state(self) -> dict[str, Any] | None:
        return _read_json(self.directory / STATE_FILE)

    def recorded_state(self) -> tuple[int, int]:
        """The store change the index reflects and how many articles it holds, as its state
        file records them (0, 0 without one)."""
        state = self._read_state() or {}
        return int(state.get("seq", 0)), int(state.get("doc_count", 0))

    def status(
        self,
        library_uid: str,
        store_seq: int,
        store_count: int,
        compacted_through: int = 0,
        store_digests: dict[int, str] | None = None,
    ) -> IndexStatus:
        """How the index compares with the store. ``store_digests`` (article id → document
        digest, from the store) asks for a full comparison of contents."""
        if not self.directory.is_dir() or not (self.directory / STATE_FILE).exists():
            return IndexStatus(Health.MISSING, f"the search index is missing ({self.directory})")
        state = self._read_state()
        if state is None:
            return IndexStatus(Health.CORRUPT, "the search index state file is unreadable")
        if state.get("library_uid") != library_uid:
            return IndexStatus(Health.FOREIGN, "the search index belongs to another library")
        if state.get("schema") != SCHEMA_VERSION:
            return IndexStatus(Health.OUTDATED, "the search index was built by another version")
        try:
            ix = self._open()
            doc_count = int(ix.doc_count())
        except Exception as exc:  # whoosh raises many kinds on a damaged folder
            self._close()
            return IndexStatus(Health.CORRUPT, f"the search index cannot be read: {exc}")
        seq = int(state.get("seq", 0))
        if seq > store_seq:
            return IndexStatus(
                Health.OUTDATED,
                "the search index is ahead of the library (was the library restored from a "
                "backup?)",
                seq,
                doc_count,
            )
        if seq < compacted_through:
            return IndexStatus(
                Health.OUTDATED, "the search index is older than the change log", seq, doc_count
            )
        if seq < store_seq:
            return IndexStatus(
                Health.STALE,
                f"the search index is behind the library (change {seq} of {store_seq})",
                seq,
                doc_count,
            )
        if doc_count != store_count:
            return IndexStatus(
                Health.INCONSISTENT,
                f"the search index holds {doc_count} articles, the library {store_count}",
                seq,
                doc_count,
            )
        if store_digests is not None:
            differing = self._frequent(postings.verify)
            if differing:
                return IndexStatus(Health.INCONSISTENT, "; ".join(differing), seq, doc_count)
            indexed = self.indexed_digests()
            missing = len(store_digests.keys() - indexed.keys())
            extra = len(indexed.keys() - store_digests.keys())
            stale = sum(1 for i, d in store_digests.items() if i in indexed and indexed[i] != d)
            if missing or extra or stale:
                return IndexStatus(
                    Health.INCONSISTENT,
                    f"the search index lacks {missing} articles, has {extra} unknown ones and "
                    f"{stale} out of date",
                    seq,
                    doc_count,
                )
        lacking = self._frequent(postings.problems)
        if lacking:
            # Caught up like a stale index: the catch-up writes what is missing.
            return IndexStatus(Health.STALE, "; ".join(lacking), seq, doc_count)
        return IndexStatus(
            Health.OK, f"the search index is up to date ({doc_count} articles)", seq, doc_count
        )

    def indexed_ids(self) -> set[int]:
        return set(self.indexed_digests())

    def indexed_digests(self) -> dict[int, str]:
        searcher = self.searcher()
        return {
            int(fields["id"]): str(fields.get("digest", ""))
            for fields in searcher.reader().all_stored_fields()
        }

    # -- writing ---------------------------------------------------------------------------

    @holding_lock(_itself)
    def rebuild(
        self,
        library_uid: str,
        seq: int,
        documents: Iterable[dict[str, Any]],
        total: int,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> int:
        """Build a fresh index from ``documents`` beside the old one, then swap it in.

        A crash or a cancel leaves the old index as it was.
        """
        self._close()
        parent = self.directory.parent
        # Left by a rebuild that was killed: nobody else builds while we hold the lock.
        for stale in parent.glob(self.directory.name + ".new-*"):
            shutil.rmtree(stale, ignore_errors=True)
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=self.directory.name + ".new-", dir=parent))
        try:
            ix = whoosh_index.create_in(str(staging), build_schema())
            options = bulk_writer_options(total)
            # Two workers leave two segments, which is fine; merging them into one
            # ("optimize") in this process would cost more than the workers saved.
            writer = open_writer(ix, **(options or {"limitmb": 256}))
            done = 0
            try:
                for doc in documents:
                    if cancelled is not None and cancelled():
                        raise RebuildCancelled()
                    writer.add_document(**to_document(doc))
                    done += 1
                    if progress is not None and (done % 200 == 0 or done == total):
                        progress(done, total)
                writer.commit(optimize=not options)
            except BaseException:
                stop_workers(writer)
                writer.cancel()
                raise
            if ix.doc_count() != done:  # whoosh ignores a worker that died
                raise RuntimeError(
                    f"the index was built with {ix.doc_count()} of {done} articles; "
                    "run `reviewapp reindex` again"
                )
            if self._internals_ok:
                with ix.searcher() as fresh:
                    postings.write_missing(staging, fresh)
            ix.close()
            _write_state(staging, library_uid, seq, done, build=uuid.uuid4().hex)
            self._swap_in(staging)
            return done
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)

    @holding_lock(_itself)
    def forget(self) -> None:
        """Mark the index for a rebuild (its store was replaced: a restored backup), which
        the next ``status`` reports as missing; what it holds is left to the rebuild."""
        (self.directory / STATE_FILE).unlink(missing_ok=True)

    def _swap_in(self, staging: Path) -> None:
        old = None
        if self.directory.exists():
            old = self.directory.with_name(self.directory.name + ".old")
            if old.exists():
                shutil.rmtree(old, ignore_errors=True)
            os.replace(self.directory, old)
        os.replace(staging, self.directory)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    @holding_lock(_itself)
    def apply(
        self,
        library_uid: str,
        seq: int,
        documents: Iterable[dict[str, Any]],
        removed_ids: Iterable[int],
        expected: int = 0,
    ) -> int:
        """Bring changed articles up to date and drop removed ones; records ``seq``.

        ``expected`` (how many documents are coming) lets a large batch use two processes.
        """
        ix = self._open()
        removed = [str(article_id) for article_id in removed_ids]
        options = bulk_writer_options(expected)
        if options:
            # Everything read before the workers start, so that nothing can fail while
            # they run; and checked after, since whoosh ignores a lost worker.
            prepared = [to_document(doc) for doc in documents]
            _count, lost = _write_batch(ix, prepared, removed, options, many=True)
            # Whole segments say how many documents they hold: each looked up otherwise.
            missing = _missing(ix, prepared) if lost is None or lost else []
            if missing:
                log.warning("%d documents were lost by a worker; indexing them again", len(missing))
                _write_batch(ix, missing, [], {}, many=len(missing) >= BULK_DOCS)
            count = len(prepared) + len(removed)
        else:
            documents = (to_document(doc) for doc in documents)
            count, _lost = _write_batch(ix, documents, removed, {}, many=expected >= BULK_DOCS)
        self.complete()
        _write_state(self.directory, library_uid, seq, int(ix.doc_count()))
        return count

    @holding_lock(_itself)
    def merge_step(self, stopped: segment_merge.Stopped | None = None, whole: bool = False) -> int:
        """Merge the next few small segments into one (``segment_merge.plan``; ``whole``: all
        of them); returns how many were merged (0: none is due, or merging is not possible
        here). Raises ``segment_merge.MergeStopped`` when ``stopped()`` says so: the index
        is as it was."""
        if not self._internals_ok:
            return 0
        ix = self._open()
        if not segment_merge.possible(ix.schema) or not segment_merge.plan(
            self.segment_sizes(), whole
        ):
            return 0

        def given_way() -> bool:  # to the caller, or to anyone waiting for the lock
            return (stopped is not None and stopped()) or self.someone_waiting()

        if given_way():
            raise segment_merge.MergeStopped()
        merged = 0

        def policy(writer: Any, segments: list[Any]) -> list[Any]:
            # whoosh's commit asks which segments to keep; the merged one is among them.
            nonlocal merged
            chosen = segment_merge.plan([segment.doc_count_all() for segment in segments], whole)
            if not chosen:
                return list(segments)
            new = segment_merge.merge(
                writer.storage,
                writer.indexname,
                writer.schema,
                [segments[i] for i in chosen],
                given_way,
            )
            merged = len(chosen)
            return [s for i, s in enumerate(segments) if i not in chosen] + [new]

        writer = ix.writer(timeout=30.0, delay=0.05)
        try:
            writer.commit(mergetype=policy)
        except BaseException:
            writer.cancel()
            raise
        self.complete()
        # Searchers opened between the commit and the frequent-word files (in any process)
        # reopen: a merge changes no recorded change, so the state says it otherwise.
        state = self._read_state()
        if state is not None:
            _write_state(
                self.directory,
                str(state.get("library_uid", "")),
                int(state.get("seq", 0)),
                int(state.get("doc_count", 0)),
                merged=uuid.uuid4().hex,
            )
        return merged

    def segment_sizes(self) -> list[int]:
        """Each segment's documents (deleted ones included)."""
        return [reader.doc_count_all() for reader, _ in self.searcher().reader().leaf_readers()]

    @holding_lock(_itself)
    def complete(self, upgrade: bool = False) -> int:
        """Write the frequent-word postings of segments that lack them (new segments, or
        an index from before they existed; ``upgrade``: or whose files are of an older
        format, without positions); returns how many were written."""
        if not self._internals_ok:
            return 0  # unused where whoosh answers every query itself
        with self._open().searcher() as fresh:
            return postings.write_missing(self.directory, fresh, upgrade)

    def _frequent(self, compare: Callable[[Path, Searcher], list[str]]) -> list[str]:
        """What ``compare`` (``postings.problems`` or ``verify``) finds amiss in the
        frequent-word postings; nothing where whoosh answers every query itself."""
        if not self._internals_ok:
            return []
        return compare(self.directory, self.searcher())

    # -- reading ---------------------------------------------------------------------------

    def _open(self) -> Any:
        if self._ix is None:
            if self._internals_ok:
                # Mapped without whoosh's copy of every segment file (see MappedStorage).
                self._ix = MappedStorage(str(self.directory)).open_index()
            else:
                self._ix = whoosh_index.open_dir(str(self.directory))
        return self._ix

    def searcher(self) -> Searcher:
        """A searcher on the latest committed index. Reopened (not ``refresh()``ed, which keeps
        stale deletions) whenever the recorded state changed, including a rebuild elsewhere."""
        state = self._read_state() or {}
        key = (str(state.get("build", "")), int(state.get("seq", -1)), str(state.get("merged", "")))
        if (
            self._searcher is not None
            and key == self._searcher_key
            and (self._searcher.up_to_date())
        ):
            return self._searcher
        self._close()
        self._searcher = self._open().searcher()
        self._searcher_key = key
        self._results.clear()
        return self._searcher

    def ranker(self) -> Ranker:
        """The ranker over the current searcher (rebuilt with it)."""
        searcher = self.searcher()
        if self._ranker is None or self._ranker.searcher is not searcher:
            self._ranker = Ranker(searcher, self.directory)
        return self._ranker

    def warm(self) -> None:
        """Ready what a first search needs, ahead of it: the index's files asked of the
        disk (read ahead by the system, in the background), the searcher, its ranker with
        every scored field's norms, the default fields' word lists (every segment's as one)
        and the years' values, and the query parser. A first query of
        a kind would otherwise pay for them (50–100 ms at 100,000 articles, more with the
        files not yet in memory)."""
        warming.read_index_ahead(self.directory)  # in the background
        if self._internals_ok:
            ranker = self.ranker()
            scored = [name for name, field in ranker.schema.items() if field.scorable]
            # a bare fuzzy word's fields; the years' values, for ranges
            ranker.prepare(scored, words_of=DEFAULT_FIELDS, numbers=True)
        else:
            self.searcher()
        self.parse("warm")

    def parse(self, text: str) -> Query:
        """Parse a user query (after synonym expansion). ValueError names an unknown field."""
        text = _DOI_LINK.sub(r"\1", text)
        for match in _FIELD_PREFIX.finditer(_QUOTED.sub(" ", text)):
            name = match.group(1).lower()
            if name not in _KNOWN_FIELDS:
                known = ", ".join(sorted(set(build_schema().names()) - {"id"}))
                raise ValueError(f"unknown field {match.group(1)}: (fields: {known})")
        if self._parser is None:
            # The query parser loads with the first query, not with the index: a command
            # that never searches starts without it (50 ms).
            from whoosh.qparser import (
                FieldAliasPlugin,
                FuzzyTermPlugin,
                GtLtPlugin,
                MultifieldParser,
            )

            parser = MultifieldParser(
                list(DEFAULT_FIELDS), build_schema(), fieldboosts=DEFAULT_FIELDS
            )
            parser.add_plugin(FuzzyTermPlugin())
            parser.add_plugin(GtLtPlugin())
            parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
            self._parser = parser
        return self._parser.parse(self.synonyms.expand_query(text))

    def search(self, text: str, limit: int = 20) -> list[RawHit]:
        """Ranked article ids for a query, each with the index terms to highlight (the
        first ranking.PER_HIT_TERMS of them).

        Results are kept for the searcher's lifetime (the index's current state), so a
        query typed again, as when a user deletes back to an earlier prefix, costs nothing.
        """
        return self._cached(text, limit, self._hits)

    def search_ids(self, text: str, limit: int) -> tuple[list[int], frozenset[str]]:
        """Ranked article ids and the index terms they hold, for a long list (the window's
        table): without words per hit, which thousands of rows do not need."""
        return self._cached(text, limit, self._ids_and_terms)

    def _cached(self, text: str, limit: int, answer: Callable[[str, int], _Answer]) -> _Answer:
        self.searcher()  # a changed index empties the cache
        key = (answer.__name__, text, limit)
        cached = self._results.get(key)
        if cached is not None:
            self._results.move_to_end(key)
            return cached  # type: ignore[no-any-return]
        result = answer(text, limit)
        self._results[key] = result
        while len(self._results) > self._cache_size:
            self._results.popitem(last=False)
        return result

    def _hits(self, text: str, limit: int) -> list[RawHit]:
        query = self.parse(text)
        if not self._internals_ok:
            return _whoosh_hits(self.searcher(), query, limit)
        ranker = self.ranker()
        ranked = ranker.rank(query, limit, _HIGHLIGHTED)
        if ranked is None:
            return _whoosh_hits(self.searcher(), query, limit)
        article_ids = ranker.article_ids(np.asarray([r.docnum for r in ranked], dtype=np.int64))
        return [
            RawHit(article_id, r.score, r.terms)
            for article_id, r in zip(article_ids, ranked, strict=True)
        ]

    def _ids_and_terms(self, text: str, limit: int) -> tuple[list[int], frozenset[str]]:
        query = self.parse(text)
        found = self.ranker().rank_ids(query, limit, _HIGHLIGHTED) if self._internals_ok else None
        if found is not None:
            return found
        hits = _whoosh_hits(self.searcher(), query, limit)
        return [h.article_id for h in hits], frozenset(t for h in hits for t in h.terms)

    def _close(self) -> None:
        self._ranker = None
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def close(self) -> None:
        self._close()


def _whoosh_hits(searcher: Searcher, query: Query, limit: int) -> list[RawHit]:
    """whoosh's own answer, for the query kinds the ranker leaves to it."""
    # terms=True records which words each hit matched, for highlighting. (Expanding the
    # query's prefix and fuzzy words against the lexicon instead costs seconds at 100k.)
    hits: list[RawHit] = []
    for hit in searcher.search(query, limit=limit, terms=True):
        # Only words are highlighted: numeric fields (year) hold encoded terms.
        terms = frozenset(
            value.decode("utf-8") if isinstance(value, bytes) else str(value)
            for fieldname, value in (hit.matched_terms() or [])
            if fieldname in _HIGHLIGHTED
        )
        hits.append(RawHit(int(hit["id"]), float(hit.score or 0.0), terms))
    return hits


def _cache_size() -> int:
    value = os.environ.get("REVIEWAPP_SEARCH_CACHE", "")
    return int(value) if value.isdecimal() else _CACHED_QUERIES


def _write_batch(
    ix: Any,
    documents: Iterable[dict[str, Any]],
    removed: list[str],
    options: dict[str, Any],
    many: bool = False,
) -> tuple[int, int | None]:
    """Add or replace ``documents`` (``many``: a thousand or more) and delete ``removed``
    ids in one commit; returns how many, and how many documents the writer's workers lost,
    where it knows (see ``bulk.documents_lost``)."""
    writer = open_writer(ix, timeout=30.0, delay=0.05, **options)
    count = 0
    try:
        with _indexed_ids(writer, many) as indexed:
            for document in documents:
                if indexed(document["id"]):
                    writer.update_document(**document)
                else:  # a new article: nothing to replace (whoosh looks in every segment)
                    writer.add_document(**document)
                count += 1
        for article_id in removed:
            writer.delete_by_term("id", article_id)
            count += 1
        # A bulk batch's workers' segments are added as they are, and no older segment is
        # merged meanwhile (whoosh's default would merge small ones here, in this process).
        writer.commit(merge=not options)
    except BaseException:
        stop_workers(writer)
        writer.cancel()
        raise
    return count, documents_lost(writer)


@contextmanager
def _indexed_ids(writer: Any, many: bool) -> Iterator[Callable[[str], bool]]:
    """Whether an article id may be in the index the writer writes to: its word is in a
    segment's table of words (a deleted document's word stays there until a merge; it is
    then replaced all the same, which finds nothing to delete). ``update_document`` looks
    each id up through its postings in every segment (25 µs a segment here: 0.5 ms an
    article at 20 segments, in the process that feeds a bulk batch's workers). For
    ``many`` articles, every segment's ids are read once (0.25 s for 100,000); for a few,
    each is looked up in each segment's table (11 µs)."""
    with writer.searcher() as searcher:
        readers = [leaf.reader() for leaf, _offset in searcher.leaf_searchers()]
        if many:
            held = {btext for reader in readers for btext in reader.lexicon("id")}
            yield lambda article_id: article_id.encode("utf-8") in held
        else:
            yield lambda article_id: any(("id", article_id) in reader for reader in readers)


def _missing(ix: Any, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    with ix.searcher() as searcher:
        return [d for d in documents if searcher.document_number(id=d["id"]) is None]


def _write_state(
    directory: Path,
    library_uid: str,
    seq: int,
    doc_count: int,
    build: str | None = None,
    merged: str | None = None,
) -> None:
    """Record, atomically, which library and which store change the index reflects (and
    which build and merge of it this is, for searchers to know when to reopen)."""
    previous = _read_json(directory / STATE_FILE) or {}
    if build is None:  # a catch-up keeps the build id of the index it updates
        build = str(previous.get("build", ""))
    if merged is None:
        merged = str(previous.get("merged", "")) if previous.get("build", "") == build else ""
    state = {
        "library_uid": library_uid,
        "seq": seq,
        "schema": SCHEMA_VERSION,
        "doc_count": doc_count,
        "build": build,
        "merged": merged,
    }
    target = directory / STATE_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, target)


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):  # a folder that cannot take it: no merge is told
        path.touch()


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None
