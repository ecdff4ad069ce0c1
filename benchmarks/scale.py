"""Scale: a library of N generated oncology abstracts, imported, indexed and searched; the same
queries through SQLite FTS5 on the same corpus as a yardstick.

    .venv/bin/python -m benchmarks.scale --count 10000 [--rounds 5] [--keep DIR]

Prints, for N abstracts (about 300 words each, Zipf vocabulary; see record_corpus):
- import (the headline): `reviewapp import FOLDER` of exports of 10,000 records each, as
  typed, from start until every record is searchable (the command's end), with its own
  account of storing and indexing, its peak memory and the index's size on disk;
- search: p50/p95 per query kind (term, AND, phrase, field, year range, prefix, fuzzy,
  synonym), top 20 with snippets, measured from outside through `reviewapp search --stdin
  --json` (a query server: one JSON line per query, flushed), result cache off: each query
  first seen (the headline: a fresh server, the files out of memory before it started),
  then repeated; the server's peak memory;
  cold start to the first result (`reviewapp search` in a fresh process);
- FTS5: the same query set (BM25, snippet()) on the same records, and whoosh/FTS5 ratios;
- `reviewapp optimize` (the import's segments merged into one: the window does it in steps
  once the library is quiet), and the searches again after it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.record_corpus import Record, make_scale_records, write_ris
from reviewapp.core.text import counted

Timings = dict[str, list[float]]

QUERIES: dict[str, list[str]] = {
    "term": ["neutropenia", "osimertinib", "hepatocellular", "fatigue", "BCMA", "sepsis"],
    "and": [
        "neutropenia AND melanoma",
        "DLL3 AND pneumonitis",
        "fatigue AND osimertinib",
        "HER2 AND cohort",
    ],
    "phrase": [
        '"small cell lung cancer"',
        '"overall survival"',
        '"multiple myeloma"',
        '"antibody-drug conjugate"',
    ],
    "field": ["title:osimertinib", "journal:blood", "author:luskin", "keyword:HER2"],
    "year": [
        "year:[2015 TO 2018]",
        "neutropenia year:[2020 TO 2022]",
        "year:2019",
        "melanoma year:[2021 TO 2026]",
    ],
    "prefix": ["pembro*", "neutro*", "hepato*", "thrombo*"],
    "fuzzy": ["pembrolizumb~", "neutropenai~", "osimertnib~", "melanom~"],
    "synonym": ["SCLC", "NSCLC", "Keytruda", "AML"],
}

# The same questions for FTS5: (MATCH expression or None, extra SQL condition on the year).
FTS5: dict[str, list[tuple[str | None, str]]] = {
    "term": [(q, "") for q in QUERIES["term"]],
    "and": [(q, "") for q in QUERIES["and"]],
    "phrase": [('"small cell lung cancer"', ""), ('"overall survival"', ""),
               ('"multiple myeloma"', ""), ('"antibody drug conjugate"', "")],
    "field": [("title : osimertinib", ""), ("journal : blood", ""),
              ("authors : luskin", ""), ("keywords : HER2", "")],
    "year": [(None, "d.year BETWEEN 2015 AND 2018"),
             ("neutropenia", "d.year BETWEEN 2020 AND 2022"),
             (None, "d.year = 2019"), ("melanoma", "d.year BETWEEN 2021 AND 2026")],
    "prefix": [(q, "") for q in QUERIES["prefix"]],
    # FTS5 has no edit distance: the nearest it offers is a prefix of the misspelt word.
    "fuzzy": [("pembro*", ""), ("neutrop*", ""), ("osimert*", ""), ("melano*", "")],
    "synonym": [('SCLC OR "small cell lung cancer"', ""),
                ('NSCLC OR "non small cell lung cancer"', ""),
                ("Keytruda OR pembrolizumab", ""),
                ('AML OR "acute myeloid leukemia" OR "acute myeloid leukaemia"', "")],
}  # fmt: skip

PER_FILE = 10_000


def reviewapp(library: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "reviewapp", "--library", str(library), *args]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_import(folder: Path, library: Path, records: list[Record]) -> None:
    """The headline: `reviewapp import FOLDER` as a user types it, on exports of PER_FILE
    records each (as PubMed and Embase cap an export), from start until the command exits,
    when every record is searchable (the import catches the index up before it ends)."""
    exports = folder / "exports"
    shutil.rmtree(exports, ignore_errors=True)  # no export of an earlier, larger run
    exports.mkdir()
    files = []
    for first in range(0, len(records), PER_FILE):
        files.append(exports / f"export_{first // PER_FILE:03d}.ris")
        write_ris(files[-1], records[first : first + PER_FILE])
    start = time.perf_counter()
    done = subprocess.run(
        reviewapp(library, "import", str(exports)), capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    where = done.stdout.strip().splitlines()[-1]  # "searchable after … s: storing …"
    index_dir = library.with_suffix(".index")
    index_mb = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file()) / 2**20
    print(
        f"import (`reviewapp import` of {counted(len(files), 'export')}, as typed, "
        f"until every record is searchable): {elapsed:.1f} s = {len(records) / elapsed:,.0f} "
        f"articles/s; the command's own account: {where}; peak memory {peak:.0f} MB; "
        f"index {index_mb:.0f} MB"
    )


def evict(paths: list[Path]) -> str:
    """Take these files' pages out of memory, so that a query finds them on the disk as after
    a reboot: the whole page cache dropped where the machine allows (root), else each file's
    pages handed back (posix_fadvise DONTNEED). Says which."""
    subprocess.run(["sync"], check=False)
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return "page cache dropped"
    except OSError:
        pass
    for path in paths:
        with path.open("rb") as handle:
            os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    return "the files' pages handed back (posix_fadvise DONTNEED)"


def library_files(library: Path) -> list[Path]:
    index_dir = library.with_suffix(".index")
    return [library, *(p for p in index_dir.rglob("*") if p.is_file())]


def measure_whoosh(library: Path, rounds: int) -> tuple[Timings, Timings]:
    """Latency per query as a client of `reviewapp search --stdin --json` sees it, without
    the result cache: each query first seen (a fresh server, started with the library's
    files out of memory and given the three seconds a person takes between opening the app
    and typing), then repeated over ``rounds``."""
    how = evict(library_files(library))
    server = subprocess.Popen(
        reviewapp(library, "search", "--stdin", "--json"),
        env=os.environ | {"REVIEWAPP_SEARCH_CACHE": "0"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert server.stdin is not None and server.stdout is not None
    time.sleep(3)
    first: Timings = {kind: [] for kind in QUERIES}
    repeated: Timings = {kind: [] for kind in QUERIES}
    try:
        for round_number in range(rounds + 1):
            for kind, queries in QUERIES.items():
                for query in queries:
                    start = time.perf_counter()
                    server.stdin.write(query + "\n")
                    server.stdin.flush()
                    answer = json.loads(server.stdout.readline())
                    elapsed = (time.perf_counter() - start) * 1000
                    assert isinstance(answer, list), answer
                    (repeated if round_number else first)[kind].append(elapsed)
        status = Path(f"/proc/{server.pid}/status")
        peak = next(
            (line.split()[1] for line in status.read_text().splitlines() if "VmHWM" in line),
            "0",
        )
        print(f"search server (`reviewapp search --stdin`): peak memory {int(peak) / 1024:.0f} MB")
        print(f"first-seen queries: cache off, {how} before the server started")
    finally:
        server.stdin.close()
        server.wait(timeout=60)
    return first, repeated


def measure_optimize(library: Path) -> None:
    """`reviewapp optimize` as typed: the index's segments (two for each export the import
    wrote) merged into one; how long it took and its peak memory (GNU time's, where there)."""
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    done = subprocess.run(
        [*timer, *reviewapp(library, "optimize", "--json")],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    merged = json.loads(done.stdout)
    peak = f"; peak memory {int(done.stderr.split()[-1]) / 1024:.0f} MB" if timer else ""
    print(
        f"optimize (`reviewapp optimize`, as typed): {merged['segments_before']} segments "
        f"merged into {merged['segments_after']} in {elapsed:.1f} s{peak}"
    )


def measure_cold_start(library: Path) -> None:
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            reviewapp(library, "search", "neutropenia", "--json"), capture_output=True, check=True
        )
        runs.append(time.perf_counter() - start)
    print(f"cold start to first result (a fresh `reviewapp search`): {min(runs) * 1000:.0f} ms")


def build_fts5(path: Path, records: list[Record]) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, title, abstract, year INTEGER)")
    db.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(title, abstract, authors, journal, keywords, "
        "tokenize='porter unicode61')"
    )
    start = time.perf_counter()
    with db:
        for r in records:
            db.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?)", [r.number, r.title, r.abstract, r.year]
            )
            db.execute(
                "INSERT INTO fts (rowid, title, abstract, authors, journal, keywords) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [r.number, r.title, r.abstract, "; ".join(f"{f} {i}" for f, i in r.authors),
                 r.journal, "; ".join(r.keywords)],
            )  # fmt: skip
        db.execute("CREATE INDEX docs_year ON docs(year)")
    elapsed = time.perf_counter() - start
    print(
        f"FTS5: indexed {len(records):,} docs in {elapsed:.1f} s "
        f"= {len(records) / elapsed:,.0f} docs/s"
    )
    return db


