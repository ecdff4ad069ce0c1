"""Import throughput by format: N records in one export file, parsed, stored and indexed.

    .venv/bin/python -m benchmarks.import_formats [--count 10000] [--formats ris,medline,...]

For each format, into a fresh library: the time to parse (in the parser child process),
to store (one transaction, duplicates checked) and to index, and records/s over all three.
Then the same records again in RIS into the filled library: all duplicates, none stored twice.
The issue's goal: 10,000 RIS records stored and indexed in at most 30 s.

With ``--window`` (needs a display, e.g. xvfb-run): the same RIS export imported through the
window, with the longest stall of its GUI thread while the import runs.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from benchmarks.record_corpus import WRITERS, make_records
from reviewapp.importers.isolation import ParserProcess
from reviewapp.services.importing import import_file
from reviewapp.services.library import LibrarySession


def measure(folder: Path, kind: str, count: int, parser: ParserProcess) -> None:
    records = make_records(count)
    write, name = WRITERS[kind]
    path = folder / name
    write(path, records)
    library = folder / f"{kind}.sqlite"
    with LibrarySession.open(library) as session:
        start = time.perf_counter()
        parsed = parser.parse(path)
        parsed_at = time.perf_counter()
        report = import_file(session, path, parser)
        stored_at = time.perf_counter()
        session.index_after_write()
        indexed_at = time.perf_counter()
        # import_file parses again: what a user waits for is its time plus the index's.
        store_seconds = (stored_at - parsed_at) - (parsed_at - start)
        total = indexed_at - parsed_at
        print(
            f"{kind:11} {len(parsed.articles):>6} records, {path.stat().st_size / 2**20:5.1f} MB: "
            f"parse {parsed_at - start:5.2f} s, store {store_seconds:5.2f} s, "
            f"index {indexed_at - stored_at:5.2f} s; total {total:5.2f} s "
            f"= {report.imported / total:,.0f} records/s ({report.imported} imported, "
            f"{report.failed} failed)"
        )
        if kind == "ris":
            start = time.perf_counter()
            again = import_file(session, path, parser)
            session.index_after_write()
            print(
                f"{'ris again':11} {again.duplicates:>6} duplicates, {again.imported} imported, "
                f"in {time.perf_counter() - start:.2f} s (parse, merge, index)"
            )


def measure_window(count: int) -> None:
    from benchmarks.gui_desk import measure_import_stall
    from benchmarks.record_corpus import write_ris

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REVIEWAPP_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ.setdefault("REVIEWAPP_REVIEWER", "Benchmark")
        folder = Path(tmp) / "incoming"
        folder.mkdir()
        write_ris(folder / "export.ris", make_records(count))
        library = Path(tmp) / "window.sqlite"
        LibrarySession.open(library).close()
        stall, elapsed = measure_import_stall(library, folder)
        print(
            f"window: {count:,} RIS records imported and indexed in {elapsed:.1f} s; "
            f"longest GUI-thread stall {stall} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--formats", default=",".join(WRITERS))
    parser.add_argument("--window", action="store_true", help="import through the window")
    args = parser.parse_args()
    if args.window:
        measure_window(args.count)
        return
    child = ParserProcess()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for kind in args.formats.split(","):
                measure(Path(tmp), kind, args.count, child)
    finally:
        child.close()


if __name__ == "__main__":
    main()
