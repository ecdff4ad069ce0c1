"""The check's probes: a small index built in a scratch folder and read through this
package's functions, each compared with whoosh's own reading and writing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from reviewapp.search.whoosh_internals.reading import (
    SortedWordCursor,
    all_postings,
    block_header,
    field_length_bytes,
    field_lengths_by_byte,
    field_words,
    goto_block,
    has_blocks,
    levenshtein_automaton,
    posting_blocks,
    postings_one_by_one,
    skip_to,
    whole_postings,
    word_cursor,
    words_matching,
)
from reviewapp.search.whoosh_internals.storage import MappedStorage, _View
from reviewapp.search.whoosh_internals.tables import ATTRIBUTES, READING, STORAGE, WRITING
from reviewapp.search.whoosh_internals.writing import SegmentFiles

# A probe: given the small index's reader (and what else it needs), the problems it found.
Probe = Callable[..., list[str]]


def index_problems(scratch: Path) -> list[str]:
    """Build a small index in ``scratch`` and compare this package's reading and writing
    with whoosh's; each problem names the module of this package that relies on what
    changed."""
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
        again = (FileStorage(str(scratch)), scratch / "again")
        probes: list[tuple[Probe, str, tuple[Any, ...]]] = [
            (_check_storage, STORAGE, ()),
            (_check_blocks, READING, ()),
            (_check_lengths, READING, ()),
            (_check_fuzzy, READING, ()),
            (_check_whole_postings, READING, ()),
            (_check_segment_files, WRITING, again),
        ]
        for probe, where, args in probes:
            problems += [
                f"on a small index, {p}: {where} relies on whoosh's internals"
                for p in _run(probe, reader, *args)
            ]
    mapped.close()
    return problems


def _run(probe: Probe, reader: Any, *args: Any) -> list[str]:
    try:
        return probe(reader, *args)
    except Exception as exc:
        return [f"{probe.__name__} failed ({type(exc).__name__}: {exc})"]


def _check_storage(reader: Any) -> list[str]:
    postfile = getattr(all_postings(reader, "body", b"alpha"), "_postfile", None)
    if postfile is not None and not isinstance(postfile, _View):
        return [f"MappedStorage gave postings {type(postfile).__name__}, not a view"]
    return []


def _check_blocks(reader: Any) -> list[str]:
    def postings() -> Any:
        return all_postings(reader, "body", b"alpha")

    matcher = postings()
    if not has_blocks(matcher):
        return [f"postings are read by {type(matcher).__name__}, not W3LeafMatcher"]
    expected_attributes = ATTRIBUTES["whoosh.codec.whoosh3:W3LeafMatcher"][0].split()
    missing = [name for name in expected_attributes if not hasattr(matcher, name)]
    if missing:
        return [f"a W3LeafMatcher has no attribute {', '.join(missing)}"]
    offsets: list[int] = []
    ours: list[tuple[int, float, Any]] = []
    for offset, block_ids, block_weights, values in posting_blocks(matcher) or ():
        offsets.append(offset)
        ours += zip(block_ids.tolist(), block_weights.tolist(), values, strict=True)
    theirs, expected = postings(), []
    while theirs.is_active():
        expected.append((theirs.id(), theirs.weight(), theirs.value()))
        theirs.next()
    problems = []
    if ours != expected or len(offsets) < 2:
        problems.append("posting_blocks reads other postings than whoosh")
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


def _check_whole_postings(reader: Any) -> list[str]:
    """Each word's postings read whole (``whole_postings``) as whoosh reads them one by
    one."""
    problems: list[str] = []
    for btext, offset, length in field_words(reader, "body"):
        expected = postings_one_by_one(reader, "body", btext)
        if whole_postings(reader, "body", offset, length) != expected:
            problems.append(f"whole_postings reads body:{btext!r} otherwise than whoosh")
    return problems


def _check_segment_files(reader: Any, storage: Any, folder: Path) -> list[str]:
    """The small index's one segment written again by ``SegmentFiles`` from what whoosh
    reads of it: the postings and word files must be whoosh's, byte for byte."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), reader.schema)
    files = SegmentFiles(ix.storage, ix.indexname)
    field = reader.schema["body"]
    count = reader.doc_count_all()
    lengths = [reader.doc_field_length(d, "body") or 0 for d in range(count)]
    for docnum in range(count):
        files.add_document([("body", field, None, lengths[docnum], None)])
    files.start_field("body", field)
    for btext, _offset, _length in field_words(reader, "body"):
        ids, weights, values = postings_one_by_one(reader, "body", btext)
        files.add_word(btext, ids, weights, values, [lengths[d] for d in ids])
    files.finish_field()
    written = files.finish()
    ours = _compound_parts(ix.storage, written.make_filename(written.COMPOUND_EXT))
    segment = reader.segment()
    theirs = _compound_parts(storage, segment.make_filename(segment.COMPOUND_EXT))
    if ours.get("pst") is None or (ours["pst"], ours["trm"]) != (theirs["pst"], theirs["trm"]):
        return ["SegmentFiles writes postings otherwise than whoosh"]
    return []


def _compound_parts(storage: Any, name: str) -> dict[str, bytes]:
    compound = CompoundStorage(storage.open_file(name), use_mmap=False)
    try:
        return {n.split(".", 1)[1]: compound.open_file(n).read() for n in compound.list()}
    finally:
        compound.close()
