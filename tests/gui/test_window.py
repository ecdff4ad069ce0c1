"""The window opens offscreen on a real library, honours the test contract, and searches."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QTableView, QTextEdit, QTreeView
from pytestqt.qtbot import QtBot

from reviewapp.core.models import Article
from reviewapp.gui.app import create_main_window
from reviewapp.gui.flows.indexing import IndexFlow
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.services import reading
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.preferences import load_preferences
from tests.gui.conftest import select_article, titles

pytestmark = pytest.mark.gui

CONTRACT_ACTIONS = (
    "actionImport",
    "actionTagEfficacy",
    "actionTagToxicity",
    "actionTagMechanism",
    "actionTagReference",
    "actionExportBrief",
    "actionUndo",
    "actionRedo",
)


def test_window_lists_the_library_and_keeps_the_test_contract(window: MainWindow) -> None:
    assert len(titles(window)) == 3
    assert any(t.startswith("Anti-CD52 Alemtuzumab") for t in titles(window))
    assert isinstance(window.findChild(QLineEdit, "searchField"), QLineEdit)
    assert isinstance(window.findChild(QTableView, "articleTable"), QTableView)
    reader = window.findChild(QTextEdit, "reader")
    assert isinstance(reader, QTextEdit) and reader.isReadOnly()
    assert isinstance(window.findChild(QTreeView, "findingsPanel"), QTreeView)
    for name in CONTRACT_ACTIONS:
        action = window.findChild(QAction, name)
        assert isinstance(action, QAction), name
    assert window.status_label.text().startswith("3 articles")


def test_every_menu_action_shows_a_shortcut(window: MainWindow) -> None:
    for name in (
        "actionImport",
        "actionUndo",
        "actionRedo",
        "actionTagEfficacy",
        "actionTagToxicity",
        "actionTagMechanism",
        "actionTagReference",
        "actionExportBrief",
        "actionFind",
        "actionFocusSearch",
    ):
        assert not window.action(name).shortcut().isEmpty(), name
    assert window.action("actionTagToxicity").shortcut().toString() == "2"


def test_search_as_you_type_filters_the_table(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search_field, "CMV viremia")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    assert titles(window)[0].startswith("Anti-CD52 Alemtuzumab")
    window.search_field.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5000)


def test_search_synonyms_and_fields_work_as_in_the_cli(qtbot: QtBot, window: MainWindow) -> None:
    window.search_field.setText("ZG006")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    assert titles(window)[0].startswith("First U.S. Patient Treated With Alveltamig")
    window.search_field.setText("author:luskin year:2025")
    qtbot.waitUntil(
        lambda: bool(titles(window)) and titles(window)[0].startswith("Anti-CD52"), timeout=5000
    )


def test_a_search_with_no_matches_shows_a_clear_empty_state(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.search_field.setText("pembrolizumab")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=5000)
    assert window.empty_label.isVisible()
    assert "No articles match" in window.empty_label.text()


def test_matching_words_are_highlighted_in_the_reader(qtbot: QtBot, window: MainWindow) -> None:
    window.search_field.setText("viremia")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    select_article(qtbot, window, "Anti-CD52")
    marks = window.reader.extraSelections()
    assert marks
    assert all(m.cursor.selectedText().lower() == "viremia" for m in marks)


@pytest.fixture
def long_article(filled_library: Path, tmp_path: Path) -> Path:
    """An article whose one "median follow-up" is far down its text."""
    text = tmp_path / "long" / "zanubrutinib_report.txt"
    text.parent.mkdir()
    filler = "Patients were seen every cycle, and the median dose was kept unchanged.\n" * 160
    text.write_text(
        "Zanubrutinib in relapsed mantle cell lymphoma: the long report\n\n"
        + filler
        + "At a median follow-up of 30 months, 41 patients remained on treatment.\n",
        encoding="utf-8",
    )
    with LibrarySession.open(filled_library) as session:
        [report] = import_paths(session, [text])
    assert report.imported == 1
    return filled_library


def test_an_article_opened_from_a_search_shows_its_first_match(
    qtbot: QtBot, long_article: Path, window: MainWindow
) -> None:
    window.search_field.setText('"median follow-up"')
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    select_article(qtbot, window, "Zanubrutinib")
    reader = window.reader
    qtbot.waitUntil(lambda: bool(reader.extraSelections()), timeout=3000)
    selections = reader.extraSelections()
    assert [m.cursor.selectedText() for m in selections] == ["median", "follow-up"]
    # (the phrase is marked, not every "median" dose)
    shown = reader.cursorRect(selections[0].cursor)
    assert reader.verticalScrollBar().value() > 0
    assert reader.viewport().rect().contains(shown.topLeft())


def test_selecting_a_row_shows_the_article_with_its_links(qtbot: QtBot, window: MainWindow) -> None:
    select_article(qtbot, window, "Anti-CD52")
    text = window.reader.toPlainText()
    assert "CD52" in text and "DOI 10.1002/cncr.35750" in text


def test_find_in_article_selects_the_next_match(qtbot: QtBot, window: MainWindow) -> None:
    select_article(qtbot, window, "Anti-CD52")
    window.action("actionFind").trigger()
    assert window.find_field.isVisible()
    window.find_field.setText("landmark")
    assert window.reader.textCursor().selectedText() == "landmark"


def test_escape_closes_the_find_bar_and_returns_to_the_reader(
    qtbot: QtBot, window: MainWindow
) -> None:
    select_article(qtbot, window, "Anti-CD52")
    window.activateWindow()
    window.action("actionFind").trigger()
    qtbot.waitUntil(window.find_field.hasFocus, timeout=3000)
    qtbot.keyClick(window.find_field, Qt.Key.Key_Escape)
    assert not window.find_field.isVisible()
    assert window.reader.hasFocus()


def test_zoom_changes_the_reader_font_and_is_remembered(qtbot: QtBot, window: MainWindow) -> None:
    before = window.reader.font().pointSize()
    window.action("actionZoomIn").trigger()
    assert window.reader.font().pointSize() == before + 1
    assert load_preferences().reader_font_size == before + 1


def test_search_results_are_shown_best_first_until_a_column_is_sorted(
    qtbot: QtBot, window: MainWindow
) -> None:
    query = "patients OR alemtuzumab OR alveltamig"
    ranked, _terms = window.flows.session.search_ids(query)
    assert len(ranked) == 3
    assert window.model.sort_order is None
    window.search_field.setText(query)
    qtbot.waitUntil(lambda: "matching" in window.status_label.text(), timeout=5000)
    assert window.model.ids() == ranked
    # Best first is not the titles' order either way, so a hidden sort would show.
    articles = window.flows.session.library.articles
    titles_by_id = {a.id: a.title for a in map(articles.get, ranked) if a}
    by_title = sorted(ranked, key=titles_by_id.__getitem__)
    assert ranked not in (by_title, by_title[::-1])


def test_a_search_shows_its_best_rows_first_and_adds_the_rest_after_them(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewapp.gui.flows.search.FIRST_ROWS", 2)
    query = "patients OR alemtuzumab OR alveltamig"
    ranked, _terms = window.flows.session.search_ids(query)
    steps: list[tuple[str, int]] = []
    window.model.modelReset.connect(lambda: steps.append(("shown", window.model.rowCount())))
    window.model.rowsInserted.connect(lambda *_: steps.append(("added", window.model.rowCount())))
    window.search_field.setText(query)
    qtbot.waitUntil(lambda: ("added", 3) in steps, timeout=5000)
    assert steps == [("shown", 2), ("added", 3)]
    assert window.model.ids() == ranked
    qtbot.waitUntil(lambda: "3 matching" in window.status_label.text(), timeout=3000)
    assert "so far" not in window.status_label.text()


def test_a_search_cut_at_the_tables_limit_says_so(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewapp.gui.flows.search.SEARCH_ROWS", 2)
    monkeypatch.setattr("reviewapp.gui.flows.search.FIRST_ROWS", 1)
    window.search_field.setText("patients OR alemtuzumab OR alveltamig")  # 3 match
    qtbot.waitUntil(lambda: "best 2 shown" in window.status_label.text(), timeout=5000)
    assert "at least 2 matching" in window.status_label.text()
    assert window.model.rowCount() == 2


def test_a_list_shown_during_a_search_does_not_get_the_searchs_further_rows(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewapp.gui.flows.search.FIRST_ROWS", 1)
    article = window.flows.session.library.articles.ids()[0]
    switched: list[bool] = []

    def show_a_collection() -> None:  # as a click in the sidebar would, mid-search
        if not switched:
            switched.append(True)
            window.flows.search.show_ids("collection", 1, [article])

    window.model.modelReset.connect(show_a_collection)
    window.search_field.setText("patients OR alemtuzumab OR alveltamig")
    qtbot.waitUntil(lambda: bool(switched), timeout=5000)
    # The search's further rows, if asked for, come from the reader pool (the search and
    # index flows share it): once it is idle they have come back, and must have been dropped.
    readers = window.flows.indexing.readers
    qtbot.waitUntil(lambda: not readers.busy, timeout=5000)
    assert window.model.ids() == [article]
    assert "so far" not in window.status_label.text()


def test_a_failed_fetch_of_further_rows_leaves_the_status_settled(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewapp.gui.flows.search.FIRST_ROWS", 1)
    real = LibrarySession.search_ids

    def failing(self: LibrarySession, query: str, limit: int = 5000) -> Any:
        if limit > 1:
            raise ServiceError("the search index is being updated; try again shortly")
        return real(self, query, limit)

    monkeypatch.setattr(LibrarySession, "search_ids", failing)
    window.search_field.setText("patients OR alemtuzumab OR alveltamig")
    qtbot.waitUntil(lambda: "try again" in window.statusBar().currentMessage(), timeout=5000)
    assert window.model.rowCount() == 1
    assert "so far" not in window.status_label.text()


@pytest.fixture
def library_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry each time the whole library's ids are read, listed on a reader thread as
    a library of more than 20,000 articles is."""
    monkeypatch.setattr("reviewapp.gui.flows.search.LARGE_LIBRARY", 0)
    reads: list[int] = []
    real = reading.library_ids

    def counted(session: LibrarySession) -> list[int]:
        reads.append(1)
        return real(session)

    monkeypatch.setattr(reading, "library_ids", counted)
    return reads


