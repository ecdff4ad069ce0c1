"""The finding form on screens of different heights: every field in view when there is room,
and the fields scroll (rather than overlap) when there is not."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from reviewapp.core.models import Category
from reviewapp.gui.dialogs.finding_form import FindingDialog

QUOTE = (
    "Median progression-free survival was 6.8 months with drug X versus 3.9 months with"
    " docetaxel (HR 0.54; 95% CI, 0.41 to 0.71; P < .001)."
)


def _form(qtbot: QtBot) -> FindingDialog:
    dialog = FindingDialog(Category.EFFICACY, QUOTE, {"endpoint": "PFS"}, suggested=["endpoint"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_every_field_is_in_view_when_the_screen_has_room(qtbot: QtBot) -> None:
    dialog = _form(qtbot)
    room = dialog.screen().availableGeometry().height()
    assert dialog.sizeHint().height() < room - 48  # (the test screen is tall enough)
    assert dialog.height() >= dialog.sizeHint().height()
    assert dialog.fields.verticalScrollBar().maximum() == 0


def test_on_a_short_screen_the_fields_scroll_and_do_not_overlap(qtbot: QtBot) -> None:
    dialog = _form(qtbot)
    dialog.resize(dialog.width(), 360)
    qtbot.wait(50)
    assert dialog.fields.verticalScrollBar().maximum() > 0
    note, status = dialog.note_edit.geometry(), dialog.status_combo.geometry()
    assert status.top() >= note.bottom()  # one under the other, as laid out
    # the buttons stay in view under the fields
    buttons = dialog.buttons.geometry()
    assert buttons.bottom() <= dialog.height()
    assert dialog.fields.geometry().bottom() <= buttons.top()
