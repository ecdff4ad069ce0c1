"""Tagging findings: create (anchored to a quote), edit, delete as a tombstone, list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewapp.core.anchoring import anchor_at, locate_quote
from reviewapp.core.categories import parse_category
from reviewapp.core.models import Category, Finding, Status
from reviewapp.core.validation import Problem, validate_fields
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.preferences import current_reviewer, load_preferences


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
) -> Finding:
    """Create a finding on an article, anchored to ``quote`` (or to ``span`` of its text)."""
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
    name = current_reviewer(reviewer)
    if name is None:
        raise ServiceError(
            "no reviewer: pass --reviewer NAME, set REVIEWAPP_REVIEWER, "
            "or set your name in the preferences"
        )
    prefs = load_preferences()
    initials = prefs.reviewer_initials if name == prefs.reviewer_name else None
    with lib.transaction():
        who = lib.reviewers.ensure(name, initials or None)
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
    session.index_after_write()
    stored = lib.findings.get(finding.id or 0)
    assert stored is not None
    return stored


def _category(name: str) -> Category:
    try:
        return parse_category(name)
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc


def _finding(session: LibrarySession, ref: str | int) -> Finding:
    finding_id = session.library.findings.resolve(ref)
    finding = session.library.findings.get(finding_id) if finding_id else None
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
) -> Finding:
    """Change a finding's fields (replacing them), note or status."""
    finding = _finding(session, ref)
    if finding.deleted_at:
        raise ServiceError(f"finding {ref} was deleted")
    values = _checked_fields(finding.category, fields) if fields is not None else None
    lib = session.library
    with lib.transaction():
        lib.findings.update(finding.id or 0, fields=values, note=note, status=status)
    session.index_after_write()
    return _finding(session, finding.id or 0)


def delete_finding(session: LibrarySession, ref: str | int, deleted: bool = True) -> Finding:
    """Delete a finding, keeping a tombstone (``deleted=False`` restores it, for undo)."""
    finding = _finding(session, ref)
    with session.library.transaction():
        session.library.findings.set_deleted(finding.id or 0, deleted)
    session.index_after_write()
    return _finding(session, finding.id or 0)


def list_findings(
    session: LibrarySession, article_ref: str | int | None = None, category: str | None = None
) -> list[Finding]:
    article_id = _article_id(session, article_ref) if article_ref is not None else None
    cat = _category(category) if category else None
    return session.library.findings.list(article_id=article_id, category=cat)
