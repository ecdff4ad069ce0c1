"""Import and search figures for the foundation: the fixture articles plus N generated ones.

    .venv/bin/python -m benchmarks.import_search [--count 1000] [--extra DIR]

Prints: import time (parse + store + index) and articles/s; a separate full reindex time;
search latency (median and p95 over a fixed query set, snippets included, one session
reused as the CLI and window do).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import write_corpus
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession
from reviewapp.services.process import keep_freed_memory

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "articles"
QUERIES = [
    "CMV viremia",
    "SCLC",
    "ZG006",
    "tarlatamab",
    "small cell lung cancer",
    '"T-cell engager"',
    "neutropenia",
    "author:luskin",
    "year:2020",
    "year:[2018 TO 2022]",
    "DLL3 AND CD3",
    "cytokine release syndrome",
    "pneumon*",
    "alemtuzumb~",
    "HER2 breast",
    "journal:blood",
    "progression-free survival",
    "ALL",
    "PD-L1",
    "doi:10.1002/cncr.35750",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--extra",
        type=Path,
        default=None,
        help="another folder of articles to import first (e.g. the seeds)",
    )
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        write_corpus(folder, args.count)
        sources = [FIXTURES] + ([args.extra] if args.extra else []) + [folder]
        library = Path(tmp) / "bench.sqlite"
        with LibrarySession.open(library) as session:
            start = time.perf_counter()
            reports = import_paths(session, sources)
            elapsed = time.perf_counter() - start
            imported = sum(r.imported for r in reports)
            print(
                f"import: {imported} articles ({len(reports)} files) in {elapsed:.2f} s "
                f"= {imported / elapsed:.0f} articles/s (parse + store + index)"
            )
            start = time.perf_counter()
            session.rebuild_index()
            print(f"reindex from SQLite: {time.perf_counter() - start:.2f} s")
            # This process now ranks searches, as the window and `reviewapp search` do, and
            # tunes its allocator as they do (see the function).
            keep_freed_memory()
            for query in QUERIES:  # warm the searcher once, as a running app would be
                session.search(query)
            timings: dict[str, list[float]] = {q: [] for q in QUERIES}
            for _ in range(args.rounds):
                for query in QUERIES:
                    start = time.perf_counter()
                    session.search(query, limit=20)
                    timings[query].append((time.perf_counter() - start) * 1000)
            medians = sorted(statistics.median(v) for v in timings.values())
            every = sorted(t for v in timings.values() for t in v)
            p95 = every[int(len(every) * 0.95) - 1]
            print(
                f"search ({len(QUERIES)} queries x {args.rounds}, top 20 with snippets): "
                f"median {statistics.median(every):.1f} ms, p95 {p95:.1f} ms, "
                f"slowest query median {medians[-1]:.1f} ms"
            )
            for query in QUERIES:
                print(f"  {statistics.median(timings[query]):7.1f} ms  {query}")


if __name__ == "__main__":
    main()
