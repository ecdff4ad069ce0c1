"""Frequent words' postings without their positions, one file set per index segment.

whoosh keeps a block of postings (document numbers, term frequencies and positions) in one
compressed pickle, so reading which documents hold a word means unpickling its positions
too. For a word in half of 100,000 abstracts that is some 40 ms of a query, every time.
This folder keeps, for each segment of the index, the document numbers and frequencies of
the words held by at least ``FREQUENT`` of its documents as plain arrays, memory-mapped by
the searcher (``ranking.Ranker``). Rarer words are read from whoosh: a few blocks.

For the same words it keeps their positions in each document (fields with positions), as
one array of every position (16 bits where they fit) and where each word's start, so that
a phrase is checked with a few array operations (``positions_in``) where whoosh's positions
cost a pickled block per word, field and document checked (its blocks' places are kept
too, for segments written before positions were: a phrase check then reads the one block
holding a document). And it
keeps every word of each scored field in order (``words-<field>.json``): a fuzzy word is
matched against that list, where whoosh's word list on disk costs a dozen reads per lookup.

It is derived twice over (from the index, itself from the library), written after every
index commit for new segments, dropped with the segments whoosh merges away, checked by
``check`` and rebuilt by ``reindex``. A segment without its file is still searched, only
more slowly; a file that does not fit its segment is ignored.
"""

from __future__ import annotations

import itertools
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
# 6: positions kept. Folders of 5 are still read (their phrases checked in whoosh's
# postings) and rewritten by ``write_missing(upgrade=True)`` (``reviewapp optimize``); an
# older reviewapp finds 6 foreign and writes its own, instead of failing on it.
_FORMAT = 6
_READABLE = (5, 6)

Ids = npt.NDArray[np.int64]
Weights = npt.NDArray[np.float64]
# A word's positions in its postings: how many each posting has, and all of them in order.
Positions = tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]


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
    # Every kept posting's positions, in the order of ``ids`` (None in files written before
    # positions were kept), and where each word's start: a word whose weights are not its
    # postings' counts of positions (a boosted field) keeps none.
    positions: npt.NDArray[np.uint16 | np.uint32] | None = None
    bases: dict[tuple[str, bytes], int] = field(default_factory=dict)
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

    def positions_in(self, fieldname: str, btext: bytes, docnums: Ids) -> tuple[Ids, Ids] | None:
        """The word's positions in ``docnums`` (this segment's, ascending): each position
        with the place in ``docnums`` of the document it is in, both in the order of
        ``docnums`` (none for a document without the word). None if the word's positions
        are not kept here."""
        base = self.bases.get((fieldname, btext))
        if base is None or self.positions is None:
            return None
        start, stop, _first_block, _last_block = self.slices[(fieldname, btext)]
        ids = self.ids[start:stop]
        at = np.searchsorted(ids, docnums)
        held = at < len(ids)
        held[held] = ids[at[held]] == docnums[held]
        places = np.flatnonzero(held)
        # A posting's weight is its count of positions (see _place_positions).
        every_count = self.weights[start:stop].astype(np.int64)
        ends = np.cumsum(every_count)[at[places]]
        counts = every_count[at[places]]
        begins = base + ends - counts
        total = int(counts.sum())
        # Each posting's run of positions: its start, then one more for each next one.
        firsts = np.cumsum(counts) - counts
        within = np.arange(total, dtype=np.int64) - np.repeat(firsts, counts)
        found_at = self.positions[np.repeat(begins, counts) + within].astype(np.int64)
        return np.repeat(places, counts), found_at


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
        or meta.get("format") not in _READABLE
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
        # Mapped, and read through plain arrays over the maps: a slice of a memmap is a
        # memmap, made through Python (some 2 µs each, thousands a phrase query).
        ids = np.asarray(np.load(folder / "ids.npy", mmap_mode="r"))
        weights = np.asarray(np.load(folder / "weights.npy", mmap_mode="r"))
        docids = np.load(folder / "docids.npy")
        blocks = np.load(folder / "blocks.npy")
        positions = _load_positions(folder, meta)
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
    bases: dict[tuple[str, bytes], int] = {}
    for fieldname, entries in terms.items():
        for text, start, stop, first_block, last_block, *base in entries:
            key = (fieldname, text.encode("utf-8", "surrogateescape"))
            slices[key] = (start, stop, first_block, last_block)
            if base and base[0] >= 0:
                bases[key] = base[0]
    return SegmentPostings(
        name, int(meta["doc_count"]), slices, ids, weights, docids, blocks, folder, positions, bases
    )