def test_clearing_a_search_lists_the_library_from_the_ids_last_read_until_it_changes(
    qtbot: QtBot, window: MainWindow, library_reads: list[int]
) -> None:
    reads = library_reads
    for _round in range(2):
        window.search_field.setText("CMV viremia")
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
        window.search_field.clear()
        qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5000)
    assert len(reads) == 1  # the second time, the ids read the first time
    window.flows.session.library.articles.insert(Article(title="Aardvark lymphoma registry"))
    window.search_field.setText("CMV viremia")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    window.search_field.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=5000)
    assert len(reads) == 2  # the library changed: read again


def test_a_restored_backup_lists_the_library_afresh_whatever_its_version(
    qtbot: QtBot, window: MainWindow, library_reads: list[int]
) -> None:
    # A restored library can reach the version number of the ids kept with other articles.
    reads = library_reads
    window.flows.search.show_library()
    qtbot.waitUntil(lambda: len(reads) == 1 and window.model.rowCount() == 3, timeout=5000)
    window.flows.search.show_library()
    assert len(reads) == 1  # kept
    window.flows.backups.restored.emit(None)
    # (read afresh: twice when another listing is asked for before the first is back, as
    # in a full run of the suite: the count went from 1 to 3 between two looks)
    qtbot.waitUntil(lambda: len(reads) >= 2, timeout=5000)


