"""Dual (and more) review: where reviewers' findings meet, where they disagree, and how
well they agree, from plain data (no store).

Only articles that two or more reviewers marked reviewed count, and only the findings of
reviewers who marked them. Within an article and a category, findings of different
reviewers whose quotes overlap the same sentence form a group (groups chain through shared
sentences); a finding that overlaps no other reviewer's forms a group of its own. A group
is a disagreement when a reviewer who reviewed the article has no finding in it, or when
the reviewers' fields differ. A consensus finding settles the groups whose findings it
names.

For agreement, the units are the sentences of those articles; per category a reviewer
rates a sentence positive when one of their findings in that category overlaps it.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from reviewapp.core import agreement
from reviewapp.core.sentences import Sentences


class ReviewFinding(NamedTuple):
    """A reviewer's live finding, as review needs it (a tuple: 100,000 are made at once)."""

    uid: str
    reviewer: str  # uid
    category: str
    start: int
    end: int
    anchored: bool
    fields: dict[str, Any]
    quote: str
    note: str = ""


@dataclass(frozen=True)
class Settlement:
    """A consensus finding: the finding uids it settles and its verdict."""

    uid: str
    settles: frozenset[str]
    verdict: str


@dataclass
class ArticleReview:
    article_id: int
    text: str
    reviewed_by: frozenset[str]  # reviewer uids who marked the article reviewed
    findings: list[ReviewFinding]
    settlements: list[Settlement] = field(default_factory=list)


@dataclass
class Group:
    id: str
    article_id: int
    category: str
    sentences: list[int]
    sentence: str  # the text of its sentences
    findings: dict[str, list[ReviewFinding]]  # by reviewer uid
    missing: list[str]  # reviewers who reviewed the article and have no finding here
    differing: list[str]  # field keys whose values differ between reviewers
    settled_by: str | None = None  # the consensus finding's uid

    @property
    def disagreement(self) -> bool:
        return bool(self.missing or self.differing)


def _comparable(value: Any) -> Any:
    """A field value as compared: lists as tuples (hashable); 14 and 14.0 are one number."""
    return tuple(_comparable(v) for v in value) if isinstance(value, list) else value


def _all_alike(findings: dict[str, list[ReviewFinding]]) -> bool:
    """Whether every finding has the very same fields (the usual case, checked fast)."""
    piles = iter(findings.values())
    fields = next(piles)[0].fields
    return all(f.fields == fields for pile in findings.values() for f in pile)


def _differing(findings: dict[str, list[ReviewFinding]]) -> list[str]:
    """The keys on which reviewers' findings do not all agree (a key one of them left
    out differs)."""
    if _all_alike(findings):
        return []
    keys = sorted({k for fs in findings.values() for f in fs for k in f.fields})
    differing = []
    for key in keys:
        values = [f.fields.get(key) for pile in findings.values() for f in pile]
        if all(v == values[0] and type(v) is type(values[0]) for v in values):
            continue  # one value throughout
        seen = {
            frozenset((type(f.fields.get(key)) is bool, _comparable(f.fields.get(key))) for f in fs)
            for fs in findings.values()
        }
        if len(seen) > 1:
            differing.append(key)
    return differing


def _group_id(article_id: int, category: str, uids: Iterable[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(uids)).encode("utf-8")).hexdigest()
    return f"g{digest[:12]}"


def _coverage(
    reviewer: np.ndarray, first: np.ndarray, last: np.ndarray, reviewers: int, width: int
) -> np.ndarray:
    """Per reviewer (row), per sentence: whether one of their findings (sentence ranges
    ``first``–``last``, rows of ``reviewer``; ``first > last`` for none) overlaps it."""
    has = first <= last
    steps = np.zeros((reviewers, width + 1), dtype=np.int32)
    np.add.at(steps, (reviewer[has], first[has]), 1)
    np.add.at(steps, (reviewer[has], last[has] + 1), -1)
    return np.cumsum(steps, axis=1)[:, :width] > 0


