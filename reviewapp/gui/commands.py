"""Undoable changes (QUndoStack commands) for findings, tags, collection membership,
reviewed marks and the club's consensus.

Every command runs its work on the window's single writer thread, in order. A command
records what its first run produced (a finding id, the articles it really changed) inside
that thread, so an undo queued right behind its redo always sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from reviewapp.core.models import Category, Finding, Status
from reviewapp.core.text import counted
from reviewapp.gui.changes import Changed
from reviewapp.gui.workers.tasks import WriteTask
from reviewapp.services.findings import Span, create_finding, delete_finding, update_finding
from reviewapp.services.library import LibrarySession
from reviewapp.services.organise import (
    add_to_collection,
    remove_from_collection,
    tag_articles,
    untag_articles,
)
from reviewapp.services.review import mark_reviewed


class Context:
    """What commands need: a way to write (on the writer thread), and to say what changed."""

    def __init__(
        self,
        write: Callable[[WriteTask, Callable[[Any], None]], None],
        changed: Callable[[Changed], None],
    ) -> None:
        self.write = write
        self.changed = changed


class _WriteCommand(QUndoCommand):
    def __init__(self, context: Context, text: str) -> None:
        super().__init__(text)
        self.context = context

    def _run(self, task: Callable[[LibrarySession], Changed]) -> None:
        self.context.write(task, self.context.changed)


class CreateFinding(_WriteCommand):
    def __init__(
        self,
        context: Context,
        article_id: int,
        category: Category,
        span: tuple[int, int],
        fields: Mapping[str, str],
        note: str,
        status: Status,
        reviewer: str | None = None,
    ) -> None:
        super().__init__(context, f"Tag {category.value} finding")
        self.article_id, self.category, self.span = article_id, category, span
        self.fields, self.note, self.status, self.reviewer = dict(fields), note, status, reviewer
        self.finding_id: int | None = None

    def redo(self) -> None:
        def task(session: LibrarySession) -> Changed:
            if self.finding_id is None:
                finding = create_finding(
                    session,
                    self.article_id,
                    self.category,
                    fields=self.fields,
                    note=self.note,
                    reviewer=self.reviewer,
                    status=self.status,
                    span=Span(*self.span),
                )
                self.finding_id = finding.id
            else:
                finding = delete_finding(session, self.finding_id, deleted=False)
            return Changed("finding", (self.article_id,), finding)

        self._run(task)

    def undo(self) -> None:
        def task(session: LibrarySession) -> Changed:
            assert self.finding_id is not None
            return Changed("finding", (self.article_id,), delete_finding(session, self.finding_id))

        self._run(task)


class EditFinding(_WriteCommand):
    """Change a finding's fields, note and/or status (``None`` leaves a part as it is)."""

    def __init__(
        self,
        context: Context,
        before: Finding,
        fields: Mapping[str, Any] | None = None,
        note: str | None = None,
        status: Status | None = None,
        text: str = "Edit finding",
    ) -> None:
        super().__init__(context, text)
        self.before = before
        self.after = (dict(fields) if fields is not None else None, note, status)

    def _apply(
        self, fields: Mapping[str, Any] | None, note: str | None, status: Status | None
    ) -> None:
        finding_id, article_id = self.before.id or 0, self.before.article_id

        def task(session: LibrarySession) -> Changed:
            updated = update_finding(session, finding_id, fields=fields, note=note, status=status)
            return Changed("finding", (article_id,), updated)

        self._run(task)

    def redo(self) -> None:
        self._apply(*self.after)

    def undo(self) -> None:
        fields, note, status = self.after
        self._apply(
            self.before.fields if fields is not None else None,
            self.before.note if note is not None else None,
            self.before.status if status is not None else None,
        )


