"""Regressions found in review: sorting keeps the selection on its articles, characters
beyond U+FFFF do not shift anchors, Ctrl+Backspace in a text field never deletes a finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewapp.core.models import Category
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.services.findings import create_finding
from reviewapp.services.importing import import_paths
from tests.gui.conftest import select_article, titles

pytestmark = pytest.mark.gui


def test_sorting_keeps_the_selection_on_the_same_articles(qtbot: QtBot, window: MainWindow) -> None:
    select_article(qtbot, window, "Dose-Finding")
    chosen = window.flows.search.selected_article_ids()
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert window.flows.search.selected_article_ids() == chosen
    window.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert window.flows.search.selected_article_ids() == chosen


def test_an_emoji_before_the_quote_does_not_shift_the_anchor(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "astral"
    folder.mkdir()
    (folder / "emoji.txt").write_text(
        "Patients Reported Outcomes With An Emoji Title\n"
        "Fatigue 😫 was common and 𝛼-toxicity rare. CRS occurred in 14 of 60 patients "
        "(23.3%). End.\n",
        encoding="utf-8",
    )
    import_paths(window.flows.session, [folder])
    window.flows.search.show_library()
    select_article(qtbot, window, "Patients Reported Outcomes")
    article = window.reader.article
    assert article is not None
    quote = "CRS occurred in 14 of 60 patients (23.3%)."
    start = article.text.index(quote)
    window.reader.select_span(start, start + len(quote))
    assert window.reader.textCursor().selectedText() == quote
    assert window.reader.selected_span() == (start, start + len(quote))


def test_ctrl_backspace_in_the_search_field_deletes_a_word_not_a_finding(
    qtbot: QtBot, window: MainWindow
) -> None:
    select_article(qtbot, window, "Anti-CD52")
    article_id = window.flows.reading.current_article_id
    assert article_id is not None
    create_finding(
        window.flows.session,
        article_id,
        Category.MECHANISM,
        quote="Alemtuzumab is a humanized IgG1 monoclonal antibody against CD52",
        fields={"agent": "alemtuzumab"},
        reviewer="Ana Ruiz",
    )
    window.flows.reading.open_article(article_id)
    panel = window.findings_panel
    panel.tree.setCurrentIndex(panel.model.index(0, 0, panel.model.index(0, 0)))
    window.activateWindow()
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "CMV viremia")
    with qtbot.assertNotEmitted(window.flows.undo_stack.indexChanged):  # no command pushed
        qtbot.keyClick(
            window.search_field, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier
        )
    # A deletion would be written on the writer pool: once it is idle, any write is made.
    writer = window.flows.tasks.writer
    qtbot.waitUntil(lambda: not writer.busy, timeout=5000)
    assert window.flows.session.library.findings.count() == 1
    assert window.search_field.text() != "CMV viremia"
    assert titles(window)
