"""Reading an index faster than whoosh's public API allows: posting lists block by block,
a block reached from its offset, every document's field length at once, fuzzy words
expanded with one automaton, a word's postings read whole for a merge; and how the query
parser calls an analyzer for a quoted phrase.

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
    lists read whole block by block (``posting_blocks``), a block reached straight
    from its offset (``goto_block``: ``_goto`` re-implemented with one read of the header)
    and a document within it by bisection (``skip_to``, ``move_within_block``).
  - The block layout: a signed int (the block's byte length, negative for the last block)
    followed by a pickled tuple ``(count, max id, max weight, compressed, min length byte,
    max length byte)``, then the pickled (perhaps zlib-compressed) data tuple ``(ids as
    deltas from 0, weights as a tuple, one float or None for all 1.0, values)``. The
    frequent-word files (postings.py) store blocks' byte offsets, so they follow it too,
    and ``writing.py`` writes blocks so.
  - ``LENGTHS_COLUMN`` (a ``NumericColumn("B")``) and the length column's name
    ``_<field>_len`` (``_lenfield``): every document's encoded field length read as one
    array (``field_length_bytes``).
  - ``W3PerDocReader._cached_reader(name, column)`` and the column reader's ``_dbfile``,
    ``_basepos``, ``_count``, ``_fixedlen`` (``whoosh.columns.NumericColumn.Reader``).
  - For a merge (``segment_merge.py``): the word table read in order through
    ``W3TermsReader.items_from`` (each word's ``W3TermInfo``: ``is_inlined``, and
    ``extent()``, whose length whoosh keeps as a 1-tuple), the postings file
    ``W3TermsReader._postfile``, the header tag ``WHOOSH3_HEADER_MAGIC`` and the block
    layout above, decoded in one slice (``field_words``, ``whole_postings``); the check
    compares that with whoosh's own reading (``postings_one_by_one``).
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
  - ``_INT_SIZE`` (4) and ``unpack_int``: a block's length, in ``goto_block`` and
    ``whole_postings``.
``whoosh.util.numeric``
  - ``byte_to_length``: the byte encoding of field lengths (``field_lengths_by_byte``).
"""

from __future__ import annotations

import bisect
import io
import itertools
import pickle
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3LeafMatcher
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length

Ids = npt.NDArray[np.int64]
Weights = npt.NDArray[np.float64]

# Bytes read for a posting block's header: its pickled tuple of six numbers takes < 60.
HEADER_BYTES = 128


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


def posting_blocks(matcher: Any) -> Iterator[tuple[int, Ids, Weights, Any]] | None:
    """A fresh posting reader's blocks, in order, each as its byte offset, its document
    numbers, their weights (term frequencies) and their encoded values (a list of bytes,
    one a posting, for formats of values of no fixed size: positions); the reader is left
    at the end. None for postings of another kind (read them one by one through the public
    API)."""
    if type(matcher) is not W3LeafMatcher or matcher._byteids:
        return None
    return _blocks(matcher)


def _blocks(matcher: Any) -> Iterator[tuple[int, Ids, Weights, Any]]:
    offset = matcher._baseoffset
    while matcher.is_active():
        count = matcher._blocklength
        next_offset = matcher._nextoffset
        if matcher._data is None:
            matcher._read_data()
        block_ids, block_weights, values = matcher._data
        # Deltas within a block, from 0: each block restarts the sum.
        ids = np.cumsum(np.asarray(block_ids, dtype=np.int64))
        if block_weights is None:
            weights = np.ones(count)
        elif isinstance(block_weights, float):
            weights = np.full(count, block_weights)
        else:
            weights = np.asarray(block_weights, dtype=np.float64)
        yield offset, ids, weights, values
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


# -- a word's postings read whole, for a merge ---------------------------------------------


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
