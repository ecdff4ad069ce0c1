"""The window opens offscreen on a real library, lists it, and searches as you type."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewapp.gui.app import create_main_window
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.gui.models.article_table import PAGE, ArticleTableModel
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession

pytestmark = pytest.mark.gui


@pytest.fixture
def filled_library(library_path: Path, articles_dir: Path) -> Path:
    with LibrarySession.open(library_path) as session:
        reports = import_paths(session, [articles_dir])
    assert sum(r.imported for r in reports) == 3
    return library_path


@pytest.fixture
def window(qtbot: QtBot, filled_library: Path) -> Iterator[MainWindow]:
    win = create_main_window(filled_library)
    assert isinstance(win, MainWindow)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.tasks.wait()


def _titles(win: MainWindow) -> list[str]:
    model = win.model
    return [str(model.data(model.index(row, 0))) for row in range(model.rowCount())]


def test_window_lists_the_library(window: MainWindow) -> None:
    titles = _titles(window)
    assert len(titles) == 3
    assert any(t.startswith("Anti-CD52 Alemtuzumab") for t in titles)
    assert window.findChild(type(window.table), "articleTable") is window.table
    assert window.status_label.text().startswith("3 articles")


def test_search_as_you_type_filters_the_table(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search_field, "CMV viremia")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    assert _titles(window)[0].startswith("Anti-CD52 Alemtuzumab")
    window.search_field.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5000)


def test_selecting_a_row_shows_the_article_in_the_reader(qtbot: QtBot, window: MainWindow) -> None:
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: "CD52" in window.reader.toPlainText(), timeout=3000)
    assert window.reader.isReadOnly()


def test_table_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    rows = {
        i: {
            "id": i,
            "title": f"Article {i}",
            "authors": ["Doe J"],
            "year": 2020,
            "journal": "J",
            "finding_count": 0,
            "tags": [],
        }
        for i in range(1, PAGE * 2 + 10)
    }
    model = ArticleTableModel(lambda ids: [rows[i] for i in ids])
    model.set_ids(sorted(rows))
    assert model.rowCount() == PAGE  # the rest arrives lazily
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == len(rows)
