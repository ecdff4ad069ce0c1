"""Building a brief from the library: gather articles and findings, hand them to the PDF."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from reviewapp.exporters.brief_pdf import BriefArticle, BriefData, write_brief
from reviewapp.exporters.fonts import FontMissing
from reviewapp.services.library import LibrarySession, Progress, ServiceError


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
) -> BriefReport:
    """Write a PDF brief of the named articles (all articles when none are named)."""
    lib = session.library
    if article_refs:
        ids: list[int] = []
        for ref in article_refs:
            article_id = lib.articles.resolve(ref)
            if article_id is None:
                raise ServiceError(f"no article {ref} in this library")
            if article_id not in ids:
                ids.append(article_id)
    else:
        ids = lib.articles.ids()
    if not ids:
        raise ServiceError("the library has no articles to put in a brief")
    if out.suffix.lower() != ".pdf":
        raise ServiceError(f"the brief is a PDF: give an output file ending in .pdf, not {out}")
    items: list[BriefArticle] = []
    reviewers: list[str] = []
    for article_id in ids:
        article = lib.articles.get(article_id)
        assert article is not None
        findings = lib.findings.list(article_id=article_id)
        items.append(BriefArticle(article, findings))
        reviewers.extend(f.reviewer for f in findings if f.reviewer not in reviewers)
    data = BriefData(
        title=title.strip() or "Evidence brief",
        question=question.strip(),
        reviewers=reviewers,
        articles=items,
    )
    tmp = out.with_name(out.name + ".part")
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
