"""The club's review: reviewed marks, blind collections and their reveal, disagreements,
agreement figures and the moderator's consensus.

Marks, blindness and consensus findings are signed like everything a reviewer shares, and
travel in packs. Disagreements and agreement are computed from plain data (``core.review``)
over the articles that two or more reviewers marked reviewed; a blind collection's articles
are left out until it is revealed (nobody sees the others' findings there yet).
"""

from __future__ import annotations

import itertools
import json
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from reviewapp.core.anchoring import anchor_at, locate_quote
from reviewapp.core.models import Category, Finding, Status, Verdict, utc_now
from reviewapp.core.review import (
    ArticleReview,
    CategoryAgreement,
    Columns,
    Group,
    ReviewFinding,
    Settlement,
    agreement_by_category,
    article_groups,
    review_groups,
    tally_groups,
)
from reviewapp.core.rows import CollectionRow
from reviewapp.core.sentences import Sentences
from reviewapp.core.validation import validate_fields
from reviewapp.services.findings import FindingRejected
from reviewapp.services.identity import Identity, current_identity, reviewer_of
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.signing import collection_editor, sign_collection, sign_finding, sign_mark

# -- reviewed marks ----------------------------------------------------------------------------


def mark_reviewed(
    session: LibrarySession,
    article_refs: Iterable[str | int],
    done: bool = True,
    reviewer: str | None = None,
) -> list[int]:
    """Mark articles reviewed by the reviewer at work (``done=False`` takes it back);
    returns the ids whose mark changed."""
    lib = session.library
    ids = []
    for ref in article_refs:
        article_id = lib.articles.resolve(ref)
        if article_id is None:
            raise ServiceError(f"no article {ref} in this library")
        ids.append(article_id)
    identity = current_identity(reviewer)
    changed = []
    with lib.transaction():
        who = reviewer_of(session, identity)
        for article_id in ids:
            held = lib.marks.get(article_id, who.id or 0)
            already = held.done if held is not None else False
            if already == done:
                continue
            sign_mark(session, article_id, identity, done)
            changed.append(article_id)
    return changed


