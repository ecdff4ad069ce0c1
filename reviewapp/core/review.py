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
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reviewapp.core import agreement
from reviewapp.core.sentences import Sentences


@dataclass(frozen=True)
class ReviewFinding:
    """A reviewer's live finding, as review needs it."""

    uid: str
    reviewer: str  # uid
    category: str
    start: int
    end: int
    anchored: bool
    fields: dict[str, Any]
    quote: str


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


def _fields_key(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False)


def _differing(findings: dict[str, list[ReviewFinding]]) -> list[str]:
    """The keys on which reviewers' findings do not all agree (a key one of them left
    out differs)."""
    keys = sorted({k for fs in findings.values() for f in fs for k in f.fields})
    differing = []
    for key in keys:
        per_reviewer = {
            reviewer: frozenset(_fields_key({key: f.fields.get(key)}) for f in fs)
            for reviewer, fs in findings.items()
        }
        if len(set(per_reviewer.values())) > 1:
            differing.append(key)
    return differing


def _group_id(article_id: int, category: str, uids: Iterable[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(uids)).encode("utf-8")).hexdigest()
    return f"g{digest[:12]}"


class _Components:
    """Union-find over 0…n-1: which findings end up in one group."""

    def __init__(self, n: int) -> None:
        self._parent = list(range(n))

    def _root(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        self._parent[self._root(a)] = self._root(b)

    def components(self) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for i in range(len(self._parent)):
            found.setdefault(self._root(i), []).append(i)
        return list(found.values())


def article_groups(review: ArticleReview, sentences: Sentences | None = None) -> list[Group]:
    """The groups of one article (none unless two or more reviewers reviewed it)."""
    if len(review.reviewed_by) < 2:
        return []
    sentences = sentences or Sentences(review.text)
    findings = [f for f in review.findings if f.reviewer in review.reviewed_by]
    groups: list[Group] = []
    for category in sorted({f.category for f in findings}):
        in_category = [f for f in findings if f.category == category]
        touched = [sentences.touched(f.start, f.end) if f.anchored else [] for f in in_category]
        joined = _Components(len(in_category))
        by_sentence: dict[int, list[int]] = {}
        for i, indexes in enumerate(touched):
            for s in indexes:
                by_sentence.setdefault(s, []).append(i)
        for members in by_sentence.values():
            for a, b in itertools.combinations(members, 2):
                if in_category[a].reviewer != in_category[b].reviewer:
                    joined.join(a, b)
        for members in joined.components():
            groups.append(_group(review, sentences, category, in_category, touched, members))
    groups.sort(key=lambda g: (g.sentences[:1] or [len(sentences)], g.category, g.id))
    return groups


def _group(
    review: ArticleReview,
    sentences: Sentences,
    category: str,
    in_category: list[ReviewFinding],
    touched: list[list[int]],
    members: list[int],
) -> Group:
    by_reviewer: dict[str, list[ReviewFinding]] = {}
    for i in members:
        by_reviewer.setdefault(in_category[i].reviewer, []).append(in_category[i])
    indexes = sorted({s for i in members for s in touched[i]})
    text = " ".join(sentences.sentence(s) for s in indexes) or in_category[members[0]].quote
    uids = {in_category[i].uid for i in members}
    settled = next((s.uid for s in review.settlements if uids <= s.settles), None)
    return Group(
        _group_id(review.article_id, category, uids),
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


def _ratings(
    reviews: Sequence[ArticleReview], sentences: Sequence[Sentences], category: str
) -> dict[tuple[int, str], np.ndarray]:
    """Per (article index, reviewer who reviewed it): a boolean per sentence."""
    ratings: dict[tuple[int, str], np.ndarray] = {}
    for index, (review, split) in enumerate(zip(reviews, sentences, strict=True)):
        for reviewer in review.reviewed_by:
            ratings[(index, reviewer)] = np.zeros(len(split), dtype=bool)
        for f in review.findings:
            if f.category == category and f.anchored and f.reviewer in review.reviewed_by:
                ratings[(index, f.reviewer)][split.touched(f.start, f.end)] = True
    return ratings


def category_agreement(
    reviews: Sequence[ArticleReview],
    sentences: Sequence[Sentences],
    category: str,
    raters: Sequence[str],
) -> CategoryAgreement:
    """Agreement in one category over the articles two or more reviewers reviewed;
    ``raters``: the collection's raters (reviewers who marked any of its articles)."""
    counted = [i for i, r in enumerate(reviews) if len(r.reviewed_by) >= 2]
    ratings = _ratings(reviews, sentences, category)
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


def field_agreement(groups: Iterable[Group]) -> dict[str, dict[str, float | int]]:
    """Over the groups that two reviewers both tagged, per field: how many pairs of their
    findings compared it, and how often they agreed."""
    tally: dict[str, list[int]] = {}
    for group in groups:
        for a, b in itertools.combinations(sorted(group.findings), 2):
            for fa in group.findings[a]:
                for fb in group.findings[b]:
                    for key in {*fa.fields, *fb.fields}:
                        counts = tally.setdefault(key, [0, 0])
                        counts[0] += 1
                        counts[1] += int(fa.fields.get(key) == fb.fields.get(key))
    return {
        key: {"pairs": pairs, "agree": agree, "rate": agree / pairs}
        for key, (pairs, agree) in sorted(tally.items())
    }
