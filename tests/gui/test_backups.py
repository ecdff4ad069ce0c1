"""File → Restore from backup, in the window: the backups listed with their dates and counts,
one made now, one restored (the library as it was kept first), a damaged one refused; and a
library on a read-only medium opened with a banner."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from reviewapp.gui import app
from reviewapp.gui.app import create_main_window
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.services.backups import list_backups
from reviewapp.services.library import LibrarySession
from tests.gui.conftest import reviewed_by, select_article, titles
from tests.media import read_only_medium


def _cells(table: QTableWidget, row: int) -> list[str]:
    return [
        item.text() if (item := table.item(row, column)) is not None else ""
        for column in range(table.columnCount())
    ]


def _open(qtbot: QtBot, win: MainWindow, rows: int) -> None:
    win.action("actionRestoreBackup").trigger()
    dialog = win.flows.backups.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == rows, timeout=5000)


@pytest.fixture
def daily_backup_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "DAILY_BACKUP_AFTER_MS", 0)


def test_the_daily_backup_waits_until_the_window_has_been_open_a_while(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Not while the window opens: its first searches would wait on the disk behind it.
    qtbot.wait(1000)
    assert list_backups(window.flows.session.path) == []


def test_a_backup_made_now_is_listed_and_restoring_it_brings_the_library_back(
    qtbot: QtBot, daily_backup_at_once: None, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = window
    library = win.flows.session.path
    qtbot.waitUntil(lambda: len(list_backups(library)) == 1, timeout=5000)  # the daily one
    _open(qtbot, win, 1)
    dialog = win.flows.backups.dialog
    assert dialog is not None
    table = dialog.table
    assert _cells(table, 0)[1:] == ["daily", "3", "0"]
    dialog.now_button.click()
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=5000)
    assert _cells(dialog.table, 0)[1] == "made by hand"
    dialog.close()

    select_article(qtbot, win, "Anti-CD52")
    win.action("actionMarkReviewed").trigger()
    qtbot.waitUntil(lambda: reviewed_by(win, "Anti-CD52") == "AR", timeout=5000)
    assert win.flows.undo_stack.canUndo()

    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    _open(qtbot, win, 2)
    dialog = win.flows.backups.dialog
    assert dialog is not None
    dialog.table.selectRow(0)  # the one made by hand, before the mark
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: win.flows.backups.dialog is None, timeout=10000)
    assert "3 articles and 0 findings" in asked[0]
    qtbot.waitUntil(lambda: reviewed_by(win, "Anti-CD52") == "", timeout=5000)
    assert not win.flows.undo_stack.canUndo()  # the history was of the library replaced
    assert win.reader.article is None
    qtbot.waitUntil(lambda: win.index_label.text() == "index: up to date", timeout=20000)
    kept = list_backups(library)
    assert [b.reason for b in kept][:1] == ["before-restore"]
    win.search_field.setText("alemtuzumab")
    qtbot.waitUntil(lambda: len(titles(win)) == 1, timeout=5000)


def test_a_damaged_backup_is_refused_with_its_reason_and_nothing_changes(
    qtbot: QtBot,
    daily_backup_at_once: None,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    win = window
    damaged = tmp_path / "old-library.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4096)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: pytest.fail("asked to restore"))
    _open(qtbot, win, 1)
    win.flows.backups.check_and_restore(damaged)
    qtbot.waitUntil(lambda: bool(warned), timeout=5000)
    assert "old-library.sqlite" in warned[0]
    assert "not restored" in warned[0] or "cannot be read" in warned[0]
    assert len(titles(win)) == 3
    dialog = win.flows.backups.dialog
    assert dialog is not None and dialog.restore_button.isEnabled()


def test_a_library_on_a_read_only_medium_opens_with_a_banner_and_no_writes(
    qtbot: QtBot, filled_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWAPP_REVIEWER", "Ana Ruiz")
    with LibrarySession.open(filled_library):
        pass  # its index in step, as a library carried on a stick would be
    with read_only_medium(tmp_path, filled_library) as copy:
        win = create_main_window(copy)
        assert isinstance(win, MainWindow)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: win.index_label.text() == "index: up to date", timeout=10000)
        assert win.banner.isVisible() and "read-only" in win.banner.text()
        assert not win.action("actionImport").isEnabled()
        assert not win.action("actionTagToxicity").isEnabled()
        assert len(titles(win)) == 3
        select_article(qtbot, win, "Anti-CD52")
        win.reader.selectAll()  # a selection turns tagging on in a writable library
        assert not win.action("actionTagToxicity").isEnabled()
        assert not win.action("actionMarkReviewed").isEnabled()
        assert not win.panels.reviewed_box.isVisible()
        win.search_field.setText("alemtuzumab")
        qtbot.waitUntil(lambda: len(titles(win)) == 1, timeout=5000)
        win.close()
