"""An index in many segments, as a large import leaves it: each article indexed again in a
segment of its own, unmerged."""

from __future__ import annotations

from pathlib import Path

from reviewapp.search.schema import to_document
from reviewapp.services.library import LibrarySession


def split_index(library_path: Path, rounds: int = 1) -> int:
    """Index every article of the library again, ``rounds`` times, each time in a segment of
    its own; returns the index's segments."""
    with LibrarySession.open(library_path, sync_index=False, create=False) as session:
        library = session.library
        documents = library.articles.index_documents(library.articles.ids())
        ix = session.index._open()
        for _ in range(rounds):
            for document in documents:
                writer = ix.writer()
                writer.update_document(**to_document(document))
                writer.commit(merge=False)
        return len(session.index.segment_sizes())