def _members(
    reviewer: np.ndarray, first: np.ndarray, last: np.ndarray, width: int
) -> list[list[int]]:
    """Which findings of one category form each group. A sentence overlapped by findings of
    two reviewers or more is shared; a finding on a shared sentence joins every finding on
    it, and shared sentences one finding spans are one group. The rest stand alone.
    (Counted in numpy: at 100,000 findings a union-find in Python took a second.)"""
    covered = _coverage(reviewer, first, last, int(reviewer.max(initial=-1)) + 1, width)
    shared = np.flatnonzero(covered.sum(axis=0) >= 2)
    lo = np.searchsorted(shared, first, "left")
    hi = np.searchsorted(shared, last, "right") - 1
    on_shared = (first <= last) & (hi >= lo)
    spans = np.zeros(len(shared) + 1, dtype=np.int32)
    np.add.at(spans, lo[on_shared], 1)
    np.add.at(spans, hi[on_shared], -1)
    joined_to_next = np.cumsum(spans)[: max(len(shared) - 1, 0)] > 0
    component = np.concatenate(([0], np.cumsum(~joined_to_next))) if len(shared) else shared
    groups: dict[int, list[int]] = {}
    alone: list[list[int]] = []
    for i in range(len(first)):
        if on_shared[i]:
            groups.setdefault(int(component[lo[i]]), []).append(i)
        else:
            alone.append([i])
    return [*groups.values(), *alone]


def article_groups(
    review: ArticleReview, sentences: Sentences | None = None, shown: bool = True
) -> list[Group]:
    """The groups of one article (none unless two or more reviewers reviewed it);
    ``shown=False`` leaves out what only a person reads (the sentence text and the
    group's id), for figures over many groups."""
    if len(review.reviewed_by) < 2:
        return []
    sentences = sentences or Sentences(review.text)
    by_category: dict[str, list[ReviewFinding]] = {}
    for f in review.findings:
        if f.reviewer in review.reviewed_by:
            by_category.setdefault(f.category, []).append(f)
    groups: list[Group] = []
    for category in sorted(by_category):
        in_category = by_category[category]
        first, last = sentences.ranges(in_category)
        order = {uid: i for i, uid in enumerate(sorted({f.reviewer for f in in_category}))}
        reviewer = np.fromiter((order[f.reviewer] for f in in_category), dtype=np.intp)
        for members in _members(reviewer, first, last, len(sentences)):
            groups.append(
                _group(review, sentences, category, in_category, (first, last), members, shown)
            )
    groups.sort(key=lambda g: (g.sentences[:1] or [len(sentences)], g.category, g.id))
    return groups


def _group(
    review: ArticleReview,
    sentences: Sentences,
    category: str,
    in_category: list[ReviewFinding],
    ranges: tuple[np.ndarray, np.ndarray],
    members: list[int],
    shown: bool,
) -> Group:
    first, last = ranges
    by_reviewer: dict[str, list[ReviewFinding]] = {}
    for i in members:
        by_reviewer.setdefault(in_category[i].reviewer, []).append(in_category[i])
    indexes = sorted({s for i in members for s in range(int(first[i]), int(last[i]) + 1)})
    uids = {in_category[i].uid for i in members}
    text = ""
    if shown:
        text = " ".join(sentences.sentence(s) for s in indexes) or in_category[members[0]].quote
    settled = next((s.uid for s in review.settlements if uids <= s.settles), None)
    return Group(
        _group_id(review.article_id, category, uids) if shown else "",
        review.article_id,
        category,
        indexes,
        text,
        by_reviewer,
        sorted(review.reviewed_by - set(by_reviewer)),
        _differing(by_reviewer) if len(by_reviewer) > 1 else [],
        settled,
    )


# -- agreement ---------------------------------------------------------------------------------


@dataclass
class PairAgreement:
    a: str
    b: str
    units: int
    kappa: agreement.Kappa | None
    positive_agreement: float | None


@dataclass
class CategoryAgreement:
    units: int
    pairs: list[PairAgreement]
    fleiss_kappa: float | None
    krippendorff_alpha: float | None


Ratings = dict[tuple[int, str], np.ndarray]


def ratings_by_category(
    reviews: Sequence[ArticleReview], sentences: Sequence[Sentences], categories: Iterable[str]
) -> dict[str, Ratings]:
    """Per category, per (article index, reviewer who reviewed it): a boolean per sentence."""
    ratings: dict[str, Ratings] = {category: {} for category in categories}
    for index, (review, split) in enumerate(zip(reviews, sentences, strict=True)):
        raters = sorted(review.reviewed_by)
        row = {uid: i for i, uid in enumerate(raters)}
        by_category: dict[str, list[ReviewFinding]] = {}
        for f in review.findings:
            if f.reviewer in row and f.category in ratings:
                by_category.setdefault(f.category, []).append(f)
        for category, per_category in ratings.items():
            found = by_category.get(category, [])
            first, last = split.ranges(found)
            reviewer = np.fromiter((row[f.reviewer] for f in found), dtype=np.intp)
            covered = _coverage(reviewer, first, last, len(raters), len(split))
            for uid, i in row.items():
                per_category[(index, uid)] = covered[i]
    return ratings


