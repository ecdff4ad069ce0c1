"""The import report: files above, every record of the chosen file below, filter, open, save."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewapp.gui.dialogs.import_report import ImportReportDialog
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.services.importing import RecordStatus

pytestmark = pytest.mark.gui

RIS = (
    "TY  - JOUR\nTI  - Pegfilgrastim on day 2 versus day 4 in lymphoma\nPY  - 2022\n"
    "DO  - 10.5555/report.1\nER  - \n"
    "TY  - JOUR\nAB  - A record that lost its title.\nER  - \n"
    "TY  - JOUR\nTI  - Lipegfilgrastim in breast cancer chemotherapy\nPY  - 2021\nER  - \n"
)


def _imported_report(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> ImportReportDialog:
    export = tmp_path / "export.ris"
    export.write_text(RIS, encoding="utf-8")
    again = tmp_path / "again.ris"
    again.write_text(RIS.split("TY  - JOUR\nAB", maxsplit=1)[0], encoding="utf-8")
    window.flows.importer.start([export, again])
    qtbot.waitUntil(
        lambda: isinstance(getattr(window.flows.importer, "last_report", None), ImportReportDialog),
        timeout=20000,
    )
    report = window.flows.importer.last_report
    assert report is not None
    return report


def test_the_report_lists_every_record_and_filters_them(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    report = _imported_report(qtbot, window, tmp_path)
    assert "2 imported · 1 duplicates" in report.summary.text()
    assert "1 record skipped" in report.summary.text()
    # The file with a problem is chosen first.
    assert report.records_label.text() == "export.ris: 3 records"
    model = report.record_model
    qtmodeltester.check(model)
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert [row[1] for row in rows] == ["imported", "failed", "imported"]
    assert rows[1][0] == "record 2 (line 6)"
    assert rows[1][3] == "the record has no title"
    report.record_filter.setCurrentIndex(report.record_filter.findData(RecordStatus.FAILED.value))
    assert model.rowCount() == 1
    report.files.selectRow(1)
    assert report.records_label.text() == "again.ris: 1 record"
    assert model.rowCount() == 0  # still only failures, and this file had none
    report.record_filter.setCurrentIndex(0)
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == "duplicate"
    assert model.index(0, 3).data().startswith("same DOI 10.5555/report.1 — Pegfilgrastim")


def test_double_clicking_a_record_opens_its_article_and_the_report_saves(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    report = _imported_report(qtbot, window, tmp_path)
    first = report.record_model.index(0, 0)
    article_id = report.record_model.record(0).article_id
    with qtbot.waitSignal(report.article_requested, timeout=2000):
        report.records.doubleClicked.emit(first)
    assert window.flows.reading.current_article_id == article_id
    assert window.reader.article is not None
    assert window.reader.article.title == "Pegfilgrastim on day 2 versus day 4 in lymphoma"
    path = tmp_path / "saved-report.json"
    report.save(path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["totals"] == {"files": 2, "imported": 2, "duplicates": 1, "failed": 1}
    assert [r["status"] for r in saved["files"][0]["records"]] == ["imported", "failed", "imported"]
