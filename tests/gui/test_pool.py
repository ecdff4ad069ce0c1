"""The window's worker pools: each thread keeps one session for all the tasks it runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reviewapp.gui.workers.pool import SessionPool
from reviewapp.services.library import LibrarySession

pytestmark = pytest.mark.gui


def test_a_worker_thread_keeps_its_session_from_task_to_task(
    qtbot: QtBot, filled_library: Path
) -> None:
    pool = SessionPool(filled_library, threads=1)
    seen: list[tuple[int, int]] = []

    def task(session: LibrarySession, _p: object, _c: object) -> tuple[int, int]:
        session.search_ids("alemtuzumab")  # opens the searcher and its ranker
        return id(session), id(session.index.ranker())

    for count in range(1, 5):
        pool.run(task, seen.append)

        def arrived(wanted: int = count) -> bool:
            return len(seen) == wanted

        qtbot.waitUntil(arrived, timeout=5000)
    pool.shutdown()
    # One session, searcher and ranker for the thread: a new one per task cost each
    # search 20–100 ms at 100,000 articles, and kept every one open until shutdown.
    assert len(set(seen)) == 1
