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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from reviewapp.core import agreement
from reviewapp.core.sentences import Sentences, sentence_ranges


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


def _group_id(article_id: int, category: str, uids: Iterable[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(uids)).encode("utf-8")).hexdigest()
    return f"g{digest[:12]}"


def _coverage(
    reviewer: np.ndarray, first: np.ndarray, last: np.ndarray, reviewers: int, width: int
) -> np.ndarray:
    """Per reviewer (row), per sentence: whether one of their findings (sentence ranges
    ``first``–``last``, rows of ``reviewer``; ``first > last`` for none) overlaps it. One
    reviewer at a time: a count per sentence for all of them at once took 8 bytes a cell
    (a library of 1.5 million sentences and 15 reviewers: 180 MB)."""
    covered = np.zeros((reviewers, width), dtype=bool)
    has = first <= last
    for row in np.unique(reviewer[has]).tolist():
        mine = has & (reviewer == row)
        steps = np.bincount(first[mine], minlength=width + 1) - np.bincount(
            last[mine] + 1, minlength=width + 1
        )
        covered[row] = np.cumsum(steps[:width]) > 0
    return covered


def _members(labels: np.ndarray) -> dict[int, list[int]]:
    """The findings (indexes, in order) of each group, by its label."""
    if not len(labels):
        return {}
    order = np.argsort(labels, kind="stable")
    ordered = labels[order]
    cuts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    starts = np.concatenate(([0], cuts)).tolist()
    return dict(
        zip(ordered[starts].tolist(), (p.tolist() for p in np.split(order, cuts)), strict=True)
    )


def article_groups(review: ArticleReview, sentences: Sentences | None = None) -> list[Group]:
    """The groups of one article (none unless two or more reviewers reviewed it)."""
    return review_groups([review], [sentences if sentences is not None else Sentences(review.text)])


def review_groups(reviews: Sequence[ArticleReview], sentences: Sequence[Sentences]) -> list[Group]:
    """The groups of these articles, article by article, each article's in the order of
    their first sentence (groups of unanchored findings last)."""
    columns = Columns(reviews, sentences)
    if not columns.findings:
        return []
    labels = columns.labels()
    _reviewers, field_counts = _compare_fields(columns, labels, int(labels.max()) + 1)
    differing: dict[int, list[str]] = {}
    for field_count in field_counts:  # keys in order
        for label in field_count.differing.tolist():
            differing.setdefault(label, []).append(field_count.key)
    local = columns.offsets[columns.article]
    ranges = ((columns.first - local).tolist(), (columns.last - local).tolist())
    positions = columns.article.tolist()
    made = []
    for label, members in _members(labels).items():
        position = positions[members[0]]
        review, split = columns.reviews[position], sentences[columns.counted[position]]
        group = _group(review, split, columns.findings, ranges, members)
        group.differing = differing.get(label, [])
        first = group.sentences[:1] or [len(split)]
        made.append((position, first, group.category, group.id, group))
    made.sort(key=lambda entry: entry[:4])
    return [entry[4] for entry in made]


def _group(
    review: ArticleReview,
    sentences: Sentences,
    found: list[ReviewFinding],
    ranges: tuple[list[int], list[int]],
    members: list[int],
) -> Group:
    first, last = ranges
    items = [found[i] for i in members]
    by_reviewer: dict[str, list[ReviewFinding]] = {}
    for f in items:
        pile = by_reviewer.get(f.reviewer)
        if pile is None:
            by_reviewer[f.reviewer] = [f]
        else:
            pile.append(f)
    # The group's sentences run unbroken: findings join only through sentences they share,
    # so the union of their ranges has no gap (an unanchored finding stands alone).
    start = min(first[i] for i in members)
    indexes = list(range(start, max(last[i] for i in members) + 1))
    text = " ".join(sentences.sentence(s) for s in indexes) or items[0].quote
    uids = [f.uid for f in items]
    settled = None
    if review.settlements:
        members_uids = set(uids)
        settled = next((s.uid for s in review.settlements if members_uids <= s.settles), None)
    return Group(
        _group_id(review.article_id, items[0].category, uids),
        review.article_id,
        items[0].category,
        indexes,
        text,
        by_reviewer,
        sorted(review.reviewed_by.difference(by_reviewer)),
        [],  # the fields that differ: counted for every group at once (review_groups)
        settled,
    )


# -- the same, counted: figures over many groups without making them ---------------------------


