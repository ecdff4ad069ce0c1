"""Whole segments for a large batch: documents analysed and their postings grouped in memory.

whoosh's writer puts each posting of each document through a sorting pool, sorts the pool
at its commit and hands the postings one at a time to its postings writer, which reads each
document's field length back from the segment; then the frequent-word arrays
(``postings.py``) were written by reading those postings back. That came to some 4 ms a
document. Here (in each of ``bulk.py``'s forked workers) a document's fields are analysed
once, with what repeats kept (each distinct token's terms, whole values of short fields such
as a journal, an author list or keywords, a position's encoding). In the fields whose
analyzer tells its tokens apart (``index_tokens``, ``token_terms``: the article text's and
the names'), a document's terms and positions are a few array operations over its tokens'
numbers (``_Tokens``), kept as two arrays per document and field; at the end each field's
are sorted by word, document and position at once and cut into postings
(``_token_postings``).
Other fields' postings are appended to per-word lists. Each word's postings are then
written whole, in order, by whoosh's own codec writers (``whoosh_internals.SegmentFiles``),
and the frequent-word arrays from the same postings.

The segment is the one whoosh's writer would write for the same documents: the same words,
postings (document numbers, weights, positions), field lengths and stored fields
(tests/unit/search/test_segments.py compares them). A worker writes a segment each
``MAX_POSTINGS`` postings or positions (memory stays bounded in a rebuild), and the
segments become visible only when the writer that started the workers commits.
"""

from __future__ import annotations

import dataclasses
import logging
import operator
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import formats

from reviewapp.search import postings, whoosh_internals

log = logging.getLogger(__name__)

# Postings a worker gathers before it writes them as a segment, counting a field analysed by
# token by its positions (some 1.3 per posting in an abstract): 2 million is some 6,000
# abstracts, 8 bytes a position and 200 a posting while they are written.
MAX_POSTINGS = 2_000_000
# Field values this long or shorter are analysed once per worker and segment.
_KEPT_VALUE_CHARS = 200
_KEPT_VALUES = 50_000
# Distinct terms whose tokens a worker keeps from one segment to the next (some 300 bytes
# each, with their tokens and entries: 60 MB).
_TERMS_KEPT = 200_000

# A word's postings: document numbers, weights, encoded values; and the word as bytes.
_Postings = tuple["array[int]", "array[float]", list[bytes], bytes]
# A word as written: its bytes, its postings' document numbers, weights and encoded values,
# and (fields analysed by token) each posting's count of positions and all of them.
_Word = tuple[bytes, Any, Any, list[bytes], list[int], "postings.Positions | None"]
_NONE = np.zeros(0, dtype=np.int32)


@dataclasses.dataclass(frozen=True, slots=True)
class _Words:
    """A field value's words: in a field analysed by token, each term's number and
    position, in token order (``_Tokens``); else as whoosh's ``field.index`` gives them
    (word bytes, frequency, weight, encoded value). And the field's length."""

    length: int
    terms: npt.NDArray[np.int32] | None = None
    positions: npt.NDArray[np.int32] | None = None
    items: list[tuple[bytes, int, float, bytes]] = dataclasses.field(default_factory=list)


class _Growing:
    """A numpy array appended to one value at a time (its capacity doubled as needed)."""

    def __init__(self) -> None:
        self.data = np.zeros(1024, dtype=np.int32)
        self.size = 0

    def append(self, value: int) -> None:
        if self.size == len(self.data):
            self.data = np.concatenate([self.data, np.zeros_like(self.data)])
        self.data[self.size] = value
        self.size += 1


class _Tokens(dict[Any, int]):
    """Token → its entry's number: the token's terms (each one's number in ``terms`` and
    its position's offset), found by the analyzer the first time the token is met
    (``__missing__``) and kept as arrays, so that a document's terms and positions are
    numpy's work over its tokens' entries (``terms_of``)."""

    def __init__(self, analyzer: Any, terms: dict[str, int]) -> None:
        super().__init__()
        self.analyzer = analyzer
        self.terms = terms  # term → its number (shared by the builder's fields)
        self.first = _Growing()  # entry → where its terms start in flat_terms
        self.count = _Growing()  # entry → how many terms
        self.advance = _Growing()  # entry → how many positions it takes
        self.flat_terms = _Growing()
        self.flat_offsets = _Growing()

    def __missing__(self, token: Any) -> int:
        emitted, advance = self.analyzer.token_terms(token)
        entry = self[token] = len(self)
        self.first.append(self.flat_terms.size)
        self.count.append(len(emitted))
        self.advance.append(advance)
        terms = self.terms
        for text, offset in emitted:
            number = terms.get(text)
            if number is None:
                number = terms[text] = len(terms)
            self.flat_terms.append(number)
            self.flat_offsets.append(offset)
        return entry

    def terms_of(self, tokens: list[Any]) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """A value's terms' numbers and their positions, in order (as ``terms(value,
        query=False)`` gives them)."""
        entries = np.fromiter(map(self.__getitem__, tokens), dtype=np.int32, count=len(tokens))
        count = self.count.data[entries]
        starts = self.first.data[entries]
        if int(count.max()) == 1:  # one term a token, each at the next position: most values
            return self.flat_terms.data[starts], np.arange(len(entries), dtype=np.int32)
        advance = self.advance.data[entries]
        places = np.cumsum(advance, dtype=np.int32) - advance
        total = int(count.sum())
        token = np.repeat(np.arange(len(entries), dtype=np.int32), count)
        within = np.arange(total, dtype=np.int32) - np.repeat(np.cumsum(count) - count, count)
        flat = starts[token] + within
        return self.flat_terms.data[flat], places[token] + self.flat_offsets.data[flat]


