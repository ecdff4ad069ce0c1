"""Building a brief from the library: gather articles and findings, hand them to the PDF."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from reviewapp.core.models import Status
from reviewapp.exporters.brief_pdf import AUDIENCES, PAPERS, BriefArticle, BriefData, write_brief
from reviewapp.exporters.fonts import FontMissing
from reviewapp.services.library import LibrarySession, Progress, ServiceError
from reviewapp.services.selection import select_articles

SCOPES = {"all": "all findings", "accepted": "accepted findings only"}


@dataclass(frozen=True)
class BriefReport:
    path: Path
    pages: int
    articles: int
    findings: int


def build_brief(
    session: LibrarySession,
    out: Path,
    article_refs: list[str] | None = None,
    title: str = "Evidence brief",
    question: str = "",
    progress: Progress | None = None,
    *,
    audience: str = "tumor-board",
    paper: str = "a4",
    bottom_line: str = "",
    collection: str | None = None,
    scope: str = "all",
) -> BriefReport:
    """Write a PDF brief of the named articles (a collection's, or all when none are named)."""
    if out.suffix.lower() != ".pdf":
        raise ServiceError(f"the brief is a PDF: give an output file ending in .pdf, not {out}")
    for value, choices, what in (
        (audience, AUDIENCES, "audience"),
        (paper, PAPERS, "paper"),
        (scope, SCOPES, "findings"),
    ):
        if value not in choices:
            raise ServiceError(f"unknown {what} {value!r}: choose {', '.join(choices)}")
    selection = select_articles(session, article_refs, collection, "put in a brief")
    ids, collection_question = selection.ids, selection.question
    lib = session.library
    items: list[BriefArticle] = []
    for article_id in ids:
        article = lib.articles.get(article_id)
        assert article is not None
        findings = lib.findings.list(article_id=article_id)
        if scope == "accepted":
            findings = [f for f in findings if f.status is Status.ACCEPTED]
        items.append(BriefArticle(article, findings))
    reviewers = sorted({f.reviewer for item in items for f in item.findings})
    initials = {r.name: r.initials for r in lib.reviewers.list()}
    data = BriefData(
        title=title.strip() or "Evidence brief",
        question=(question or collection_question).strip(),
        reviewers=reviewers,
        initials=initials,
        articles=items,
        audience=audience,
        paper=paper,
        bottom_line=bottom_line.strip(),
        scope=SCOPES[scope],
    )
    # A name of its own, so that two briefs written to the same place never share it.
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        pages = write_brief(data, tmp, progress)
        tmp.replace(out)
    except FontMissing as exc:
        raise ServiceError(str(exc)) from exc
    except OSError as exc:
        raise ServiceError(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):  # never mask the error that got us here
            tmp.unlink(missing_ok=True)
    return BriefReport(out, pages, len(items), sum(len(i.findings) for i in items))
