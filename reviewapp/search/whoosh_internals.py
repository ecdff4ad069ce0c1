"""whoosh's internals: the one module of reviewapp that uses them.

Checked against Whoosh-Reloaded 2.7.5 (``whoosh.__version__ == (2, 7, 5)``). The rest of
``reviewapp.search`` uses whoosh's public API (``whoosh.index``, ``fields``, ``qparser``,
``query``, ``searching``, ``analysis``, ``lang``, readers' and matchers' public methods) and,
for what that API cannot do fast enough, the functions and classes here.
``check_whoosh_internals()`` names every internal below that the installed whoosh no longer
has as this module expects (names, signatures, constants, the names used by the code copied
or followed here; with a scratch folder, a small index read both ways); ``SearchIndex``
runs it once per process and, if anything changed, logs it and keeps to whoosh's own
reading, ranking and writing. (A whoosh module or class imported below that is gone stops
the import of this module, with an ImportError naming it.)

What this module relies on, by whoosh module:

``whoosh.codec.whoosh3``
  - ``W3LeafMatcher``, the reader of one word's postings in a segment, and its attributes
    ``_postfile`` (the postings file), ``_baseoffset`` (where the first block starts),
    ``_byteids`` (ids kept as bytes: term vectors), ``_blocklength``, ``_maxid``,
    ``_maxweight``, ``_compression``, ``_minlength``, ``_maxlength`` (the current block's
    header), ``_lastblock``, ``_atend``, ``_nextoffset``, ``_dataoffset``, ``_data``,
    ``_ids``, ``_weights``, ``_values``, ``_i`` (the place within the block), and methods
    ``_goto(position)``, ``_next_block()``, ``_read_data()``, ``_read_ids()`` (and the
    decoding of ``_read_weights``, followed): posting
    lists read whole block by block (``block_ids_and_weights``), a block reached straight
    from its offset (``goto_block``: ``_goto`` re-implemented with one read of the header)
    and a document within it by bisection (``skip_to``, ``move_within_block``).
  - The block layout: a signed int (the block's byte length, negative for the last block)
    followed by a pickled tuple ``(count, max id, max weight, compressed, min length byte,
    max length byte)``, then the pickled (perhaps zlib-compressed) data tuple ``(ids as
    deltas from 0, weights as a tuple, one float or None for all 1.0, values)``. The
    frequent-word files (postings.py) store blocks' byte offsets, so they follow it too.
  - ``LENGTHS_COLUMN`` (a ``NumericColumn("B")``) and the length column's name
    ``_<field>_len`` (``_lenfield``): every document's encoded field length read as one
    array (``field_length_bytes``).
  - ``W3PerDocReader._cached_reader(name, column)`` and the column reader's ``_dbfile``,
    ``_basepos``, ``_count``, ``_fixedlen`` (``whoosh.columns.NumericColumn.Reader``).
  - The writing of a segment (``SegmentFiles``, for ``segments.SegmentBuilder``): the
    codec (``whoosh.codec.default_codec()``, a ``W3Codec``, its ``_blocklimit``,
    ``_compression`` and ``_inlinelimit``), ``new_segment``, its per-document writer
    (``start_doc``, ``add_field``, ``add_column_value``, ``finish_doc``, ``close``, which
    sets the segment's field lengths) and field writer (``start_field``, ``_fieldid``,
    ``_postfile``, ``_tindex`` and its ``add``, ``finish_field``, ``close``), the segment's
    ``set_doc_count``, ``should_assemble`` and ``create_compound_file``; and, followed a
    block at a time, ``W3PostingsWriter.add_posting``, ``_write_block``, ``_mini_ids``,
    ``_mini_weights``, ``_mini_values`` and ``finish_postings``, ``W3TermInfo.add_block``
    (its ``_weight``, ``_df``, ``_minlength``, ``_maxlength``, ``_maxweight``, ``_minid``,
    ``_maxid``), ``set_extent`` and ``to_bytes``, ``W3FieldWriter.finish_term`` and the
    header tag ``WHOOSH3_HEADER_MAGIC``. A field length is given to the postings writer as
    the segment keeps it, ``byte_to_length(length_to_byte(n))`` (``stored_length``).
  - For a merge (``segment_merge.py``): the word table read in order through
    ``W3TermsReader.items_from`` (each word's ``W3TermInfo``: ``is_inlined``, and
    ``extent()``, whose length whoosh keeps as a 1-tuple), the postings file
    ``W3TermsReader._postfile``, and the block layout above, decoded in one slice
    (``field_words``, ``whole_postings``); the check compares that with whoosh's own
    reading (``postings_one_by_one``). ``Segment.make_filename`` names a segment's files,
    removed when one is abandoned (``SegmentFiles.cancel``).
``whoosh.reading``
  - ``SegmentReader._perdoc`` (its per-document reader) and ``SegmentReader.cursor(field)``
    (a word cursor for fuzzy expansion).
  - ``SegmentReader._terms.matcher(field, word, format)``, as ``SegmentReader.postings``
    calls it before wrapping the result in a ``FilterMatcher`` that skips deleted documents
    (``all_postings``: a word's postings from the first, deleted documents included; the
    filter has moved past the first deleted ones by the time it is made, so a block whose
    documents are all deleted would be missing from a reading of whole blocks).
``whoosh.codec.base``
  - ``Automata.levenshtein_dfa(text, maxdist, prefix)`` and ``Automata.find_matches(dfa,
    cursor)``, and the cursor protocol it drives (``text()``, ``find(word)``): fuzzy words
    expanded with an automaton built once per query (``levenshtein_automaton``,
    ``words_matching``), over a word list in memory (``SortedWordCursor``).
``whoosh.qparser``
  - How the parser calls a field's analyzer: a quoted phrase's text through
    ``field.tokenize(text, mode="query", chars=True)`` (``PhrasePlugin.PhraseNode.query``),
    a term's through ``field.process_text(text, mode="query", ...)`` without characters
    (``QueryParser.term_query``): a phrase's compounds are looked for as their parts
    (``analysing_a_phrase``).
``whoosh.system``
  - ``_INT_SIZE`` (4) and ``unpack_int``: a block's length, in ``goto_block``.
``whoosh.util.numeric``
  - ``byte_to_length``: the byte encoding of field lengths (``field_lengths_by_byte``).
``whoosh.util.filelock``
  - ``FileLock`` and ``try_for``: the index folder's cross-process lock (not documented
    API).
``whoosh.filedb`` (``structfile``, ``compound``, ``filestore``)
  - ``FileStorage.open_file`` (its result's ``file``) and ``supports_mmap``,
    ``StructFile`` (``__init__``, ``subset``, ``_name``), ``BufferFile`` (its attributes
    ``_buf``, ``_name``, ``file``, ``onclose``, ``is_real``, ``is_closed``, read through
    ``_buf``) and ``SubFile(parent, offset, length, name)``: ``MappedStorage``.
``whoosh.multiproc``
  - ``MpWriter`` (its ``__init__``, which calls ``whoosh.writing.SegmentWriter.__init__``,
    and ``_new_task`` copied, ``_enqueue``, the attributes
    ``tasks``, ``jobqueue``, ``resultqueue``, ``docbuffer``, ``_grouping``, ``_added_sub``,
    the job queue's size ``procs * 4``) and ``SubWriterTask`` (a ``multiprocessing.Process``
    taking ``storage, indexname, jobqueue, resultqueue, kwargs, multisegment``): the
    two-process writer with its workers forked whatever the process's start method
    (``forked_writer``), and stopped on failure (``stop_workers``). ``bulk_writer``'s
    workers read whoosh's job files as ``SubWriterTask._process_file`` does (pickled
    ``(0, fields)`` pairs in the writer's temporary storage ``<indexname>.tmp``) and its
    commit follows ``MpWriter._commit`` (``_merge_segments``, ``_finalize_segment``,
    ``_close_segment``, ``_commit_toc``, ``_finish``, ``_added``), with any number of
    segments from each worker.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import functools
import importlib
import inspect
import io
import itertools
import logging
import mmap
import multiprocessing
import operator
import os
import pickle
import queue
import signal
import zlib
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index
from whoosh.codec import default_codec
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3TermInfo,
)
from whoosh.filedb.compound import CompoundStorage, SubFile
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import _INT_SIZE, pack_int, pack_ushort, unpack_int
from whoosh.util.filelock import FileLock, try_for
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

__all__ = [
    "FileLock",
    "MappedStorage",
    "SegmentFiles",
    "SortedWordCursor",
    "all_postings",
    "analysing_a_phrase",
    "block_header",
    "block_ids_and_weights",
    "bulk_writer",
    "changed_internals",
    "check_whoosh_internals",
    "documents_lost",
    "field_length_bytes",
    "field_lengths_by_byte",
    "field_words",
    "forked_writer",
    "goto_block",
    "has_blocks",
    "has_word_cursor",
    "levenshtein_automaton",
    "move_within_block",
    "postings_one_by_one",
    "skip_to",
    "stop_workers",
    "stored_length",
    "try_for",
    "whole_postings",
    "whole_segments_possible",
    "word_cursor",
    "words_matching",
]

log = logging.getLogger(__name__)

Ids = npt.NDArray[np.int64]
Weights = npt.NDArray[np.float64]

# Bytes read for a posting block's header: its pickled tuple of six numbers takes < 60.
HEADER_BYTES = 128


@functools.cache
def changed_internals() -> tuple[str, ...]:
    """``check_whoosh_internals()`` once per process (about a millisecond); each internal
    that changed is logged once, as a warning."""
    changed = tuple(check_whoosh_internals())
    for message in changed:
        log.warning("%s; searching and indexing keep to whoosh's own, slower, ways", message)
    return changed


# -- a quoted phrase's words ---------------------------------------------------------------


def analysing_a_phrase(mode: str, chars: bool) -> bool:
    """Whether an analyzer is called for the words of a quoted phrase. whoosh's query
    parser analyses a phrase with ``field.tokenize(text, mode="query", chars=True)``
    (``PhrasePlugin.PhraseNode.query``, for the phrase's character ranges) and a single
    term with ``field.process_text(text, mode="query", ...)``, which asks for no
    characters: the one sign an analyzer has of which it is doing."""
    return mode == "query" and chars


# -- a word's postings in one segment ------------------------------------------------------


def all_postings(reader: Any, fieldname: str, btext: bytes) -> Any:
    """A word's posting reader in one segment (a ``SegmentReader``), from its first posting,
    deleted documents included: whoosh's own (``postings``) skips deleted documents one
    posting at a time, while its statistics and blocks count them, and has already moved
    past the first deleted ones when it is made."""
    return reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)


def has_blocks(matcher: Any) -> bool:
    """Whether ``matcher`` is whoosh 3's reader of posting blocks, which the functions
    below move through."""
    return type(matcher) is W3LeafMatcher


def block_ids_and_weights(matcher: Any) -> Iterator[tuple[int, Ids, Weights]] | None:
    """A fresh posting reader's blocks, in order, each as its byte offset, its document
    numbers and their weights (term frequencies); the reader is left at the end. None for
    postings of another kind (read them one by one through the public API)."""
    if type(matcher) is not W3LeafMatcher or matcher._byteids:
        return None
    return _blocks(matcher)


def _blocks(matcher: Any) -> Iterator[tuple[int, Ids, Weights]]:
    offset = matcher._baseoffset
    while matcher.is_active():
        count = matcher._blocklength
        next_offset = matcher._nextoffset
        if matcher._data is None:
            matcher._read_data()
        block_ids, block_weights, _values = matcher._data
        # Deltas within a block, from 0: each block restarts the sum.
        ids = np.cumsum(np.asarray(block_ids, dtype=np.int64))
        if block_weights is None:
            weights = np.ones(count)
        elif isinstance(block_weights, float):
            weights = np.full(count, block_weights)
        else:
            weights = np.asarray(block_weights, dtype=np.float64)
        yield offset, ids, weights
        offset = next_offset
        matcher._next_block()


def postings_one_by_one(reader: Any, fieldname: str, btext: bytes) -> tuple[list[Any], ...]:
    """A word's postings in one segment as whoosh's own reader gives them, one at a time
    (deleted documents included): document numbers, weights, encoded values."""
    matcher = all_postings(reader, fieldname, btext)
    ids, weights, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value())
        matcher.next()
    return ids, weights, values


def goto_block(matcher: Any, position: int) -> None:
    """whoosh's ``W3LeafMatcher._goto`` (move to the posting block at ``position``), with
    the block's header read by one slice and one unpickling: whoosh unpickles it from the
    file, some twenty small reads of a seek each, 40 µs a block where a phrase check walks
    hundreds of blocks."""
    header = block_header(matcher, position)
    if header is None:
        matcher._goto(position)  # not the header this expects: whoosh reads it its way
        return
    length, dataoffset, blocklength, maxid, maxweight, compression, shortest, longest = header
    matcher._lastblock = length < 0
    matcher._nextoffset = position + _INT_SIZE + abs(length)
    matcher._dataoffset = dataoffset
    matcher._data = matcher._ids = matcher._weights = matcher._values = None
    matcher._i = 0
    matcher._blocklength, matcher._maxid, matcher._maxweight = blocklength, maxid, maxweight
    matcher._compression = compression
    matcher._minlength = byte_to_length(shortest)
    matcher._maxlength = byte_to_length(longest)


def block_header(matcher: Any, position: int) -> tuple[Any, ...] | None:
    """The header of the block at ``position``: its signed length, where its data starts,
    and the six numbers of its pickled tuple; None if it is not laid out that way."""
    head = matcher._postfile.get(position, _INT_SIZE + HEADER_BYTES)
    stream = io.BytesIO(head[_INT_SIZE:])
    try:
        info = pickle.load(stream)
        blocklength, maxid, maxweight, compression, shortest, longest = info
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    length = unpack_int(head[:_INT_SIZE])[0]
    dataoffset = position + _INT_SIZE + stream.tell()
    return length, dataoffset, blocklength, maxid, maxweight, compression, shortest, longest


def move_within_block(matcher: Any, place: int) -> None:
    """Put a block reader on the ``place``-th posting of its current block."""
    matcher._i = place


def skip_to(matcher: Any, docnum: int) -> None:
    """Move a posting reader to the first document ≥ ``docnum``: past whole blocks by their
    headers, then by bisection within the block (whoosh's own ``skip_to`` steps through a
    block one posting at a time, in Python: most of a phrase check's time)."""
    if type(matcher) is not W3LeafMatcher:
        matcher.skip_to(docnum)
        return
    while matcher.is_active() and matcher.block_max_id() < docnum:
        if matcher._lastblock:
            matcher._atend = True
        else:
            goto_block(matcher, matcher._nextoffset)
    if not matcher.is_active():
        return
    if matcher._ids is None:
        matcher._read_ids()
    matcher._i = bisect.bisect_left(matcher._ids, docnum, matcher._i)


# -- field lengths -------------------------------------------------------------------------


def field_lengths_by_byte() -> list[float]:
    """The field length each of the 256 length bytes stands for."""
    return [float(byte_to_length(b)) for b in range(256)]


def field_length_bytes(reader: Any, fieldname: str, count: int) -> npt.NDArray[np.uint8]:
    """A segment's encoded field lengths, one byte per document (0 where none)."""
    result = np.zeros(count, dtype=np.uint8)
    column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if column is None:
        return result
    stored = min(column._count, count)
    raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
    result[:stored] = np.frombuffer(raw, dtype=np.uint8)
    return result


# -- fuzzy words ---------------------------------------------------------------------------


def levenshtein_automaton(text: str, maxdist: int, prefixlength: int) -> Any:
    """The automaton whoosh matches a fuzzy word with."""
    return Automata.levenshtein_dfa(text, maxdist, prefixlength)


def words_matching(automaton: Any, cursor: Any) -> Iterator[str]:
    """The words ``automaton`` accepts, found through ``cursor`` (a reader's
    ``word_cursor`` or a ``SortedWordCursor``)."""
    found: Iterator[str] = Automata.find_matches(automaton, cursor)
    return found


def has_word_cursor(reader: Any) -> bool:
    return hasattr(reader, "cursor")


def word_cursor(reader: Any, fieldname: str) -> Any:
    """A segment reader's cursor over a field's words on disk."""
    return reader.cursor(fieldname)


class SortedWordCursor:
    """The part of whoosh's word cursor a fuzzy word's automaton uses (``text``, ``find``:
    the first word at or after a given one), over a sorted list in memory: a bisection,
    where whoosh's cursor reads a dozen entries of its table on disk."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.at = 0

    def text(self) -> str | None:
        return self.words[self.at] if self.at < len(self.words) else None

    def find(self, word: str) -> str | None:
        self.at = bisect.bisect_left(self.words, word)
        return self.text()


# -- segment files, mapped -----------------------------------------------------------------


class _View(BufferFile):  # type: ignore[misc]
    """A part of a mapped file: random access by slicing the map, sequential reads by a
    cursor over it (whoosh's ``SubFile``). Unlike ``BufferFile``, no ``BytesIO`` copy."""

    def __init__(self, mapped: mmap.mmap, offset: int, length: int, name: str | None) -> None:
        self._buf = memoryview(mapped)[offset : offset + length]
        self._name = name
        self.file = SubFile(mapped, offset, length, name=name)
        self.onclose = None
        self.is_real = False
        self.is_closed = False

    def close(self) -> None:
        if not self.is_closed:
            self._buf.release()
        self.is_closed = True


class _MappedFile(StructFile):  # type: ignore[misc]
    """A whole segment file, mapped; its parts (``subset``) are views of the map. The file
    itself is closed at once (the map keeps what it needs), as whoosh's mmap does."""

    def __init__(self, fileobj: Any, name: str) -> None:
        with fileobj:
            mapped = mmap.mmap(fileobj.fileno(), 0, access=mmap.ACCESS_READ)
        super().__init__(mapped, name=name)  # an mmap reads and seeks like a file
        self._mapped = mapped

    def subset(self, offset: int, length: int, name: str | None = None) -> _View:
        return _View(self._mapped, offset, length, name or self._name)

    def close(self) -> None:
        self.is_closed = True
        # A view may still be held somewhere; the map then goes when it does.
        with contextlib.suppress(BufferError):
            self._mapped.close()


class MappedStorage(FileStorage):  # type: ignore[misc]
    """The index folder as whoosh reads it, with segment files memory-mapped and not copied.

    whoosh's own memory-mapped reading (``FileStorage(supports_mmap=True)``) hands each
    file inside a segment to ``BufferFile``, which wraps it in a ``BytesIO``: a copy of the
    whole file in the process's memory. A searcher over a 100,000-article index then held
    the index twice, 790 MB before its first query. Without mmap, every read is a seek and
    a read call: lookups in the word list (fuzzy words walk it) took three times as long.
    Here a segment file is mapped once and its parts are views of the map: reads are slices
    of memory, as with whoosh's mmap, and nothing is copied until a part is read.
    """

    def __init__(self, path: str) -> None:
        # supports_mmap=False makes whoosh ask a file for its parts (``subset``) instead
        # of mapping it itself, which is where the copy happens.
        super().__init__(path, supports_mmap=False)

    def open_file(self, name: str, **kwargs: Any) -> Any:
        opened = super().open_file(name, **kwargs)
        if not name.endswith(".seg") or os.fstat(opened.file.fileno()).st_size == 0:
            return opened
        return _MappedFile(opened.file, name)


# -- the two-process writer ----------------------------------------------------------------


@functools.cache
def _forked_task() -> type:
    """whoosh's worker process, started by fork whatever the process's start method: the
    fork context's ``Process`` first, so that its way of starting comes first."""
    fork = multiprocessing.get_context("fork")

    class ForkedSubWriterTask(fork.Process, SubWriterTask):  # type: ignore[misc,name-defined]
        def run(self) -> None:
            _die_with_parent()
            SubWriterTask.run(self)

    return ForkedSubWriterTask


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent() -> None:
    """In a forked writer worker: be killed when the process that forked it ends, however
    it ends (else a worker of a killed import waits for work for good). The workers are
    forked from the writing thread, which lives as long as its process (the terminal's
    main thread, the index process's task thread): the parent-death signal fires when
    that thread ends. Linux only, as the forked writer is."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # gone before the signal was asked
        os._exit(1)


class _ForkingMpWriter(MpWriter):  # type: ignore[misc]
    """whoosh's ``MpWriter`` with workers and queues of the fork context (whoosh's own take
    the global start method's: "spawn" in a spawned process, "forkserver" by default from
    Python 3.14, and its workers cannot be pickled for either). Both workers start with the
    first batch, before the job queue's feeder thread does: each fork is then made from a
    process with one thread."""

    def __init__(
        self,
        ix: Any,
        procs: int,
        batchsize: int = 100,
        subargs: dict[str, Any] | None = None,
        multisegment: bool = False,
        **kwargs: Any,
    ) -> None:
        # MpWriter.__init__, with the fork context's queues (check_whoosh_internals
        # compares it with whoosh's).
        SegmentWriter.__init__(self, ix, **kwargs)
        fork = multiprocessing.get_context("fork")
        self.procs = procs
        self.batchsize = batchsize
        self.subargs = subargs if subargs else kwargs
        self.multisegment = multisegment
        self.tasks: list[Any] = []
        self.jobqueue = fork.Queue(self.procs * 4)
        self.resultqueue = fork.Queue()
        self.docbuffer: list[Any] = []
        self._grouping = 0
        self._added_sub = False

    def _new_task(self) -> Any:
        task = _forked_task()(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        while len(self.tasks) < self.procs:
            self._new_task()
        super()._enqueue()


def forked_writer(ix: Any, **options: Any) -> Any:
    """whoosh's multi-process writer on ``ix`` (``procs``, ``multisegment``, ``limitmb``
    and the other writer options as for ``ix.writer``), its workers forked."""
    return _ForkingMpWriter(ix, **options)


def stop_workers(writer: Any) -> None:
    """End a multi-process writer's workers (whoosh's own cancel leaves them waiting for work
    that never comes, and the process then cannot exit)."""
    for task in getattr(writer, "tasks", ()):
        if task.is_alive():
            task.terminate()
        task.join(5)


# -- segments written whole ----------------------------------------------------------------


def stored_length(length: int) -> int:
    """A field length as a segment keeps it (one byte, a logarithmic scale) and as whoosh's
    postings writer is given it for each posting (a block's shortest and longest)."""
    return int(byte_to_length(length_to_byte(length))) if length else 0


def whole_segments_possible(schema: Any) -> bool:
    """Whether ``SegmentFiles`` can write segments of ``schema`` as whoosh's writer would:
    whoosh 3's codec is the default, no field keeps term vectors or a separate spelling
    list, and the postings writer inlines no word's postings."""
    codec = default_codec()
    return (
        type(codec) is W3Codec
        and codec._inlinelimit <= 1
        and not any(
            schema[name].vector or schema[name].separate_spelling() for name in schema.names()
        )
    )


class _Block:
    """One block of a word's postings, as ``W3PostingsWriter`` keeps it while it fills
    (``_ids``, ``_weights``, ``_values`` and its statistics), encoded as its
    ``_write_block`` writes it and counted into the word's ``W3TermInfo`` as its
    ``add_block`` counts it."""

    def __init__(self, ids: Any, weights: Any, values: list[bytes]) -> None:
        self.ids = ids
        self.raw_weights = weights
        self.weights = array("f", weights)  # as add_posting keeps them: 32-bit floats
        self.values = [v for v in values if v]  # add_posting keeps no empty value
        self.shortest: int | None = None
        self.longest = 0
        heaviest = max(weights)
        self.heaviest = heaviest if heaviest > 0 else 0

    def measure(self, lengths: list[int]) -> None:
        """The block's shortest and longest field lengths (none counted that is 0)."""
        counted = [n for n in lengths if n]
        if counted:
            self.shortest, self.longest = min(counted), max(counted)

    def encode(self, level: int, fixedsize: int | None, last: bool) -> bytes:
        """The block's bytes: its length (negative for a word's last block), its pickled
        header and its pickled (compressed) data."""
        ids, weights, values = self.ids, self.weights, self.values
        # _mini_ids, _mini_weights, _mini_values
        if len(ids) == 1:
            mini_ids: tuple[int, ...] = (ids[0],)
        else:
            mini_ids = (ids[0], *map(operator.sub, ids[1:], ids[:-1]))  # delta_encode
        first = weights[0]
        mini_weights: Any
        if weights.count(first) == len(weights):
            mini_weights = None if first == 1.0 else first
        else:
            mini_weights = tuple(weights)
        mini_values: Any
        if fixedsize is None or fixedsize < 0:
            mini_values = tuple(values)
        elif fixedsize == 0:
            mini_values = None
        else:
            mini_values = b"".join(values)
        data = pickle.dumps((mini_ids, mini_weights, mini_values), 2)
        if level:
            data = zlib.compress(data, level)
        header = (
            len(ids),
            ids[-1],
            self.heaviest,
            level,
            length_to_byte(self.shortest),
            length_to_byte(self.longest),
        )
        info = pickle.dumps(header, 2)
        length = len(info) + len(data)
        prefix: bytes = pack_int(-length if last else length)
        return prefix + info + data

    def add_to(self, info: Any) -> None:
        info._weight += sum(self.weights)
        info._df += len(self.ids)
        if info._minlength is None:
            info._minlength = self.shortest
        else:
            info._minlength = min(info._minlength, self.shortest)
        info._maxlength = max(info._maxlength, self.longest)
        info._maxweight = max(info._maxweight, self.heaviest)
        if info._minid is None:
            info._minid = self.ids[0]
        info._maxid = self.ids[-1]


def field_words(reader: Any, fieldname: str) -> Iterator[tuple[bytes, int, int]]:
    """A segment's words of a field, in byte order, each with its postings' place in the
    segment's postings file (offset, length): read off the word table in order, where
    looking each word up would hash it (a merge, ``search/segment_merge.py``)."""
    for (name, btext), info in reader._terms.items_from(fieldname, b""):
        if name != fieldname:
            return
        if info.is_inlined():  # never written so here (whole_segments_possible)
            raise TypeError(f"postings of {fieldname}:{btext!r} are inlined")
        offset, length = info.extent()
        # whoosh 2.7's W3TermInfo.from_bytes keeps the length as unpack_int's 1-tuple
        yield btext, offset, length[0] if isinstance(length, tuple) else length


def whole_postings(
    reader: Any, fieldname: str, offset: int, length: int
) -> tuple[list[int], list[float], list[Any]]:
    """All of a word's postings in one segment (at ``offset`` in its postings file, as
    ``field_words`` gives it), deleted documents included: document numbers, weights and
    encoded values (None where the field's format keeps none). Read in one slice and decoded
    block by block as ``_Block.encode`` writes them (whoosh reads each block's header in
    some twenty small reads)."""
    raw = reader._terms._postfile.get(offset, length)
    fixedsize = reader.schema[fieldname].format.fixed_value_size()
    ids: list[int] = []
    weights: list[float] = []
    values: list[Any] = []
    at = len(WHOOSH3_HEADER_MAGIC)
    last = False
    while not last:
        size = unpack_int(raw[at : at + _INT_SIZE])[0]
        last = size < 0
        at += _INT_SIZE
        end = at + abs(size)
        stream = io.BytesIO(raw[at:end])
        count, _maxid, _maxweight, compression, _shortest, _longest = pickle.load(stream)
        data = raw[at + stream.tell() : end]
        mini_ids, mini_weights, mini_values = pickle.loads(
            zlib.decompress(data) if compression else data
        )
        ids += itertools.accumulate(mini_ids)
        if mini_weights is None or isinstance(mini_weights, float):
            weights += [1.0 if mini_weights is None else mini_weights] * count
        else:
            weights += mini_weights
        if fixedsize is None or fixedsize < 0:
            values += mini_values
        elif fixedsize == 0:
            values += [None] * count
        else:
            values += [
                mini_values[i : i + fixedsize] for i in range(0, count * fixedsize, fixedsize)
            ]
        at = end
    return ids, weights, values


class SegmentFiles:
    """A new segment written through whoosh 3's own codec writers, as whoosh's
    ``SegmentWriter`` writes one, from postings gathered elsewhere (``search/segments.py``).

    Documents come first, each with its per-document values (``add_document``); then the
    postings, field by field in name order and word by word in byte order, each word's
    postings whole (``add_word``). whoosh's writer puts every posting through a sorting
    pool and its postings writer one at a time, and reads each posting's field length back
    from the segment's length column; here each block of up to 128 postings is handed to
    the postings writer's own block buffer (``_ids``, ``_weights``, ``_values``,
    ``_minlength``, ``_maxlength``, ``_maxweight``, as ``add_posting`` fills it) and written
    by its ``_write_block``, so blocks, their headers and the words' entries are whoosh's
    own. ``finish`` closes the files, assembles them into one compound file as whoosh
    does, and returns the segment for the index's table of contents: nothing is visible
    until a writer commits that."""

    def __init__(self, storage: Any, indexname: str) -> None:
        self.storage = storage
        self.codec = default_codec()
        self.segment = self.codec.new_segment(storage, indexname)
        self.perdoc = self.codec.per_document_writer(storage, self.segment)
        self.doc_count = 0
        self._fields: Any = None

    def add_document(self, values: list[tuple[str, Any, Any, int, Any]]) -> None:
        """The next document's per-document values: each field's (name, field object,
        stored value or None, length, column value or None), in name order."""
        perdoc = self.perdoc
        perdoc.start_doc(self.doc_count)
        for fieldname, fieldobj, stored, length, column_value in values:
            perdoc.add_field(fieldname, fieldobj, stored, length)
            if column_value is not None:
                perdoc.add_column_value(fieldname, fieldobj.column_type, column_value)
        perdoc.finish_doc()
        self.doc_count += 1

    def start_field(self, fieldname: str, fieldobj: Any) -> None:
        if self._fields is None:
            self.perdoc.close()  # sets the segment's total field lengths
            self._fields = self.codec.field_writer(self.storage, self.segment)
        self._fields.start_field(fieldname, fieldobj)
        self._fieldid = self._fields._fieldid
        self._fixedsize = fieldobj.format.fixed_value_size()
        self._at = self._fields._postfile.tell()  # kept here: a tell() is a system call

    def add_word(
        self,
        btext: bytes,
        ids: Any,
        weights: Any,
        values: list[bytes],
        lengths: list[int],
    ) -> list[tuple[int, int]]:
        """One word's postings in the current field: document numbers (ascending), weights,
        encoded values and each document's ``stored_length`` of the field. Returns each
        block of postings written as its byte offset (as ``block_ids_and_weights`` gives
        it) and the number of its first posting.

        What whoosh's ``W3PostingsWriter`` writes for them, posting by posting
        (``add_posting``), block by block (``_write_block``), and its ``finish_postings``
        and ``W3FieldWriter.finish_term`` for the word's entry, followed here a block at a
        time (check_whoosh_internals compares that code with whoosh's)."""
        fields = self._fields
        limit = self.codec._blocklimit
        info = W3TermInfo()
        startoffset = self._at
        written = [WHOOSH3_HEADER_MAGIC]
        at = startoffset + len(WHOOSH3_HEADER_MAGIC)
        count = len(ids)
        blocks: list[tuple[int, int]] = []
        for start in range(0, count, limit):
            stop = start + limit
            block = _Block(ids[start:stop], weights[start:stop], values[start:stop])
            block.measure(lengths[start:stop])
            encoded = block.encode(self.codec._compression, self._fixedsize, stop >= count)
            written.append(encoded)
            blocks.append((at, start))
            at += len(encoded)
            block.add_to(info)
        fields._postfile.write(b"".join(written))
        self._at = at
        info.set_extent(startoffset, at - startoffset)
        fields._tindex.add(pack_ushort(self._fieldid) + btext, info.to_bytes())
        return blocks

    def finish_field(self) -> None:
        self._fields.finish_field()

    def finish(self) -> Any:
        """Close the segment's files, assemble them and return the segment."""
        if self._fields is None:
            self.perdoc.close()
            self._fields = self.codec.field_writer(self.storage, self.segment)
        self._fields.close()
        self.segment.set_doc_count(self.doc_count)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
        return self.segment

    def cancel(self) -> None:
        """Close what is open and remove the segment's files (whoosh would remove them at
        its next commit, as belonging to no segment of the table of contents)."""
        with contextlib.suppress(Exception):
            if not self.perdoc.is_closed:
                self.perdoc.close()
            if self._fields is not None and not self._fields.is_closed:
                self._fields.close()
        prefix = self.segment.make_filename("")
        for name in self.storage.list():
            if name.startswith(prefix):
                with contextlib.suppress(OSError):
                    self.storage.delete_file(name)


# A forked worker's builder of segments: given each document (whoosh's keyword arguments
# of add_document), then asked for the segments it wrote.
SegmentBuilder = Any
MakeBuilder = Callable[[Any, str, Any], SegmentBuilder]


@functools.cache
def _bulk_task() -> type:
    """A worker process of ``bulk_writer``, forked: it takes whoosh's job files (pickled
    documents, as ``MpWriter._enqueue`` writes them) as ``SubWriterTask._process_file``
    does, hands each document to its own builder of whole segments instead of a
    ``SegmentWriter``, and puts the list of segments it wrote on the result queue."""
    fork = multiprocessing.get_context("fork")

    class BulkTask(fork.Process):  # type: ignore[misc,name-defined]
        def __init__(
            self,
            storage: Any,
            indexname: str,
            schema: Any,
            jobqueue: Any,
            resultqueue: Any,
            make_builder: MakeBuilder,
        ) -> None:
            super().__init__()
            self.storage = storage
            self.indexname = indexname
            self.schema = schema
            self.jobqueue = jobqueue
            self.resultqueue = resultqueue
            self.make_builder = make_builder

        def run(self) -> None:
            _die_with_parent()
            builder = self.make_builder(self.storage, self.indexname, self.schema)
            temp = self.storage.temp_storage(f"{self.indexname}.tmp")
            try:
                while (job := self.jobqueue.get()) is not None:
                    filename, count = job
                    with temp.open_file(filename).raw_file() as jobfile:
                        for _ in range(count):
                            _code, fields = pickle.load(jobfile)
                            builder.add_document(fields)
                    temp.delete_file(filename)
                segments = builder.finish()
            except BaseException:
                builder.cancel()
                raise
            self.resultqueue.put(segments, timeout=30)

    return BulkTask


class _BulkMpWriter(_ForkingMpWriter):
    """``_ForkingMpWriter`` whose workers write whole segments (``SegmentFiles``, through
    the builder ``make_builder`` makes in each worker), each worker one segment or more;
    the commit adds them to the table of contents as ``MpWriter._commit`` does with
    ``multisegment`` (whose code this follows), without merging the new segments."""

    def __init__(self, ix: Any, make_builder: MakeBuilder, **options: Any) -> None:
        super().__init__(ix, **options)
        self._make_builder = make_builder
        self.sent = 0  # documents handed to the workers
        self.lost: int | None = None  # of those, not in their segments (after the commit)

    def _enqueue(self) -> None:
        self.sent += len(self.docbuffer)
        super()._enqueue()

    def _new_task(self) -> Any:
        task = _bulk_task()(
            self.storage,
            self.indexname,
            self.schema,
            self.jobqueue,
            self.resultqueue,
            self._make_builder,
        )
        self.tasks.append(task)
        task.start()
        return task

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        if self.docbuffer:
            self._enqueue()
        for _task in self.tasks:
            self.jobqueue.put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        written = self._worker_segments()
        self.lost = self.sent - sum(segment.doc_count_all() for segment in written)
        finalsegments += written
        if self._added:  # segments merged into this writer
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()

    def _worker_segments(self) -> list[Any]:
        """The segments the workers wrote: taken off the queue before the workers are
        joined (a worker exits only once what it put is read). A worker that died
        gives none: its documents are missing, which the callers check."""
        found: list[Any] = []
        waiting = len(self.tasks)
        while waiting:
            try:
                found += self.resultqueue.get(timeout=0.5)
                waiting -= 1
            except queue.Empty:
                if not any(task.is_alive() for task in self.tasks):
                    with contextlib.suppress(queue.Empty):
                        while waiting:
                            found += self.resultqueue.get(timeout=1)
                            waiting -= 1
                    break
        for task in self.tasks:
            task.join()
        return found


def documents_lost(writer: Any) -> int | None:
    """See ``bulk.documents_lost``: known for ``bulk_writer``'s writers only."""
    return writer.lost if isinstance(writer, _BulkMpWriter) else None


def bulk_writer(ix: Any, make_builder: MakeBuilder, **options: Any) -> Any:
    """A multi-process writer on ``ix`` (``procs`` and the other options as for
    ``forked_writer``) whose forked workers write whole segments with the builders
    ``make_builder(storage, indexname, schema)`` makes (see ``SegmentFiles``)."""
    return _BulkMpWriter(ix, make_builder, **options)


# -- the check -----------------------------------------------------------------------------

_HERE = "reviewapp/search/whoosh_internals.py"
_POSTINGS = "read posting lists block by block (ranking.py, postings.py)"
_BLOCKS = "reach a posting block from its offset in a phrase check (ranking.py)"
_LENGTHS = "read every document's field length at once (ranking.py)"
_FUZZY = "expand fuzzy words with one automaton per query (ranking.py)"
_STORAGE = "map segment files without copying them (MappedStorage)"
_WRITER = "index a large batch with two forked processes (bulk.py)"
_LOCK = "lock the index folder across processes (index.py)"
_SEGMENTS = "write a large batch's segments whole (SegmentFiles, bulk_writer)"
_MERGE = "merge segments, reading each word's postings whole (whole_postings, segment_merge.py)"

# Each internal as "whoosh module:name in it", and what it is relied on for.
_NAMES: dict[str, str] = {
    "whoosh.codec.whoosh3:W3LeafMatcher": _POSTINGS,
    "whoosh.codec.whoosh3:W3LeafMatcher._next_block": _POSTINGS,
    "whoosh.codec.whoosh3:W3TermsReader.items_from": _MERGE,
    "whoosh.codec.whoosh3:W3TermInfo.extent": _MERGE,
    "whoosh.codec.whoosh3:W3TermInfo.is_inlined": _MERGE,
    "whoosh.codec.whoosh3:W3LeafMatcher.block_max_id": _BLOCKS,
    "whoosh.reading:SegmentReader.cursor": _FUZZY,
    "whoosh.reading:SegmentReader.postings": _POSTINGS,
    "whoosh.util.filelock:FileLock": _LOCK,
    "whoosh.filedb.structfile:BufferFile.get": _STORAGE,
    "whoosh.filedb.filestore:FileStorage.open_file": _STORAGE,
    "whoosh.multiproc:MpWriter._enqueue": _WRITER,
    "whoosh.multiproc:SubWriterTask.run": _WRITER,
    "whoosh.codec:default_codec": _SEGMENTS,
    "whoosh.codec.whoosh3:W3Codec.per_document_writer": _SEGMENTS,
    "whoosh.codec.whoosh3:W3Codec.field_writer": _SEGMENTS,
    "whoosh.codec.whoosh3:W3PerDocWriter.start_doc": _SEGMENTS,
    "whoosh.codec.whoosh3:W3PerDocWriter.finish_doc": _SEGMENTS,
    "whoosh.codec.whoosh3:W3PerDocWriter.close": _SEGMENTS,
    "whoosh.codec.whoosh3:W3FieldWriter.start_field": _SEGMENTS,
    "whoosh.codec.whoosh3:W3FieldWriter.finish_field": _SEGMENTS,
    "whoosh.codec.whoosh3:W3FieldWriter.close": _SEGMENTS,
    "whoosh.codec.whoosh3:W3TermInfo.set_extent": _SEGMENTS,
    "whoosh.codec.whoosh3:W3TermInfo.to_bytes": _SEGMENTS,
    "whoosh.codec.whoosh3:W3Segment.set_doc_count": _SEGMENTS,
    "whoosh.codec.base:Segment.should_assemble": _SEGMENTS,
    "whoosh.codec.base:Segment.create_compound_file": _SEGMENTS,
    "whoosh.codec.base:Segment.make_filename": _SEGMENTS,
    "whoosh.filedb.filetables:OrderedHashWriter.add": _SEGMENTS,
    "whoosh.writing:SegmentWriter._merge_segments": _WRITER,
    "whoosh.writing:SegmentWriter._finalize_segment": _WRITER,
    "whoosh.writing:SegmentWriter._close_segment": _WRITER,
    "whoosh.writing:SegmentWriter._commit_toc": _WRITER,
    "whoosh.writing:SegmentWriter._finish": _WRITER,
}

# Parameters of what is called or overridden here.
_SIGNATURES: dict[str, tuple[str, str]] = {
    "whoosh.codec.whoosh3:W3LeafMatcher._goto": ("self, position", _BLOCKS),
    "whoosh.codec.whoosh3:W3PerDocReader._cached_reader": ("self, fieldname, column", _LENGTHS),
    "whoosh.codec.base:Automata.levenshtein_dfa": ("uterm, maxdist, prefix", _FUZZY),
    "whoosh.codec.base:Automata.find_matches": ("dfa, cur", _FUZZY),
    "whoosh.filedb.structfile:StructFile.__init__": ("self, fileobj, name, onclose", _STORAGE),
    "whoosh.filedb.structfile:StructFile.subset": ("self, offset, length, name", _STORAGE),
    "whoosh.filedb.compound:SubFile.__init__": ("self, parentfile, offset, length, name", _STORAGE),
    "whoosh.filedb.filestore:FileStorage.__init__": (
        "self, path, supports_mmap, readonly, debug",
        _STORAGE,
    ),
    "whoosh.multiproc:MpWriter.__init__": (
        "self, ix, procs, batchsize, subargs, multisegment, kwargs",
        _WRITER,
    ),
    "whoosh.multiproc:SubWriterTask.__init__": (
        "self, storage, indexname, jobqueue, resultqueue, kwargs, multisegment",
        _WRITER,
    ),
    "whoosh.util.filelock:try_for": ("fn, timeout, delay", _LOCK),
    "whoosh.codec.whoosh3:W3Codec.new_segment": ("self, storage, indexname", _SEGMENTS),
    "whoosh.codec.whoosh3:W3PerDocWriter.add_field": (
        "self, fieldname, fieldobj, value, length",
        _SEGMENTS,
    ),
    "whoosh.codec.base:PerDocWriterWithColumns.add_column_value": (
        "self, fieldname, column, value",
        _SEGMENTS,
    ),
    "whoosh.codec.whoosh3:W3Codec.__init__": (
        "self, blocklimit, compression, inlinelimit",
        _SEGMENTS,
    ),
}

# Attributes of instances, found among the names the class's methods use.
_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "whoosh.codec.whoosh3:W3LeafMatcher": (
        "_postfile _baseoffset _byteids _blocklength _maxid _maxweight _compression "
        "_minlength _maxlength _lastblock _atend _nextoffset _dataoffset _data _ids _weights "
        "_values _i",
        _POSTINGS,
    ),
    "whoosh.columns:NumericColumn.Reader": ("_dbfile _basepos _count _fixedlen", _LENGTHS),
    "whoosh.reading:SegmentReader": (
        "_perdoc _terms",
        "read field lengths and postings (ranking.py, postings.py)",
    ),
    "whoosh.filedb.structfile:BufferFile": (
        "_buf _name file onclose is_real is_closed",
        _STORAGE,
    ),
    "whoosh.multiproc:MpWriter": (
        "procs batchsize subargs multisegment tasks jobqueue resultqueue docbuffer _grouping "
        "_added_sub storage indexname _added schema",
        _WRITER,
    ),
    "whoosh.codec.whoosh3:W3Codec": ("_blocklimit _compression _inlinelimit", _SEGMENTS),
    "whoosh.codec.whoosh3:W3FieldWriter": ("_fieldid _postfile _tindex", _SEGMENTS),
    "whoosh.codec.whoosh3:W3TermsReader": ("_postfile", _MERGE),
    "whoosh.codec.whoosh3:W3TermInfo": (
        "_weight _df _minlength _maxlength _maxweight _minid _maxid",
        _SEGMENTS,
    ),
}