def fts5_query(db: sqlite3.Connection, match: str | None, condition: str) -> int:
    if match is None:
        sql = f"SELECT id, title, substr(abstract, 1, 200) FROM docs d WHERE {condition} LIMIT 20"
        return len(db.execute(sql).fetchall())
    where = "fts MATCH ?" + (f" AND {condition}" if condition else "")
    sql = (
        "SELECT fts.rowid, fts.title, snippet(fts, 1, '<b>', '</b>', '…', 16) "
        f"FROM fts JOIN docs d ON d.id = fts.rowid WHERE {where} ORDER BY rank LIMIT 20"
    )
    return len(db.execute(sql, [match]).fetchall())


def measure_fts5(path: Path, rounds: int) -> tuple[Timings, Timings]:
    """The same for FTS5: a fresh connection with the file out of memory, each query first
    seen, then repeated."""
    evict([path])
    db = sqlite3.connect(path)
    first: Timings = {kind: [] for kind in FTS5}
    repeated: Timings = {kind: [] for kind in FTS5}
    for round_number in range(rounds + 1):
        for kind, queries in FTS5.items():
            for match, condition in queries:
                start = time.perf_counter()
                fts5_query(db, match, condition)
                elapsed = (time.perf_counter() - start) * 1000
                (repeated if round_number else first)[kind].append(elapsed)
    db.close()
    return first, repeated


