"""Desk figures under Xvfb, on the fixture articles plus N generated ones.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python -m benchmarks.gui_desk [--count 1000]
        [--library FILE]   # a library already made (benchmarks.scale --keep), copied

Prints: process start → window shown (a fresh process, as a user starts the app); keystroke
→ table updated, per query typed character by character; the longest stall of the GUI
thread, measured by a 5 ms QTimer heartbeat, while 1,000 articles are imported in the
background; and how fast one large RIS export (``--export``, 10,000 records) fills a fresh
window's table, start to report.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import write_corpus
from benchmarks.record_corpus import make_scale_records, write_ris
from benchmarks.scale import evict, library_files, percentile

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "articles"
QUERIES = ["CMV viremia", "small cell lung cancer", "neutropenia", "author:luskin", "ZG006"]


def child_start(library: Path, started: float) -> None:
    """Run in a fresh process: report the time from process start to the window shown."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from reviewapp.gui.app import create_main_window
    from reviewapp.services import process

    app = QApplication(sys.argv[:1])
    process.configure_window_process()  # as gui/app.run does
    window = create_main_window(library)
    process.freeze_startup_objects()
    window.show()

    def shown() -> None:
        print(f"{(time.time() - started) * 1000:.0f}")
        app.quit()

    QTimer.singleShot(0, shown)  # after the first paint has been scheduled
    app.exec()


def in_child(*args: str) -> list[str]:
    """Run this benchmark in a fresh process with ``args`` (a ``--child-…`` option): the
    words it printed."""
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.gui_desk", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


def measure_start(library: Path) -> list[float]:
    """Process start to window shown, in three fresh processes, in milliseconds."""
    runs = []
    for _ in range(3):
        started = time.time()
        out = in_child("--child-start", str(library), str(started))
        runs.append(float(out[-1]))
    return runs


def wait_in_event_loop(done: Callable[[], bool], timeout_ms: int) -> None:
    """Wait as the window does between events: in Qt's event loop, which sleeps without the
    interpreter lock. (A loop calling processEvents() took the lock back every few
    microseconds and made the reader threads' work several times slower: 400 ms instead of
    50 ms to list 100,000 ids; ``QTest.qWait`` holds the lock while it waits, so that the
    reader threads did nothing in the two seconds given before the first keystroke.)"""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    QTimer.singleShot(timeout_ms, loop.quit)
    poll.start()
    if not done():
        loop.exec()
    poll.stop()


def measure_typing(library: Path) -> tuple[list[float], list[float]]:
    """Keystroke to table updated, in milliseconds, per query typed character by character
    in a fresh window, with the search cache off: each query first seen (the library's
    files out of memory before the window opened, which the window was given two seconds,
    as a person takes, before the first keystroke), then the same queries twice again."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from reviewapp.gui.app import create_main_window
    from reviewapp.gui.mainwindow import MainWindow
    from reviewapp.services import process

    os.environ["REVIEWAPP_SEARCH_CACHE"] = "0"
    print(f"typing: {evict(library_files(library))} before the window opened; search cache off")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    process.configure_window_process()  # as gui/app.run does
    window = create_main_window(library)
    process.freeze_startup_objects()
    assert isinstance(window, MainWindow)
    window.show()
    wait_in_event_loop(lambda: window.index_label.text() == "index: up to date", 60_000)
    wait_in_event_loop(lambda: False, 2000)  # not QTest.qWait: it holds the lock
    first: list[float] = []
    repeated: list[float] = []
    seen: list[str] = []  # the queries timed, in order (one that never updated the table
    seen_again: list[str] = []  # is left out)
    updated: list[float] = []
    window.model.modelReset.connect(lambda: updated.append(time.perf_counter()))
    for round_number in range(3):
        for query in QUERIES:
            window.search_field.clear()
            app.processEvents()
            wait_in_event_loop(lambda: False, 200)
            for char in query[:-1]:
                QTest.keyClicks(window.search_field, char)
            updated.clear()
            start = time.perf_counter()
            QTest.keyClicks(window.search_field, query[-1])
            wait_in_event_loop(lambda: bool(updated), 5000)
            if updated:
                (repeated if round_number else first).append((updated[0] - start) * 1000)
                (seen_again if round_number else seen).append(query)
    window.close()
    for label, timings, queries in (
        ("first seen", first, seen),
        ("repeated", repeated, seen_again),
    ):
        each = ", ".join(f"{query} {ms:.0f}" for query, ms in zip(queries, timings, strict=True))
        print(f"  {label}, query by query (ms): {each}")
    return first, repeated


def measure_import_stall(library: Path, folder: Path) -> tuple[float, float]:
    """Import ``folder`` (or a file) into a fresh window once it has settled (a user picks
    the files in a dialog first), waiting in the event loop as the window does: the seconds
    from the import's start until its report is shown, and the GUI thread's longest stall
    meanwhile (ms)."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from reviewapp.gui.app import create_main_window
    from reviewapp.gui.mainwindow import MainWindow
    from reviewapp.services import process

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    process.configure_window_process()  # as gui/app.run does
    window = create_main_window(library)
    process.freeze_startup_objects()
    assert isinstance(window, MainWindow)
    window.show()
    wait_in_event_loop(lambda: False, 3000)  # its helper processes started, its index opened
    clock = QElapsedTimer()
    gaps: list[int] = []
    last = [0]
    heartbeat = QTimer()
    heartbeat.setInterval(5)

    def beat() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat.timeout.connect(beat)
    clock.start()
    heartbeat.start()
    start = time.perf_counter()
    handle = window.flows.importer.start([folder])
    assert handle is not None
    # Until the import is done and its report shown (built on the GUI thread after it).
    importer = window.flows.importer
    wait_in_event_loop(lambda: handle.done and importer.last_report is not None, 600_000)
    elapsed = time.perf_counter() - start
    heartbeat.stop()
    window.close()
    return max(gaps) - 5, elapsed