# Code copied or followed here: the names it uses in 2.7.5 (in any order).
_CODE: dict[str, tuple[str, str]] = {
    "whoosh.qparser.plugins:PhrasePlugin.PhraseNode.query": (
        "PhrasePlugin analyzer append attach boost end endchar fieldname finditer group len "
        "list phraseclass process_text schema slop start startchar text textstartchar tokenize "
        "wordexpr",
        "tell a phrase's words from a term's (analysing_a_phrase)",
    ),
    "whoosh.qparser.default:QueryParser.term_query": (
        "error_query exc_info len list multitoken_query parse_query process_text query schema "
        "self_parsing sys",
        "tell a phrase's words from a term's (analysing_a_phrase)",
    ),
    "whoosh.reading:SegmentReader.postings": (
        "FilterMatcher ReaderClosed TermNotFound _terms _text_to_bytes deleted_docs_set format "
        "is_closed matcher schema whoosh.matching.wrappers",
        "read a word's postings as whoosh does, without its filter of deleted documents "
        "(all_postings)",
    ),
    "whoosh.codec.whoosh3:W3LeafMatcher._goto": (
        "_postfile _data _ids _weights _values _i seek read_int _lastblock _INT_SIZE "
        "_nextoffset read_pickle tell _dataoffset _blocklength _maxid _maxweight _compression "
        "byte_to_length _minlength _maxlength",
        "move to a block as goto_block, its copy, does",
    ),
    "whoosh.codec.whoosh3:W3LeafMatcher._read_data": (
        "_nextoffset _dataoffset _postfile get _compression zlib decompress loads _data",
        "decode a block's data tuple (block_ids_and_weights)",
    ),
    "whoosh.codec.whoosh3:W3LeafMatcher._read_ids": (
        "_data _read_data _byteids tuple delta_decode _ids",
        "decode a block's document numbers as deltas (block_ids_and_weights, skip_to)",
    ),
    "whoosh.codec.whoosh3:W3LeafMatcher._read_weights": (
        "_data _read_data _blocklength array range _weights isinstance float",
        "decode a block's weights (block_ids_and_weights)",
    ),
    "whoosh.multiproc:MpWriter.__init__": (
        "SegmentWriter __init__ cpu_count procs batchsize subargs multisegment tasks Queue "
        "jobqueue resultqueue docbuffer _grouping _added_sub",
        "start the writer as its copy, _ForkingMpWriter.__init__, does",
    ),
    "whoosh.multiproc:MpWriter._new_task": (
        "SubWriterTask storage indexname jobqueue resultqueue subargs multisegment tasks "
        "append start",
        "start a worker as its copy, _ForkingMpWriter._new_task, does",
    ),
    "whoosh.codec.base:Automata.find_matches": (
        "unichr text next_valid_string find",
        "drive a word cursor through text() and find() only (SortedWordCursor)",
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter.add_posting": (
        "len _ids _blocklimit _write_block _byteids isinstance string_type integer_types int "
        "float bytes_type append _weights _maxweight _values _minlength _maxlength",
        "fill a block of postings as SegmentFiles.add_word, its copy, does",
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter._write_block": (
        "_blockcount _postfile write WHOOSH3_HEADER_MAGIC _terminfo add_block _mini_ids "
        "_mini_weights _mini_values dumps len _compression zlib compress _ids _maxweight "
        "length_to_byte _minlength _maxlength write_int _new_block",
        "encode a block of postings as _Block.encode, its copy, does",
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter._mini_ids": (
        "_ids _byteids delta_encode tuple",
        "encode a block's document numbers as _Block.encode, its copy, does",
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter._mini_weights": (
        "_weights all tuple",
        "encode a block's weights as _Block.encode, its copy, does",
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter._mini_values": (
        "_format fixed_value_size _values tuple emptybytes join",
        "encode a block's values as _Block.encode, its copy, does",
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter.finish_postings": (
        "_terminfo written len _inlinelimit add_block set_inline _ids _weights _values "
        "_write_block _startoffset _postfile tell set_extent",
        "end a word's postings as SegmentFiles.add_word, its copy, does",
    ),
    "whoosh.codec.whoosh3:W3TermInfo.add_block": (
        "_weight sum _weights _df len min_length _minlength min max _maxlength max_length "
        "_maxweight max_weight _minid min_id max_id _maxid",
        "count a block into a word's statistics as _Block.add_to, its copy, does",
    ),
    "whoosh.codec.whoosh3:W3FieldWriter.finish_term": (
        "_postwriter finish_postings pack_ushort _fieldid _btext to_bytes _tindex add",
        "write a word's entry as SegmentFiles.add_word, its copy, does",
    ),
    "whoosh.multiproc:SubWriterTask._process_file": (
        "writer temp_storage pickle load open_file raw_file range add_document delete_file",
        "read a job file as bulk_writer's workers do",
    ),
    "whoosh.multiproc:MpWriter._commit": (
        "docbuffer _enqueue tasks jobqueue put _merge_segments join append resultqueue get "
        "queue Empty multisegment _added _finalize_segment _close_segment perdocwriter "
        "is_closed _merge_subsegments _assemble_segment get_segment _commit_toc _finish",
        "commit the workers' segments as _BulkMpWriter._commit, its copy, does",
    ),
}

