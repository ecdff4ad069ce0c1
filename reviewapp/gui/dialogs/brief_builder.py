"""The brief builder: what the brief is about, for whom, and what goes in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def unused_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem-YYYY-MM-DD.pdf``, numbered on when that exists: never an earlier brief."""
    base = f"{stem}-{date.today().isoformat()}"
    candidate = folder / f"{base}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{base}-{number}{suffix}"
        number += 1
    return candidate


@dataclass(frozen=True)
class BriefChoices:
    title: str
    question: str
    audience: str  # tumor-board | journal-club
    source: str  # selection | search | collection:<name>
    scope: str  # all | accepted | consensus
    paper: str  # a4 | letter
    bottom_line: str
    out: Path


class BriefBuilderDialog(QDialog):
    def __init__(
        self,
        collections: list[tuple[str, str]],
        selected: int,
        shown: int,
        default_source: str,
        parent: QWidget | None = None,
    ) -> None:
        """``collections``: (name, question); ``selected``/``shown``: article counts of the
        selection and of the table as it is (search results or the library)."""
        super().__init__(parent)
        self.setObjectName("briefBuilder")
        self.setWindowTitle(self.tr("Export brief"))
        self.setMinimumWidth(560)
        self._questions = dict(collections)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form(selected, shown, collections, default_source))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Build PDF"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.source.currentIndexChanged.connect(self._on_source_changed)
        self._on_source_changed()

    def _build_form(
        self, selected: int, shown: int, collections: list[tuple[str, str]], default_source: str
    ) -> QFormLayout:
        form = QFormLayout()
        self.title_edit = QLineEdit(self.tr("Evidence brief"))
        self.title_edit.setObjectName("briefTitle")
        self.question_edit = QLineEdit()
        self.question_edit.setObjectName("briefQuestion")
        self.question_edit.setPlaceholderText(self.tr("The clinical question the brief answers"))
        self.audience = QComboBox()
        self.audience.addItem(self.tr("Tumor board"), "tumor-board")
        self.audience.addItem(self.tr("Journal club"), "journal-club")
        self.source = QComboBox()
        self.source.setObjectName("briefSource")
        if selected:
            self.source.addItem(self.tr("Selected articles ({n})").format(n=selected), "selection")
        self.source.addItem(self.tr("Articles shown in the table ({n})").format(n=shown), "search")
        for name, _question in collections:
            self.source.addItem(
                self.tr("Collection: {name}").format(name=name), f"collection:{name}"
            )
        index = self.source.findData(default_source)
        self.source.setCurrentIndex(max(index, 0))
        self.scope = QComboBox()
        self.scope.addItem(self.tr("All findings"), "all")
        self.scope.addItem(self.tr("Accepted findings only"), "accepted")
        self.scope.addItem(self.tr("The club's consensus only"), "consensus")
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        self.bottom_line = QPlainTextEdit()
        self.bottom_line.setObjectName("briefBottomLine")
        self.bottom_line.setPlaceholderText(
            self.tr("The presenter's bottom line, in a few sentences")
        )
        self.bottom_line.setTabChangesFocus(True)
        self.bottom_line.setFixedHeight(84)
        self.out_edit = QLineEdit(str(unused_path(Path.home(), "brief", ".pdf")))
        self.out_edit.setObjectName("briefOut")
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_edit)
        out_row.addWidget(browse)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Question"), self.question_edit)
        form.addRow(self.tr("Audience"), self.audience)
        form.addRow(self.tr("Articles"), self.source)
        form.addRow(self.tr("Findings"), self.scope)
        form.addRow(self.tr("Paper"), self.paper)
        form.addRow(self.tr("Bottom line"), self.bottom_line)
        form.addRow(self.tr("Save as"), out_row)
        return form

    def _on_source_changed(self) -> None:
        """A collection brings its question and name, unless the presenter typed their own."""
        source = str(self.source.currentData())
        if source.startswith("collection:"):
            name = source.split(":", 1)[1]
            if not self.question_edit.isModified():
                self.question_edit.setText(self._questions.get(name, ""))
                self.question_edit.setCursorPosition(0)
            if not self.title_edit.isModified():
                self.title_edit.setText(name)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save brief"), self.out_edit.text(), self.tr("PDF (*.pdf)")
        )
        if path:
            self.out_edit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def choices(self) -> BriefChoices:
        return BriefChoices(
            title=self.title_edit.text().strip() or self.tr("Evidence brief"),
            question=self.question_edit.text().strip(),
            audience=str(self.audience.currentData()),
            source=str(self.source.currentData()),
            scope=str(self.scope.currentData()),
            paper=str(self.paper.currentData()),
            bottom_line=self.bottom_line.toPlainText().strip(),
            out=Path(self.out_edit.text().strip()).expanduser(),
        )