def measure_in_fresh_process(library: Path, export: Path) -> tuple[float, float]:
    """``measure_import_stall`` in a fresh process: a window opened for the import, as a
    user opens one (not the fourth window of this process, beside what the others left)."""
    out = in_child("--child-import", str(library), str(export))
    return float(out[-2]), float(out[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--library", type=Path, help="measure (a copy of) this library instead of making one"
    )
    parser.add_argument(
        "--export",
        type=int,
        default=10_000,
        help="also import one RIS export of this many records into a fresh window (0: not)",
    )
    parser.add_argument("--child-start", nargs=2, metavar=("LIBRARY", "STARTED"))
    parser.add_argument("--child-import", nargs=2, metavar=("LIBRARY", "FILE"))
    args = parser.parse_args()
    if args.child_start:
        child_start(Path(args.child_start[0]), float(args.child_start[1]))
        return
    if args.child_import:
        stall, elapsed = measure_import_stall(*map(Path, args.child_import))
        print(stall, elapsed)
        return
    os.environ.setdefault("REVIEWAPP_REVIEWER", "Benchmark")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REVIEWAPP_CONFIG_DIR"] = str(Path(tmp) / "config")
        from reviewapp.services.importing import import_paths
        from reviewapp.services.library import LibrarySession

        library = Path(tmp) / "desk.sqlite"
        if args.library:  # a copy: the window may merge its index's segments
            shutil.copy(args.library, library)
            shutil.copytree(args.library.with_suffix(".index"), library.with_suffix(".index"))
        else:
            corpus = Path(tmp) / "corpus"
            write_corpus(corpus, args.count)
            with LibrarySession.open(library) as session:
                import_paths(session, [FIXTURES, corpus])
        with LibrarySession.open(library, sync_index=False) as session:
            count = session.library.articles.count()
            segments = len(session.index.segment_sizes())
        starts = measure_start(library)
        print(f"library: {count} articles, its index in {segments} segments")
        print(
            f"start to window shown: median {statistics.median(starts):.0f} ms "
            f"(runs: {', '.join(f'{s:.0f}' for s in starts)}; goal ≤ 1500 ms)"
        )
        from reviewapp.gui.flows.search import SEARCH_DELAY_MS

        first, repeated = measure_typing(library)
        for label, timings in (("first seen", first), ("repeated", repeated)):
            print(
                f"keystroke to table updated, {label}: median "
                f"{statistics.median(timings):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms, "
                f"max {max(timings):.0f} ms over {len(timings)} queries (includes the "
                f"{SEARCH_DELAY_MS} ms typing pause; goal ≤ 100 ms at p95)"
            )
        more = Path(tmp) / "more"
        write_corpus(more, 1000, seed=7)
        fresh = Path(tmp) / "import.sqlite"
        stall, elapsed = measure_import_stall(fresh, more)
        print(
            f"import of 1000 articles in the window: {elapsed:.1f} s; longest GUI-thread "
            f"stall {stall:.0f} ms (goal ≤ 100 ms)"
        )
        if args.export:
            export = Path(tmp) / "export.ris"
            write_ris(export, make_scale_records(args.export))
            stall, elapsed = measure_in_fresh_process(Path(tmp) / "export.sqlite", export)
            print(
                f"import of one {args.export:,}-record RIS export in the window, start to "
                f"report (every row in the table): {elapsed:.1f} s = "
                f"{args.export / elapsed:,.0f} articles/s (goal ≥ 2,000); longest GUI-thread "
                f"stall {stall:.0f} ms"
            )


if __name__ == "__main__":
    main()