def category_agreement(
    reviews: Sequence[ArticleReview],
    sentences: Sequence[Sentences],
    category: str,
    raters: Sequence[str],
    ratings: Ratings | None = None,
) -> CategoryAgreement:
    """Agreement in one category over the articles two or more reviewers reviewed;
    ``raters``: the collection's raters (reviewers who marked any of its articles);
    ``ratings``: the category's, if already made (``ratings_by_category``)."""
    counted = [i for i, r in enumerate(reviews) if len(r.reviewed_by) >= 2]
    if ratings is None:
        ratings = ratings_by_category(reviews, sentences, [category])[category]
    units = sum(len(sentences[i]) for i in counted)
    pairs = []
    for a, b in itertools.combinations(raters, 2):
        both = [i for i in counted if {a, b} <= reviews[i].reviewed_by]
        if not both:
            pairs.append(PairAgreement(a, b, 0, None, None))
            continue
        table = agreement.binary_table(
            np.concatenate([ratings[(i, a)] for i in both]),
            np.concatenate([ratings[(i, b)] for i in both]),
        )
        pairs.append(
            PairAgreement(
                a,
                b,
                int(table.sum()),
                agreement.kappa_of_table(table),
                agreement.positive_agreement_of_table(table),
            )
        )
    everyone = [i for i in counted if set(raters) <= reviews[i].reviewed_by]
    fleiss = None
    if len(raters) >= 2 and everyone:
        positive = np.concatenate(
            [np.sum([ratings[(i, r)] for r in raters], axis=0) for i in everyone]
        )
        fleiss = agreement.fleiss_kappa(np.stack([len(raters) - positive, positive], axis=1))
    codes = np.full((len(raters), units), np.nan)
    at = 0
    for i in counted:
        width = len(sentences[i])
        for row, rater in enumerate(raters):
            rated = ratings.get((i, rater))
            if rated is not None:
                codes[row, at : at + width] = rated
        at += width
    alpha = agreement.krippendorff_alpha_of_codes(codes) if len(raters) >= 2 else None
    return CategoryAgreement(units, pairs, fleiss, alpha)


def _pairs(counts: Iterable[int]) -> int:
    """Σ over pairs a < b of x_a·x_b: how many pairs take one item from each of two
    different reviewers' piles of these sizes."""
    total = squares = 0
    for count in counts:
        total += count
        squares += count * count
    return (total * total - squares) // 2


def field_agreement(groups: Iterable[Group]) -> dict[str, dict[str, float | int]]:
    """Over the groups that two reviewers both tagged, per field: how many pairs of their
    findings (one from each of two reviewers) compared it, one of them at least having it,
    and how often both gave it the same value. Counted, not enumerated: a group of ten
    reviewers has 45 pairs of them."""
    tally: dict[str, list[int]] = {}
    for group in groups:
        piles = list(group.findings.values())
        if len(piles) < 2:
            continue
        every_pair = _pairs(len(pile) for pile in piles)
        if _all_alike(group.findings):
            for key in piles[0][0].fields:
                counts = tally.setdefault(key, [0, 0])
                counts[0] += every_pair
                counts[1] += every_pair
            continue
        for key in {k for pile in piles for f in pile for k in f.fields}:
            neither = _pairs(sum(1 for f in pile if key not in f.fields) for pile in piles)
            by_value: dict[tuple[bool, Any], list[int]] = {}
            for pile in piles:
                values = Counter(
                    (type(f.fields[key]) is bool, _comparable(f.fields[key]))
                    for f in pile
                    if key in f.fields
                )
                for value, count in values.items():
                    by_value.setdefault(value, []).append(count)
            counts = tally.setdefault(key, [0, 0])
            counts[0] += every_pair - neither
            counts[1] += sum(_pairs(per_pile) for per_pile in by_value.values())
    return {
        key: {"pairs": pairs, "agree": agree, "rate": agree / pairs}
        for key, (pairs, agree) in sorted(tally.items())
        if pairs
    }
