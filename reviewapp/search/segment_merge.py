"""Merging the index's small segments into one, off the import's critical path.

A bulk import leaves two segments for each part of 10,000 articles (each forked worker
writes its own, ``bulk.py``) and a rebuild two for each 1.5 million postings a worker holds;
every query then looks each of its words up in every segment. Merging writes the documents
and postings of a few segments as one new segment, the way the bulk writer writes its own
(``whoosh_internals.SegmentFiles``): documents copied in order with their stored fields and
field lengths, deleted ones dropped; each word's postings read whole from each segment
(``whoosh_internals.whole_postings``), renumbered and written a block at a time. Nothing is
analysed again, and whoosh's sorting pool is not used.

It runs where nothing waits for it: in the window's index process once the library has been
quiet for a while, a bounded step at a time (``plan``), stopped as soon as a catch-up is
asked for (the step is then dropped whole: a merge is committed at once or not at all);
and ``reviewapp optimize``, which merges every segment into one.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.reading import SegmentReader

from reviewapp.search import whoosh_internals

# Segments are merged while the index has more than this many.
TARGET_SEGMENTS = 4
# The documents one step merges at most (some 20 to 40 s on this project's 2-core laptop).
STEP_DOCS = 30_000
_CHECK_EVERY = 2_000  # documents or words between looks at ``stopped`` (some 0.3 s)

Stopped = Callable[[], bool]
Held = tuple[int, int, int]  # a segment's place, and where it keeps a word's postings


class MergeStopped(Exception):
    """A merge was stopped before its commit: the index is as it was."""


def plan(sizes: Sequence[int], whole: bool = False) -> list[int]:
    """The segments to merge next, as their places in ``sizes`` (each segment's documents,
    deleted ones included), in order: the smallest, as many as a step holds; none while
    there are ``TARGET_SEGMENTS`` or fewer, or when fewer than two fit in a step. ``whole``:
    every segment, in one step (``reviewapp optimize``)."""
    if whole:
        return list(range(len(sizes))) if len(sizes) > 1 else []
    if len(sizes) <= TARGET_SEGMENTS:
        return []
    chosen: list[int] = []
    total = 0
    for place in sorted(range(len(sizes)), key=lambda i: (sizes[i], i)):
        if chosen and total + sizes[place] > STEP_DOCS:
            break
        chosen.append(place)
        total += sizes[place]
    return sorted(chosen) if len(chosen) >= 2 else []


def possible(schema: Any) -> bool:
    """Whether segments of ``schema`` can be merged here: those the bulk writer can write
    whole, with no per-document columns but field lengths."""
    return whoosh_internals.whole_segments_possible(schema) and not any(
        schema[name].column_type for name in schema.names()
    )


def merge(
    storage: Any, indexname: str, schema: Any, segments: Sequence[Any], stopped: Stopped
) -> Any:
    """Write ``segments`` (whoosh segments of the index in ``storage``) as one new segment
    and return it, for a writer's commit to put in their place. Raises ``MergeStopped``
    when ``stopped()`` says so (asked every ``_CHECK_EVERY`` documents or words); the new
    segment's files are then removed."""
    readers = [SegmentReader(storage, schema, segment) for segment in segments]
    files = whoosh_internals.SegmentFiles(storage, indexname)
    try:
        renumbered, lengths = _copy_documents(files, readers, schema, stopped)
        fields = sorted(set().union(*(reader.indexed_field_names() for reader in readers)))
        for fieldname in fields:
            files.start_field(fieldname, schema[fieldname])
            field_lengths = lengths.get(fieldname)
            for count, (btext, held) in enumerate(_words(readers, fieldname)):
                if count % _CHECK_EVERY == 0 and stopped():
                    raise MergeStopped()
                ids, weights, values = _postings(readers, renumbered, held, fieldname)
                if ids:
                    doc_lengths = (
                        field_lengths[ids].tolist() if field_lengths is not None else [0] * len(ids)
                    )
                    files.add_word(btext, ids, weights, values, doc_lengths)
            files.finish_field()
        if stopped():
            raise MergeStopped()
        return files.finish()
    except BaseException:
        files.cancel()
        raise
    finally:
        for reader in readers:
            reader.close()


def _copy_documents(
    files: whoosh_internals.SegmentFiles, readers: list[Any], schema: Any, stopped: Stopped
) -> tuple[list[npt.NDArray[np.int64]], dict[str, npt.NDArray[np.int64]]]:
    """Add the segments' live documents to ``files``, in order; returns, per segment, each
    document's new number (-1 for a deleted one), and per field the new documents' lengths
    as segments keep them."""
    by_byte = np.array(whoosh_internals.field_lengths_by_byte(), dtype=np.int64)
    names = sorted(schema.names())
    scored = [name for name in names if schema[name].scorable]
    renumbered: list[npt.NDArray[np.int64]] = []
    kept: dict[str, list[npt.NDArray[np.int64]]] = {name: [] for name in scored}
    for reader in readers:
        count = reader.doc_count_all()
        lengths = {
            name: by_byte[whoosh_internals.field_length_bytes(reader, name, count)]
            for name in scored
        }
        numbers = np.full(count, -1, dtype=np.int64)
        for docnum in range(count):
            if docnum % _CHECK_EVERY == 0 and stopped():
                raise MergeStopped()
            if reader.is_deleted(docnum):
                continue
            stored = reader.stored_fields(docnum)
            values = []
            for name in names:
                length = int(lengths[name][docnum]) if name in lengths else 0
                value = stored.get(name)
                if value is not None or length:
                    values.append((name, schema[name], value, length, None))
            numbers[docnum] = files.doc_count
            files.add_document(values)
        live = numbers >= 0
        for name in scored:
            kept[name].append(lengths[name][live])
        renumbered.append(numbers)
    return renumbered, {name: np.concatenate(parts) for name, parts in kept.items() if parts}


def _words(readers: list[Any], fieldname: str) -> Iterator[tuple[bytes, list[Held]]]:
    """Every word of a field in any of the segments, in byte order, with where each
    segment that holds it keeps its postings: (segment's place, offset, length)."""
    tagged = [
        _tagged(place, whoosh_internals.field_words(reader, fieldname))
        for place, reader in enumerate(readers)
        if fieldname in reader.indexed_field_names()
    ]
    for btext, group in itertools.groupby(heapq.merge(*tagged), key=lambda item: item[0]):
        yield btext, [(place, offset, length) for _btext, place, offset, length in group]


def _tagged(
    place: int, words: Iterator[tuple[bytes, int, int]]
) -> Iterator[tuple[bytes, int, int, int]]:
    for btext, offset, length in words:
        yield btext, place, offset, length


def _postings(
    readers: list[Any],
    renumbered: list[npt.NDArray[np.int64]],
    held: list[Held],
    fieldname: str,
) -> tuple[list[int], list[float], list[Any]]:
    """A word's postings in the merged segment: its live postings in each segment that holds
    it, renumbered (the segments' documents follow one another, so they stay in order)."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[Any] = []
    for place, offset, length in held:
        old, old_weights, old_values = whoosh_internals.whole_postings(
            readers[place], fieldname, offset, length
        )
        new = renumbered[place][old].tolist()
        if min(new) >= 0:
            ids += new
            weights += old_weights
            values += old_values
        else:
            for number, weight, value in zip(new, old_weights, old_values, strict=True):
                if number >= 0:
                    ids.append(number)
                    weights.append(weight)
                    values.append(value)
    return ids, weights, values
