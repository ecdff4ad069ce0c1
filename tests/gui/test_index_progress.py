"""While the index catches up, the window says how far it has come and that searches are
partial; an import stores without waiting for it."""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from whoosh.util.filelock import FileLock

from reviewapp.core.models import Article
from reviewapp.gui.flows.indexing import IndexFlow
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.gui.workers import indexer as indexer_module
from reviewapp.gui.workers.indexer import IndexProcess
from reviewapp.search import segment_merge
from reviewapp.services.library import IndexCoverage, LibrarySession, check_library
from reviewapp.store import open_library
from tests.segmented import split_index

pytestmark = pytest.mark.gui


def _store_behind_the_index(library_path: Path, count: int) -> None:
    """Articles written straight to the store (as another reviewapp would), so that the
    index is behind until something catches it up."""
    lib = open_library(library_path)
    try:
        with lib.transaction():
            for n in range(count):
                lib.articles.insert(
                    Article(
                        title=f"Zolbetuximab cohort {n} in gastric cancer",
                        text=f"Nausea in cohort {n} was managed with olanzapine.",
                    )
                )
    finally:
        lib.close()


def test_the_index_label_follows_a_catch_up_to_the_end(
    qtbot: QtBot, window: MainWindow, filled_library: Path
) -> None:
    _store_behind_the_index(filled_library, 4)
    window.flows.indexing.watch()
    qtbot.waitUntil(lambda: "catching up" in window.index_label.text(), timeout=5000)
    # (the first poll, which finds 3 of 7, also asks for the catch-up: on a loaded machine
    # the label may already show a later poll's count when it is looked at)
    assert re.search(r"catching up, [3-7] of 7 articles", window.index_label.text())
    window.flows.indexing.request_catch_up()
    qtbot.waitUntil(lambda: window.index_label.text() == "index: up to date", timeout=20000)
    coverage = window.flows.indexing.coverage
    assert coverage is not None
    assert (coverage.indexed, coverage.total, coverage.behind) == (7, 7, 0)


