"""Dual review in the window (issue 14): the "finished" mark (Ctrl+D, the box under the
reader) with undo, blind review of a collection and its reveal, the disagreements view
where the moderator settles groups (undo applies), and the agreement figures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from reviewapp.core.models import Status
from reviewapp.gui.app import create_main_window
from reviewapp.gui.dialogs.disagreements import DisagreementsDialog
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.services import reading
from reviewapp.services.findings import create_finding, list_findings
from reviewapp.services.identity import view_as
from reviewapp.services.library import LibrarySession
from reviewapp.services.organise import add_to_collection, create_collection
from reviewapp.services.packs import export_pack, import_pack
from reviewapp.services.review import mark_reviewed
from tests.club import Member
from tests.gui.conftest import reviewed_by, select_article

pytestmark = pytest.mark.gui
DURING = "it occurred in 23.3% (14/60) of patients during alemtuzumab"
WATCHED = "with particular attention to cytomegalovirus (CMV) viremia"


def _alemtuzumab(session: LibrarySession) -> int:
    return next(
        int(r["id"]) for r in reading.summaries(session) if "Alemtuzumab" in str(r["title"])
    )


@pytest.fixture
def dual_library(filled_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Ana's library: her collection "CMV" of the alemtuzumab paper, her two findings and
    Ben's one (the same sentence, another N), both marked finished, merged from his pack."""
    ana_settings = str(tmp_path / "config")
    monkeypatch.setenv("REVIEWAPP_REVIEWER", "Ana Ruiz")
    with LibrarySession.open(filled_library) as session:
        view_as(session)
        article = _alemtuzumab(session)
        question = create_collection(session, "CMV")
        add_to_collection(session, question.id, [article])
        fields = {"event": "CMV viremia", "n": "14", "N": "60"}
        create_finding(session, article, "toxicity", quote=DURING, fields=fields)
        create_finding(session, article, "toxicity", quote=WATCHED, fields={"event": "CMV"})
        mark_reviewed(session, [article])
        export_pack(session, tmp_path / "ana.rvpack", collection="CMV")
    ben = Member(tmp_path, "Ben Okafor", monkeypatch)
    with ben.acting() as session:
        import_pack(session, tmp_path / "ana.rvpack")
        article = _alemtuzumab(session)
        create_finding(session, article, "toxicity", quote=DURING, fields={**fields, "N": "65"})
        mark_reviewed(session, [article])
        export_pack(session, tmp_path / "ben.rvpack", collection="CMV")
    monkeypatch.setenv("REVIEWAPP_CONFIG_DIR", ana_settings)
    monkeypatch.setenv("REVIEWAPP_REVIEWER", "Ana Ruiz")
    with LibrarySession.open(filled_library) as session:
        assert import_pack(session, tmp_path / "ben.rvpack").findings_in == 1
    return filled_library


@pytest.fixture
def review_window(qtbot: QtBot, dual_library: Path) -> Iterator[MainWindow]:
    win = create_main_window(dual_library)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.index_label.text() == "index: up to date", timeout=10000)
    yield win
    win.close()


def _show_collection(qtbot: QtBot, win: MainWindow, name: str) -> None:
    collection = next(c for c in reading.collections(win.flows.session) if c.name == name)
    win.sidebar.setCurrentIndex(win.sidebar_model.index_of("collection", collection.id))
    qtbot.waitUntil(lambda: win.flows.search.view == ("collection", collection.id))


def test_finishing_an_article_is_a_mark_in_the_table_and_undo_takes_it_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    box, action = window.panels.reviewed_box, window.action("actionMarkReviewed")
    assert not box.isEnabled()  # no article open
    select_article(qtbot, window, "Anti-CD52")
    assert box.isEnabled() and not box.isChecked()
    assert action.shortcut().toString() == "Ctrl+D"
    action.trigger()
    qtbot.waitUntil(lambda: reviewed_by(window, "Anti-CD52") == "AR", timeout=5000)
    assert box.isChecked() and action.isChecked()
    window.flows.undo_stack.undo()
    qtbot.waitUntil(lambda: reviewed_by(window, "Anti-CD52") == "", timeout=5000)
    assert not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reviewed_by(window, "Anti-CD52") == "AR", timeout=5000)
    assert window.flows.undo_stack.undoText() == "Mark 1 article reviewed"