def _load_positions(folder: Path, meta: dict[str, Any]) -> npt.NDArray[Any] | None:
    """A segment's positions, mapped; None if it keeps none."""
    count, width = meta.get("positions"), meta.get("position_bytes")
    if not isinstance(count, int) or width not in (2, 4):
        return None
    dtype = "<u2" if width == 2 else "<u4"
    if count == 0:  # a map of nothing cannot be made
        return np.zeros(0, dtype=dtype)
    mapped = np.memmap(folder / "positions.bin", dtype=dtype, mode="r", shape=(count,))
    return np.asarray(mapped)


def segment_postings(reader: Any, fieldname: str, btext: bytes) -> Any:
    """A word's posting reader in one segment, from its first posting, deleted documents
    included: whoosh's own skips them one posting at a time, while its statistics, its
    blocks and these arrays count them (the ranker leaves deleted documents out itself)."""
    return whoosh_internals.all_postings(reader, fieldname, btext)


def read_postings(
    matcher: Any,
    block_starts: list[tuple[int, int]] | None = None,
    values: list[Any] | None = None,
) -> tuple[Ids, Weights]:
    """A term's document numbers and weights (term frequencies) within one segment; into
    ``block_starts`` if given, each block's byte offset and first posting's number; into
    ``values`` if given, each posting's encoded value (a field's whose format keeps values of
    no fixed size: positions, for ``PositionDecoder``)."""
    whole_blocks = whoosh_internals.posting_blocks(matcher)
    if whole_blocks is not None:
        # Whole blocks at once, where whoosh's matcher steps one posting at a time.
        blocks: list[Ids] = []
        weights: list[Weights] = []
        first = 0
        for offset, block_ids, block_weights, block_values in whole_blocks:
            if block_starts is not None:
                block_starts.append((offset, first))
            if values is not None:
                values += block_values
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
        if values is not None:
            values.append(matcher.value())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(tf, dtype=np.float64)


def has_positions(fieldobj: Any) -> bool:
    return bool(fieldobj.format and fieldobj.format.supports("positions"))


class PositionDecoder(dict[bytes, tuple[int, ...]]):
    """Postings' positions as whoosh encodes them (each posting's value, a pickle) decoded
    by the field's own format into ``Positions``. A value met before is decoded once: most
    are a word met once in a document, at a place where it stands in many others."""

    def __init__(self, fieldobj: Any) -> None:
        super().__init__()
        self.decode = fieldobj.format.decode_positions

    def __missing__(self, value: bytes) -> tuple[int, ...]:
        if len(self) >= _KNOWN_VALUES:
            self.clear()
        found = self[value] = tuple(self.decode(value))
        return found

    def __call__(self, values: list[bytes]) -> Positions:
        decoded = list(map(self.__getitem__, values))  # C loops: some 15 million at 100k
        counts = np.fromiter(map(len, decoded), dtype=np.uint32, count=len(decoded))
        flat = np.fromiter(
            itertools.chain.from_iterable(decoded), dtype=np.uint32, count=int(counts.sum())
        )
        return counts, flat


def _position_decoders(schema: Any) -> dict[str, PositionDecoder]:
    """A decoder for each kept field with positions (see ``kept_fields``)."""
    return {
        name: PositionDecoder(schema[name])
        for name in kept_fields(schema)
        if has_positions(schema[name])
    }


# Encoded values a PositionDecoder remembers (each a few dozen bytes).
_KNOWN_VALUES = 200_000


