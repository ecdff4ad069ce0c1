"""Building a brief from the library: gather articles and findings, hand them to the PDF."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from textwrap import shorten

from reviewapp.core.models import Status, Verdict
from reviewapp.core.text import counted
from reviewapp.exporters.brief_appendix import AgreementSummary, CategoryFigures, PairFigures
from reviewapp.exporters.brief_pdf import AUDIENCES, PAPERS, BriefArticle, BriefData, write_brief
from reviewapp.exporters.fonts import FontMissing
from reviewapp.services.library import LibrarySession, Progress, ServiceError
from reviewapp.services.paths import fonts_dir
from reviewapp.services.review import Agreement, agreement, groups, moderators_of
from reviewapp.services.selection import select_articles

SCOPES = {
    "all": "all findings",
    "accepted": "accepted findings only",
    "consensus": "the club's consensus findings only",
}


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
    row = lib.collections.by_name(selection.collection) if selection.collection else None
    # A consensus counts from the article's moderator only (the collection's, when it is one).
    moderators = moderators_of(session, ids, row) if scope == "consensus" else {}
    items: list[BriefArticle] = []
    for article_id in ids:
        article = lib.articles.get(article_id)
        assert article is not None
        findings = lib.findings.list(article_id=article_id)
        if scope == "accepted":
            findings = [f for f in findings if f.status is Status.ACCEPTED]
        nothing: list[str] = []
        if scope == "consensus":
            allowed = moderators.get(article_id)
            settled = [
                f
                for f in findings
                if f.status is Status.CONSENSUS and (allowed is None or f.author_uid in allowed)
            ]
            findings = [f for f in settled if f.verdict is not Verdict.NONE]
            nothing = [
                f"{f.category.value}, “{shorten(f.quote, 160)}”"
                for f in settled
                if f.verdict is Verdict.NONE
            ]
        items.append(BriefArticle(article, findings, nothing))
    review = _club_review(session, selection.collection)
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
        settled=_settled(review, ids) if scope == "consensus" and review else {},
        agreement=_appendix(review) if review else None,
    )
    # A name of its own, so that two briefs written to the same place never share it.
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        pages = write_brief(data, tmp, progress, font_dirs=[fonts_dir()])
        tmp.replace(out)
    except FontMissing as exc:
        raise ServiceError(str(exc)) from exc
    except OSError as exc:
        raise ServiceError(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):  # never mask the error that got us here
            tmp.unlink(missing_ok=True)
    return BriefReport(out, pages, len(items), sum(len(i.findings) for i in items))


def _club_review(session: LibrarySession, collection: str | None) -> Agreement | None:
    """The agreement of a collection that two or more reviewers reviewed (None otherwise,
    or while it is blind: then each reviewer's brief holds only their own findings)."""
    if collection is None:
        return None
    try:
        result = agreement(session, collection)
    except ServiceError:  # blind
        return None
    return result if len(result.data.raters) >= 2 and result.data.articles else None


def _settled(review: Agreement, ids: list[int]) -> dict[int, str]:
    """Per article (by its place in the brief), whether the club settled its review."""
    open_by_article: dict[int, int] = {}
    for group in groups(review.data):
        if not group.settled_by:
            open_by_article[group.article_id] = open_by_article.get(group.article_id, 0) + 1
    reviewed = {a.article_id: a for a in review.data.articles}
    disagreeing = {g.article_id for g in groups(review.data)}
    states = {}
    for index, article_id in enumerate(ids):
        if article_id not in reviewed:
            states[index] = "not in dual review (fewer than two reviewers marked it reviewed)"
        elif open_by_article.get(article_id):
            left = counted(open_by_article[article_id], "disagreement")
            states[index] = f"not settled: {left} left open"
        elif article_id in disagreeing:
            states[index] = "settled: every disagreement has the club's consensus"
        else:
            states[index] = (
                f"{len(reviewed[article_id].reviewed_by)} reviewers agreed; no disagreements"
            )
    return states


def _appendix(review: Agreement) -> AgreementSummary:
    names = review.data.names
    return AgreementSummary(
        reviewers=[names.get(uid, uid) for uid in review.data.raters],
        articles=len(review.data.articles),
        categories=[
            CategoryFigures(
                category,
                result.units,
                [
                    PairFigures(
                        names.get(pair.a, pair.a),
                        names.get(pair.b, pair.b),
                        pair.units,
                        pair.kappa.kappa if pair.kappa else None,
                        pair.kappa.low if pair.kappa else None,
                        pair.kappa.high if pair.kappa else None,
                        pair.positive_agreement,
                    )
                    for pair in result.pairs
                ],
                result.fleiss_kappa,
                result.krippendorff_alpha,
            )
            for category, result in review.categories.items()
        ],
        settled=review.settled,
        open=review.open,
    )
