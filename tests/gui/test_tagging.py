"""Tagging in the reader: select text, press a category key, fill the form, undo, redo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from reviewapp.core.models import Category, Status
from reviewapp.gui.dialogs.finding_form import FindingDialog
from reviewapp.gui.mainwindow import MainWindow
from reviewapp.gui.palette import category_highlight
from tests.gui.conftest import select_article

pytestmark = pytest.mark.gui

QUOTE = "it occurred in 23.3% (14/60) of patients during alemtuzumab"


def _select_quote(qtbot: QtBot, window: MainWindow, quote: str = QUOTE) -> tuple[int, int]:
    select_article(qtbot, window, "Anti-CD52")
    article = window.reader.article
    assert article is not None
    start = article.text.index(quote)
    window.reader.select_span(start, start + len(quote))
    window.reader.setFocus()
    return start, start + len(quote)


def _open_form(qtbot: QtBot) -> FindingDialog:
    qtbot.waitUntil(
        lambda: isinstance(QApplication.activeModalWidget(), FindingDialog), timeout=3000
    )
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, FindingDialog)
    return dialog


def _field(dialog: FindingDialog, key: str) -> QLineEdit:
    editor = dialog.findChild(QLineEdit, f"field_{key}")
    assert isinstance(editor, QLineEdit)
    return editor


def _save_cmv_finding(window: MainWindow) -> None:
    """Tag the selected quote as a toxicity finding through the form, as a user saves it."""
    dialog = window.flows.tagging.tag_selection(Category.TOXICITY)
    assert dialog is not None
    _field(dialog, "event").setText("CMV viremia")
    dialog.accept()


def test_key_2_on_a_selection_saves_an_anchored_toxicity_finding(
    qtbot: QtBot, window: MainWindow
) -> None:
    start, end = _select_quote(qtbot, window)
    window.activateWindow()
    qtbot.keyClick(window.reader, Qt.Key.Key_2)
    dialog = _open_form(qtbot)
    assert dialog.category is Category.TOXICITY
    # The numbers in the sentence are suggested; the reviewer names the event.
    assert _field(dialog, "incidence_pct").text() == "23.3"
    assert (_field(dialog, "n").text(), _field(dialog, "N").text()) == ("14", "60")
    qtbot.keyClicks(_field(dialog, "event"), "CMV viremia")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    lib = window.flows.session.library
    qtbot.waitUntil(lambda: lib.findings.count() == 1, timeout=5000)
    finding = lib.findings.list()[0]
    assert (finding.anchor.start, finding.anchor.end) == (start, end)
    assert finding.anchor.quote == QUOTE
    assert finding.anchor.before and finding.anchor.after
    assert finding.fields == {
        "event": "CMV viremia",
        "incidence_pct": 23.3,
        "n": 14,
        "N": 60,
        "timing": "during",
    }
    assert finding.reviewer == "Ana Ruiz"
    # Shown highlighted in the toxicity colour, and listed in the findings panel.
    qtbot.waitUntil(lambda: window.findings_panel.model.rowCount() == 1, timeout=3000)
    cursor = window.reader.textCursor()
    cursor.setPosition(window.reader._body_start + start + 3)
    assert cursor.charFormat().background().color() == QColor(category_highlight(Category.TOXICITY))


def test_the_form_flags_a_percentage_that_disagrees_with_n_over_N(
    qtbot: QtBot, window: MainWindow
) -> None:
    _select_quote(qtbot, window)
    dialog = window.flows.tagging.tag_selection(Category.TOXICITY)
    assert dialog is not None
    qtbot.addWidget(dialog)
    _field(dialog, "event").setText("CMV viremia")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.isEnabled()
    _field(dialog, "N").setText("70")
    assert not save.isEnabled()
    problems = dialog.problems_label.text()
    assert "incidence_pct" in problems and "n" in problems and "N" in problems
    assert "14/70" in problems
    assert _field(dialog, "N").styleSheet()  # the named fields are outlined
    _field(dialog, "N").setText("60")
    assert save.isEnabled() and not dialog.problems_label.text()
    dialog.reject()
    assert window.flows.session.library.findings.count() == 0


def test_a_reference_selection_prefills_its_doi(qtbot: QtBot, window: MainWindow) -> None:
    _select_quote(qtbot, window, "doi:10.1002/cncr.35750")
    dialog = window.flows.tagging.tag_selection(Category.REFERENCE)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert _field(dialog, "doi").text() == "10.1002/cncr.35750"
    dialog.reject()


def test_tagging_without_a_selection_explains_what_to_do(window: MainWindow) -> None:
    assert window.flows.tagging.tag_selection(Category.EFFICACY) is None
    assert "Select the sentence" in window.statusBar().currentMessage()


def test_undo_and_redo_a_new_finding_an_edit_and_a_delete(qtbot: QtBot, window: MainWindow) -> None:
    _select_quote(qtbot, window)
    _save_cmv_finding(window)
    lib = window.flows.session.library
    qtbot.waitUntil(lambda: lib.findings.count() == 1, timeout=5000)
    finding_id = lib.findings.list()[0].id

    window.action("actionUndo").trigger()
    qtbot.waitUntil(lambda: lib.findings.count() == 0, timeout=5000)
    tombstone = lib.findings.get(finding_id or 0)
    assert tombstone is not None and tombstone.deleted_at is not None
    window.action("actionRedo").trigger()
    qtbot.waitUntil(lambda: lib.findings.count() == 1, timeout=5000)
    assert [f.id for f in lib.findings.list()] == [finding_id]

    finding = lib.findings.list()[0]
    window.flows.tagging.set_finding_status(finding, Status.ACCEPTED)
    qtbot.waitUntil(lambda: lib.findings.list()[0].status is Status.ACCEPTED, timeout=5000)
    window.flows.undo_stack.undo()
    qtbot.waitUntil(lambda: lib.findings.list()[0].status is Status.DRAFT, timeout=5000)

    window.flows.tagging.delete_finding(lib.findings.list()[0])
    qtbot.waitUntil(lambda: lib.findings.count() == 0, timeout=5000)
    window.flows.undo_stack.undo()
    qtbot.waitUntil(lambda: lib.findings.count() == 1, timeout=5000)


def test_findings_panel_click_scrolls_to_the_quote_and_flashes_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    _select_quote(qtbot, window)
    _save_cmv_finding(window)
    panel = window.findings_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    window.reader.moveCursor(window.reader.textCursor().MoveOperation.Start)
    group = panel.model.index(0, 0)
    item = panel.model.index(0, 0, group)
    rect = panel.tree.visualRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.reader.textCursor().selectedText() == QUOTE
    assert window.reader.flashing
    qtbot.waitUntil(lambda: not window.reader.flashing, timeout=3000)


def test_findings_panel_filters_by_status(qtbot: QtBot, window: MainWindow) -> None:
    _select_quote(qtbot, window)
    _save_cmv_finding(window)
    panel = window.findings_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("accepted"))
    assert panel.model.rowCount() == 0
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("draft"))
    assert panel.model.rowCount() == 1


def test_the_reader_context_menu_offers_the_tag_actions(qtbot: QtBot, window: MainWindow) -> None:
    _select_quote(qtbot, window)
    menu = window.flows.reading.reader_context_menu()
    names = [a.objectName() for a in menu.actions()]
    assert names[-4:] == [
        "actionTagEfficacy",
        "actionTagToxicity",
        "actionTagMechanism",
        "actionTagReference",
    ]
    assert all(a.isEnabled() for a in menu.actions()[-4:])
    menu.deleteLater()


def test_the_form_marks_what_was_suggested_until_the_reviewer_changes_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    _select_quote(qtbot, window)
    dialog = window.flows.tagging.tag_selection(Category.TOXICITY)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.suggested_keys() == {"incidence_pct", "n", "N", "timing"}
    assert not dialog.suggested_label.isHidden()
    pct = _field(dialog, "incidence_pct")
    assert pct.toolTip() == "Suggested from the sentence" and "background" in pct.styleSheet()
    assert "Suggested" not in _field(dialog, "event").toolTip()  # not suggested
    # A change by the reviewer makes the value theirs; a change by the program does not.
    qtbot.keyClicks(pct, "5")
    assert "incidence_pct" not in dialog.suggested_keys()
    assert "Suggested" not in pct.toolTip()
    _field(dialog, "N").setText("60")
    assert "N" in dialog.suggested_keys()
    dialog.reject()


def test_key_2_on_a_sentence_naming_an_event_fills_the_required_event(
    qtbot: QtBot, window: MainWindow
) -> None:
    select_article(qtbot, window, "Anti-CD52")
    article = window.reader.article
    assert article is not None
    start = article.text.index("CMV viremia")
    window.reader.select_span(start, start + len("CMV viremia"))
    dialog = window.flows.tagging.tag_selection(Category.TOXICITY)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert _field(dialog, "event").text() == "CMV viremia"
    assert "event" in dialog.suggested_keys()
    dialog.reject()
