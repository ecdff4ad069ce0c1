"""Tagging findings: create (anchored to a quote), edit, delete as a tombstone, list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reviewapp.core.anchoring import anchor_at, locate_quote
from reviewapp.core.categories import parse_category
from reviewapp.core.models import Category, Finding, Status
from reviewapp.core.validation import Problem, validate_fields
from reviewapp.services.identity import Identity, current_identity, reviewer_of
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.signing import finding_author, sign_finding


class FindingRejected(ServiceError):
    """The finding's fields do not pass validation; ``problems`` name the fields."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class Span:
    """A selection in the article text, as the reader reports it."""

    start: int
    end: int


def _article_id(session: LibrarySession, ref: str | int) -> int:
    article_id = session.library.articles.resolve(ref)
    if article_id is None:
        raise ServiceError(f"no article {ref} in this library")
    return article_id


def _checked_fields(category: Category, fields: Mapping[str, Any]) -> dict[str, Any]:
    checked = validate_fields(category, fields)
    if not checked.ok:
        raise FindingRejected(checked.problems)
    return checked.values


def create_finding(
    session: LibrarySession,
    article_ref: str | int,
    category: str | Category,
    quote: str | None = None,
    fields: Mapping[str, Any] | None = None,
    note: str = "",
    reviewer: str | None = None,
    span: Span | None = None,
    status: Status = Status.DRAFT,
    identity: Identity | None = None,
) -> Finding:
    """Create a finding on an article, anchored to ``quote`` (or to ``span`` of its text),
    signed by the reviewer's key (``identity``, else the named or current reviewer's)."""
    lib = session.library
    article_id = _article_id(session, article_ref)
    cat = category if isinstance(category, Category) else _category(category)
    text = lib.articles.text(article_id) or ""
    if span is not None:
        try:
            anchor = anchor_at(text, span.start, span.end)
        except ValueError as exc:
            raise ServiceError(str(exc)) from exc
    elif quote and quote.strip():
        located = locate_quote(text, quote)
        if located is None:
            raise ServiceError(f"the quote does not occur in article {article_id}: {quote[:80]!r}")
        anchor = located
    else:
        raise ServiceError("a finding needs a quote from the article text")
    values = _checked_fields(cat, fields or {})
    author = identity or current_identity(reviewer)
    with lib.transaction():
        who = reviewer_of(session, author)
        finding = Finding(
            article_id=article_id,
            category=cat,
            anchor=anchor,
            fields=values,
            note=note.strip(),
            reviewer=who.name,
            status=status,
        )
        lib.findings.insert(finding, who.id or 0)
        sign_finding(session, finding.id or 0, author)
    session.index_after_write()
    return _finding(session, finding.id or 0)


def _category(name: str) -> Category:
    try:
        return parse_category(name)
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc


def find_finding(session: LibrarySession, ref: str | int) -> Finding:
    """The finding ``ref`` names (its id or uid), deleted or not."""
    return _finding(session, ref)


def _finding(session: LibrarySession, ref: str | int) -> Finding:
    finding_id = session.library.findings.resolve(ref)
    finding = session.library.findings.get(finding_id, every=True) if finding_id else None
    if finding is None:
        raise ServiceError(f"no finding {ref} in this library")
    return finding


def update_finding(
    session: LibrarySession,
    ref: str | int,
    *,
    fields: Mapping[str, Any] | None = None,
    note: str | None = None,
    status: Status | None = None,
    reviewer: str | None = None,
) -> Finding:
    """Change a finding's fields (replacing them), note or status: its next revision, signed
    by its author (nobody else may change it)."""
    finding = _finding(session, ref)
    if finding.deleted_at:
        raise ServiceError(f"finding {ref} was deleted")
    values = _checked_fields(finding.category, fields) if fields is not None else None
    author = finding_author(session, finding, reviewer)
    lib = session.library
    with lib.transaction():
        lib.findings.update(finding.id or 0, fields=values, note=note, status=status)
        if author is not None:
            sign_finding(session, finding.id or 0, author)
    session.index_after_write()
    return _finding(session, finding.id or 0)


def edited_fields(
    finding: Finding, changes: Mapping[str, Any], cleared: Iterable[str] = ()
) -> dict[str, Any]:
    """``finding``'s fields with ``changes`` made and ``cleared`` removed (the others kept)."""
    fields = {k: v for k, v in finding.fields.items() if k not in set(cleared)}
    fields.update(changes)
    return fields


def delete_finding(
    session: LibrarySession, ref: str | int, deleted: bool = True, reviewer: str | None = None
) -> Finding:
    """Delete a finding, keeping a tombstone (``deleted=False`` restores it, for undo): its
    next revision, signed by its author (nobody else may delete it)."""
    finding = _finding(session, ref)
    author = finding_author(session, finding, reviewer)
    with session.library.transaction():
        session.library.findings.set_deleted(finding.id or 0, deleted)
        if author is not None:
            sign_finding(session, finding.id or 0, author)
    session.index_after_write()
    return _finding(session, finding.id or 0)


def list_findings(
    session: LibrarySession, article_ref: str | int | None = None, category: str | None = None
) -> list[Finding]:
    article_id = _article_id(session, article_ref) if article_ref is not None else None
    cat = _category(category) if category else None
    return session.library.findings.list(article_id=article_id, category=cat)


def why_unchangeable(
    session: LibrarySession, finding: Finding, reviewer: str | None = None
) -> str | None:
    """Why the reviewer at work may not change or delete ``finding`` (None: they may)."""
    try:
        finding_author(session, finding, reviewer)
    except ServiceError as exc:
        return str(exc)
    return None