def report(title: str, whoosh: Timings, fts5: Timings) -> None:
    print(title)
    print(
        f"{'query kind':10} {'whoosh p50':>11} {'p95':>7} {'FTS5 p50':>9} {'p95':>7} "
        f"{'ratio p50':>10} {'p95':>6}"
    )
    every_w: list[float] = []
    every_f: list[float] = []
    for kind in QUERIES:
        w, f = whoosh[kind], fts5[kind]
        every_w += w
        every_f += f
        wp50, wp95 = statistics.median(w), percentile(w, 0.95)
        fp50, fp95 = statistics.median(f), percentile(f, 0.95)
        print(
            f"{kind:10} {wp50:9.1f} ms {wp95:7.1f} {fp50:9.1f} {fp95:7.1f} "
            f"{wp50 / max(fp50, 0.01):9.1f}x {wp95 / max(fp95, 0.01):5.1f}x"
        )
    print(
        f"{'all':10} {statistics.median(every_w):9.1f} ms {percentile(every_w, 0.95):7.1f} "
        f"{statistics.median(every_f):9.1f} {percentile(every_f, 0.95):7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="keep the library in this folder")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="search the library already kept in --keep (same --count) instead of importing",
    )
    parser.add_argument(
        "--no-optimize",
        action="store_true",
        help="skip `reviewapp optimize` and the searches after it",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["REVIEWAPP_CONFIG_DIR"] = str(folder / "config")
        start = time.perf_counter()
        records = make_scale_records(args.count)
        print(f"corpus: {args.count:,} abstracts generated in {time.perf_counter() - start:.1f} s")
        library = folder / "scale.sqlite"
        if args.reuse and library.exists():
            print("import: skipped, searching the library kept from an earlier run")
        else:
            measure_import(folder, library, records)
        measure_cold_start(library)
        whoosh_first, whoosh_repeated = measure_whoosh(library, args.rounds)
        (folder / "fts5.sqlite").unlink(missing_ok=True)
        build_fts5(folder / "fts5.sqlite", records).close()
        fts5_first, fts5_repeated = measure_fts5(folder / "fts5.sqlite", args.rounds)
        report("each query first seen (the headline), as imported:", whoosh_first, fts5_first)
        report(f"repeated ({args.rounds} rounds, cache off):", whoosh_repeated, fts5_repeated)
        if not args.no_optimize:
            measure_optimize(library)
            optimized_first, optimized_repeated = measure_whoosh(library, args.rounds)
            report("each query first seen, after `optimize`:", optimized_first, fts5_first)
            report(
                f"repeated after `reviewapp optimize` ({args.rounds} rounds, cache off):",
                optimized_repeated,
                fts5_repeated,
            )


if __name__ == "__main__":
    main()