class SegmentBuilder:
    """Writes the documents it is given as whole segments of the index in ``storage``
    (see the module docstring); ``finish`` returns them, for the writer's commit."""

    def __init__(
        self, storage: Any, indexname: str, schema: Any, max_postings: int = MAX_POSTINGS
    ) -> None:
        self.storage = storage
        self.indexname = indexname
        self.schema = schema
        self.max_postings = max_postings
        self.frequent_root = _frequent_root(storage)
        self._tables()
        self._kept: dict[tuple[str, str], _Words] = {}
        self._heads: list[bytes] = []  # a lone position's encoding, in two parts
        self._tails: list[bytes] = []
        self._segments: list[Any] = []
        self._start()

    def _tables(self) -> None:
        """A table of tokens for each analyzer of the fields analysed by token, and the
        numbers of their terms (made again when they hold too many, between segments)."""
        self._terms: dict[str, int] = {}  # each term met, numbered in order
        tables: dict[int, _Tokens] = {}  # by analyzer
        self._fast: dict[str, _Tokens] = {}
        for name in self.schema.names():
            field = self.schema[name]
            analyzer: Any = getattr(field, "analyzer", None)
            # reviewapp's analyzers (analysis.py) tell their tokens apart
            if (
                type(field.format) is formats.Positions
                and callable(getattr(analyzer, "index_tokens", None))
                and analyzer.index_tokens("") is not None
            ):
                table = tables.get(id(analyzer))
                if table is None:
                    table = tables[id(analyzer)] = _Tokens(analyzer, self._terms)
                self._fast[name] = table

    def _start(self) -> None:
        if len(self._terms) > _TERMS_KEPT:  # (values kept hold the old tables' numbers)
            self._tables()
            self._kept.clear()
        self._files: whoosh_internals.SegmentFiles | None = None
        self._words: dict[str, dict[bytes, _Postings]] = {}
        # field → its documents' numbers, terms, positions and boosts (fields in _fast)
        self._tokened: dict[str, tuple[list[int], list[Any], list[Any], list[float]]] = {}
        self._lengths: dict[str, array[int]] = {}
        self._article_ids: list[int] = []
        self._postings = 0

    # -- documents -------------------------------------------------------------------------

    def add_document(self, fields: dict[str, Any]) -> None:
        """Add one document (as whoosh's ``add_document`` takes it)."""
        schema = self.schema
        names = sorted(name for name in fields if not name.startswith("_"))
        for name in names:
            if name not in schema:
                raise ValueError(f"No field named {name!r} in {schema}")
        docboost = float(fields.get("_boost", 1.0))
        # Everything analysed before anything is added: a value that fails adds nothing.
        analysed: list[tuple[str, Any, _Words, float]] = []
        perdoc: list[tuple[str, Any, Any, int, Any]] = []
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                words = self._analyse(name, field, value)
                length = words.length
                boost = float(fields.get(f"_{name}_boost", docboost))
                analysed.append((name, field, words, boost))
            custom = fields.get(f"_stored_{name}", value)
            column = (
                field.to_column_value(custom) if field.column_type and custom is not None else None
            )
            perdoc.append((name, field, custom if field.stored else None, length, column))
        if self._files is None:
            self._files = whoosh_internals.SegmentFiles(self.storage, self.indexname)
        docnum = self._files.doc_count
        self._files.add_document(perdoc)
        self._article_ids.append(_article_id(fields))
        for name, _field, words, boost in analysed:
            if words.terms is not None:
                self._add_terms(name, words, boost, docnum)
            else:
                self._add_items(name, words.items, boost, docnum)
            if words.length:
                lengths = self._lengths.get(name)
                if lengths is None:
                    lengths = self._lengths[name] = array("I")
                lengths.extend([0] * (docnum - len(lengths)))
                lengths.append(whoosh_internals.stored_length(words.length))
        if self._postings >= self.max_postings:
            self._segments.append(self._write())
            self._start()

    def _analyse(self, name: str, field: Any, value: Any) -> _Words:
        """A field value's words, and the field's length: for the fields analysed by token,
        its terms' numbers and positions (``_Tokens.terms_of``); for others, what whoosh's
        ``field.index`` gives."""
        kept = isinstance(value, str) and len(value) <= _KEPT_VALUE_CHARS
        if kept:
            found = self._kept.get((name, value))
            if found is not None:
                return found
        analysed: _Words
        table = self._fast.get(name)
        if table is not None:
            if not isinstance(value, str):  # (whoosh's own writer fails on it too)
                raise TypeError(f"The field {name!r} takes text, not {type(value).__name__}")
            tokens = field.analyzer.index_tokens(value)
            terms, positions = table.terms_of(tokens) if tokens else (_NONE, _NONE)
            length = len(terms) if field.scorable else 0
            analysed = _Words(length, terms=terms, positions=positions)
        else:
            items = list(field.index(value))
            length = sum(freq for _b, freq, _w, _v in items) if field.scorable else 0
            analysed = _Words(length, items=items)
            # A value kept is a bytes object used again, which pickle, in a block of
            # values pickled one by one, writes as a reference: not as whoosh does.
            kept = kept and field.format.fixed_value_size() is not None
        if kept:
            if len(self._kept) >= _KEPT_VALUES:
                self._kept.clear()
            self._kept[(name, value)] = analysed
        return analysed

    def _add_terms(self, name: str, words: _Words, boost: float, docnum: int) -> None:
        """Keep a document's terms and positions in a field analysed by token (grouped
        into postings when the segment is written, ``_token_postings``)."""
        assert words.terms is not None and words.positions is not None
        if not len(words.terms):
            return
        held = self._tokened.get(name)
        if held is None:
            held = self._tokened[name] = ([], [], [], [])
        held[0].append(docnum)
        held[1].append(words.terms)
        held[2].append(words.positions)
        held[3].append(boost)
        self._postings += len(words.terms)

    def _add_items(
        self,
        name: str,
        items: list[tuple[bytes, int, float, bytes]],
        boost: float,
        docnum: int,
    ) -> None:
        words = self._words.get(name)
        if words is None:
            words = self._words[name] = {}
        for btext, _freq, weight, value in items:
            held = words.get(btext)
            if held is None:
                held = words[btext] = (array("I"), array("d"), [], btext)
            held[0].append(docnum)
            held[1].append(weight * boost)
            held[2].append(value)
        self._postings += len(items)

    # -- segments --------------------------------------------------------------------------

    def finish(self) -> list[Any]:
        """Write what is gathered; the segments written, for the writer's commit."""
        if self._files is not None:
            self._segments.append(self._write())
            self._start()
        return self._segments

    def cancel(self) -> None:
        if self._files is not None:
            self._files.cancel()

    def _write(self) -> Any:
        files = self._files
        assert files is not None
        frequent = postings.FrequentWriter(self.schema)
        for name in sorted(set(self._words) | set(self._tokened)):
            field = self.schema[name]
            lengths = self._lengths.get(name)
            if lengths is not None:
                lengths.extend([0] * (files.doc_count - len(lengths)))
            files.start_field(name, field)
            listed = frequent.listed(name)
            kept = frequent.keeps(name)
            for btext, ids, weights, values, doc_lengths, places in self._postings_of(
                name, field, lengths
            ):
                blocks = files.add_word(btext, ids, weights, values, doc_lengths)
                if listed is not None:
                    listed.append(btext.decode("utf-8", "surrogateescape"))
                if len(ids) >= postings.FREQUENT and kept:
                    frequent.add(name, btext, ids, weights, values, blocks, places)
            files.finish_field()
        segment = files.finish()
        if self.frequent_root is not None:
            try:
                frequent.write(
                    self.frequent_root,
                    str(segment.segment_id()),
                    files.doc_count,
                    np.asarray(self._article_ids, dtype=np.int64),
                )
            except OSError as exc:  # written after the commit instead (write_missing)
                log.warning("frequent postings of a new segment not written: %s", exc)
        return segment

    def _postings_of(self, name: str, field: Any, lengths: Any) -> Iterator[_Word]:
        """A field's words in the index's order (their UTF-8 bytes'), each with its
        postings: document numbers, weights, encoded values, and (fields analysed by token)
        how many positions each posting has and all of them."""
        if name in self._tokened:
            yield from self._token_postings(field, lengths, *self._tokened.pop(name))
            return
        words = self._words.pop(name)
        for word in sorted(words):
            ids, weights, values, btext = words.pop(word)
            doc_lengths = [lengths[d] for d in ids] if lengths is not None else [0] * len(ids)
            yield btext, ids, weights, values, doc_lengths, None

    def _token_postings(
        self,
        field: Any,
        lengths: Any,
        docs: list[int],
        terms: list[Any],
        places: list[Any],
        boosts: list[float],
    ) -> Iterator[_Word]:
        """The postings of a field analysed by token: every position of every document
        sorted at once by word, document and position, and cut where the document or the
        word changes. A posting's weight is its frequency times the boosts, and its value
        its positions as the field's format encodes them (``Positions.word_values``)."""
        sizes = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
        term = np.concatenate(terms)
        place = np.concatenate(places)
        doc = np.repeat(np.asarray(docs, dtype=np.int32), sizes)
        # Each term's rank among the field's in byte order, by its number.
        used = np.unique(term)
        every = list(self._terms)  # a term's number is its place in the dict
        encoded = [every[n].encode("utf-8") for n in used.tolist()]
        in_order = sorted(range(len(encoded)), key=encoded.__getitem__)
        words = [encoded[n] for n in in_order]
        rank = np.empty(int(used[-1]) + 1, dtype=np.int32)
        rank[used[in_order]] = np.arange(len(in_order), dtype=np.int32)
        key = rank[term]
        del term, used, every, encoded, rank
        order = np.lexsort((place, doc, key))
        key, doc, place = key[order], doc[order], place[order]
        del order
        starts = _starts((key, doc))
        ends = np.append(starts, len(key))  # where each posting's positions end, after all
        freq = np.diff(ends)
        word_starts = [*_starts((key[starts],)).tolist(), len(starts)]
        posting_docs = doc[starts]
        weights = freq * field.format.field_boost
        if any(boost != 1.0 for boost in boosts):
            doc_boost = np.ones(int(doc.max()) + 1)
            doc_boost[np.asarray(docs)] = boosts
            weights = weights * doc_boost[posting_docs]
        doc_lengths = (
            np.frombuffer(lengths, dtype=np.uint32)[posting_docs] if lengths is not None else None
        )
        counts = freq.astype(np.uint32)
        flat = place.astype(np.uint32)
        encode = field.format.encode
        self._encode_singles(encode, int(place.max()))
        heads, tails = self._heads, self._tails
        # Each word's postings made into lists only as it is written (lists of all of a
        # segment's postings held some 150 MB more in a worker).
        for n, btext in enumerate(words):
            a, b = word_starts[n], word_starts[n + 1]
            first, last = int(ends[a]), int(ends[b])
            ids = posting_docs[a:b].tolist()
            where = place[first:last].tolist()
            if last - first == b - a:  # a position each: most words
                values = list(
                    map(operator.add, map(heads.__getitem__, where), map(tails.__getitem__, where))
                )
            else:
                values = self._encoded(
                    encode, where, (starts[a:b] - first).tolist(), freq[a:b].tolist()
                )
            yield (
                btext,
                ids,
                weights[a:b].tolist(),
                values,
                doc_lengths[a:b].tolist() if doc_lengths is not None else [0] * len(ids),
                (counts[a:b], flat[first:last]),
            )

    def _encode_singles(self, encode: Any, last: int) -> None:
        """Encode every lone position up to ``last`` (each in two parts, see _split)."""
        for position in range(len(self._heads), last + 1):
            head, tail = _split(encode([position]))
            self._heads.append(head)
            self._tails.append(tail)

    def _encoded(
        self, encode: Any, places: list[int], starts: list[int], freqs: list[int]
    ) -> list[bytes]:
        """Each posting's positions as the format encodes them: a new bytes object each
        time (pickle writes one met twice in a block as a reference, whoosh never)."""
        heads, tails = self._heads, self._tails
        return [
            heads[p] + tails[p] if f == 1 else encode(places[s : s + f])
            for s, f, p in zip(starts, freqs, map(places.__getitem__, starts), strict=True)
        ]


def _starts(keys: tuple[Any, ...]) -> Any:
    """Where each run of equal rows begins in sorted ``keys`` (arrays of equal length)."""
    change = np.zeros(len(keys[0]), dtype=bool)
    change[0] = True
    for column in keys:
        change[1:] |= column[1:] != column[:-1]
    return np.flatnonzero(change)


def _split(encoded: bytes) -> tuple[bytes, bytes]:
    """Two non-empty parts of an encoding, whose sum is a new bytes object equal to it."""
    return encoded[:1], encoded[1:]


def _article_id(fields: dict[str, Any]) -> int:
    """The document's article id (as ``postings`` reads it from the stored ``id``)."""
    return int(fields["id"])


def _frequent_root(storage: Any) -> Path | None:
    folder = getattr(storage, "folder", None)
    return Path(folder) / postings.FOLDER if folder else None