@dataclass
class Tally:
    """What the agreement figures need of the groups: per field, the pairs of findings
    (one from each of two reviewers of a group) that compared it, one of them at least
    having it, and how many of them gave it the same value; disagreements settled and
    open."""

    fields: dict[str, list[int]] = field(default_factory=dict)
    settled: int = 0
    open: int = 0

    def field_rates(self) -> dict[str, dict[str, float | int]]:
        return {
            key: {"pairs": pairs, "agree": agree, "rate": agree / pairs}
            for key, (pairs, agree) in sorted(self.fields.items())
            if pairs
        }


class Columns:
    """The findings that review counts (on articles two or more reviewers marked reviewed,
    by those reviewers), as columns over every such article, their sentences numbered end
    to end: per finding its article (position in ``counted``), category, reviewer, fields
    (a number: findings sharing one parsed fields object share it; the service parses
    each distinct fields text once) and first and last sentence (``first > last``: none).
    Figures over many groups are counted on these in numpy, never one group at a time."""

    def __init__(
        self,
        reviews: Sequence[ArticleReview],
        sentences: Sequence[Sentences],
        categories: Iterable[str] = (),
        raters: Iterable[str] = (),
    ) -> None:
        self.counted = [i for i, r in enumerate(reviews) if len(r.reviewed_by) >= 2]
        self.reviews = [reviews[i] for i in self.counted]
        widths = [len(sentences[i]) for i in self.counted]
        self.widths = np.array(widths, dtype=np.intp)
        self.offsets = np.concatenate(([0], np.cumsum(self.widths)[:-1])).astype(np.intp)
        self.width = int(self.widths.sum())
        everyone = {uid for r in self.reviews for uid in r.reviewed_by}
        self.reviewers = sorted(everyone.union(raters))
        kept = [[f for f in r.findings if f.reviewer in r.reviewed_by] for r in self.reviews]
        self.findings = list(itertools.chain.from_iterable(kept))
        count = len(self.findings)
        self.article = np.repeat(np.arange(len(kept), dtype=np.intp), list(map(len, kept)))
        # The findings' tuples as columns (ReviewFinding's order), transposed in C.
        _uids, by, named, start, end, anchored, fields, *_rest = (
            zip(*self.findings, strict=True) if self.findings else ((),) * 9
        )
        self.categories = sorted(set(named).union(categories))
        reviewer_code = {uid: i for i, uid in enumerate(self.reviewers)}
        category_code = {name: i for i, name in enumerate(self.categories)}
        self.reviewer = np.fromiter(map(reviewer_code.__getitem__, by), np.intp, count)
        self.category = np.fromiter(map(category_code.__getitem__, named), np.intp, count)
        ids = list(map(id, fields))
        by_id = dict(zip(ids, fields, strict=True))
        kind_of = {one: number for number, one in enumerate(dict.fromkeys(ids))}
        self.objects: list[dict[str, Any]] = [by_id[one] for one in kind_of]
        self._covered: dict[int, np.ndarray] = {}
        self.kind = np.fromiter(map(kind_of.__getitem__, ids), np.intp, count)
        # Sentences and texts end to end: each article's spans moved past the texts before.
        texts = np.array([len(r.text) for r in self.reviews], dtype=np.int64)
        text_at = np.concatenate(([0], np.cumsum(texts)[:-1])).astype(np.int64)
        spans = [sentences[i].span_arrays() for i in self.counted]
        shift = text_at[self.article]
        # A quote is within its text; one said to run past either end stops there.
        self.first, self.last = sentence_ranges(
            np.concatenate([s + at for (s, _e), at in zip(spans, text_at, strict=True)])
            if spans
            else np.zeros(0, dtype=np.int64),
            np.concatenate([e + at for (_s, e), at in zip(spans, text_at, strict=True)])
            if spans
            else np.zeros(0, dtype=np.int64),
            np.clip(np.fromiter(start, np.int64, count), 0, texts[self.article]) + shift,
            np.clip(np.fromiter(end, np.int64, count), 0, texts[self.article]) + shift,
            np.fromiter(anchored, bool, count),
        )

    def coverage(self, category: int) -> np.ndarray:
        """Per reviewer (row), per sentence: whether a finding of theirs in the category
        overlaps it (made once per category: the groups and the figures both read it)."""
        covered = self._covered.get(category)
        if covered is None:
            mine = (self.category == category) & (self.first <= self.last)
            covered = self._covered[category] = _coverage(
                self.reviewer[mine],
                self.first[mine],
                self.last[mine],
                len(self.reviewers),
                self.width,
            )
        return covered

    def marked(self) -> np.ndarray:
        """Per reviewer (row), per counted article: whether they marked it reviewed."""
        marked = np.zeros((len(self.reviewers), len(self.reviews)), dtype=bool)
        code = {uid: i for i, uid in enumerate(self.reviewers)}
        for position, review in enumerate(self.reviews):
            marked[[code[uid] for uid in review.reviewed_by], position] = True
        return marked

    def reviewed(self, marked: np.ndarray | None = None) -> np.ndarray:
        """Per reviewer (row), per sentence: whether they marked its article reviewed
        (``marked``: ``self.marked()``, if already made)."""
        return np.repeat(self.marked() if marked is None else marked, self.widths, axis=1)

    def labels(self) -> np.ndarray:
        """Which group each finding is in, numbered over all articles and categories (the
        rule of ``article_groups``; some numbers go unused)."""
        count = len(self.categories) * self.width
        shared = np.zeros(count, dtype=bool)
        for category in range(len(self.categories)):
            by_reviewers = self.coverage(category).sum(axis=0)
            shared[category * self.width : (category + 1) * self.width] = by_reviewers >= 2
        at = np.flatnonzero(shared)  # (category, sentence) pairs, numbered in order
        has = self.first <= self.last
        lo = np.searchsorted(at, self.category * self.width + self.first, "left")
        hi = np.searchsorted(at, self.category * self.width + self.last, "right") - 1
        on_shared = has & (hi >= lo)
        alone = len(at) + np.arange(len(self.first))  # past every component's number
        if not len(at):
            return alone
        # A finding on two shared sentences joins them (never across articles or
        # categories: a finding lies in one of each).
        spans = np.bincount(lo[on_shared], minlength=len(at) + 1) - np.bincount(
            hi[on_shared], minlength=len(at) + 1
        )
        joined_to_next = np.cumsum(spans)[: len(at) - 1] > 0
        component = np.concatenate(([0], np.cumsum(~joined_to_next)))
        return np.where(on_shared, component[np.minimum(lo, len(at) - 1)], alone)


