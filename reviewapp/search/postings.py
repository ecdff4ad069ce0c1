"""Frequent words' postings without their positions, one file set per index segment.

whoosh keeps a block of postings (document numbers, term frequencies and positions) in one
compressed pickle, so reading which documents hold a word means unpickling its positions
too. For a word in half of 100,000 abstracts that is some 40 ms of a query, every time.
This folder keeps, for each segment of the index, the document numbers and frequencies of
the words held by at least ``FREQUENT`` of its documents as plain arrays, memory-mapped by
the searcher (``ranking.Ranker``). Rarer words are read from whoosh: a few blocks.

For the same words it keeps where each of whoosh's blocks of their postings starts (its
byte offset and the number of its first posting), so that a phrase check reads the one
block that holds a document's positions instead of walking every block before it. And it
keeps every word of each scored field in order (``words-<field>.json``): a fuzzy word is matched
against that list, where whoosh's word list on disk costs a dozen reads per lookup.

It is derived twice over (from the index, itself from the library), written after every
index commit for new segments, dropped with the segments whoosh merges away, checked by
``check`` and rebuilt by ``reindex``. A segment without its file is still searched, only
more slowly; a file that does not fit its segment is ignored.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from reviewapp.search import whoosh_internals

log = logging.getLogger(__name__)

FOLDER = "frequent"


class SegmentDamaged(RuntimeError):
    """A segment's postings cannot be read as its own statistics say (a damaged file): the
    index must be rebuilt from the store."""


# A word's postings are kept here when this many of a segment's documents hold it.
FREQUENT = 256
_FORMAT = 5

Ids = npt.NDArray[np.int64]
Weights = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SegmentPostings:
    """One segment's frequent words: ``(field, term bytes)`` → slice of the arrays."""

    segment: str
    doc_count: int
    # (field, term) → its postings' slice of ids and weights, its blocks' slice of blocks
    slices: dict[tuple[str, bytes], tuple[int, int, int, int]]
    ids: npt.NDArray[np.uint32]
    weights: npt.NDArray[Any]  # uint16 counts, or float32
    docids: npt.NDArray[np.int64] | None = None  # document number → article id
    # Per block of whoosh's postings: its byte offset, the number of its first posting.
    blocks: npt.NDArray[np.int64] | None = None
    folder: Path | None = None
    _words: dict[str, list[str] | None] = field(default_factory=dict)  # read when asked

    def words(self, fieldname: str) -> list[str] | None:
        """Every word of a scored field in this segment, in the index's order (read when
        first asked, one field at a time); None for other fields, or if unreadable."""
        if fieldname not in self._words:
            self._words[fieldname] = self._read_words(fieldname)
        return self._words[fieldname]

    def _read_words(self, fieldname: str) -> list[str] | None:
        path = self.folder / f"words-{fieldname}.json" if self.folder is not None else None
        if path is None or not path.is_file():
            return None
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.info("words of segment %s unreadable: %s", self.segment, exc)
            return None
        return loaded if isinstance(loaded, list) else None

    def get(self, fieldname: str, btext: bytes) -> tuple[Ids, Weights] | None:
        found = self.slices.get((fieldname, btext))
        if found is None:
            return None
        start, stop, _first_block, _last_block = found
        return (
            self.ids[start:stop].astype(np.int64),
            self.weights[start:stop].astype(np.float64),
        )

    def locate(self, fieldname: str, btext: bytes, docnums: Ids) -> tuple[Ids, Ids] | None:
        """For each of ``docnums`` (this segment's), the byte offset of the block of
        whoosh's postings holding its posting of the word, and the posting's place in that
        block; an offset of -1 where the document lacks the word. None if the word is not
        kept here."""
        found = self.slices.get((fieldname, btext))
        if found is None or self.blocks is None:
            return None
        start, stop, first_block, last_block = found
        ids = self.ids[start:stop]
        at = np.searchsorted(ids, docnums)
        held = at < len(ids)
        held[held] = ids[at[held]] == docnums[held]
        blocks = self.blocks[first_block:last_block]
        block = np.searchsorted(blocks[:, 1], at, side="right") - 1
        offsets = np.where(held, blocks[block, 0], -1)
        return offsets, at - blocks[block, 1]


def segment_name(reader: Any) -> str:
    return str(reader.segment().segment_id())


def _segment_readers(searcher: Any) -> list[Any]:
    """The readers of the index's segments (an empty index has a reader of none)."""
    readers = [sub.reader() for sub, _offset in searcher.leaf_searchers()]
    return [r for r in readers if r.segment() is not None]