def test_an_answer_asked_before_a_change_does_not_end_the_following(
    qtbot: QtBot, window: MainWindow, filled_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A poll answered (up to date) before articles were stored, but taken by the window
    after it was told to watch again, is asked again rather than ending the following."""
    flow = window.flows.indexing
    qtbot.waitUntil(lambda: not flow._asking, timeout=10000)  # no poll of the start's left
    answered = threading.Event()
    run = flow.readers.run

    def marked(task: Any, *callbacks: Any) -> Any:
        def task_then_mark(session: LibrarySession, progress: Any, cancelled: Any) -> Any:
            try:
                return task(session, progress, cancelled)
            finally:
                answered.set()

        return run(task_then_mark, *callbacks)

    monkeypatch.setattr(flow.readers, "run", marked)
    flow.watch()
    assert answered.wait(10)  # the reader has answered; the answer waits for the event loop
    _store_behind_the_index(filled_library, 4)
    flow.watch()
    qtbot.waitUntil(lambda: "catching up" in window.index_label.text(), timeout=5000)
    qtbot.waitUntil(lambda: window.index_label.text() == "index: up to date", timeout=20000)
    assert flow.coverage is not None and flow.coverage.indexed == 7


class _HeldAnswers:
    """Reader threads whose answers the test hands back itself, one at a time, in the order
    a loaded machine can give them: each after the window was told to watch again."""

    def __init__(self) -> None:
        self.waiting: list[Callable[[Any], None]] = []

    def run(self, _task: Any, on_done: Callable[[Any], None], _on_error: Any = None) -> None:
        self.waiting.append(on_done)


class _Busy:
    """An index process that is catching up."""

    def busy(self) -> bool:
        return True

    def request_catch_up(self) -> None:
        pass


def test_progress_answered_while_imports_keep_arriving_is_shown(qtbot: QtBot) -> None:
    """An import tells the window to watch every time rows arrive; answers that come back
    after each such call still show how far the index has come."""
    label = QLabel()
    qtbot.addWidget(label)
    readers = _HeldAnswers()
    flow = IndexFlow(readers, readers, _Busy(), label, lambda _text, _ms: None)  # type: ignore[arg-type]
    flow.watch(catching_up=True)
    for n in range(1, 6):
        flow.watch(catching_up=True)
        readers.waiting.pop(0)(IndexCoverage(n * 100, 1000, 1000 - n * 100))
    assert label.text() == "index: catching up, 500 of 1,000 articles (50%)"
    assert flow.coverage == IndexCoverage(500, 1000, 500)


def test_a_search_while_the_index_is_behind_says_it_is_partial(
    qtbot: QtBot, window: MainWindow, filled_library: Path
) -> None:
    _store_behind_the_index(filled_library, 2)
    window.search_field.setText("olanzapine OR alveltamig")
    qtbot.waitUntil(lambda: "matching" in window.status_label.text(), timeout=5000)
    assert "partial: the index holds 3 of 5 articles so far" in window.status_label.text()
    window.flows.indexing.request_catch_up()
    assert window.index_label.text() != "index: up to date"
    qtbot.waitUntil(lambda: window.index_label.text() == "index: up to date", timeout=20000)
    window.search_field.setText("olanzapine")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5000)
    assert "partial" not in window.status_label.text()


def test_an_import_does_not_wait_for_the_index(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(12):
        (folder / f"a{n}.txt").write_text(
            f"Trastuzumab deruxtecan cohort {n}\n\nInterstitial lung disease in cohort {n}.",
            encoding="utf-8",
        )
    requests: list[int] = []
    original = window.flows.indexing.indexer.request_catch_up

    def counted() -> None:
        requests.append(1)
        original()

    window.flows.indexing.indexer.request_catch_up = counted  # type: ignore[method-assign]
    handle = window.flows.importer.start([folder])
    assert handle is not None
    qtbot.waitUntil(lambda: window.flows.importer.last_report is not None, timeout=20000)
    assert requests  # asked for, not waited on
    qtbot.waitUntil(lambda: window.index_label.text() == "index: up to date", timeout=20000)
    # Then the window says how long until searchable, as `reviewapp import` does.
    said = window.statusBar().currentMessage
    qtbot.waitUntil(lambda: "searchable after" in said(), timeout=5000)
    assert re.fullmatch(
        r"Imported articles searchable after \d+\.\d s \(storing \d+\.\d s\)", said()
    )
    window.search_field.setText("deruxtecan")
    qtbot.waitUntil(lambda: window.model.rowCount() == 12, timeout=5000)


def test_a_dead_index_process_is_replaced_and_stopping_does_not_wait(
    qtbot: QtBot, filled_library: Path
) -> None:
    _store_behind_the_index(filled_library, 3)
    indexer = IndexProcess(filled_library)
    # The index's cross-process lock, taken below as another reviewapp would hold it.
    lock = FileLock(str(filled_library.with_name(filled_library.stem + ".index.lock")))
    locked = False
    try:
        indexer.warm()
        processes = getattr(indexer._executor, "_processes", {})
        qtbot.waitUntil(lambda: bool(processes), timeout=20000)
        for process in list(processes.values()):
            process.kill()
        with LibrarySession.open(filled_library, sync_index=False) as session:

            def caught_up() -> bool:
                if indexer.busy():  # a catch-up is running: wait for it to end
                    return False
                if session.index_coverage().partial:
                    indexer.request_catch_up()  # a new process, once the old one is gone
                    return False
                return True

            qtbot.waitUntil(caught_up, timeout=20000)
            # A catch-up that cannot end (the index is locked elsewhere) is stopped, not
            # waited for: its process is terminated and the index stays as it was.
            _store_behind_the_index(filled_library, 1)
            locked = lock.acquire(blocking=False)
            assert locked
            indexer.request_catch_up()
            assert indexer.busy()
            running = list(getattr(indexer._executor, "_processes", {}).values())
            assert running
            indexer.shutdown()
            assert [p.exitcode for p in running] == [-signal.SIGTERM] * len(running)
            assert session.index_coverage().partial
    finally:
        indexer.shutdown()
        if locked:
            lock.release()


def test_the_index_process_merges_small_segments_once_the_library_is_quiet(
    qtbot: QtBot, filled_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_behind_the_index(filled_library, 4)
    with LibrarySession.open(filled_library, sync_index=True):
        pass  # caught up
    before = split_index(filled_library)
    assert before > segment_merge.TARGET_SEGMENTS
    monkeypatch.setattr(indexer_module, "MERGE_AFTER_S", 0.2)
    indexer = IndexProcess(filled_library)
    try:
        indexer.request_catch_up()
        qtbot.waitUntil(lambda: indexer.merges == 1, timeout=30000)
        assert not indexer.busy()  # a merge is not a catch-up the window waits for
        with LibrarySession.open(filled_library, sync_index=False) as session:
            assert len(session.index.segment_sizes()) == 1
            assert check_library(session).ok
            assert len(session.search_ids("zolbetuximab")[0]) == 4
    finally:
        indexer.shutdown()
