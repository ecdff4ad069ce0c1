"""GUI fixtures: a real library with the fixture articles and a window on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewapp.gui.app import create_main_window
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession


@pytest.fixture
def filled_library(library_path: Path, articles_dir: Path) -> Path:
    with LibrarySession.open(library_path) as session:
        reports = import_paths(session, [articles_dir])
    assert sum(r.imported for r in reports) == 3
    return library_path


@pytest.fixture
def window(
    qtbot: QtBot, filled_library: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setenv("REVIEWAPP_REVIEWER", "Ana Ruiz")
    win = create_main_window(filled_library)
    assert isinstance(win, MainWindow)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.index_label.text() == "index: up to date", timeout=10000)
    yield win
    win.close()


def titles(win: MainWindow) -> list[str]:
    model = win.model
    return [str(model.data(model.index(row, 0))) for row in range(model.rowCount())]


def select_article(qtbot: QtBot, win: MainWindow, title_start: str) -> None:
    row = next(i for i, t in enumerate(titles(win)) if t.startswith(title_start))
    win.table.selectRow(row)
    qtbot.waitUntil(lambda: win.reader.article is not None, timeout=3000)


def reviewed_by(win: MainWindow, title_start: str) -> str:
    """The table's "Reviewed by" cell of the article whose title starts so."""
    model = win.model
    column = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == "Reviewed by"
    )
    row = next(i for i, t in enumerate(titles(win)) if t.startswith(title_start))
    return str(model.data(model.index(row, column)) or "")