# Constants and encodings: what a probe of each gives in 2.7.5.
_VALUES: dict[str, tuple[Callable[[Any], Any], Any, str]] = {
    "whoosh.system:_INT_SIZE": (lambda size: size, 4, _BLOCKS),
    "whoosh.system:unpack_int": (lambda unpack: unpack(b"\xff\xff\xff\xfe"), (-2,), _BLOCKS),
    "whoosh.codec.whoosh3:_lenfield": (lambda name: name("title"), "_title_len", _LENGTHS),
    "whoosh.codec.whoosh3:LENGTHS_COLUMN": (lambda column: column._typecode, "B", _LENGTHS),
    "whoosh.util.numeric:byte_to_length": (
        lambda decode: [decode(b) for b in (0, 1, 2, 100, 200, 255)],
        [0, 1, 2, 667, 17814, 106374],
        _LENGTHS,
    ),
    "whoosh.util.numeric:length_to_byte": (
        lambda encode: [encode(n) for n in (None, 0, 1, 2, 667, 700, 106374, 10**6)],
        [0, 0, 1, 2, 100, 102, 255, 255],
        _SEGMENTS,
    ),
    "whoosh.codec.whoosh3:WHOOSH3_HEADER_MAGIC": (lambda magic: magic, b"W3Bl", _SEGMENTS),
    "whoosh.system:pack_int": (lambda pack: pack(-2), b"\xff\xff\xff\xfe", _SEGMENTS),
    "whoosh.system:pack_ushort": (lambda pack: pack(258), b"\x01\x02", _SEGMENTS),
}


