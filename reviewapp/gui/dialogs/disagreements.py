"""The disagreements view: the groups of a collection (or the library), a filter for the open
ones, the chosen group side by side (a column per reviewer, differing fields and missing
reviewers marked), and the moderator's ways to settle it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.gui.models.disagreements import DIFFERS, MISSING, GroupDetailModel, GroupsModel


class DisagreementsDialog(QDialog):
    take_requested = Signal(object, object)  # group, finding (dicts of disagreements --json)
    amend_requested = Signal(object, object)  # group, finding
    nothing_requested = Signal(object)  # group
    article_requested = Signal(int)  # article id: show it in the reader

    def __init__(self, scope: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disagreements")
        self.setWindowTitle(self.tr("Disagreements — {scope}").format(scope=scope))
        self.resize(1180, 720)
        self._groups: list[dict[str, Any]] = []
        self._busy = False
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel(self)
        self.summary.setObjectName("disagreementsSummary")
        top.addWidget(self.summary, 1)
        self.open_only = QCheckBox(self.tr("Open disagreements only"), self)
        self.open_only.setObjectName("openOnly")
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(self._on_filter)
        top.addWidget(self.open_only)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._build_groups())
        splitter.addWidget(self._build_detail())
        splitter.setSizes([300, 380])
        layout.addWidget(splitter, 1)
        layout.addLayout(self._build_actions())
        self.detail_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def _build_groups(self) -> QTableView:
        self.groups_view = QTableView(self)
        self.groups_view.setObjectName("groupsTable")
        self.groups_view.setAccessibleName(self.tr("Groups of findings"))
        self.groups_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.groups_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.groups_view.verticalHeader().hide()
        self.groups_view.setWordWrap(False)
        self.groups_model = GroupsModel([], self)
        self.groups_view.setModel(self.groups_model)
        header = self.groups_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 300), (1, 90), (2, 440)):
            self.groups_view.setColumnWidth(column, width)
        self.groups_view.selectionModel().currentRowChanged.connect(self._on_group)
        self.groups_view.doubleClicked.connect(lambda _i: self._show_article())
        return self.groups_view

    def _build_detail(self) -> QWidget:
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.sentence = QLabel(detail)
        self.sentence.setObjectName("groupSentence")
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail_layout.addWidget(self.sentence)
        self.detail_view = QTableView(detail)
        self.detail_view.setObjectName("groupDetail")
        self.detail_view.setAccessibleName(self.tr("The group side by side, a column per reviewer"))
        self.detail_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectColumns)
        self.detail_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.detail_view.setWordWrap(True)
        self.detail_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.detail_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.detail_model = GroupDetailModel(None, self)
        self.detail_view.setModel(self.detail_model)
        detail_layout.addWidget(self.detail_view)
        legend = QLabel(
            self.tr(
                "<span style='background:{d}'>&nbsp;differs&nbsp;</span>&nbsp; "
                "<span style='background:{m}'>&nbsp;no finding&nbsp;</span>&nbsp; "
                "Choose a reviewer's column, then settle the group."
            ).format(d=DIFFERS, m=MISSING),
            detail,
        )
        detail_layout.addWidget(legend)
        return detail

    def _build_actions(self) -> QHBoxLayout:
        actions = QHBoxLayout()
        self.take_button = QPushButton(self.tr("&Agree on this finding"), self)
        self.take_button.setObjectName("takeFinding")
        self.take_button.setToolTip(
            self.tr("The club's consensus is the chosen reviewer's finding, as it is")
        )
        self.amend_button = QPushButton(self.tr("A&mend and agree…"), self)
        self.amend_button.setObjectName("amendFinding")
        self.nothing_button = QPushButton(self.tr("&Nothing there"), self)
        self.nothing_button.setObjectName("nothingThere")
        self.nothing_button.setToolTip(self.tr("The club found no finding in this sentence"))
        self.show_button = QPushButton(self.tr("&Show the article"), self)
        self.show_button.setObjectName("showArticle")
        self.take_button.clicked.connect(lambda: self._emit_with_finding(self.take_requested))
        self.amend_button.clicked.connect(lambda: self._emit_with_finding(self.amend_requested))
        self.nothing_button.clicked.connect(self._on_nothing)
        self.show_button.clicked.connect(self._show_article)
        for button in (self.take_button, self.amend_button, self.nothing_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.show_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        actions.addWidget(buttons)
        return actions

    # -- contents ----------------------------------------------------------------------------

    def set_groups(self, groups: Sequence[dict[str, Any]]) -> None:
        """Show these groups (every group that is a disagreement, settled or open), keeping
        the group chosen if it is still listed."""
        chosen = self.current_group()
        self._groups = list(groups)
        self._busy = False
        settled = sum(1 for g in self._groups if g["settled_by"])
        self.summary.setText(
            self.tr("{n} disagreements: {o} open, {s} settled").format(
                n=len(self._groups), o=len(self._groups) - settled, s=settled
            )
            if self._groups
            else self.tr(
                "No disagreements. Groups are compared on articles that two or more reviewers "
                "marked finished (Ctrl+D), outside blind collections."
            )
        )
        self._fill(chosen["group"] if chosen else None)

    def set_refused(self, reason: str) -> None:
        """The groups cannot be shown now (the collection was made blind): none are."""
        self._groups = []
        self._busy = False
        self.summary.setText(reason[:1].upper() + reason[1:] + ".")
        self._fill(None)

    def set_busy(self, busy: bool) -> None:
        """A settlement is on its way: no second one until the groups come back."""
        self._busy = busy
        self._update_buttons()

    def _on_filter(self, _checked: bool) -> None:
        chosen = self.current_group()
        self._fill(chosen["group"] if chosen else None)

    def _fill(self, keep: str | None) -> None:
        model = GroupsModel(self._groups, self)
        model.set_open_only(self.open_only.isChecked())
        old = self.groups_model
        self.groups_model = model
        self.groups_view.setModel(model)
        old.deleteLater()
        self.groups_view.selectionModel().currentRowChanged.connect(self._on_group)
        row = next(
            (r for r in range(model.rowCount()) if (model.group(r) or {}).get("group") == keep),
            0,
        )
        if model.rowCount():
            self.groups_view.selectionModel().setCurrentIndex(
                model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self._on_group(QModelIndex(), QModelIndex())

    def current_group(self) -> dict[str, Any] | None:
        return self.groups_model.group(self.groups_view.currentIndex().row())

    def choose_reviewer(self, name: str) -> bool:
        """Choose the reviewer's column of the group shown (as a click on it would)."""
        reviewers = self.detail_model.reviewers()
        if name not in reviewers:
            return False
        self.detail_view.selectColumn(reviewers.index(name))
        return True

    def chosen_finding(self) -> dict[str, Any] | None:
        columns = self.detail_view.selectionModel().selectedColumns()
        return self.detail_model.finding(columns[0].column()) if columns else None

    # -- reactions ---------------------------------------------------------------------------

    def _on_group(self, current: QModelIndex, _previous: QModelIndex) -> None:
        group = self.groups_model.group(current.row()) if current.isValid() else None
        old = self.detail_model
        self.detail_model = GroupDetailModel(group, self)
        self.detail_view.setModel(self.detail_model)
        old.deleteLater()
        self.detail_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.sentence.setText(
            f"<b>{group['article']}</b> · {group['category']}<br>“{group['sentence']}”"
            if group
            else ""
        )
        if group and len(group["findings"]) == 1:
            self.detail_view.selectColumn(0)  # one finding: it is the one to agree on
        self._update_buttons()

    def _update_buttons(self) -> None:
        group = self.current_group()
        open_group = group is not None and not group["settled_by"] and not self._busy
        has_finding = self.chosen_finding() is not None
        self.take_button.setEnabled(open_group and has_finding)
        self.amend_button.setEnabled(open_group and has_finding)
        self.nothing_button.setEnabled(open_group)
        self.show_button.setEnabled(group is not None)

    def _emit_with_finding(self, signal: Any) -> None:
        group, finding = self.current_group(), self.chosen_finding()
        if group is not None and finding is not None:
            signal.emit(group, finding)

    def _on_nothing(self) -> None:
        group = self.current_group()
        if group is not None:
            self.nothing_requested.emit(group)

    def _show_article(self) -> None:
        group = self.current_group()
        if group is not None:
            self.article_requested.emit(int(group["article_id"]))