def write_missing(index_dir: Path, searcher: Any, upgrade: bool = False) -> int:
    """Write the files of segments that lack them (``upgrade``: or whose files are of an
    older format) and drop those of segments gone; returns how many segments were
    written."""
    root = index_dir / FOLDER
    root.mkdir(exist_ok=True)
    readers = _segment_readers(searcher)
    current = {segment_name(r): r for r in readers}
    for stale in root.iterdir():
        if stale.name not in current:
            shutil.rmtree(stale, ignore_errors=True)
    written = 0
    for name, reader in current.items():
        meta = _meta(root / name, reader)
        if meta is not None and (not upgrade or meta.get("format") == _FORMAT):
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

    decoders = _position_decoders(reader.schema)

    def read(fieldname: str, btext: bytes, blocks: list[tuple[int, int]]) -> _Postings:
        decoder = decoders.get(fieldname)
        values: list[Any] | None = [] if decoder is not None else None
        try:
            matcher = segment_postings(reader, fieldname, btext)
            ids, weights = read_postings(matcher, blocks, values)
            positions = decoder(values) if decoder is not None and values is not None else None
            return ids, weights, positions
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
        self.decoders = _position_decoders(schema)
        self.kept: list[tuple[str, bytes, int]] = []
        self.postings: dict[tuple[str, bytes], tuple[_Postings, list[tuple[int, int]]]] = {}

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
        values: list[bytes],
        blocks: list[tuple[int, int]],
        positions: Positions | None = None,
    ) -> None:
        """A frequent word's postings: document numbers, weights (as given to whoosh,
        which keeps them as 32-bit floats), encoded values (or, where known, the
        ``positions`` they encode) and each block's offset and first posting."""
        self.kept.append((fieldname, btext, len(ids)))
        decoder = self.decoders.get(fieldname)
        if decoder is None:
            positions = None
        elif positions is None:
            positions = decoder(values)
        read = (
            np.asarray(ids, dtype=np.int64),
            np.asarray(weights, dtype=np.float32).astype(np.float64),
            positions,
        )
        self.postings[(fieldname, btext)] = (read, blocks)

    def write(self, root: Path, name: str, doc_count: int, docids: npt.NDArray[np.int64]) -> None:
        def read(fieldname: str, btext: bytes, blocks: list[tuple[int, int]]) -> _Postings:
            found, starts = self.postings[(fieldname, btext)]
            blocks += starts
            return found

        root.mkdir(exist_ok=True)
        _write_files(root, name, doc_count, docids, self.kept, self.words, read)


# A kept word's postings: document numbers, weights, positions (None in fields without).
_Postings = tuple[Ids, Weights, Positions | None]
_Read = Callable[[str, bytes, list[tuple[int, int]]], _Postings]


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
        filled = _fill_arrays(staging, read, kept, total, np.uint16)
        if filled is None:
            filled = _fill_arrays(staging, read, kept, total, np.float32)
        assert filled is not None  # float32 holds whoosh's weights as they are
        fields, positions, width = filled
        np.save(staging / "docids.npy", docids)
        meta: dict[str, Any] = {
            "format": _FORMAT,
            "segment": name,
            "doc_count": doc_count,
            "postings": total,
            "blocks": len(np.load(staging / "blocks.npy", mmap_mode="r")),
        }
        meta["positions"], meta["position_bytes"] = positions, width
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
) -> tuple[dict[str, list[tuple[str, int, int, int, int, int]]], int, int] | None:
    """Fill ``ids.npy``, ``weights.npy``, ``blocks.npy`` and ``positions.bin``; the words'
    slices (with where their positions start, -1 for none), how many positions were kept
    and in how many bytes each. None if a weight does not fit ``weight_type``."""
    open_memmap = np.lib.format.open_memmap
    ids = open_memmap(folder / "ids.npy", mode="w+", dtype=np.uint32, shape=(total,))
    weights = open_memmap(folder / "weights.npy", mode="w+", dtype=weight_type, shape=(total,))
    blocks: list[tuple[int, int]] = []  # some 1 per 128 postings
    fields: dict[str, list[tuple[str, int, int, int, int, int]]] = {}
    start = 0
    placed = highest = 0  # positions written so far; the highest of them
    with (folder / "positions.bin").open("wb") as out:
        for fieldname, btext, df in kept:
            first_block = len(blocks)
            term_ids, term_weights, term_positions = read(fieldname, btext, blocks)
            if len(term_ids) != df:
                raise SegmentDamaged(
                    f"{fieldname}:{btext!r} has {len(term_ids)} postings, not {df}"
                )
            converted = term_weights.astype(weight_type)
            if not np.array_equal(converted, term_weights):
                return None
            ids[start : start + df] = term_ids
            weights[start : start + df] = converted
            base = -1
            if _countable(term_weights, term_positions, placed):
                assert term_positions is not None
                base = placed
                flat = term_positions[1]
                out.write(flat.astype("<u4", copy=False).tobytes())
                placed += len(flat)
                highest = max(highest, int(flat.max(initial=0)))
            text = btext.decode("utf-8", "surrogateescape")
            entry = (text, start, start + df, first_block, len(blocks), base)
            fields.setdefault(fieldname, []).append(entry)
            start += df
    ids.flush()
    weights.flush()
    np.save(folder / "blocks.npy", np.asarray(blocks, dtype=np.int64).reshape(-1, 2))
    if highest >= 2**16:
        return fields, placed, 4
    _narrowed(folder / "positions.bin", placed)  # half the bytes to read from the disk
    return fields, placed, 2