class _Missing(Exception):
    pass


def _resolve(internal: str) -> Any:
    """The object an internal ("module:dotted.name") names; _Missing says what is gone."""
    module, dotted = internal.split(":")
    try:
        found: Any = importlib.import_module(module)
    except ImportError as exc:
        raise _Missing(f"{module} cannot be imported ({exc})") from None
    owner = module
    for part in dotted.split("."):
        if not hasattr(found, part):
            raise _Missing(f"{owner} has no attribute {part}")
        found = getattr(found, part)
        owner = f"{owner}.{part}"
    return found


def _names_used(cls: type) -> set[str]:
    names: set[str] = set()
    for klass in cls.__mro__:
        for value in vars(klass).values():
            code = getattr(getattr(value, "__func__", value), "__code__", None)
            if code is not None:
                names.update(code.co_names)
    return names


def _static_problems() -> Iterator[str]:
    tables: list[dict[str, Any]] = [_NAMES, _SIGNATURES, _ATTRIBUTES, _CODE, _VALUES]
    found: dict[str, Any] = {}
    for table in tables:
        for internal, entry in table.items():
            if internal in found:
                continue
            use = entry if isinstance(entry, str) else entry[-1]
            try:
                found[internal] = _resolve(internal)
            except _Missing as missing:
                found[internal] = missing
                yield f"{missing}: {_HERE} relies on it to {use}"
    resolved = {k: v for k, v in found.items() if not isinstance(v, _Missing)}
    name = {internal: internal.replace(":", ".") for internal in found}
    for internal, (expected, use) in _SIGNATURES.items():
        if internal in resolved:
            now = ", ".join(inspect.signature(resolved[internal]).parameters)
            if now != expected:
                yield (
                    f"{name[internal]} takes ({now}), not ({expected}): {_HERE} relies on it "
                    f"to {use}"
                )
    for internal, (attributes, use) in _ATTRIBUTES.items():
        if internal in resolved:
            used = _names_used(resolved[internal])
            for attribute in attributes.split():
                if attribute not in used:
                    yield (
                        f"{name[internal]} has no attribute {attribute}: {_HERE} relies on it "
                        f"to {use}"
                    )
    for internal, (names, use) in _CODE.items():
        if internal in resolved:
            code = getattr(resolved[internal], "__code__", None)
            uses, used = set(code.co_names if code is not None else ()), set(names.split())
            if uses != used:
                added = ", ".join(sorted(uses - used)) or "nothing new"
                gone = ", ".join(sorted(used - uses)) or "nothing"
                yield (
                    f"{name[internal]} changed (it now uses {added} and no longer {gone}): "
                    f"{_HERE} relies on it to {use}"
                )
    for internal, (probe, expected, use) in _VALUES.items():
        if internal in resolved:
            try:
                now = probe(resolved[internal])
            except Exception as exc:
                now = f"{type(exc).__name__}: {exc}"
            if now != expected:
                yield (
                    f"{name[internal]} gives {now!r}, not {expected!r}: {_HERE} relies on it "
                    f"to {use}"
                )


