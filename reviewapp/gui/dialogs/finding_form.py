"""The finding form: the category's fields, checked as they are typed.

Problems are listed under the form and the fields they name are outlined; Save is only
enabled when the values pass (14/70 beside 23.3% is flagged on incidence %, n and N).
Values suggested from the sentence are tinted, with a tooltip saying so, until the reviewer
changes that field. On a screen too short for every field (a small laptop with its text
scaled up), the fields scroll; the quote, the notes and the buttons stay in view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.categories import SCHEMAS, FieldSpec, Kind
from reviewapp.core.models import REVIEW_STATUSES, Category, Status
from reviewapp.core.validation import Checked, validate_fields
from reviewapp.gui.palette import category_colour

_PROBLEM_STYLE = "border: 1.5px solid #CF222E; border-radius: 3px;"
_SUGGESTED_STYLE = "background-color: #FFF4D1;"  # a pale amber: read it, check it
_WINDOW_FRAME = 48  # the title bar and borders the window manager adds, roughly


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


class _Fields(QScrollArea):
    """The form's fields, asking for all the room they need and scrolling when the screen
    gives less (a plain QScrollArea asks for a fixed, smaller size)."""

    def __init__(self, form: QFormLayout) -> None:
        super().__init__()
        self.setObjectName("fields")
        self.inner = QWidget()
        self.inner.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        self.setWidget(self.inner)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def sizeHint(self) -> QSize:
        inner = self.inner.sizeHint()
        return QSize(inner.width() + self.verticalScrollBar().sizeHint().width(), inner.height())


class FindingDialog(QDialog):
    """Create or edit one finding. ``values()`` gives the raw field texts to validate/save."""

    def __init__(
        self,
        category: Category,
        quote: str,
        values: Mapping[str, Any] | None = None,
        note: str = "",
        status: Status = Status.DRAFT,
        editing: bool = False,
        parent: QWidget | None = None,
        with_status: bool = True,
        suggested: Iterable[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("findingForm")
        self.category = category
        verb = self.tr("Edit") if editing else self.tr("New")
        self.setWindowTitle(f"{verb} {category.value} finding")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)

        heading = QLabel(
            f"<span style='color:{category_colour(category)}; font-weight:600'>■ "
            f"{category.value.capitalize()}</span>"
        )
        layout.addWidget(heading)
        quote_label = QLabel(f"“{quote}”")
        quote_label.setWordWrap(True)
        quote_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        quote_label.setStyleSheet("color: palette(text); font-style: italic; padding: 4px 0;")
        quote_label.setAccessibleName(self.tr("Quote"))
        layout.addWidget(quote_label)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        initial = dict(values or {})
        self._suggested = {key for key in suggested if _as_text(initial.get(key))}
        for spec in SCHEMAS[category]:
            editor = self._editor(spec, _as_text(initial.get(spec.key)))
            self.editors[spec.key] = editor
            label = spec.label + (" *" if spec.required else "")
            form.addRow(label, editor)
        self.note_edit, self.status_combo = self._note_and_status(form, note, status, with_status)
        self.fields = _Fields(form)
        layout.addWidget(self.fields, 1)

        self.suggested_label = self._suggested_note()
        layout.addWidget(self.suggested_label)

        self.problems_label = self._problems_note()
        layout.addWidget(self.problems_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.checked = self.revalidate()
        first = next(iter(self.editors.values()))
        first.setFocus()
        self._fit_screen()

    def _fit_screen(self) -> None:
        """Open with every field in view when the screen has the room (Qt would otherwise
        cap a new dialog at two thirds of the screen's height), else as tall as it allows."""
        hint = self.sizeHint()
        room = self.screen().availableGeometry().height() - _WINDOW_FRAME
        self.resize(hint.width(), max(min(hint.height(), room), self.minimumSizeHint().height()))

    def _note_and_status(
        self, form: QFormLayout, note: str, status: Status, with_status: bool
    ) -> tuple[QPlainTextEdit, QComboBox]:
        note_edit = QPlainTextEdit(note)
        note_edit.setObjectName("note")
        note_edit.setAccessibleName(self.tr("Note"))
        note_edit.setTabChangesFocus(True)
        note_edit.setFixedHeight(64)
        form.addRow(self.tr("Note"), note_edit)
        status_combo = QComboBox(self)
        status_combo.setObjectName("status")
        status_combo.addItems([s.value for s in REVIEW_STATUSES])
        status_combo.setCurrentText(status.value)
        if with_status:  # a consensus finding has its own status
            form.addRow(self.tr("Status"), status_combo)
        else:
            status_combo.hide()
        return note_edit, status_combo

    def _problems_note(self) -> QLabel:
        note = QLabel()
        note.setObjectName("problems")
        note.setWordWrap(True)
        note.setStyleSheet("color: #CF222E;")
        return note

    def _suggested_note(self) -> QLabel:
        note = QLabel(
            self.tr("Tinted fields were suggested from the sentence: check them before saving.")
        )
        note.setObjectName("suggestedNote")
        note.setWordWrap(True)
        note.setStyleSheet(f"{_SUGGESTED_STYLE} padding: 3px; color: #5C4813;")
        note.setVisible(bool(self._suggested))
        return note

    def _editor(self, spec: FieldSpec, text: str) -> QLineEdit | QComboBox:
        editor: QLineEdit | QComboBox
        if spec.kind is Kind.CHOICE or spec.kind is Kind.BOOLEAN:
            editor = QComboBox()
            choices = spec.choices if spec.kind is Kind.CHOICE else ("yes", "no")
            editor.addItems(["", *choices])
            editor.setCurrentText(text)
            editor.currentTextChanged.connect(self.revalidate)
            editor.activated.connect(lambda _i, key=spec.key: self._touched(key))
        else:
            editor = QLineEdit(text)
            if spec.help:
                editor.setPlaceholderText(spec.help)
            editor.textChanged.connect(self.revalidate)
            editor.textEdited.connect(lambda _t, key=spec.key: self._touched(key))
        editor.setObjectName(f"field_{spec.key}")
        editor.setAccessibleName(spec.label)
        return editor

    def suggested_keys(self) -> set[str]:
        """The fields still holding the value suggested from the sentence."""
        return set(self._suggested)

    def _touched(self, key: str) -> None:
        """The reviewer changed ``key``: it is theirs now, no longer a suggestion."""
        if key in self._suggested:
            self._suggested.discard(key)
            self.revalidate()

    def values(self) -> dict[str, str]:
        """The field texts as typed; empty fields left out."""
        texts = {
            key: (e.currentText() if isinstance(e, QComboBox) else e.text()).strip()
            for key, e in self.editors.items()
        }
        return {key: text for key, text in texts.items() if text}

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def status(self) -> Status:
        return Status(self.status_combo.currentText())

    def revalidate(self) -> Checked:
        self.checked = validate_fields(self.category, self.values())
        flagged = {key for problem in self.checked.problems for key in problem.fields}
        suggested = self._suggested
        for key, editor in self.editors.items():
            style = _PROBLEM_STYLE if key in flagged else ""
            tips = [p.message for p in self.checked.problems_for(key)]
            if key in suggested:
                style += _SUGGESTED_STYLE
                tips.append(self.tr("Suggested from the sentence"))
            editor.setStyleSheet(style)
            editor.setToolTip("\n".join(tips))
        self.problems_label.setText("\n".join(f"• {p}" for p in self.checked.problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.checked.ok)
        return self.checked

    def accept(self) -> None:
        if self.revalidate().ok:
            super().accept()
