"""The journal club in the window: packs imported and dropped, a linked club folder that
brings another reviewer's findings in without a restart, others' findings read-only,
quotes not found in this copy, and reviewers' key fingerprints."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewapp.core.models import Article
from reviewapp.gui.dialogs.pack_report import PackReportDialog
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.gui.models.pack_reports import PackReportModel
from reviewapp.gui.models.reviewers import CONFIRMED, ReviewersModel
from reviewapp.packs.format import Refusal
from reviewapp.services.packs import PackReport
from tests.club import ARTICLE_TEXT, write_article
from tests.gui.conftest import select_article, titles

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]
QUOTE = "Cytokine release syndrome occurred in 51 of\n100 patients (51%)"


def _as_ben(tmp_path: Path, *args: str) -> str:
    """Run ``reviewapp`` as another reviewer, Ben, in his own process and settings folder."""
    env = {
        **os.environ,
        "REVIEWAPP_CONFIG_DIR": str(tmp_path / "ben-settings"),
        "REVIEWAPP_REVIEWER": "Ben Okafor",
        "PYTHONIOENCODING": "utf-8",
    }
    done = subprocess.run(
        [sys.executable, "-m", "reviewapp", "--library", str(tmp_path / "ben.sqlite"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def bens_pack(tmp_path: Path) -> Path:
    """Ben's library: one paper with a finding of his, exported as a pack."""
    write_article(tmp_path / "ben-papers", "tarlatamab.txt", ARTICLE_TEXT)
    _as_ben(tmp_path, "import", str(tmp_path / "ben-papers"))
    _as_ben(
        tmp_path,
        "tag",
        "1",
        "--category",
        "toxicity",
        "--quote",
        QUOTE,
        "--field",
        "event=cytokine release syndrome",
        "--field",
        "n=51",
        "--field",
        "N=100",
    )
    pack = tmp_path / "ben.rvpack"
    _as_ben(tmp_path, "pack", "export", "--out", str(pack))
    return pack


def test_a_pack_merges_with_a_report_and_others_findings_are_read_only(
    qtbot: QtBot, window: MainWindow, bens_pack: Path
) -> None:
    handle = window.flows.club.import_packs([bens_pack])
    assert handle is not None
    qtbot.waitUntil(lambda: window.flows.club.last_report is not None, timeout=20000)
    report = window.flows.club.last_report
    assert isinstance(report, PackReportDialog)
    assert "1 of 1 pack merged, 1 new finding" in report.summary.text()
    qtbot.waitUntil(lambda: len(titles(window)) == 4, timeout=5000)
    select_article(qtbot, window, "Tarlatamab after platinum")
    [finding] = window.reader.findings
    assert finding.reviewer == "Ben Okafor"
    window.flows.tagging.delete_finding(finding)
    assert (
        "Only Ben Okafor can change or delete this finding" in window.statusBar().currentMessage()
    )
    assert window.flows.undo_stack.count() == 0  # nothing was pushed that could not run


def test_a_dropped_pack_is_merged_not_imported_as_an_article(
    qtbot: QtBot, window: MainWindow, bens_pack: Path
) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bens_pack))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: window.flows.club.last_report is not None, timeout=20000)
    assert window.flows.importer.last_report is None
    qtbot.waitUntil(lambda: len(titles(window)) == 4, timeout=5000)