def check_whoosh_internals(scratch: Path | None = None) -> list[str]:
    """What of whoosh's internals this module relies on the installed whoosh no longer has
    as it expects, each named in a sentence ("whoosh.codec.whoosh3.W3LeafMatcher has no
    attribute _nextoffset: … relies on it to …"); empty if nothing changed.

    The names, signatures, the code this module copies, and constants are checked in the
    installed whoosh (about a millisecond). Given an empty folder ``scratch``, a small index
    is also built there and read through every function above, each compared with whoosh's
    own reading (under a second).
    """
    problems = list(_static_problems())
    if scratch is not None and not problems:
        problems += _index_problems(scratch)
    return problems


def _index_problems(scratch: Path) -> list[str]:
    """Build a small index in ``scratch`` and compare this module's reading with whoosh's."""
    schema = whoosh_fields.Schema(body=whoosh_fields.TEXT(phrase=True))
    ix = whoosh_index.create_in(str(scratch), schema)
    writer = ix.writer()
    for n in range(300):  # "alpha" in every document: three blocks of postings
        writer.add_document(body=" ".join(["alpha"] * (1 + n % 4) + [f"w{n % 37}", "beta"]))
    writer.commit()
    problems: list[str] = []
    mapped = MappedStorage(str(scratch)).open_index()
    with mapped.searcher() as searcher:
        reader = searcher.leaf_searchers()[0][0].reader()
        for check in (_check_blocks, _check_lengths, _check_fuzzy):
            try:
                problems += check(reader)
            except Exception as exc:
                problems.append(f"{check.__name__} failed ({type(exc).__name__}: {exc})")
        try:
            problems += _check_segment_files(reader, FileStorage(str(scratch)), scratch / "again")
        except Exception as exc:
            problems.append(f"_check_segment_files failed ({type(exc).__name__}: {exc})")
    mapped.close()
    return [f"on a small index, {p}: {_HERE} relies on whoosh's internals" for p in problems]


