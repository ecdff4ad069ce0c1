"""What ``check.py`` checks of whoosh's internals, by table: each internal named as
"whoosh module:dotted name", with where in this package it is relied on and for what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

_HERE = "reviewapp/search/whoosh_internals"
READING = f"{_HERE}/reading.py"
STORAGE = f"{_HERE}/storage.py"
WRITING = f"{_HERE}/writing.py"
WORKERS = f"{_HERE}/workers.py"


class Use(NamedTuple):
    """What an internal is relied on for, and the module of this package that does."""

    where: str
    purpose: str


_POSTINGS = Use(READING, "read posting lists block by block (ranking.py, postings.py)")
_BLOCKS = Use(READING, "reach a posting block from its offset in a phrase check (ranking.py)")
_LENGTHS = Use(READING, "read every document's field length at once (ranking.py)")
_FUZZY = Use(READING, "expand fuzzy words with one automaton per query (ranking.py)")
_STORAGE = Use(STORAGE, "map segment files without copying them (MappedStorage)")
_WRITER = Use(WORKERS, "index a large batch with two forked processes (bulk.py)")
_LOCK = Use(STORAGE, "lock the index folder across processes (index.py)")
_SEGMENTS = Use(WRITING, "write a large batch's segments whole (SegmentFiles, bulk_writer)")
_MERGE = Use(
    READING,
    "merge segments, reading each word's postings whole (whole_postings, segment_merge.py)",
)


# Each internal as "whoosh module:name in it", and what it is relied on for.
NAMES: dict[str, Use] = {
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
SIGNATURES: dict[str, tuple[str, Use]] = {
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
ATTRIBUTES: dict[str, tuple[str, Use]] = {
    "whoosh.codec.whoosh3:W3LeafMatcher": (
        "_postfile _baseoffset _byteids _blocklength _maxid _maxweight _compression "
        "_minlength _maxlength _lastblock _atend _nextoffset _dataoffset _data _ids _weights "
        "_values _i",
        _POSTINGS,
    ),
    "whoosh.columns:NumericColumn.Reader": ("_dbfile _basepos _count _fixedlen", _LENGTHS),
    "whoosh.reading:SegmentReader": (
        "_perdoc _terms",
        Use(READING, "read field lengths and postings (ranking.py, postings.py)"),
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
CODE: dict[str, tuple[str, Use]] = {
    "whoosh.qparser.plugins:PhrasePlugin.PhraseNode.query": (
        "PhrasePlugin analyzer append attach boost end endchar fieldname finditer group len "
        "list phraseclass process_text schema slop start startchar text textstartchar tokenize "
        "wordexpr",
        Use(READING, "tell a phrase's words from a term's (analysing_a_phrase)"),
    ),
    "whoosh.qparser.default:QueryParser.term_query": (
        "error_query exc_info len list multitoken_query parse_query process_text query schema "
        "self_parsing sys",
        Use(READING, "tell a phrase's words from a term's (analysing_a_phrase)"),
    ),
    "whoosh.reading:SegmentReader.postings": (
        "FilterMatcher ReaderClosed TermNotFound _terms _text_to_bytes deleted_docs_set format "
        "is_closed matcher schema whoosh.matching.wrappers",
        Use(
            READING,
            "read a word's postings as whoosh does, without its filter of deleted documents "
            "(all_postings)",
        ),
    ),
    "whoosh.codec.whoosh3:W3LeafMatcher._goto": (
        "_postfile _data _ids _weights _values _i seek read_int _lastblock _INT_SIZE "
        "_nextoffset read_pickle tell _dataoffset _blocklength _maxid _maxweight _compression "
        "byte_to_length _minlength _maxlength",
        Use(READING, "move to a block as goto_block, its copy, does"),
    ),
    "whoosh.codec.whoosh3:W3LeafMatcher._read_data": (
        "_nextoffset _dataoffset _postfile get _compression zlib decompress loads _data",
        Use(READING, "decode a block's data tuple (posting_blocks)"),
    ),
    "whoosh.codec.whoosh3:W3LeafMatcher._read_ids": (
        "_data _read_data _byteids tuple delta_decode _ids",
        Use(READING, "decode a block's document numbers as deltas (posting_blocks, skip_to)"),
    ),
    "whoosh.codec.whoosh3:W3LeafMatcher._read_weights": (
        "_data _read_data _blocklength array range _weights isinstance float",
        Use(READING, "decode a block's weights (posting_blocks)"),
    ),
    "whoosh.multiproc:MpWriter.__init__": (
        "SegmentWriter __init__ cpu_count procs batchsize subargs multisegment tasks Queue "
        "jobqueue resultqueue docbuffer _grouping _added_sub",
        Use(WORKERS, "start the writer as its copy, _ForkingMpWriter.__init__, does"),
    ),
    "whoosh.multiproc:MpWriter._new_task": (
        "SubWriterTask storage indexname jobqueue resultqueue subargs multisegment tasks "
        "append start",
        Use(WORKERS, "start a worker as its copy, _ForkingMpWriter._new_task, does"),
    ),
    "whoosh.codec.base:Automata.find_matches": (
        "unichr text next_valid_string find",
        Use(READING, "drive a word cursor through text() and find() only (SortedWordCursor)"),
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter.add_posting": (
        "len _ids _blocklimit _write_block _byteids isinstance string_type integer_types int "
        "float bytes_type append _weights _maxweight _values _minlength _maxlength",
        Use(WRITING, "fill a block of postings as SegmentFiles.add_word, its copy, does"),
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter._write_block": (
        "_blockcount _postfile write WHOOSH3_HEADER_MAGIC _terminfo add_block _mini_ids "
        "_mini_weights _mini_values dumps len _compression zlib compress _ids _maxweight "
        "length_to_byte _minlength _maxlength write_int _new_block",
        Use(WRITING, "encode a block of postings as _Block.encode, its copy, does"),
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter._mini_ids": (
        "_ids _byteids delta_encode tuple",
        Use(WRITING, "encode a block's document numbers as _Block.encode, its copy, does"),
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter._mini_weights": (
        "_weights all tuple",
        Use(WRITING, "encode a block's weights as _Block.encode, its copy, does"),
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter._mini_values": (
        "_format fixed_value_size _values tuple emptybytes join",
        Use(WRITING, "encode a block's values as _Block.encode, its copy, does"),
    ),
    "whoosh.codec.whoosh3:W3PostingsWriter.finish_postings": (
        "_terminfo written len _inlinelimit add_block set_inline _ids _weights _values "
        "_write_block _startoffset _postfile tell set_extent",
        Use(WRITING, "end a word's postings as SegmentFiles.add_word, its copy, does"),
    ),
    "whoosh.codec.whoosh3:W3TermInfo.add_block": (
        "_weight sum _weights _df len min_length _minlength min max _maxlength max_length "
        "_maxweight max_weight _minid min_id max_id _maxid",
        Use(WRITING, "count a block into a word's statistics as _Block.add_to, its copy, does"),
    ),
    "whoosh.codec.whoosh3:W3FieldWriter.finish_term": (
        "_postwriter finish_postings pack_ushort _fieldid _btext to_bytes _tindex add",
        Use(WRITING, "write a word's entry as SegmentFiles.add_word, its copy, does"),
    ),
    "whoosh.multiproc:SubWriterTask._process_file": (
        "writer temp_storage pickle load open_file raw_file range add_document delete_file",
        Use(WORKERS, "read a job file as bulk_writer's workers do"),
    ),
    "whoosh.multiproc:MpWriter._commit": (
        "docbuffer _enqueue tasks jobqueue put _merge_segments join append resultqueue get "
        "queue Empty multisegment _added _finalize_segment _close_segment perdocwriter "
        "is_closed _merge_subsegments _assemble_segment get_segment _commit_toc _finish",
        Use(WORKERS, "commit the workers' segments as _BulkMpWriter._commit, its copy, does"),
    ),
}

# Constants and encodings: what a probe of each gives in 2.7.5.
VALUES: dict[str, tuple[Callable[[Any], Any], Any, Use]] = {
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
