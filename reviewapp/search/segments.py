"""Whole segments for a large batch: documents analysed and their postings grouped in memory.

whoosh's writer puts each posting of each document through a sorting pool, sorts the pool
at its commit and hands the postings one at a time to its postings writer, which reads each
document's field length back from the segment; then the frequent-word arrays
(``postings.py``) were written by reading those postings back. That came to some 4 ms a
document. Here (in each of ``bulk.py``'s forked workers) a document's fields are analysed
once, with what repeats kept (``OncologyAnalyzer.index_positions``' tokens, whole values of
short fields such as a journal, an author list or keywords, a position's encoding), its
postings are appended to per-word lists, and at the end each word's postings are written
whole, in order, by whoosh's own codec writers (``whoosh_internals.SegmentFiles``); the
frequent-word arrays are written from the same lists.

The segment is the one whoosh's writer would write for the same documents: the same words,
postings (document numbers, weights, positions), field lengths and stored fields
(tests/unit/search/test_segments.py compares them). A worker writes a segment each
``MAX_POSTINGS`` postings (memory stays bounded in a rebuild), and the segments become
visible only when the writer that started the workers commits.
"""

from __future__ import annotations

import dataclasses
import logging
from array import array
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import formats

from reviewapp.search import postings, whoosh_internals

log = logging.getLogger(__name__)

# Postings a worker gathers before it writes them as a segment: some 150 bytes each (a
# worker held 240 MB at 1.2 million, 5,000 abstracts).
MAX_POSTINGS = 1_500_000
# Field values this long or shorter are analysed once per worker and segment.
_KEPT_VALUE_CHARS = 200
_KEPT_VALUES = 50_000

# A word's postings: document numbers, weights, encoded values; and the word as bytes.
_Postings = tuple["array[int]", "array[float]", list[bytes], bytes]


@dataclasses.dataclass(frozen=True, slots=True)
class _Words:
    """A field value's words: each with its positions, where analysed here, else as
    whoosh's ``field.index`` gives them (word bytes, frequency, weight, encoded value);
    and the field's length."""

    length: int
    positions: dict[str, list[int]] | None = None
    items: list[tuple[bytes, int, float, bytes]] = dataclasses.field(default_factory=list)


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
        self._fast = {
            name: schema[name]
            for name in schema.names()
            # reviewapp's analyzers (analysis.py) give each term's positions
            if type(schema[name].format) is formats.Positions
            and callable(getattr(schema[name].analyzer, "index_positions", None))
        }
        self._kept: dict[tuple[str, str], _Words] = {}
        self._singles: list[tuple[bytes, bytes]] = []  # a lone position's encoding
        self._segments: list[Any] = []
        self._start()

    def _start(self) -> None:
        self._files: whoosh_internals.SegmentFiles | None = None
        self._words: dict[str, dict[Any, _Postings]] = {}  # words as str or bytes
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
        for name, field, words, boost in analysed:
            if words.positions is not None:
                self._add_positions(name, field, words.positions, boost, docnum)
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
        """A field value's words, and the field's length: for the fields analysed here,
        each word's positions (``index_positions``); for others, what whoosh's
        ``field.index`` gives."""
        kept = isinstance(value, str) and len(value) <= _KEPT_VALUE_CHARS
        if kept:
            found = self._kept.get((name, value))
            if found is not None:
                return found
        analysed: _Words
        if name in self._fast and isinstance(value, str):
            positions = field.analyzer.index_positions(value)
            length = sum(map(len, positions.values())) if field.scorable else 0
            analysed = _Words(length, positions=positions)
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

    def _add_positions(
        self, name: str, field: Any, positions: dict[str, list[int]], boost: float, docnum: int
    ) -> None:
        """Add a document's words of a field analysed here, as ``Positions.word_values``
        gives them: weight the frequency (times the boosts), value the encoded positions."""
        fmt = field.format
        fieldboost = fmt.field_boost
        encode = fmt.encode
        unboosted = fieldboost == 1.0 and boost == 1.0
        singles = self._singles
        words = self._words.get(name)
        if words is None:
            words = self._words[name] = {}
        for text, poslist in positions.items():
            held = words.get(text)
            if held is None:
                held = words[text] = (array("I"), array("d"), [], text.encode("utf-8"))
            held[0].append(docnum)
            if len(poslist) == 1:  # most words of a document
                held[1].append(1.0 if unboosted else 1.0 * fieldboost * boost)
                # A new bytes object each time (pickle writes one met twice as a reference).
                try:
                    head, tail = singles[poslist[0]]
                except IndexError:
                    self._encode_singles(poslist[0], encode)
                    head, tail = singles[poslist[0]]
                held[2].append(head + tail)
            else:
                held[1].append(float(len(poslist)) * fieldboost * boost)
                held[2].append(encode(poslist))
        self._postings += len(positions)

    def _encode_singles(self, position: int, encode: Any) -> None:
        """Encode every lone position up to ``position`` (each in two parts, see _split)."""
        singles = self._singles
        singles.extend(_split(encode([p])) for p in range(len(singles), position + 1))

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
        for name in sorted(self._words):
            words = self._words.pop(name)
            field = self.schema[name]
            lengths = self._lengths.get(name)
            if lengths is not None:
                lengths.extend([0] * (files.doc_count - len(lengths)))
            files.start_field(name, field)
            listed = frequent.listed(name)
            # A field's words are all str (analysed here) or all bytes; in either case their
            # order is that of their UTF-8 bytes, the index's.
            for word in sorted(words):
                ids, weights, values, btext = words.pop(word)
                doc_lengths = [lengths[d] for d in ids] if lengths is not None else [0] * len(ids)
                blocks = files.add_word(btext, ids, weights, values, doc_lengths)
                if listed is not None:
                    listed.append(btext.decode("utf-8", "surrogateescape"))
                if len(ids) >= postings.FREQUENT and frequent.keeps(name):
                    frequent.add(name, btext, ids, weights, values, blocks)
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


def _split(encoded: bytes) -> tuple[bytes, bytes]:
    """Two non-empty parts of an encoding, whose sum is a new bytes object equal to it."""
    return encoded[:1], encoded[1:]


def _article_id(fields: dict[str, Any]) -> int:
    """The document's article id (as ``postings`` reads it from the stored ``id``)."""
    return int(fields["id"])


def _frequent_root(storage: Any) -> Path | None:
    folder = getattr(storage, "folder", None)
    return Path(folder) / postings.FOLDER if folder else None
