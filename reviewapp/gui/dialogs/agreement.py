"""The agreement figures: per category, the units, Cohen's κ with its 95% interval and the
positive agreement of every pair of reviewers, Fleiss' κ and Krippendorff's α; how often
each field agrees; and how many disagreements are settled."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

COLUMNS = (
    "Category · reviewers",
    "Units",
    "Cohen's κ (95% CI)",
    "Positive agreement",
    "Fleiss' κ",
    "Krippendorff's α",
)
UNDEFINED = "—"


def figure(value: float | None) -> str:
    return UNDEFINED if value is None else f"{value:.2f}"


def kappa_text(pair: dict[str, Any]) -> str:
    if pair["cohen_kappa"] is None:
        return UNDEFINED
    low, high = pair["ci95"] or (None, None)
    interval = f" ({figure(low)} to {figure(high)})" if low is not None else ""
    return figure(pair["cohen_kappa"]) + interval


def agreement_text(data: dict[str, Any]) -> str:
    """The figures as plain text (what Copy puts on the clipboard)."""
    lines = [
        f"{data['articles']} articles reviewed by two or more of: {', '.join(data['reviewers'])}"
    ]
    for category, figures in data["categories"].items():
        lines.append(
            f"{category}: {figures['units']} sentences; Fleiss' κ "
            f"{figure(figures['fleiss_kappa'])}; Krippendorff's α "
            f"{figure(figures['krippendorff_alpha'])}"
        )
        for pair in figures["pairs"]:
            lines.append(
                f"  {pair['a']} – {pair['b']}: Cohen's κ {kappa_text(pair)}; positive "
                f"agreement {figure(pair['positive_agreement'])}"
            )
    settled = data["disagreements"]
    lines.append(f"Disagreements: {settled['settled']} settled, {settled['open']} open")
    return "\n".join(lines)


class AgreementDialog(QDialog):
    def __init__(self, scope: str, data: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreement")
        self.setWindowTitle(self.tr("Agreement — {scope}").format(scope=scope))
        self.resize(980, 560)
        self.data = data
        layout = QVBoxLayout(self)
        reviewers = ", ".join(data["reviewers"]) or self.tr("nobody yet")
        settled = data["disagreements"]
        self.summary = QLabel(
            self.tr(
                "<b>{n} articles</b> finished by two or more reviewers ({who}). The units are "
                "their sentences; a reviewer rates a sentence positive in a category when one "
                "of their findings of it quotes the sentence. Disagreements: {s} settled, "
                "{o} open."
            ).format(n=data["articles"], who=reviewers, s=settled["settled"], o=settled["open"]),
            self,
        )
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("agreementTable")
        self.tree.setHeaderLabels([self.tr(c) for c in COLUMNS])
        self.tree.setAlternatingRowColors(True)
        self.tree.setRootIsDecorated(True)
        for category, figures in data["categories"].items():
            row = QTreeWidgetItem(
                [
                    category,
                    str(figures["units"]),
                    "",
                    "",
                    figure(figures["fleiss_kappa"]),
                    figure(figures["krippendorff_alpha"]),
                ]
            )
            font = row.font(0)
            font.setBold(True)
            row.setFont(0, font)
            for pair in figures["pairs"]:
                row.addChild(
                    QTreeWidgetItem(
                        [
                            f"{pair['a']} – {pair['b']}",
                            str(pair["units"]),
                            kappa_text(pair),
                            figure(pair["positive_agreement"]),
                            "",
                            "",
                        ]
                    )
                )
            self.tree.addTopLevelItem(row)
        self.tree.expandAll()
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            self.tree.headerItem().setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.tree, 1)
        fields = data["fields"]
        self.fields = QLabel(
            self.tr("Fields, where two reviewers tagged the same sentence: ")
            + (
                "; ".join(
                    f"{key} {round(100 * f['rate'])}% of {f['pairs']}" for key, f in fields.items()
                )
                if fields
                else self.tr("none compared yet")
            ),
            self,
        )
        self.fields.setObjectName("fieldAgreement")
        self.fields.setWordWrap(True)
        layout.addWidget(self.fields)
        note = QLabel(
            self.tr(
                "— : undefined (a category nobody used, or a single reviewer). Fleiss' κ "
                "takes the articles every reviewer finished; α takes every article, a "
                "reviewer who did not finish one counting as missing."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #57606A;")
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton(self.tr("&Copy as text"), self)
        copy.setObjectName("copyAgreement")
        copy.clicked.connect(self.copy)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(agreement_text(self.data))
