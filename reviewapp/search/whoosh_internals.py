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
    (``forked_writer``), and stopped on failure (``stop_workers``).
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import functools
import importlib
import inspect
import io
import logging
import mmap
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.filedb.compound import SubFile
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.filelock import FileLock, try_for
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

__all__ = [
    "FileLock",
    "MappedStorage",
    "SortedWordCursor",
    "all_postings",
    "analysing_a_phrase",
    "block_header",
    "block_ids_and_weights",
    "changed_internals",
    "check_whoosh_internals",
    "field_length_bytes",
    "field_lengths_by_byte",
    "forked_writer",
    "goto_block",
    "has_blocks",
    "has_word_cursor",
    "levenshtein_automaton",
    "move_within_block",
    "skip_to",
    "stop_workers",
    "try_for",
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


# -- the check -----------------------------------------------------------------------------

_HERE = "reviewapp/search/whoosh_internals.py"
_POSTINGS = "read posting lists block by block (ranking.py, postings.py)"
_BLOCKS = "reach a posting block from its offset in a phrase check (ranking.py)"
_LENGTHS = "read every document's field length at once (ranking.py)"
_FUZZY = "expand fuzzy words with one automaton per query (ranking.py)"
_STORAGE = "map segment files without copying them (MappedStorage)"
_WRITER = "index a large batch with two forked processes (bulk.py)"
_LOCK = "lock the index folder across processes (index.py)"

# Each internal as "whoosh module:name in it", and what it is relied on for.
_NAMES: dict[str, str] = {
    "whoosh.codec.whoosh3:W3LeafMatcher": _POSTINGS,
    "whoosh.codec.whoosh3:W3LeafMatcher._next_block": _POSTINGS,
    "whoosh.codec.whoosh3:W3LeafMatcher.block_max_id": _BLOCKS,
    "whoosh.reading:SegmentReader.cursor": _FUZZY,
    "whoosh.reading:SegmentReader.postings": _POSTINGS,
    "whoosh.util.filelock:FileLock": _LOCK,
    "whoosh.filedb.structfile:BufferFile.get": _STORAGE,
    "whoosh.filedb.filestore:FileStorage.open_file": _STORAGE,
    "whoosh.multiproc:MpWriter._enqueue": _WRITER,
    "whoosh.multiproc:SubWriterTask.run": _WRITER,
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
        "_added_sub storage indexname",
        _WRITER,
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
    mapped.close()
    return [f"on a small index, {p}: {_HERE} relies on whoosh's internals" for p in problems]


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