def test_a_linked_club_folder_brings_new_findings_without_a_restart(
    qtbot: QtBot, window: MainWindow, bens_pack: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "club"
    folder.mkdir()
    lib = window.flows.session.library
    collection = lib.collections.create("Relapsed SCLC")
    lib.collections.add(collection, lib.articles.ids())
    window.flows.organiser.reload_sidebar()
    synced = window.flows.club.syncs
    window.flows.club.link(collection, folder)
    qtbot.waitUntil(lambda: window.flows.club.syncs > synced, timeout=20000)
    mine = [p.name for p in folder.iterdir()]
    assert len(mine) == 1 and mine[0].startswith("ana-ruiz-")  # the window wrote Ana's pack
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    # Ben syncs the same folder from his own laptop (here: his own process and settings).
    _as_ben(tmp_path, "club", "sync", str(folder))
    qtbot.waitUntil(lambda: "1 finding from BO" in said, timeout=30000)
    qtbot.waitUntil(lambda: len(titles(window)) == 4, timeout=5000)
    with sqlite3.connect(window.flows.session.path) as db:
        authors = db.execute(
            "SELECT r.name FROM findings f JOIN reviewers r ON r.id = f.reviewer_id"
        ).fetchall()
    assert ("Ben Okafor",) in authors


def test_a_quote_not_found_in_this_copy_is_listed_not_marked(
    qtbot: QtBot, window: MainWindow, bens_pack: Path
) -> None:
    # This library's copy of Ben's paper lacks the sentence his finding quotes.
    lib = window.flows.session.library
    with lib.transaction():
        lib.articles.insert(
            Article(
                title="Tarlatamab after platinum in small cell lung cancer: a phase 2 cohort",
                text="Tarlatamab after platinum. An abstract without the safety results.\n"
                "DOI 10.1000/club.0001\n",
                doi="10.1000/club.0001",
            )
        )
    window.flows.search.show_library()
    window.flows.club.import_packs([bens_pack])
    qtbot.waitUntil(lambda: window.flows.club.last_report is not None, timeout=20000)
    select_article(qtbot, window, "Tarlatamab after platinum")
    [finding] = window.reader.findings
    assert not finding.anchored
    panel = window.findings_panel.model
    text = panel.data(panel.index(0, 0, panel.index(0, 0)))
    assert str(text).startswith("(quote not found in this copy)")
    assert _highlighted(window) == []  # nothing of the article is marked for it


def _highlighted(window: MainWindow) -> list[str]:
    """The reader's text shown on a coloured background (a finding's mark)."""
    document = window.reader.document()
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().background().style() != Qt.BrushStyle.NoBrush:
                found.append(fragment.text())
            iterator += 1
        block = block.next()
    return found


def test_pack_reports_and_reviewers_are_well_behaved_models(
    qtmodeltester: ModelTester, qtbot: QtBot, window: MainWindow, bens_pack: Path
) -> None:
    reports = [
        PackReport(
            made_by="Ben Okafor",
            made_by_initials="BO",
            articles_new=1,
            findings_new=2,
            findings_updated=1,
            file="a.rvpack",
            status="merged",
            message="from Ben",
        ),
        PackReport(
            made_by="Eve",
            refused=[Refusal("finding", "u", "its signature does not check")],
            file="b.rvpack",
            status="merged",
        ),
        PackReport(file="c.rvpack", status="refused", message="not a complete review pack"),
    ]
    model = PackReportModel(reports)
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    window.flows.club.import_packs([bens_pack])
    qtbot.waitUntil(lambda: window.flows.club.last_report is not None, timeout=20000)
    dialog = window.flows.club.show_reviewers()
    assert dialog is not None
    qtbot.addWidget(dialog)
    reviewers = dialog.model
    assert isinstance(reviewers, ReviewersModel)
    qtmodeltester.check(reviewers)
    row = next(r for r in range(reviewers.rowCount()) if reviewers.reviewer(r).name == "Ben Okafor")  # type: ignore[union-attr]
    fingerprint = str(reviewers.data(reviewers.index(row, 2)))
    assert len(fingerprint.split()) == 8
    assert reviewers.setData(
        reviewers.index(row, CONFIRMED), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    with sqlite3.connect(window.flows.session.path) as db:
        qtbot.waitUntil(
            lambda: (
                db.execute(
                    "SELECT key_confirmed FROM reviewers WHERE name = 'Ben Okafor'"
                ).fetchone()
                == (1,)
            ),
            timeout=5000,
        )
