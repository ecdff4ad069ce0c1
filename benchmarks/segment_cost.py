"""What one index worker spends on a document: the inner path of an import's indexing.

    .venv/bin/python -m benchmarks.segment_cost [--count 5000] [--rounds 3]

The scale corpus's records (``record_corpus.make_scale_records``: some 300 words each) are
written as a RIS export and imported into a new library, with the index left behind, as
`reviewapp import` stores them; their documents are then read as a catch-up reads them and
handed to one ``SegmentBuilder`` (what each of the two forked workers runs), in this
process, with nothing else running. Prints the CPU time per document of adding (analysis,
grouping) and of writing the segment (postings, blocks, frequent-word arrays), best of the
rounds. A note beside `benchmarks.scale`'s headline (the import as typed, until every
record is searchable), not a replacement for it: two workers share two cores with the
process that feeds them.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from benchmarks.record_corpus import make_scale_records, write_ris
from reviewapp.search.schema import build_schema, to_document
from reviewapp.search.segments import SegmentBuilder
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession


def stored_documents(folder: Path, count: int) -> list[dict[str, Any]]:
    """``count`` scale records imported into a new library, read back as the index's
    documents."""
    export = folder / "export.ris"
    write_ris(export, make_scale_records(count))
    session = LibrarySession.open(folder / "library.sqlite")
    try:
        import_paths(session, [export], catch_up=lambda: None)  # the index left behind
        lib = session.library
        ids = sorted(lib.articles.existing_ids(set(range(1, count + 1))))
        return [to_document(doc) for doc in lib.articles.index_documents(ids)]
    finally:
        session.close()


def build(folder: Path, documents: list[dict[str, Any]]) -> tuple[float, float]:
    """CPU seconds to add the documents to one builder, and to write its segments."""
    ix = whoosh_index.create_in(str(folder), build_schema())
    builder = SegmentBuilder(ix.storage, ix.indexname, ix.schema)
    started = time.process_time()
    for document in documents:
        builder.add_document(document)
    added = time.process_time()
    builder.finish()
    finished = time.process_time()
    ix.close()
    return added - started, finished - added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        documents = stored_documents(root, args.count)
        runs = []
        for n in range(args.rounds):
            folder = root / f"index{n}"
            folder.mkdir()
            runs.append(build(folder, documents))
    per_doc = [(1000 * a / len(documents), 1000 * w / len(documents)) for a, w in runs]
    add, write = min(per_doc, key=sum)
    print(
        f"one worker, {len(documents):,} stored scale records, CPU time per document "
        f"(best of {args.rounds}): adding {add:.2f} ms, writing {write:.2f} ms, "
        f"total {add + write:.2f} ms"
    )
    rounds = ", ".join(f"{a:.2f} + {w:.2f}" for a, w in per_doc)
    print(f"all rounds (adding + writing, ms): {rounds}")


if __name__ == "__main__":
    main()
