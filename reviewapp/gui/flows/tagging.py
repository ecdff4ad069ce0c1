"""Tagging: the reader's selection becomes a finding through the category's form; findings
are edited, accepted, rejected and deleted from the findings panel. Every change is an
undoable command on the writer thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack

from reviewapp.core.models import Category, Finding, Status
from reviewapp.gui.commands import Context, CreateFinding, DeleteFinding, EditFinding
from reviewapp.gui.dialogs.finding_form import FindingDialog
from reviewapp.gui.views.findings_panel import FindingsPanel
from reviewapp.gui.views.reader import ReaderView
from reviewapp.services.preferences import current_reviewer
from reviewapp.services.suggestions import Vocabulary, suggest


class TaggingFlow(QObject):
    def __init__(
        self,
        reader: ReaderView,
        findings_panel: FindingsPanel,
        undo_stack: QUndoStack,
        context: Context,
        ensure_reviewer: Callable[[], bool],
        why_unchangeable: Callable[[Finding], str | None],
        say: Callable[[str, int], None],
        vocabulary: Vocabulary,
    ) -> None:
        super().__init__(reader)
        self._vocabulary = vocabulary  # read once, when the window opens
        self._reader, self._panel = reader, findings_panel
        self._undo_stack, self._context = undo_stack, context
        self._ensure_reviewer, self._why_unchangeable, self._say = (
            ensure_reviewer,
            why_unchangeable,
            say,
        )
        findings_panel.edit_requested.connect(self.edit_finding)
        findings_panel.delete_requested.connect(self.delete_finding)
        findings_panel.status_requested.connect(self.set_finding_status)

    def tag_selection(self, category: Category) -> FindingDialog | None:
        """Open the form for a finding on the reader's selection; saving it is undoable."""
        span = self._reader.selected_span()
        article = self._reader.article
        if span is None or article is None or article.id is None:
            self._say(self.tr("Select the sentence in the article first, then tag it."), 4000)
            return None
        if not self._ensure_reviewer():
            return None
        quote = article.text[span[0] : span[1]]
        suggested = suggest(category, quote, self._vocabulary)
        dialog = FindingDialog(
            category, quote, suggested, parent=self._reader, suggested=suggested.keys()
        )
        article_id = article.id

        def save() -> None:
            self._undo_stack.push(
                CreateFinding(
                    self._context,
                    article_id,
                    category,
                    span,
                    dialog.values(),
                    dialog.note(),
                    dialog.status(),
                    current_reviewer(),
                )
            )

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def _refused(self, finding: Finding) -> bool:
        """Whether the finding is someone else's (said in the status bar): only its author
        changes it, and an undo step that cannot run must never be pushed."""
        reason = self._why_unchangeable(finding)
        if reason is not None:
            self._say(reason[:1].upper() + reason[1:] + ".", 6000)
        return reason is not None

    def edit_finding(self, finding: Finding) -> FindingDialog | None:
        if self._refused(finding):
            return None
        dialog = FindingDialog(
            finding.category,
            finding.quote,
            finding.fields,
            finding.note,
            finding.status,
            editing=True,
            parent=self._panel,
        )

        def save() -> None:
            self._undo_stack.push(
                EditFinding(self._context, finding, dialog.values(), dialog.note(), dialog.status())
            )

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def delete_finding(self, finding: Finding) -> None:
        if not self._refused(finding):
            self._undo_stack.push(DeleteFinding(self._context, finding))

    def set_finding_status(self, finding: Finding, status: Status) -> None:
        if finding.status is not status and not self._refused(finding):
            self._undo_stack.push(
                EditFinding(
                    self._context, finding, status=status, text=f"Mark finding {status.value}"
                )
            )

    # -- the findings panel's current finding (its keyboard actions) ---------------------------

    def edit_current(self) -> None:
        finding = self._panel.current_finding()
        if finding is not None:
            self.edit_finding(finding)

    def delete_current(self) -> None:
        finding = self._panel.current_finding()
        if finding is not None:
            self.delete_finding(finding)

    def set_current_status(self, status: Status) -> None:
        finding = self._panel.current_finding()
        if finding is not None:
            self.set_finding_status(finding, status)