def test_each_reader_thread_readies_its_searcher_before_the_helper_processes_start(
    qtbot: QtBot, filled_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One reader thread is still listing the library when the index is found ready: the
    # other must not take both threads' warming (the first search on the busy one would
    # then pay for its own), and the index and file-reading processes wait for both.
    monkeypatch.setenv("REVIEWAPP_REVIEWER", "Ana Ruiz")
    monkeypatch.setattr("reviewapp.gui.flows.search.LARGE_LIBRARY", 0)
    real_ids, real_warm = reading.library_ids, LibrarySession.warm_search
    real_start = IndexFlow._start_helpers
    warmed_on: list[int] = []
    helpers_after: list[int] = []

    def slow_ids(session: LibrarySession) -> list[int]:
        time.sleep(0.5)
        return real_ids(session)

    def warm(session: LibrarySession) -> None:
        warmed_on.append(threading.get_ident())
        real_warm(session)

    def start_helpers(flow: IndexFlow) -> None:
        helpers_after.append(len(warmed_on))
        real_start(flow)

    monkeypatch.setattr(reading, "library_ids", slow_ids)
    monkeypatch.setattr(LibrarySession, "warm_search", warm)
    monkeypatch.setattr(IndexFlow, "_start_helpers", start_helpers)
    win = create_main_window(filled_library)
    assert isinstance(win, MainWindow)
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: bool(helpers_after), timeout=15000)
        readers = win.flows.indexing.readers.thread_count
        assert readers == 2
        assert len(set(warmed_on)) == readers
        assert helpers_after == [readers]
    finally:
        win.close()