def _narrowed(path: Path, count: int) -> None:
    """Rewrite a file of ``count`` 32-bit numbers below 2**16 in 16 bits, a part at a time
    (at 100,000 articles some 30 million)."""
    narrow = path.with_suffix(".narrow")
    if count:
        wide = np.memmap(path, dtype="<u4", mode="r", shape=(count,))
        with narrow.open("wb") as out:
            for start in range(0, count, 1 << 22):
                out.write(wide[start : start + (1 << 22)].astype("<u2").tobytes())
        del wide
    else:
        narrow.write_bytes(b"")
    os.replace(narrow, path)


def _countable(weights: Weights, positions: Positions | None, placed: int) -> bool:
    """Whether a word's positions are kept: its field has them, each posting's weight is
    its count of them (``positions_in`` finds a posting's positions by those counts; not so
    where a field or document is boosted) and their places stay within 32 bits."""
    if positions is None:
        return False
    counts, flat = positions
    if len(counts) != len(weights) or int(counts.sum()) != len(flat):
        raise SegmentDamaged(f"positions of {len(weights)} postings do not match them")
    return placed + len(flat) < 2**32 and np.array_equal(counts, weights)


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
    frequent, and others spread over the lexicon) compared with whoosh's postings, their
    positions included."""
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
            values: list[Any] = []
            expected_ids, expected_weights = read_postings(
                segment_postings(reader, fieldname, btext),
                expected_blocks,
                values if has_positions(reader.schema[fieldname]) else None,
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
                or not _same_positions(kept, reader.schema, fieldname, btext, values)
            ):
                found.append(
                    f"the frequent-word postings of segment {kept.segment} differ from the "
                    f"index ({fieldname}: {btext.decode('utf-8', 'replace')})"
                )
                break
        found += _word_list_problems(kept, reader, per_segment)
    return found


def _same_positions(
    kept: SegmentPostings, schema: Any, fieldname: str, btext: bytes, values: list[Any]
) -> bool:
    """Whether a kept word's positions are those its postings' values (whoosh's) encode:
    true where the segment's file keeps none, or the field has none."""
    if kept.positions is None or not has_positions(schema[fieldname]):
        return True
    start, stop, _first_block, _last_block = kept.slices[(fieldname, btext)]
    counts, flat = PositionDecoder(schema[fieldname])(values)
    if (fieldname, btext) not in kept.bases:  # only where weights are not counts
        return not np.array_equal(counts, kept.weights[start:stop])
    ids = kept.ids[start:stop].astype(np.int64)
    found = kept.positions_in(fieldname, btext, ids)
    return (
        found is not None
        and np.array_equal(found[0], np.repeat(np.arange(len(ids)), counts))
        and np.array_equal(found[1], flat)
    )


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