class DeleteFinding(_WriteCommand):
    def __init__(self, context: Context, finding: Finding) -> None:
        super().__init__(context, "Delete finding")
        self.finding = finding

    def _set(self, deleted: bool) -> None:
        finding_id, article_id = self.finding.id or 0, self.finding.article_id

        def task(session: LibrarySession) -> Changed:
            return Changed("finding", (article_id,), delete_finding(session, finding_id, deleted))

        self._run(task)

    def redo(self) -> None:
        self._set(True)

    def undo(self) -> None:
        self._set(False)


class TagArticles(_WriteCommand):
    """Add (or remove) a tag; undo reverses only the articles it really changed."""

    def __init__(self, context: Context, article_ids: Sequence[int], name: str, add: bool) -> None:
        verb = "Tag" if add else "Untag"
        super().__init__(context, f"{verb} {counted(len(article_ids), 'article')} “{name}”")
        self.article_ids, self.name, self.add = list(article_ids), name, add
        self.changed_ids: list[int] | None = None

    def _do(self, add: bool) -> None:
        def task(session: LibrarySession) -> Changed:
            ids = self.article_ids if self.changed_ids is None else self.changed_ids
            change = tag_articles if add else untag_articles
            result = change(session, ids, self.name)
            if self.changed_ids is None:
                self.changed_ids = result
            return Changed("tags", tuple(ids))

        self._run(task)

    def redo(self) -> None:
        self._do(self.add)

    def undo(self) -> None:
        self._do(not self.add)


class CollectionMembership(_WriteCommand):
    def __init__(
        self,
        context: Context,
        collection_id: int,
        article_ids: Sequence[int],
        add: bool,
        name: str = "",
    ) -> None:
        verb = "Add" if add else "Remove"
        super().__init__(
            context,
            f"{verb} {counted(len(article_ids), 'article')} {'to' if add else 'from'} “{name}”",
        )
        self.collection_id, self.article_ids, self.add = collection_id, list(article_ids), add
        self.changed_ids: list[int] | None = None

    def _do(self, add: bool) -> None:
        def task(session: LibrarySession) -> Changed:
            ids = self.article_ids if self.changed_ids is None else self.changed_ids
            change = add_to_collection if add else remove_from_collection
            result = change(session, self.collection_id, ids)
            if self.changed_ids is None:
                self.changed_ids = result
            return Changed("collection", tuple(ids))

        self._run(task)

    def redo(self) -> None:
        self._do(self.add)

    def undo(self) -> None:
        self._do(not self.add)


class MarkReviewed(_WriteCommand):
    """Mark articles reviewed by the reviewer at work (or take the mark back); undo reverses
    only the marks it really changed."""

    def __init__(self, context: Context, article_ids: Sequence[int], done: bool) -> None:
        what = "reviewed" if done else "not reviewed"
        super().__init__(context, f"Mark {counted(len(article_ids), 'article')} {what}")
        self.article_ids, self.done = list(article_ids), done
        self.changed_ids: list[int] | None = None

    def _do(self, done: bool) -> None:
        def task(session: LibrarySession) -> Changed:
            ids = self.article_ids if self.changed_ids is None else self.changed_ids
            result = mark_reviewed(session, ids, done)
            if self.changed_ids is None:
                self.changed_ids = result
            return Changed("marks", tuple(ids))

        self._run(task)

    def redo(self) -> None:
        self._do(self.done)

    def undo(self) -> None:
        self._do(not self.done)


class Settled(DeleteFinding):
    """A settlement the moderator made (on the writer thread before it was pushed, so one
    that failed is never an undo step): undo deletes the consensus finding (a tombstone,
    like any finding's), redo restores it."""

    def __init__(self, context: Context, finding: Finding) -> None:
        super().__init__(context, finding)
        self.setText("Record the club's consensus")
        self._just_made = True

    def redo(self) -> None:
        if self._just_made:  # pushed once made: nothing to do again
            self._just_made = False
            return
        self._set(False)

    def undo(self) -> None:
        self._set(True)