@dataclass
class _FieldCount:
    key: str
    compared: int  # pairs of findings (two reviewers of a group) one of which has the key
    agree: int  # of them, pairs that gave it the same value
    differing: np.ndarray  # the groups where reviewers' values of it differ


def _compare_fields(
    columns: Columns, labels: np.ndarray, count: int
) -> tuple[np.ndarray, list[_FieldCount]]:
    """Per group (``labels``: each finding's), its number of reviewers; per field key, how
    the groups of two reviewers or more compare on it. A key differs in a group when the
    values (or absence) one reviewer gave are not those another gave."""
    reviewer, width = columns.reviewer, len(columns.reviewers)
    # Piles: a group's findings by one reviewer; per group, its reviewers and Σ, Σ² of piles.
    pile, sizes = np.unique(labels * width + reviewer, return_counts=True)
    group_of_pile = pile // width
    reviewers = np.bincount(group_of_pile, minlength=count)
    every_pair = _pairs_per(group_of_pile, sizes, count)
    several = reviewers >= 2
    compared = several[labels]
    in_group, by, kinds = labels[compared], reviewer[compared], columns.kind[compared]
    pairs_in_all = int(every_pair[several].sum())
    counts = []
    for key in sorted({k for fields in columns.objects for k in fields}):
        value_of_kind = _values_of(columns.objects, key)
        span = int(value_of_kind.max()) + 1
        # Per (group, value): how many findings of each reviewer hold it.
        triple, held = np.unique(
            (in_group * span + value_of_kind[kinds]) * width + by, return_counts=True
        )
        group_value, holders = np.unique(triple // width, return_counts=True)
        pairs = _pairs_per(np.arange(len(group_value)).repeat(holders), held, len(group_value))
        absent = group_value % span == 0
        group = group_value // span
        counts.append(
            _FieldCount(
                key,
                pairs_in_all - int(pairs[absent].sum()),
                int(pairs[~absent].sum()),
                np.unique(group[holders < reviewers[group]]),
            )
        )
    return reviewers, counts


def tally_groups(columns: Columns) -> Tally:
    """The field agreement and the settled and open disagreements of every group, the same
    as making each ``Group`` (``article_groups``) and counting, counted over columns: at
    100,000 findings, making the 15,000 groups and comparing their fields one by one took a
    second and a half."""
    tally = Tally()
    if not len(columns.findings):
        return tally
    labels = columns.labels()
    count = int(labels.max()) + 1
    reviewers, field_counts = _compare_fields(columns, labels, count)
    differing = np.zeros(count, dtype=bool)
    for field_count in field_counts:
        if field_count.compared:
            tally.fields[field_count.key] = [field_count.compared, field_count.agree]
        differing[field_count.differing] = True
    reviewed = np.zeros(count, dtype=np.intp)
    reviewed[labels] = np.array([len(r.reviewed_by) for r in columns.reviews])[columns.article]
    disagreement = (reviewers > 0) & ((reviewers < reviewed) | differing)
    settled = np.zeros(count, dtype=bool)
    settling = {p for p, review in enumerate(columns.reviews) if review.settlements}
    if settling:
        members: dict[int, tuple[int, set[str]]] = {}
        pairs = zip(columns.article.tolist(), labels.tolist(), columns.findings, strict=True)
        for position, label, finding in pairs:
            if position in settling:
                members.setdefault(label, (position, set()))[1].add(finding.uid)
        for label, (position, uids) in members.items():
            settlements = columns.reviews[position].settlements
            settled[label] = any(uids <= s.settles for s in settlements)
    tally.settled = int(np.count_nonzero(disagreement & settled))
    tally.open = int(np.count_nonzero(disagreement & ~settled))
    return tally


def _pairs_per(owner: np.ndarray, sizes: np.ndarray, count: int) -> np.ndarray:
    """Per owner (``owner``: sorted, one per pile of ``sizes``): Σ over pairs of its piles
    of the product of their sizes, the pairs that take one item from each of two piles."""
    weights = sizes.astype(np.float64)  # exact: these sums stay far below 2**53
    total = np.bincount(owner, weights=weights, minlength=count)
    squares = np.bincount(owner, weights=weights * weights, minlength=count)
    return np.rint((total * total - squares) / 2).astype(np.int64)


def _values_of(objects: list[dict[str, Any]], key: str) -> np.ndarray:
    """For each fields object, a number for its value of ``key`` (0: it has none); values
    alike as compared (``_comparable``, True apart from 1) share a number."""
    numbers: dict[tuple[bool, Any], int] = {}
    return np.fromiter(
        (
            numbers.setdefault((type(o[key]) is bool, _comparable(o[key])), len(numbers) + 1)
            if key in o
            else 0
            for o in objects
        ),
        dtype=np.intp,
        count=len(objects),
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


def agreement_by_category(
    columns: Columns, categories: Iterable[str], raters: Sequence[str]
) -> dict[str, CategoryAgreement]:
    """Agreement per category over the sentences of the counted articles (``columns``, made
    with these categories and raters); ``raters``: the collection's raters (reviewers who
    marked any of its articles). A reviewer rates a sentence positive when a finding of
    theirs in the category overlaps it; where they did not review its article, their
    rating is missing (Krippendorff's α takes it so; κ compares pairs where both rated)."""
    articles = columns.marked()
    reviewed = columns.reviewed(articles)
    code = {uid: i for i, uid in enumerate(columns.reviewers)}
    rows = [code[uid] for uid in raters]
    everyone_reviewed = articles[rows].all(axis=0) if rows else articles[0:0].all(axis=0)
    by_everyone = np.repeat(everyone_reviewed, columns.widths)
    results = {}
    for category in categories:
        rated = columns.coverage(columns.categories.index(category))
        pairs = []
        for a, b in itertools.combinations(raters, 2):
            if not (articles[code[a]] & articles[code[b]]).any():
                pairs.append(PairAgreement(a, b, 0, None, None))
                continue
            both = reviewed[code[a]] & reviewed[code[b]]
            table = agreement.binary_table(rated[code[a], both], rated[code[b], both])
            pairs.append(
                PairAgreement(
                    a,
                    b,
                    int(table.sum()),
                    agreement.kappa_of_table(table),
                    agreement.positive_agreement_of_table(table),
                )
            )
        fleiss = None
        if len(raters) >= 2 and everyone_reviewed.any():
            positive = rated[rows][:, by_everyone].sum(axis=0)
            fleiss = agreement.fleiss_kappa(np.stack([len(raters) - positive, positive], axis=1))
        alpha = None
        if len(raters) >= 2:
            codes = np.where(reviewed[rows], rated[rows], np.nan)
            alpha = agreement.krippendorff_alpha_of_codes(codes)
        results[category] = CategoryAgreement(columns.width, pairs, fleiss, alpha)
    return results


def category_agreement(
    reviews: Sequence[ArticleReview],
    sentences: Sequence[Sentences],
    category: str,
    raters: Sequence[str],
) -> CategoryAgreement:
    """Agreement in one category over the articles two or more reviewers reviewed."""
    columns = Columns(reviews, sentences, [category], raters)
    return agreement_by_category(columns, [category], raters)[category]