def kept_fields(schema: Any) -> list[str]:
    """Fields whose frequent words are kept: the scored text fields, and numbers (years),
    whose ranges are unions of postings."""
    return [
        name
        for name in schema.names()
        if schema[name].scorable or type(schema[name]).__name__ == "NUMERIC"
    ]


def _meta(folder: Path, reader: Any) -> dict[str, Any] | None:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(meta, dict)
        or meta.get("format") != _FORMAT
        or meta.get("doc_count") != reader.doc_count_all()
    ):
        return None
    # Sizes as written: a file cut short (a full disk, a crash) is caught here.
    for name, size in meta.get("sizes", {}).items():
        try:
            if (folder / name).stat().st_size != size:
                return None
        except OSError:
            return None
    return meta


def load(index_dir: Path, reader: Any) -> SegmentPostings | None:
    """The frequent-word postings of the segment ``reader`` reads, if written and whole."""
    if reader.segment() is None:
        return None
    name = segment_name(reader)
    folder = index_dir / FOLDER / name
    meta = _meta(folder, reader)
    if meta is None:
        return None
    try:
        terms = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
        ids = np.load(folder / "ids.npy", mmap_mode="r")
        weights = np.load(folder / "weights.npy", mmap_mode="r")
        docids = np.load(folder / "docids.npy")
        blocks = np.load(folder / "blocks.npy")
    except (OSError, ValueError) as exc:
        log.info("frequent postings of segment %s unreadable: %s", name, exc)
        return None
    if (
        len(ids) != meta["postings"]
        or len(weights) != meta["postings"]
        or len(docids) != meta["doc_count"]
        or blocks.shape != (meta["blocks"], 2)
    ):
        return None
    slices: dict[tuple[str, bytes], tuple[int, int, int, int]] = {}
    for fieldname, entries in terms.items():
        for text, start, stop, first_block, last_block in entries:
            key = (fieldname, text.encode("utf-8", "surrogateescape"))
            slices[key] = (start, stop, first_block, last_block)
    return SegmentPostings(
        name, int(meta["doc_count"]), slices, ids, weights, docids, blocks, folder
    )


def segment_postings(reader: Any, fieldname: str, btext: bytes) -> Any:
    """A word's posting reader in one segment, from its first posting, deleted documents
    included: whoosh's own skips them one posting at a time, while its statistics, its
    blocks and these arrays count them (the ranker leaves deleted documents out itself)."""
    return whoosh_internals.all_postings(reader, fieldname, btext)


def read_postings(
    matcher: Any, block_starts: list[tuple[int, int]] | None = None
) -> tuple[Ids, Weights]:
    """A term's document numbers and weights (term frequencies) within one segment; and,
    into ``block_starts`` if given, each block's byte offset and first posting's number."""
    whole_blocks = whoosh_internals.block_ids_and_weights(matcher)
    if whole_blocks is not None:
        # Whole blocks at once, where whoosh's matcher steps one posting at a time.
        blocks: list[Ids] = []
        weights: list[Weights] = []
        first = 0
        for offset, block_ids, block_weights in whole_blocks:
            if block_starts is not None:
                block_starts.append((offset, first))
            first += len(block_ids)
            blocks.append(block_ids)
            weights.append(block_weights)
        if not blocks:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(blocks), np.concatenate(weights)
    if block_starts is not None:
        raise RuntimeError(f"postings of a kind without blocks: {type(matcher).__name__}")
    ids: list[int] = []
    tf: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        tf.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(tf, dtype=np.float64)


def write_missing(index_dir: Path, searcher: Any) -> int:
    """Write the files of segments that lack them and drop those of segments gone;
    returns how many segments were written."""
    root = index_dir / FOLDER
    root.mkdir(exist_ok=True)
    readers = _segment_readers(searcher)
    current = {segment_name(r): r for r in readers}
    for stale in root.iterdir():
        if stale.name not in current:
            shutil.rmtree(stale, ignore_errors=True)
    written = 0
    for name, reader in current.items():
        if _meta(root / name, reader) is not None:
            continue
        try:
            _write_segment(root, name, reader)
        except SegmentDamaged:
            raise
        except (OSError, RuntimeError) as exc:  # searched from whoosh's postings meanwhile
            log.warning("frequent postings of segment %s not written: %s", name, exc)
            continue
        written += 1
    return written