def test_a_blind_collection_shows_only_your_own_findings_until_it_is_revealed(
    qtbot: QtBot, review_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = review_window
    _show_collection(qtbot, win, "CMV")
    select_article(qtbot, win, "Anti-CD52")
    assert win.findings_panel.model.reviewers() == ["Ana Ruiz", "Ben Okafor"]
    assert not win.panels.blind_label.isVisible()
    blind = win.action("actionBlindCollection")
    assert blind.isEnabled() and not blind.isChecked()
    blind.trigger()
    qtbot.waitUntil(win.panels.blind_label.isVisible, timeout=5000)
    assert "only your own findings" in win.panels.blind_label.text()
    qtbot.waitUntil(
        lambda: win.findings_panel.model.reviewers() == ["Ana Ruiz"],
        timeout=5000,
    )
    assert "· blind" in str(win.sidebar_model.data(win.sidebar.currentIndex()))
    # Words of Ben's finding find nothing while blind (his note and quote are his).
    with LibrarySession.open(win.flows.session.path) as other:
        assert not other.search("reviewer:ben")
    # A reveal is asked first: "No" leaves it blind.
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    blind.trigger()
    assert blind.isChecked() and win.panels.blind_label.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    blind.trigger()
    qtbot.waitUntil(lambda: not win.panels.blind_label.isVisible(), timeout=5000)
    qtbot.waitUntil(
        lambda: len(win.findings_panel.model.reviewers()) == 2,
        timeout=5000,
    )
    revealed = reading.collections(win.flows.session)[0]
    assert not revealed.blind and revealed.revealed_at


def test_the_moderator_settles_disagreements_side_by_side_and_undo_reopens_them(
    qtbot: QtBot, review_window: MainWindow
) -> None:
    win = review_window
    _show_collection(qtbot, win, "CMV")
    win.action("actionDisagreements").trigger()
    qtbot.waitUntil(
        lambda: (
            win.flows.review.disagreements is not None
            and win.flows.review.disagreements.isVisible()
        ),
        timeout=5000,
    )
    dialog = win.flows.review.disagreements
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.groups_model.rowCount() == 2, timeout=5000)
    assert "2 open" in dialog.summary.text()
    differing = _row_with(dialog, "differing_fields")
    dialog.groups_view.selectRow(differing)
    assert dialog.detail_model.reviewers() == ["Ana Ruiz", "Ben Okafor"]
    assert not dialog.take_button.isEnabled()  # no reviewer's column chosen yet
    assert dialog.choose_reviewer("Ben Okafor")
    assert dialog.chosen_finding() is not None and dialog.take_button.isEnabled()
    qtbot.mouseClick(dialog.take_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.groups_model.rowCount() == 1, timeout=5000)
    assert "1 open, 1 settled" in dialog.summary.text()
    dialog.open_only.setChecked(False)
    assert dialog.groups_model.rowCount() == 2
    session = win.flows.session
    [agreed] = [f for f in list_findings(session) if f.status is Status.CONSENSUS]
    assert agreed.fields["N"] == 65 and agreed.reviewer == "Ana Ruiz"

    win.flows.undo_stack.undo()
    qtbot.waitUntil(lambda: "2 open" in dialog.summary.text(), timeout=5000)
    assert not [f for f in list_findings(session) if f.status is Status.CONSENSUS]

    dialog.open_only.setChecked(True)
    missing = _row_with(dialog, "missing_reviewers")
    dialog.groups_view.selectRow(missing)
    assert dialog.detail_model.reviewers() == ["Ana Ruiz", "Ben Okafor"]
    qtbot.mouseClick(dialog.nothing_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.groups_model.rowCount() == 1, timeout=5000)

    dialog.choose_reviewer("Ana Ruiz")
    form = win.flows.review.amend(dialog.current_group() or {}, dialog.chosen_finding() or {})
    assert form is not None and not form.status_combo.isVisible()
    form.editors["N"].setText("60")  # type: ignore[union-attr]
    form.note_edit.setPlainText("Table 2 gives 60")
    form.accept()
    qtbot.waitUntil(lambda: "0 open, 2 settled" in dialog.summary.text(), timeout=5000)
    amended = next(f for f in list_findings(session) if f.note == "Table 2 gives 60")
    assert amended.status is Status.CONSENSUS and amended.fields["N"] == 60


