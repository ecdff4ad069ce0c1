"""Segments written whole through whoosh 3's own codec writers (``SegmentFiles``, for
``segments.SegmentBuilder`` and ``segment_merge.py``), a posting block at a time.

What this module relies on, by whoosh module:

``whoosh.codec.whoosh3`` (and ``whoosh.codec.base``)
  - The codec (``whoosh.codec.default_codec()``, a ``W3Codec``, its ``_blocklimit``,
    ``_compression`` and ``_inlinelimit``), ``new_segment``, its per-document writer
    (``start_doc``, ``add_field``, ``add_column_value``, ``finish_doc``, ``close``, which
    sets the segment's field lengths) and field writer (``start_field``, ``_fieldid``,
    ``_postfile``, ``_tindex`` and its ``add``, ``finish_field``, ``close``), the segment's
    ``set_doc_count``, ``should_assemble`` and ``create_compound_file``; and, followed a
    block at a time, ``W3PostingsWriter.add_posting``, ``_write_block``, ``_mini_ids``,
    ``_mini_weights``, ``_mini_values`` and ``finish_postings``, ``W3TermInfo.add_block``
    (its ``_weight``, ``_df``, ``_minlength``, ``_maxlength``, ``_maxweight``, ``_minid``,
    ``_maxid``), ``set_extent`` and ``to_bytes``, ``W3FieldWriter.finish_term`` and the
    header tag ``WHOOSH3_HEADER_MAGIC``. Blocks are laid out as ``reading.py`` describes.
  - ``Segment.make_filename`` names a segment's files, removed when one is abandoned
    (``SegmentFiles.cancel``).
``whoosh.util.numeric``
  - ``length_to_byte`` (and ``byte_to_length``): a field length is given to the postings
    writer as the segment keeps it, ``byte_to_length(length_to_byte(n))``
    (``stored_length``).
``whoosh.system``
  - ``pack_int`` (a block's signed length) and ``pack_ushort`` (a field's number before
    each word in the word table).
"""

from __future__ import annotations

import contextlib
import operator
import pickle
import zlib
from array import array
from typing import Any

from whoosh.codec import default_codec
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte


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
        block of postings written as its byte offset (as ``posting_blocks`` gives
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