def _check_segment_files(reader: Any, storage: Any, folder: Path) -> list[str]:
    """The small index's one segment written again by ``SegmentFiles`` from what whoosh
    reads of it: the postings and word files must be whoosh's, byte for byte; and each
    word's postings read whole (``whole_postings``) as whoosh reads them one by one."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), reader.schema)
    files = SegmentFiles(ix.storage, ix.indexname)
    field = reader.schema["body"]
    count = reader.doc_count_all()
    lengths = [reader.doc_field_length(d, "body") or 0 for d in range(count)]
    for docnum in range(count):
        files.add_document([("body", field, None, lengths[docnum], None)])
    files.start_field("body", field)
    problems: list[str] = []
    for btext, offset, length in field_words(reader, "body"):
        ids, weights, values = postings_one_by_one(reader, "body", btext)
        if whole_postings(reader, "body", offset, length) != (ids, weights, values):
            problems.append(f"whole_postings reads body:{btext!r} otherwise than whoosh")
        files.add_word(btext, ids, weights, values, [lengths[d] for d in ids])
    files.finish_field()
    written = files.finish()
    ours = _compound_parts(ix.storage, written.make_filename(written.COMPOUND_EXT))
    segment = reader.segment()
    theirs = _compound_parts(storage, segment.make_filename(segment.COMPOUND_EXT))
    if ours.get("pst") is None or (ours["pst"], ours["trm"]) != (theirs["pst"], theirs["trm"]):
        problems.append("SegmentFiles writes postings otherwise than whoosh")
    return problems


def _compound_parts(storage: Any, name: str) -> dict[str, bytes]:
    compound = CompoundStorage(storage.open_file(name), use_mmap=False)
    try:
        return {n.split(".", 1)[1]: compound.open_file(n).read() for n in compound.list()}
    finally:
        compound.close()


def _check_blocks(reader: Any) -> list[str]:
    def postings() -> Any:
        return all_postings(reader, "body", b"alpha")

    matcher = postings()
    if not has_blocks(matcher):
        return [f"postings are read by {type(matcher).__name__}, not W3LeafMatcher"]
    expected_attributes = _ATTRIBUTES["whoosh.codec.whoosh3:W3LeafMatcher"][0].split()
    missing = [name for name in expected_attributes if not hasattr(matcher, name)]
    if missing:
        return [f"a W3LeafMatcher has no attribute {', '.join(missing)}"]
    if not isinstance(matcher._postfile, _View):
        return [f"MappedStorage gave postings {type(matcher._postfile).__name__}, not a view"]
    offsets: list[int] = []
    ours: list[tuple[int, float]] = []
    for offset, block_ids, block_weights in block_ids_and_weights(matcher) or ():
        offsets.append(offset)
        ours += zip(block_ids.tolist(), block_weights.tolist(), strict=True)
    theirs, expected = postings(), []
    while theirs.is_active():
        expected.append((theirs.id(), theirs.weight()))
        theirs.next()
    problems = []
    if ours != expected or len(offsets) < 2:
        problems.append("block_ids_and_weights reads other postings than whoosh")
    state = ["_lastblock", "_nextoffset", "_dataoffset", "_blocklength", "_maxid"]
    state += ["_maxweight", "_compression", "_minlength", "_maxlength"]
    walked, theirs = postings(), postings()
    for offset in offsets:
        header = block_header(walked, offset)
        goto_block(walked, offset)
        theirs._goto(offset)
        if header is None or any(getattr(walked, a) != getattr(theirs, a) for a in state):
            problems.append("goto_block reads a block header otherwise than whoosh")
            break
    for docnum in (5, 140, 299):
        skipped, theirs = postings(), postings()
        skip_to(skipped, docnum)
        theirs.skip_to(docnum)
        if (skipped.id(), skipped.value()) != (theirs.id(), theirs.value()):
            problems.append("skip_to reaches another posting than whoosh's skip_to")
            break
    return problems


def _check_lengths(reader: Any) -> list[str]:
    count = reader.doc_count_all()
    table = field_lengths_by_byte()
    ours = [table[b] for b in field_length_bytes(reader, "body", count)]
    if ours != [reader.doc_field_length(d, "body") for d in range(count)]:
        return ["field_length_bytes reads other lengths than whoosh"]
    return []


def _check_fuzzy(reader: Any) -> list[str]:
    expected = sorted(reader.terms_within("body", "w13", 1))
    words = sorted(w.decode("utf-8") for w in reader.lexicon("body"))
    automaton = levenshtein_automaton("w13", 1, 0)
    listed = sorted(words_matching(automaton, SortedWordCursor(words)))
    read = sorted(words_matching(automaton, word_cursor(reader, "body")))
    if not expected or listed != expected or read != expected:
        return ["words_matching finds other words than whoosh"]
    return []