def reviewed_by(session: LibrarySession, article_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each article, the initials of the reviewers who marked it reviewed."""
    return session.library.marks.done_by(article_ids)


# -- blind collections -------------------------------------------------------------------------


def _collection(session: LibrarySession, name: str) -> CollectionRow:
    row = session.library.collections.by_name(" ".join(name.split()))
    if row is None:
        names = ", ".join(c.name for c in session.library.collections.all()) or "none yet"
        raise ServiceError(f"no collection called {name!r} in this library (collections: {names})")
    return row


def set_blind(
    session: LibrarySession, name: str, blind: bool, reviewer: str | None = None
) -> CollectionRow:
    """Make a collection blind, or reveal it (who and when are recorded and signed). Only
    its moderator may; a collection nobody moderates yet becomes the reviewer's."""
    lib = session.library
    row = _collection(session, name)
    editor = collection_editor(session, row, reviewer) or current_identity(reviewer)
    if row.blind == blind:
        return row
    with lib.transaction():
        reviewer_of(session, editor)
        if blind:
            lib.collections.set_blind(row.id, True)
        else:
            lib.collections.set_blind(row.id, False, editor.uid, utc_now())
        sign_collection(session, row.id, editor)
    session.index_after_write()
    updated = lib.collections.get(row.id)
    assert updated is not None
    return updated


def blind_article_ids(session: LibrarySession) -> list[int]:
    """The articles of every blind collection (whose findings a change of viewer re-shows)."""
    lib = session.library
    return sorted(
        {i for c in lib.collections.all() if c.blind for i in lib.collections.article_ids(c.id)}
    )


# -- disagreements and agreement ---------------------------------------------------------------


@dataclass
class ReviewData:
    """What review figures are computed from, with reviewers' names by uid."""

    articles: list[ArticleReview]
    sentences: list[Sentences]
    names: dict[str, str]
    raters: list[str]  # reviewers who marked any of the articles reviewed
    titles: dict[int, str]

    def __post_init__(self) -> None:
        # Reviewers in name order: ``sorted(uids, key=data.name_keys.__getitem__)``.
        self.name_keys = _NameOrDefault(self.names)


class _NameOrDefault(dict[str, str]):
    """Names by uid; "" for a uid unknown."""

    def __missing__(self, uid: str) -> str:
        return ""


def moderators_of(
    session: LibrarySession, article_ids: Iterable[int], collection: CollectionRow | None = None
) -> dict[int, frozenset[str]]:
    """Who settles each article's disagreements: the collection's moderator (its creator)
    when one collection is in view, else the creators of every collection holding it; an
    article no moderated collection holds is absent (anyone settles it)."""
    lib = session.library
    if collection is not None:
        if not collection.creator_uid:
            return {}
        return {i: frozenset({collection.creator_uid}) for i in article_ids}
    wanted = set(article_ids)
    found: dict[int, set[str]] = {}
    for row in lib.collections.all():
        if row.creator_uid:
            for article_id in wanted.intersection(lib.collections.article_ids(row.id)):
                found.setdefault(article_id, set()).add(row.creator_uid)
    return {i: frozenset(uids) for i, uids in found.items()}


def review_data(
    session: LibrarySession,
    collection: str | None = None,
    article_ids: Iterable[int] | None = None,
    settled_by: str | None = None,
) -> ReviewData:
    """The articles of a collection (or of ``article_ids``, or the library) with their
    reviewed marks, live findings (neither deleted nor rejected) and the consensus findings
    of their moderators (a consensus by anyone else settles nothing; ``settled_by``: only
    that reviewer's count); a blind collection's articles are left out (refused when asked
    by name)."""
    lib = session.library
    row: CollectionRow | None = None
    if collection is not None:
        row = _collection(session, collection)
        if row.blind:
            raise ServiceError(
                f"the collection “{row.name}” is blind: its moderator reveals it first"
            )
        ids = lib.collections.article_ids(row.id)
    elif article_ids is not None:
        ids = list(article_ids)
    else:
        ids = lib.articles.ids()
    blind = set(blind_article_ids(session))
    ids = [i for i in ids if i not in blind]
    marks: dict[int, set[str]] = {}
    for mark in lib.marks.for_articles(ids, done_only=True):
        marks.setdefault(mark.article_id, set()).add(mark.reviewer_uid)
    reviewed = [i for i in ids if i in marks]
    moderators = (
        {i: frozenset({settled_by}) for i in reviewed}
        if settled_by is not None
        else moderators_of(session, reviewed, row)
    )
    reviewers = lib.reviewers.list()
    uid_of = {r.id: r.uid for r in reviewers}
    settlements: dict[int, list[Settlement]] = {}
    for article_id, uid, reviewer_id, settles, verdict in lib.findings.settling(reviewed):
        author = uid_of.get(reviewer_id)
        if author is None or author not in moderators.get(article_id, frozenset({author})):
            continue  # not the moderator's: it settles nothing here
        settlements.setdefault(article_id, []).append(
            Settlement(uid, frozenset(json.loads(settles)), verdict or Verdict.AGREED.value)
        )
    by_article: dict[int, list[ReviewFinding]] = {}
    parsed = _ParsedFields()  # findings often carry the very same fields
    rows = lib.findings.for_review(reviewed)
    for article_id, own in itertools.groupby(rows, key=_ARTICLE):
        found = [
            ReviewFinding(
                row[1], uid_of[row[2]], row[3], row[4], row[5], bool(row[6]), parsed[row[7]],
                row[8], row[9],
            )
            for row in own
            if row[2] in uid_of  # a reviewer the library knows (as the join read them)
        ]  # fmt: skip
        found.sort(key=_BY_POSITION)
        by_article[article_id] = found
    articles, sentences = [], []
    read = lib.articles.titles_and_texts(reviewed)
    titles = {article_id: title for article_id, (title, _text) in read.items()}
    for article_id in reviewed:
        text = read.get(article_id, ("", ""))[1]
        articles.append(
            ArticleReview(
                article_id,
                text,
                frozenset(marks[article_id]),
                by_article.get(article_id, []),
                settlements.get(article_id, []),
            )
        )
        sentences.append(Sentences(text))
    names = {r.uid: r.name for r in reviewers}
    raters = sorted(
        {uid for uids in marks.values() for uid in uids}, key=lambda u: (names.get(u, u), u)
    )
    return ReviewData(articles, sentences, names, raters, titles)


_ARTICLE = operator.itemgetter(0)  # of a row of findings.for_review
_BY_POSITION = operator.itemgetter(3, 0)  # a ReviewFinding's start, then uid


class _ParsedFields(dict[str, dict[str, Any]]):
    """Fields JSON texts parsed once each, however many findings carry them (the parsed
    fields are shared: review only reads them)."""

    def __missing__(self, text: str) -> dict[str, Any]:
        fields: dict[str, Any] = json.loads(text)
        self[text] = fields
        return fields


def groups(data: ReviewData, disagreements_only: bool = True) -> list[Group]:
    """The groups of the reviewed articles (only disagreements unless told otherwise)."""
    found = review_groups(data.articles, data.sentences)
    return [g for g in found if g.disagreement] if disagreements_only else found


def group_json(group: Group, data: ReviewData) -> dict[str, Any]:
    return {
        "group": group.id,
        "article_id": group.article_id,
        "article": data.titles.get(group.article_id, ""),
        "category": group.category,
        "sentence": group.sentence,
        "findings": [
            {
                "reviewer": data.names.get(uid, uid),
                "uid": f.uid,
                "quote": f.quote,
                "fields": f.fields,
                "note": f.note,
            }
            for uid in sorted(group.findings, key=data.name_keys.__getitem__)
            for f in group.findings[uid]
        ],
        "differing_fields": group.differing,
        "missing_reviewers": sorted(data.names.get(uid, uid) for uid in group.missing),
        "settled_by": group.settled_by,
    }


@dataclass
class Agreement:
    data: ReviewData
    categories: dict[str, CategoryAgreement]
    fields: dict[str, dict[str, float | int]]
    settled: int
    open: int

    def to_json(self) -> dict[str, Any]:
        names = self.data.names
        return {
            "reviewers": [names.get(uid, uid) for uid in self.data.raters],
            "articles": len(self.data.articles),
            "categories": {
                category: {
                    "units": result.units,
                    "pairs": [
                        {
                            "a": names.get(pair.a, pair.a),
                            "b": names.get(pair.b, pair.b),
                            "units": pair.units,
                            "cohen_kappa": _rounded(pair.kappa.kappa if pair.kappa else None),
                            "ci95": (
                                [_rounded(pair.kappa.low), _rounded(pair.kappa.high)]
                                if pair.kappa
                                else None
                            ),
                            "positive_agreement": _rounded(pair.positive_agreement),
                        }
                        for pair in result.pairs
                    ],
                    "fleiss_kappa": _rounded(result.fleiss_kappa),
                    "krippendorff_alpha": _rounded(result.krippendorff_alpha),
                }
                for category, result in self.categories.items()
            },
            "fields": self.fields,
            "disagreements": {"settled": self.settled, "open": self.open},
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def agreement(session: LibrarySession, collection: str | None = None) -> Agreement:
    """Cohen's κ (with its interval) and positive agreement for every pair of raters,
    Fleiss' κ and Krippendorff's α, per category; how often fields agree; disagreements
    settled and open."""
    data = review_data(session, collection)
    names = [category.value for category in Category]
    columns = Columns(data.articles, data.sentences, names, data.raters)
    categories = agreement_by_category(columns, names, data.raters)
    tally = tally_groups(columns)
    return Agreement(data, categories, tally.field_rates(), tally.settled, tally.open)


# -- consensus ---------------------------------------------------------------------------------


def _moderator(session: LibrarySession, article_id: int, reviewer: str | None) -> Identity:
    """The acting reviewer, if they may settle this article: the moderator (creator) of a
    collection holding it; anyone, for an article in no moderated collection."""
    identity = current_identity(reviewer)
    lib = session.library
    creators = {
        c.creator_uid
        for c in lib.collections.all()
        if c.creator_uid and article_id in lib.collections.article_ids(c.id)
    }
    if creators and identity.uid not in creators:
        known = (lib.reviewers.get_by_uid(uid) for uid in creators)
        names = ", ".join(sorted(r.name for r in known if r is not None))
        raise ServiceError(f"only the collection's moderator ({names}) settles its disagreements")
    return identity


def why_not_moderator(
    session: LibrarySession, article_id: int, reviewer: str | None = None
) -> str | None:
    """Why the reviewer at work may not settle the article's disagreements (None: they may)."""
    try:
        _moderator(session, article_id, reviewer)
    except ServiceError as exc:
        return str(exc)
    return None


def _group_of(session: LibrarySession, finding: Finding, moderator: str) -> list[str]:
    """The uids of the findings in the group ``finding`` belongs to (itself alone when its
    article is not in dual review); refused when the moderator settled it already. Only
    the finding's article is read."""
    data = review_data(session, article_ids=[finding.article_id], settled_by=moderator)
    for review, split in zip(data.articles, data.sentences, strict=True):
        for group in article_groups(review, split):
            uids = [f.uid for fs in group.findings.values() for f in fs]
            if finding.uid in uids:
                _refuse_settled(group)
                return uids
    return [finding.uid]


def _refuse_settled(group: Group) -> None:
    if group.settled_by:
        raise ServiceError(
            f"you settled that group already (consensus finding {group.settled_by}): undo or "
            "delete that consensus first"
        )


def _refuse_blind(session: LibrarySession, article_id: int) -> None:
    if article_id in blind_article_ids(session):
        raise ServiceError("that article is in a blind collection: its moderator reveals it first")


def consensus(
    session: LibrarySession,
    finding_ref: str | int,
    changes: Mapping[str, Any] | None = None,
    cleared: Iterable[str] = (),
    note: str | None = None,
    reviewer: str | None = None,
) -> Finding:
    """The club agrees on a reviewer's finding, as it is or amended: a consensus finding by
    the moderator, settling the finding's group."""
    lib = session.library
    finding_id = lib.findings.resolve(finding_ref)
    chosen = lib.findings.get(finding_id, every=True) if finding_id else None
    if chosen is None or chosen.deleted_at is not None:
        raise ServiceError(f"no finding {finding_ref} in this library")
    if chosen.status is Status.CONSENSUS:
        raise ServiceError("that is a consensus finding already: choose a reviewer's finding")
    _refuse_blind(session, chosen.article_id)  # nobody settles on findings they cannot see
    moderator = _moderator(session, chosen.article_id, reviewer)
    fields = {k: v for k, v in chosen.fields.items() if k not in set(cleared)}
    fields.update(changes or {})
    checked = validate_fields(chosen.category, fields)
    if not checked.ok:
        raise FindingRejected(checked.problems)
    text = lib.articles.text(chosen.article_id) or ""
    anchor = chosen.anchor if chosen.anchored else locate_quote(text, chosen.quote)
    settled = Finding(
        article_id=chosen.article_id,
        category=chosen.category,
        anchor=anchor or chosen.anchor,
        fields=checked.values,
        note=(chosen.note if note is None else note).strip(),
        status=Status.CONSENSUS,
        anchored=anchor is not None,
        settles=_group_of(session, chosen, moderator.uid),
        verdict=Verdict.AGREED,
    )
    return _store_consensus(session, settled, moderator)


def consensus_none(
    session: LibrarySession,
    group_ids: Iterable[str],
    reviewer: str | None = None,
    article_id: int | None = None,
) -> list[Finding]:
    """The club found nothing in these groups: a consensus of "nothing" for each
    (``article_id``: the groups are that article's, so only it is read)."""
    wanted = list(group_ids)
    data = review_data(
        session,
        article_ids=None if article_id is None else [article_id],
        settled_by=current_identity(reviewer).uid,
    )
    found = {g.id: g for g in groups(data, disagreements_only=False)}
    unknown = [g for g in wanted if g not in found]
    if unknown:
        raise ServiceError(f"no group {unknown[0]} (see reviewapp disagreements --json)")
    for group_id in wanted:
        _refuse_settled(found[group_id])
    made = []
    for group_id in wanted:
        group = found[group_id]
        moderator = _moderator(session, group.article_id, reviewer)
        text = session.library.articles.text(group.article_id) or ""
        first = next(iter(next(iter(group.findings.values()))))
        split = data.sentences[[a.article_id for a in data.articles].index(group.article_id)]
        start, end = (
            split.spans[group.sentences[0]] if group.sentences else (first.start, first.end)
        )
        nothing = Finding(
            article_id=group.article_id,
            category=Category(group.category),
            anchor=anchor_at(text, start, end),
            note="The club found nothing here.",
            status=Status.CONSENSUS,
            settles=[f.uid for fs in group.findings.values() for f in fs],
            verdict=Verdict.NONE,
        )
        made.append(_store_consensus(session, nothing, moderator))
    return made


def _store_consensus(session: LibrarySession, finding: Finding, moderator: Identity) -> Finding:
    lib = session.library
    with lib.transaction():
        who = reviewer_of(session, moderator)
        finding.reviewer = who.name
        lib.findings.insert(finding, who.id or 0)
        sign_finding(session, finding.id or 0, moderator)
    session.index_after_write()
    stored = lib.findings.get(finding.id or 0, every=True)
    assert stored is not None
    return stored


def marked_by_me(session: LibrarySession, article_id: int, reviewer: str | None = None) -> bool:
    """Whether the reviewer at work marked the article reviewed (False with no reviewer)."""
    try:
        identity = current_identity(reviewer)
    except ServiceError:
        return False
    who = session.library.reviewers.get_by_uid(identity.uid)
    mark = session.library.marks.get(article_id, who.id or 0) if who is not None else None
    return mark is not None and mark.done