def test_the_agreement_figures_in_a_dialog(qtbot: QtBot, review_window: MainWindow) -> None:
    win = review_window
    _show_collection(qtbot, win, "CMV")
    win.action("actionAgreement").trigger()
    qtbot.waitUntil(
        lambda: win.flows.review.agreement is not None and win.flows.review.agreement.isVisible(),
        timeout=5000,
    )
    dialog = win.flows.review.agreement
    assert dialog is not None
    tree = dialog.tree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    rows = {item.text(0): item for item in items if item is not None}
    assert set(rows) == {"efficacy", "toxicity", "mechanism", "reference"}
    toxicity = rows["toxicity"]
    assert int(toxicity.text(1)) > 5 and toxicity.childCount() == 1
    pair = toxicity.child(0)
    assert pair is not None
    assert pair.text(0) == "Ana Ruiz – Ben Okafor"
    assert pair.text(3) == "0.67"  # positive agreement: 2·1 / (2 + 1)
    assert rows["mechanism"].text(5) == "—"  # a category nobody used: undefined
    assert "Disagreements: 0 settled, 2 open" in dialog.summary.text().replace("<b>", "")
    dialog.copy()


def _row_with(dialog: DisagreementsDialog, key: str) -> int:
    """The row of the group shown whose ``key`` (differing fields, missing reviewers) is
    not empty."""
    model = dialog.groups_model
    return next(r for r in range(model.rowCount()) if (model.group(r) or {})[key])


def _open_disagreements(qtbot: QtBot, win: MainWindow) -> DisagreementsDialog:
    _show_collection(qtbot, win, "CMV")
    win.action("actionDisagreements").trigger()
    qtbot.waitUntil(
        lambda: (
            win.flows.review.disagreements is not None
            and win.flows.review.disagreements.groups_model.rowCount() == 2
        ),
        timeout=5000,
    )
    dialog = win.flows.review.disagreements
    assert dialog is not None
    return dialog


def test_a_settlement_the_library_refuses_is_said_and_never_an_undo_step(
    qtbot: QtBot, review_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = review_window
    dialog = _open_disagreements(qtbot, win)
    said: list[str] = []
    monkeypatch.setattr(win.flows.tasks, "show_failure", lambda exc: said.append(str(exc)))
    missing = _row_with(dialog, "missing_reviewers")
    dialog.groups_view.selectRow(missing)
    group = dialog.current_group() or {}
    win.flows.review.nothing_there(group)
    qtbot.waitUntil(lambda: dialog.groups_model.rowCount() == 1, timeout=5000)
    steps = win.flows.undo_stack.count()
    win.flows.review.nothing_there(group)  # the list was stale: settled already
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert "you settled that group already" in said[0]
    assert win.flows.undo_stack.count() == steps


def test_one_click_one_settlement_and_a_blind_collection_empties_the_view(
    qtbot: QtBot, review_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = review_window
    dialog = _open_disagreements(qtbot, win)
    differing = _row_with(dialog, "differing_fields")
    dialog.groups_view.selectRow(differing)
    dialog.choose_reviewer("Ben Okafor")
    dialog.take_button.click()
    assert not dialog.take_button.isEnabled()  # until the groups come back
    qtbot.waitUntil(lambda: dialog.groups_model.rowCount() == 1, timeout=5000)
    session = win.flows.session
    assert len([f for f in list_findings(session) if f.status is Status.CONSENSUS]) == 1
    win.action("actionBlindCollection").trigger()
    qtbot.waitUntil(lambda: dialog.groups_model.rowCount() == 0, timeout=5000)
    assert "blind" in dialog.summary.text()
    assert dialog.detail_model.columnCount() == 0  # nobody's findings left on show
