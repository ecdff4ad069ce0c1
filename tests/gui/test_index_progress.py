"""While the index catches up, the window says how far it has come and that searches are
partial; an import stores without waiting for it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reviewapp.core.models import Article
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.gui.workers.indexer import IndexProcess
from reviewapp.services.library import LibrarySession
from reviewapp.store import open_library

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
    window.index_monitor.watch()
    qtbot.waitUntil(lambda: "catching up" in window.index_label.text(), timeout=5000)
    assert "3 of 7 articles" in window.index_label.text()
    window.request_index_catch_up()
    qtbot.waitUntil(lambda: window.index_label.text() == "index: up to date", timeout=20000)
    coverage = window.index_monitor.coverage
    assert coverage is not None
    assert (coverage.indexed, coverage.total, coverage.behind) == (7, 7, 0)


def test_a_search_while_the_index_is_behind_says_it_is_partial(
    qtbot: QtBot, window: MainWindow, filled_library: Path
) -> None:
    _store_behind_the_index(filled_library, 2)
    window.search_field.setText("olanzapine OR alveltamig")
    qtbot.waitUntil(lambda: "matching" in window.status_label.text(), timeout=5000)
    assert "partial: the index holds 3 of 5 articles so far" in window.status_label.text()
    window.request_index_catch_up()
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
    original = window.indexer.request_catch_up

    def counted() -> None:
        requests.append(1)
        original()

    window.indexer.request_catch_up = counted  # type: ignore[method-assign]
    handle = window.import_paths([folder])
    assert handle is not None
    qtbot.waitUntil(lambda: window.last_import_report is not None, timeout=20000)
    assert requests  # asked for, not waited on
    qtbot.waitUntil(lambda: window.index_label.text() == "index: up to date", timeout=20000)
    window.search_field.setText("deruxtecan")
    qtbot.waitUntil(lambda: window.model.rowCount() == 12, timeout=5000)


def test_a_dead_index_process_is_replaced_and_stopping_does_not_wait(
    filled_library: Path,
) -> None:
    _store_behind_the_index(filled_library, 3)
    indexer = IndexProcess(filled_library)
    try:
        indexer.warm()
        deadline = time.monotonic() + 20
        processes = getattr(indexer._executor, "_processes", {})
        while not processes and time.monotonic() < deadline:
            time.sleep(0.05)
        for process in list(processes.values()):
            process.kill()
        with LibrarySession.open(filled_library, sync_index=False) as session:
            while session.index_coverage().partial and time.monotonic() < deadline:
                if not indexer.busy():
                    indexer.request_catch_up()  # a new process, once the old one is gone
                time.sleep(0.1)
            assert not session.index_coverage().partial
        _store_behind_the_index(filled_library, 1)
        indexer.request_catch_up()
        started = time.monotonic()
    finally:
        indexer.shutdown()
    assert time.monotonic() - started < 5