def _write_segment(root: Path, name: str, reader: Any) -> None:
    """Write one segment's files from its postings, read back from whoosh's."""
    kept: list[tuple[str, bytes, int]] = []
    words: dict[str, list[str]] = {}
    for fieldname in kept_fields(reader.schema):
        listed = words.setdefault(fieldname, []) if reader.schema[fieldname].scorable else None
        if fieldname not in reader.indexed_field_names():
            continue  # its list stays empty: no word of it in this segment
        for btext in reader.lexicon(fieldname):
            if listed is not None:
                listed.append(btext.decode("utf-8", "surrogateescape"))
            if (df := reader.doc_frequency(fieldname, btext)) >= FREQUENT:
                kept.append((fieldname, btext, df))

    def read(fieldname: str, btext: bytes, blocks: list[tuple[int, int]]) -> tuple[Ids, Weights]:
        try:
            return read_postings(segment_postings(reader, fieldname, btext), blocks)
        except OSError:
            raise  # the files went meanwhile (merged away): written for the new segment
        except Exception as exc:  # whoosh decoding damaged bytes fails in many ways
            raise SegmentDamaged(f"{fieldname}:{btext!r} cannot be read ({exc!r})") from exc

    _write_files(root, name, reader.doc_count_all(), _article_ids(reader), kept, words, read)


class FrequentWriter:
    """A new segment's files written from its postings as they are written
    (``segments.SegmentBuilder``), instead of read back: ``field`` for each field with
    words, in name order, ``add`` for each frequent word in order, then ``write``."""

    def __init__(self, schema: Any) -> None:
        self.fields = set(kept_fields(schema))
        self.words: dict[str, list[str]] = {
            name: [] for name in kept_fields(schema) if schema[name].scorable
        }
        self.kept: list[tuple[str, bytes, int]] = []
        self.postings: dict[tuple[str, bytes], tuple[Ids, Weights, list[tuple[int, int]]]] = {}

    def listed(self, fieldname: str) -> list[str] | None:
        """The list of a field's words to append to, or None if not kept."""
        return self.words.get(fieldname)

    def keeps(self, fieldname: str) -> bool:
        return fieldname in self.fields

    def add(
        self,
        fieldname: str,
        btext: bytes,
        ids: Any,
        weights: Any,
        blocks: list[tuple[int, int]],
    ) -> None:
        """A frequent word's postings: document numbers, weights (as given to whoosh,
        which keeps them as 32-bit floats) and each block's offset and first posting."""
        self.kept.append((fieldname, btext, len(ids)))
        self.postings[(fieldname, btext)] = (
            np.asarray(ids, dtype=np.int64),
            np.asarray(weights, dtype=np.float32).astype(np.float64),
            blocks,
        )

    def write(self, root: Path, name: str, doc_count: int, docids: npt.NDArray[np.int64]) -> None:
        def read(
            fieldname: str, btext: bytes, blocks: list[tuple[int, int]]
        ) -> tuple[Ids, Weights]:
            ids, weights, starts = self.postings[(fieldname, btext)]
            blocks += starts
            return ids, weights

        root.mkdir(exist_ok=True)
        _write_files(root, name, doc_count, docids, self.kept, self.words, read)


_Read = Callable[[str, bytes, list[tuple[int, int]]], tuple[Ids, Weights]]


