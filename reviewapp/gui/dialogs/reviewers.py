"""Reviewers and their keys: each reviewer's key fingerprint, to read aloud with its owner
(in the journal club meeting, on the phone) and mark as checked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.models import Reviewer
from reviewapp.gui.models.reviewers import ReviewersModel


class ReviewersDialog(QDialog):
    def __init__(
        self, reviewers: Sequence[Reviewer], own_fingerprint: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewers")
        self.setWindowTitle(self.tr("Reviewers and their keys"))
        self.resize(760, 320)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Every finding is signed by its author's key. A library keeps the first key it "
                "sees for each reviewer. Read the fingerprints aloud with their owners and tick "
                "those that match. Yours: <b>{fp}</b>"
            ).format(fp=own_fingerprint),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = ReviewersModel(reviewers, self)
        table = QTableView(self)
        table.setObjectName("reviewersTable")
        table.setModel(self.model)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
