"""The library table's model over a library larger than a page: lazy pages, fetched a
few at a time when a view asks for many at once, and large sorts handed to a runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewapp.core.models import Article
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.gui.models.article_table import BURST_PAGES, PAGE, ArticleTableModel
from reviewapp.store import Library, open_library

pytestmark = pytest.mark.gui
COUNT = PAGE * 6 + 10


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    opened = open_library(tmp_path_factory.mktemp("table") / "table.sqlite")
    with opened.transaction():
        for n in range(COUNT):
            opened.articles.insert(
                Article(title=f"Trial {COUNT - n:05d} of capivasertib", year=2000 + n % 25)
            )
    yield opened
    opened.close()


def test_pages_come_a_few_at_a_time_and_the_rest_follow(
    qtbot: QtBot, qtmodeltester: ModelTester, lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A burst long enough that a slow machine's requests all fall within it.
    monkeypatch.setattr("reviewapp.gui.models.article_table.BURST_SECONDS", 0.5)
    model = ArticleTableModel(lib.articles.list_rows, lib.articles.ordered_ids)
    model.set_ids(lib.articles.ids(), whole_library=True)
    assert model.rowCount() == PAGE
    for _ in range(BURST_PAGES + 3):  # a view dragged to the end asks again and again
        model.fetchMore()
    assert model.rowCount() == PAGE * (1 + BURST_PAGES)
    qtbot.waitUntil(lambda: model.rowCount() == PAGE * (2 + BURST_PAGES), timeout=3000)
    while model.canFetchMore():
        qtbot.wait(40)
        model.fetchMore()
    assert model.rowCount() == COUNT
    assert model.data(model.index(COUNT - 1, 0)) == "Trial 00001 of capivasertib"
    qtmodeltester.check(model)


def test_more_ids_come_after_the_rows_shown_and_fill_the_first_page(
    qtmodeltester: ModelTester, lib: Library
) -> None:
    model = ArticleTableModel(lib.articles.list_rows, lib.articles.ordered_ids)
    everything = lib.articles.ids()[::-1]
    model.set_ids(everything[:10])
    assert model.rowCount() == 10
    model.extend_ids(everything)  # the first ten again among them: not shown twice
    assert model.ids() == everything
    assert model.rowCount() == PAGE and model.canFetchMore()
    assert [model.article_id(r) for r in range(12)] == everything[:12]
    qtmodeltester.check(model)


def test_a_large_sort_goes_to_the_runner_and_comes_back_in_order(
    qtbot: QtBot, lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewapp.gui.models.article_table.SYNC_SORT_ROWS", 100)
    pending: list[Callable[[], None]] = []

    def runner(
        key: str, descending: bool, ids: list[int] | None, done: Callable[[list[int]], None]
    ) -> None:
        pending.append(lambda: done(lib.articles.ordered_ids(key, descending, ids)))

    model = ArticleTableModel(lib.articles.list_rows, lib.articles.ordered_ids, sort_runner=runner)
    model.set_ids(lib.articles.ids(), whole_library=True)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, 0)) == f"Trial {COUNT:05d} of capivasertib"  # not yet
    assert len(pending) == 1
    pending.pop()()
    assert model.data(model.index(0, 0)) == "Trial 00001 of capivasertib"
    model.sort(2, Qt.SortOrder.DescendingOrder)  # by year, newest first
    monkeypatch.setattr("reviewapp.gui.models.article_table.SYNC_SORT_ROWS", 10)
    model.set_ids(lib.articles.ids()[:50])  # other rows, shown before that sort came back
    assert model.data(model.index(0, 2)) == "2000"  # as given, their own sort pending
    stale, fresh = pending
    stale()
    assert model.rowCount() == 50
    assert model.data(model.index(0, 2)) == "2000"  # the library's order was dropped
    fresh()
    assert model.data(model.index(0, 2)) == "2024"


def test_a_large_library_is_listed_off_the_gui_thread_and_a_search_supersedes_it(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewapp.gui.flows.search.LARGE_LIBRARY", 1)
    window.search_field.setText("alveltamig")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    window.flows.search.show_library()
    assert window.model.rowCount() == 1  # the ids are being read
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5000)
    window.flows.search.show_library()
    window.search_field.setText("ZG006")  # typed before the library came back
    qtbot.waitUntil(lambda: "matching" in window.status_label.text(), timeout=5000)
    # The search's rows shown, and the reader pool (the search and index flows share it)
    # idle: the library's ids have come back by then, too late to be shown.
    readers = window.flows.indexing.readers
    qtbot.waitUntil(
        lambda: window.flows.search.view == ("search", "ZG006") and not readers.busy,
        timeout=5000,
    )
    assert window.model.rowCount() == 1


def test_a_sort_after_scrolling_deep_starts_again_from_the_first_page(
    qtbot: QtBot, lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewapp.gui.models.article_table.RESET_AFTER_SORT_ROWS", PAGE * 2)
    model = ArticleTableModel(lib.articles.list_rows, lib.articles.ordered_ids)
    model.set_ids(lib.articles.ids(), whole_library=True)
    while model.canFetchMore():
        qtbot.wait(40)
        model.fetchMore()
    with qtbot.waitSignal(model.modelReset, timeout=2000):
        model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == PAGE
    assert model.data(model.index(0, 0)) == "Trial 00001 of capivasertib"


def test_search_results_come_sorted_by_the_tables_sort(qtbot: QtBot, window: MainWindow) -> None:
    window.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # year, newest first
    window.search_field.setText("patients OR alemtuzumab OR alveltamig")
    qtbot.waitUntil(lambda: "matching" in window.status_label.text(), timeout=5000)
    years = [window.model.data(window.model.index(r, 2)) for r in range(window.model.rowCount())]
    assert len(years) >= 2
    known = [y for y in years if y]
    assert known == sorted(known, reverse=True) and years[: len(known)] == known


def test_the_whole_librarys_order_is_kept_until_the_library_changes(
    qtbot: QtBot, window: MainWindow
) -> None:
    got: list[list[int]] = []
    window.flows.sorter.sort("title", False, None, got.append)
    qtbot.waitUntil(lambda: len(got) == 1, timeout=5000)
    window.flows.sorter.sort("title", False, None, got.append)
    assert len(got) == 2 and got[1] == got[0]  # at once, from what was kept
    window.flows.session.library.articles.insert(Article(title="Aardvark lymphoma registry"))
    window.flows.sorter.sort("title", False, None, got.append)
    assert len(got) == 2  # the library changed: sorted again
    qtbot.waitUntil(lambda: len(got) == 3, timeout=5000)
    assert len(got[2]) == len(got[0]) + 1