def _write_files(
    root: Path,
    name: str,
    doc_count: int,
    docids: npt.NDArray[np.int64],
    kept: list[tuple[str, bytes, int]],
    words: dict[str, list[str]],
    read: _Read,
) -> None:
    """Write one segment's arrays straight into memory-mapped files: a 50,000-article
    segment keeps some 8 million postings, which gathered in lists first took 250 MB.
    ``read(field, word, blocks)`` gives a kept word's postings and adds its blocks."""
    total = sum(df for _f, _b, df in kept)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root))
    try:
        staging.chmod(0o755)
        # Term frequencies are counts (16 bits), unless an analyser boosts tokens.
        fields = _fill_arrays(staging, read, kept, total, np.uint16)
        if fields is None:
            fields = _fill_arrays(staging, read, kept, total, np.float32)
        assert fields is not None  # float32 holds whoosh's weights as they are
        np.save(staging / "docids.npy", docids)
        meta: dict[str, Any] = {
            "format": _FORMAT,
            "segment": name,
            "doc_count": doc_count,
            "postings": total,
            "blocks": len(np.load(staging / "blocks.npy", mmap_mode="r")),
        }
        (staging / "terms.json").write_text(json.dumps(fields), encoding="utf-8")
        for fieldname, listed in words.items():
            (staging / f"words-{fieldname}.json").write_text(json.dumps(listed), encoding="utf-8")
        meta["sizes"] = {p.name: p.stat().st_size for p in staging.iterdir()}
        # Written last: a folder without it is unfinished and is written again.
        (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        target = root / name
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _article_ids(reader: Any) -> npt.NDArray[np.int64]:
    """Each document's article id (-1 for deleted documents), so that a ranked list of
    thousands maps to articles without reading stored fields one by one."""
    found = np.full(reader.doc_count_all(), -1, dtype=np.int64)
    for docnum, fields in reader.iter_docs():
        found[docnum] = int(fields["id"])
    return found


def _fill_arrays(
    folder: Path,
    read: _Read,
    kept: list[tuple[str, bytes, int]],
    total: int,
    weight_type: type[np.generic],
) -> dict[str, list[tuple[str, int, int, int, int]]] | None:
    """Fill ``ids.npy``, ``weights.npy`` and ``blocks.npy``; None if a weight does not fit
    ``weight_type``."""
    open_memmap = np.lib.format.open_memmap
    ids = open_memmap(folder / "ids.npy", mode="w+", dtype=np.uint32, shape=(total,))
    weights = open_memmap(folder / "weights.npy", mode="w+", dtype=weight_type, shape=(total,))
    blocks: list[tuple[int, int]] = []  # some 1 per 128 postings
    fields: dict[str, list[tuple[str, int, int, int, int]]] = {}
    start = 0
    for fieldname, btext, df in kept:
        first_block = len(blocks)
        term_ids, term_weights = read(fieldname, btext, blocks)
        if len(term_ids) != df:
            raise SegmentDamaged(f"{fieldname}:{btext!r} has {len(term_ids)} postings, not {df}")
        converted = term_weights.astype(weight_type)
        if not np.array_equal(converted, term_weights):
            return None
        ids[start : start + df] = term_ids
        weights[start : start + df] = converted
        text = btext.decode("utf-8", "surrogateescape")
        fields.setdefault(fieldname, []).append((text, start, start + df, first_block, len(blocks)))
        start += df
    ids.flush()
    weights.flush()
    np.save(folder / "blocks.npy", np.asarray(blocks, dtype=np.int64).reshape(-1, 2))
    return fields


def problems(index_dir: Path, searcher: Any) -> list[str]:
    """What ``check`` reports: segments without their file, and files of no segment."""
    root = index_dir / FOLDER
    readers = _segment_readers(searcher)
    names = {segment_name(r) for r in readers}
    found = []
    missing = [r for r in readers if _meta(root / segment_name(r), r) is None]
    if missing:
        found.append(f"{len(missing)} index segments lack their frequent-word postings")
    if root.is_dir():
        extra = [p.name for p in root.iterdir() if not p.name.startswith(".")]
        stale = [n for n in extra if n not in names]
        if stale:
            found.append(f"{len(stale)} frequent-word postings belong to no index segment")
    return found


def verify(index_dir: Path, searcher: Any, per_segment: int = 64) -> list[str]:
    """What a thorough ``check`` adds: a sample of each segment's kept words (the most
    frequent, and others spread over the lexicon) compared with whoosh's postings."""
    found: list[str] = []
    for reader in _segment_readers(searcher):
        kept = load(index_dir, reader)
        if kept is None:
            continue
        keys = sorted(kept.slices, key=lambda k: kept.slices[k][0])
        step = max(1, len(keys) // per_segment)
        for fieldname, btext in keys[::step]:
            ids, weights = kept.get(fieldname, btext) or (None, None)
            expected_blocks: list[tuple[int, int]] = []
            expected_ids, expected_weights = read_postings(
                segment_postings(reader, fieldname, btext), expected_blocks
            )
            _start, _stop, first_block, last_block = kept.slices[(fieldname, btext)]
            blocks = kept.blocks[first_block:last_block] if kept.blocks is not None else None
            if (
                ids is None
                or weights is None
                or blocks is None
                or not np.array_equal(ids, expected_ids)
                or not np.allclose(weights, expected_weights)
                or not np.array_equal(blocks, np.asarray(expected_blocks).reshape(-1, 2))
            ):
                found.append(
                    f"the frequent-word postings of segment {kept.segment} differ from the "
                    f"index ({fieldname}: {btext.decode('utf-8', 'replace')})"
                )
                break
        found += _word_list_problems(kept, reader, per_segment)
    return found


def _word_list_problems(kept: SegmentPostings, reader: Any, per_segment: int) -> list[str]:
    """A segment's word lists: in order, each as long as the field's lexicon, and a sample
    of their words in the index."""
    for fieldname in kept_fields(reader.schema):
        if not reader.schema[fieldname].scorable:
            continue
        words = kept.words(fieldname)
        indexed = fieldname in reader.indexed_field_names()
        count = sum(1 for _ in reader.lexicon(fieldname)) if indexed else 0
        sample = words[:: max(1, len(words) // per_segment)] if words else []
        if (
            words is None
            or len(words) != count
            or words != sorted(words)
            or any((fieldname, w.encode("utf-8", "surrogateescape")) not in reader for w in sample)
        ):
            return [f"the word list of segment {kept.segment} differs from the index ({fieldname})"]
    return []
