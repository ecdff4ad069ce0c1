"""Dual review in the window: the reviewer's "finished" mark on the article shown (Ctrl+D or
the box under the reader), blind review of a collection and its reveal, the disagreements
view where the moderator settles groups, and the agreement figures.

Marks and settlements are undoable commands on the writer thread; the figures are computed
on a reader thread, so a large collection never stalls the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QWidget

from reviewapp.core.models import Category, Finding
from reviewapp.gui.changes import Changed
from reviewapp.gui.commands import Context, MarkReviewed, Settled
from reviewapp.gui.dialogs.agreement import AgreementDialog
from reviewapp.gui.dialogs.disagreements import DisagreementsDialog
from reviewapp.gui.dialogs.finding_form import FindingDialog
from reviewapp.gui.workers.pool import SessionPool
from reviewapp.gui.workers.tasks import TaskRunner
from reviewapp.services import reading
from reviewapp.services.identity import view_as
from reviewapp.services.library import LibrarySession
from reviewapp.services.review import (
    agreement,
    blind_article_ids,
    consensus,
    consensus_none,
    group_json,
    groups,
    marked_by_me,
    review_data,
    reviewed_by,
    set_blind,
    why_not_moderator,
)

View = tuple[str, Any]


class ReviewFlow(QObject):
    article_requested = Signal(int)  # show this article in the reader

    def __init__(
        self,
        session: LibrarySession,
        readers: SessionPool,
        tasks: TaskRunner,
        undo_stack: QUndoStack,
        context: Context,
        current_view: Callable[[], View],
        widgets: tuple[QCheckBox, QLabel, QLabel],  # the reviewed box, who else, blind note
        actions: tuple[QAction, QAction],  # mark reviewed, blind review
        ensure_reviewer: Callable[[], bool],
        say: Callable[[str, int], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._session, self._readers, self._tasks = session, readers, tasks
        self._undo_stack, self._context, self._current_view = undo_stack, context, current_view
        self.reviewed_box, self.reviewed_by_label, self.blind_label = widgets
        self._mark_action, self._blind_action = actions
        self._ensure_reviewer, self._say, self._parent = ensure_reviewer, say, parent
        self.article_id: int | None = None
        self.disagreements: DisagreementsDialog | None = None
        self.agreement: AgreementDialog | None = None
        self._collection: str | None = None  # the disagreements view's collection
        self._generation = 0  # of the disagreements asked for: older answers are dropped
        self._mark_action.setEnabled(False)

    # -- the reviewer's "finished" mark ---------------------------------------------------------

    def show_article(self, article_id: int | None) -> None:
        """The article now in the reader: its mark (quick indexed reads)."""
        self.article_id = article_id
        self._show_mark()

    def _show_mark(self) -> None:
        article_id = self.article_id
        mine = marked_by_me(self._session, article_id) if article_id is not None else False
        for widget in (self.reviewed_box, self._mark_action):
            widget.blockSignals(True)
            widget.setEnabled(article_id is not None and not self._session.read_only)
            widget.setChecked(mine)
            widget.blockSignals(False)
        who = reviewed_by(self._session, [article_id]).get(article_id, []) if article_id else []
        self.reviewed_by_label.setText(
            self.tr("finished by {who}").format(who=" ".join(who)) if who else ""
        )

    def set_reviewed(self, done: bool) -> None:
        """Mark the article shown finished by the reviewer at work (False: take it back)."""
        if self.article_id is None:
            self._say(self.tr("Open an article first."), 4000)
            return
        if not self._ensure_reviewer():
            self._show_mark()
            return
        self._undo_stack.push(MarkReviewed(self._context, [self.article_id], done))

    # -- blind review ----------------------------------------------------------------------------

    def update_view_note(self) -> None:
        """The blind action and the status bar's note follow the collection shown."""
        kind, key = self._current_view()
        row = reading.collection(self._session, int(key)) if kind == "collection" else None
        self._blind_action.blockSignals(True)
        self._blind_action.setEnabled(row is not None and not self._session.read_only)
        self._blind_action.setChecked(bool(row and row.blind))
        self._blind_action.blockSignals(False)
        if row is not None and row.blind:
            note = self.tr("Blind review: you see only your own findings here")
        elif row is None and any(c.blind for c in reading.collections(self._session)):
            note = self.tr("Blind review on in some collections: there, only your own findings")
        else:
            note = ""
        self.blind_label.setText(note)
        self.blind_label.setVisible(bool(note))

    def blind_current(self, blind: bool) -> None:
        kind, key = self._current_view()
        row = reading.collection(self._session, int(key)) if kind == "collection" else None
        if row is None:
            self._say(self.tr("Choose a collection in the sidebar first."), 4000)
            self.update_view_note()
            return
        self.set_blind(row.id, row.name, blind)

    def set_blind(self, collection_id: int, name: str, blind: bool) -> None:
        """Make the collection blind, or reveal it (asked first: a reveal is signed and
        travels to the club)."""
        if not blind:
            answer = QMessageBox.question(
                self._parent,
                self.tr("Reveal the collection"),
                self.tr(
                    "Reveal “{name}” to the club? Everyone will see everyone's findings on its "
                    "articles. The reveal is recorded (you, now), signed and shared."
                ).format(name=name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.update_view_note()
                return
        if not self._ensure_reviewer():
            self.update_view_note()
            return

        def task(session: LibrarySession) -> Changed:
            set_blind(session, name, blind)
            return Changed("library", tuple(reading.collection_ids(session, collection_id)))

        def done(change: Changed) -> None:
            self._context.changed(change)
            self._say(
                self.tr("“{name}” is blind: each reviewer sees only their own findings.")
                if blind
                else self.tr("“{name}” is revealed: everyone's findings are shown."),
                6000,
            )

        self._tasks.writer.run(lambda session, _p, _c: task(session), done, self._refused_blind)

    def _refused_blind(self, exc: Exception) -> None:
        self.update_view_note()
        self._tasks.show_failure(exc)

    def on_reviewer_changed(self) -> None:
        """Another reviewer at work: blind articles now show their findings (a read-only
        library's connections each hold the view they opened with: it follows on reopening)."""
        if self._session.read_only:
            self._say(
                self.tr(
                    "This library is read-only: the new reviewer's view of blind collections "
                    "is shown the next time it is opened."
                ),
                10000,
            )
            return

        def task(session: LibrarySession) -> Changed:
            view_as(session)
            session.index_after_write()
            return Changed("library", tuple(blind_article_ids(session)))

        self._tasks.write(task, self._context.changed)

    # -- disagreements and agreement -------------------------------------------------------------

    def _scope(self) -> tuple[str | None, str]:
        kind, key = self._current_view()
        row = reading.collection(self._session, int(key)) if kind == "collection" else None
        return (row.name, f"“{row.name}”") if row else (None, self.tr("the whole library"))

    def show_disagreements(self) -> None:
        name, label = self._scope()
        if self.disagreements is None or not self.disagreements.isVisible():
            dialog = DisagreementsDialog(label, self._parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.take_requested.connect(self.take)
            dialog.amend_requested.connect(self.amend)
            dialog.nothing_requested.connect(self.nothing_there)
            dialog.article_requested.connect(self.article_requested)
            dialog.finished.connect(self._forget_disagreements)
            self.disagreements, self._collection = dialog, name
        self._reload_groups(open_when_done=True)

    def _forget_disagreements(self) -> None:
        self.disagreements = None

    def _reload_groups(self, open_when_done: bool = False) -> None:
        collection = self._collection
        self._generation += 1
        generation = self._generation

        def task(session: LibrarySession, _p: object, _c: object) -> list[dict[str, Any]]:
            data = review_data(session, collection)
            return [group_json(group, data) for group in groups(data)]

        def done(found: list[dict[str, Any]]) -> None:
            dialog = self.disagreements
            if dialog is None or generation != self._generation:
                return  # closed, or a newer answer is on its way
            dialog.set_groups(found)
            if open_when_done:
                dialog.open()

        def failed(exc: Exception) -> None:
            dialog = self.disagreements
            if dialog is not None and generation != self._generation:
                return
            if dialog is not None and dialog.isVisible():
                dialog.set_refused(str(exc))  # e.g. made blind meanwhile: show nothing
                return
            if dialog is not None:
                dialog.deleteLater()
                self.disagreements = None
            QMessageBox.information(self._parent, self.tr("reviewapp"), str(exc))

        self._readers.run(task, done, failed)

    def on_changed(self, change: Changed) -> None:
        if change.kind in ("marks", "finding", "library") and self.article_id in change.article_ids:
            self._show_mark()
        if self.disagreements is not None and change.kind in ("marks", "finding", "library"):
            self._reload_groups()
        if change.kind in ("library", "collection"):
            self.update_view_note()

    def _may_settle(self, group: dict[str, Any]) -> bool:
        """Whether the reviewer at work moderates the group's article (said if not)."""
        if not self._ensure_reviewer():
            return False
        reason = why_not_moderator(self._session, int(group["article_id"]))
        if reason is not None:
            parent = self.disagreements or self._parent
            QMessageBox.information(parent, self.tr("Settling disagreements"), reason + ".")
        return reason is None

    def _settle(self, work: Callable[[LibrarySession], Finding]) -> None:
        """Make the settlement on the writer thread, then push it as an undo step: one the
        library refuses (settled meanwhile, made blind) is said and never pushed."""
        if self.disagreements is not None:
            self.disagreements.set_busy(True)  # one click, one settlement

        def done(made: Finding) -> None:
            self._undo_stack.push(Settled(self._context, made))
            self._context.changed(Changed("finding", (made.article_id,), made))

        def failed(exc: Exception) -> None:
            if self.disagreements is not None:
                self.disagreements.set_busy(False)
            self._tasks.show_failure(exc)

        self._tasks.writer.run(lambda session, _p, _c: work(session), done, failed)

    def take(self, group: dict[str, Any], finding: dict[str, Any]) -> None:
        if self._may_settle(group):
            uid = str(finding["uid"])
            self._settle(lambda session: consensus(session, uid))

    def amend(self, group: dict[str, Any], finding: dict[str, Any]) -> FindingDialog | None:
        if not self._may_settle(group):
            return None
        dialog = FindingDialog(
            Category(group["category"]),
            finding["quote"],
            finding["fields"],
            note=str(finding.get("note") or ""),
            editing=True,
            with_status=False,
            parent=self.disagreements or self._parent,
        )
        dialog.setWindowTitle(
            self.tr("The club's {category} finding").format(category=group["category"])
        )
        uid = str(finding["uid"])

        def save() -> None:
            values, note = dialog.values(), dialog.note()
            cleared = [k for k in finding["fields"] if k not in values]
            self._settle(lambda session: consensus(session, uid, values, cleared, note))

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def nothing_there(self, group: dict[str, Any]) -> None:
        if self._may_settle(group):
            group_id, article_id = str(group["group"]), int(group["article_id"])
            self._settle(
                lambda session: consensus_none(session, [group_id], article_id=article_id)[0]
            )

    def show_agreement(self) -> None:
        name, label = self._scope()

        def task(session: LibrarySession, _p: object, _c: object) -> dict[str, Any]:
            return agreement(session, name).to_json()

        def done(data: dict[str, Any]) -> None:
            if self.agreement is not None:
                self.agreement.close()  # the figures of now replace those of before
            self.agreement = AgreementDialog(label, data, self._parent)
            self.agreement.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.agreement.finished.connect(self._forget_agreement)
            self.agreement.open()

        def failed(exc: Exception) -> None:
            QMessageBox.information(self._parent, self.tr("reviewapp"), str(exc))

        self._readers.run(task, done, failed)

    def _forget_agreement(self) -> None:
        self.agreement = None
