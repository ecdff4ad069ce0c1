"""whoosh's internals: the one package of reviewapp that uses them.

Checked against Whoosh-Reloaded 2.7.5 (``whoosh.__version__ == (2, 7, 5)``). The rest of
``reviewapp.search`` uses whoosh's public API (``whoosh.index``, ``fields``, ``qparser``,
``query``, ``searching``, ``analysis``, ``lang``, readers' and matchers' public methods) and,
for what that API cannot do fast enough, the functions and classes here, imported from this
package (``reviewapp.search.whoosh_internals``), never from its modules.
``check_whoosh_internals()`` names every internal of whoosh this package relies on that the
installed whoosh no longer has as it expects (names, signatures, constants, the names used by
the code copied or followed here; with a scratch folder, a small index read both ways), and
the module of this package that relies on it; ``SearchIndex`` runs it once per process and,
if anything changed, logs it and keeps to whoosh's own reading, ranking and writing. (A
whoosh module or class imported here that is gone stops the import of this package, with an
ImportError naming it.)

Each module's docstring lists what it relies on, by whoosh module:

- ``reading.py``: posting lists block by block, a block reached from its offset, a
  document within a block by bisection, field lengths read at once, fuzzy words with one
  automaton, a word's postings read whole for a merge; a quoted phrase's analysis.
- ``storage.py``: ``MappedStorage`` (segment files mapped, not copied) and the folder lock.
- ``writing.py``: ``SegmentFiles``, segments written whole through whoosh 3's codec
  writers, a posting block at a time.
- ``workers.py``: the multi-process writers with forked workers (``forked_writer``,
  ``bulk_writer``), stopped on failure.
- ``check.py``, ``tables.py``, ``probes.py``: the check, what it checks, and its probes on
  a small index.
"""

from reviewapp.search.whoosh_internals.check import changed_internals, check_whoosh_internals
from reviewapp.search.whoosh_internals.reading import (
    SortedWordCursor,
    all_postings,
    analysing_a_phrase,
    block_header,
    field_length_bytes,
    field_lengths_by_byte,
    field_words,
    goto_block,
    has_blocks,
    has_word_cursor,
    levenshtein_automaton,
    move_within_block,
    posting_blocks,
    postings_one_by_one,
    skip_to,
    whole_postings,
    word_cursor,
    words_matching,
)
from reviewapp.search.whoosh_internals.storage import FileLock, MappedStorage, try_for
from reviewapp.search.whoosh_internals.workers import (
    bulk_writer,
    documents_lost,
    forked_writer,
    stop_workers,
)
from reviewapp.search.whoosh_internals.writing import (
    SegmentFiles,
    stored_length,
    whole_segments_possible,
)

__all__ = [
    "FileLock",
    "MappedStorage",
    "SegmentFiles",
    "SortedWordCursor",
    "all_postings",
    "analysing_a_phrase",
    "block_header",
    "bulk_writer",
    "changed_internals",
    "check_whoosh_internals",
    "documents_lost",
    "field_length_bytes",
    "field_lengths_by_byte",
    "field_words",
    "forked_writer",
    "goto_block",
    "has_blocks",
    "has_word_cursor",
    "levenshtein_automaton",
    "move_within_block",
    "posting_blocks",
    "postings_one_by_one",
    "skip_to",
    "stop_workers",
    "stored_length",
    "try_for",
    "whole_postings",
    "whole_segments_possible",
    "word_cursor",
    "words_matching",
]
