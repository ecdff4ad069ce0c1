"""Sentences, groups of findings and disagreements, from plain data."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewapp.core import agreement
from reviewapp.core.review import (
    ArticleReview,
    CategoryAgreement,
    Columns,
    Group,
    PairAgreement,
    ReviewFinding,
    Settlement,
    article_groups,
    category_agreement,
    review_groups,
    tally_groups,
)
from reviewapp.core.sentences import Sentences, sentence_spans

TEXT = (
    "Alemtuzumab vs. placebo was given to 88 patients. CMV viremia occurred in 14 of 60 "
    "patients (23.3%) during treatment. It rose to 29.2% (19/65) after it.\n"
    "Key takeaways\n"
    "- No overall survival benefit was seen (HR 0.96, 95% CI 0.7 to 1.3)."
)


def test_sentences_end_at_full_stops_and_lines_but_not_at_abbreviations_or_decimals() -> None:
    found = [TEXT[s:e] for s, e in sentence_spans(TEXT)]
    assert found == [
        "Alemtuzumab vs. placebo was given to 88 patients.",
        "CMV viremia occurred in 14 of 60 patients (23.3%) during treatment.",
        "It rose to 29.2% (19/65) after it.",
        "Key takeaways",
        "- No overall survival benefit was seen (HR 0.96, 95% CI 0.7 to 1.3).",
    ]
    sentences = Sentences(TEXT)
    cmv = TEXT.index("CMV")
    assert sentences.touched(cmv, cmv + 3) == [1]
    assert sentences.touched(cmv, TEXT.index("after it")) == [1, 2]
    assert sentences.touched(5, 5) == []


def _finding(uid: str, reviewer: str, quote: str, **fields: object) -> ReviewFinding:
    start = TEXT.index(quote)
    return ReviewFinding(uid, reviewer, "toxicity", start, start + len(quote), True, fields, quote)


def test_findings_of_reviewers_on_one_sentence_form_a_group_and_differences_show() -> None:
    review = ArticleReview(
        1,
        TEXT,
        frozenset({"ana", "ben", "cat"}),
        [
            _finding("f1", "ana", "CMV viremia occurred in 14 of 60", event="CMV", n=14, N=60),
            _finding("f2", "ben", "14 of 60 patients (23.3%)", event="CMV", n=14, N=65),
            _finding("f3", "ana", "29.2% (19/65)", event="CMV", n=19, N=65),
        ],
    )
    groups = article_groups(review)
    assert [sorted(g.findings) for g in groups] == [["ana", "ben"], ["ana"]]
    first, second = groups
    assert first.differing == ["N"] and first.missing == ["cat"] and first.disagreement
    assert second.missing == ["ben", "cat"] and second.disagreement
    assert first.sentence.startswith("CMV viremia occurred")


def test_yes_is_not_one_and_fourteen_is_fourteen_point_zero() -> None:
    review = ArticleReview(
        1,
        TEXT,
        frozenset({"ana", "ben"}),
        [
            _finding("f1", "ana", "CMV viremia occurred in 14 of 60", event="CMV", n=14, x=True),
            _finding("f2", "ben", "14 of 60 patients (23.3%)", event="CMV", n=14.0, x=1),
        ],
    )
    [group] = article_groups(review)
    assert group.differing == ["x"]
    counted = tally_groups(Columns([review], [Sentences(TEXT)]))
    assert counted.open == 1
    rates = counted.field_rates()
    assert rates["n"]["agree"] == 1 and rates["x"] == {"pairs": 1, "agree": 0, "rate": 0.0}


def test_a_group_where_everyone_agrees_is_no_disagreement_and_a_consensus_settles() -> None:
    findings = [
        _finding("f1", "ana", "CMV viremia occurred", event="CMV", n=14, N=60),
        _finding("f2", "ben", "in 14 of 60 patients", event="CMV", n=14, N=60),
    ]
    review = ArticleReview(1, TEXT, frozenset({"ana", "ben"}), findings)
    [group] = article_groups(review)
    assert not group.disagreement and group.settled_by is None
    review.settlements.append(Settlement("c1", frozenset({"f1", "f2"}), "agreed"))
    [group] = article_groups(review)
    assert group.settled_by == "c1"


def test_only_articles_two_reviewers_finished_count_and_only_their_findings() -> None:
    findings = [
        _finding("f1", "ana", "CMV viremia", event="CMV"),
        _finding("f2", "zed", "CMV viremia", event="other"),  # zed did not finish it
    ]
    assert article_groups(ArticleReview(1, TEXT, frozenset({"ana"}), findings)) == []
    [group] = article_groups(ArticleReview(1, TEXT, frozenset({"ana", "ben"}), findings))
    assert sorted(group.findings) == ["ana"] and group.missing == ["ben"]


def test_agreement_per_category_over_sentences() -> None:
    both = [
        _finding("f1", "ana", "CMV viremia", event="CMV"),
        _finding("f2", "ben", "14 of 60", event="CMV"),
        _finding("f3", "ana", "29.2%", event="CMV"),
    ]
    reviews = [ArticleReview(1, TEXT, frozenset({"ana", "ben"}), both)]
    split = [Sentences(TEXT)]
    result = category_agreement(reviews, split, "toxicity", ["ana", "ben"])
    assert result.units == 5
    [pair] = result.pairs
    # Sentence 1: both positive; sentence 2: ana only; the other three: neither.
    assert pair.units == 5 and pair.positive_agreement == 2 / 3
    assert pair.kappa is not None and 0 < pair.kappa.kappa < 1
    assert result.fleiss_kappa is not None and result.krippendorff_alpha is not None
    nobody = category_agreement(reviews, split, "mechanism", ["ana", "ben"])
    assert nobody.pairs[0].kappa is None and nobody.krippendorff_alpha is None
    alone = category_agreement(reviews, split, "toxicity", ["ana"])
    assert alone.pairs == [] and alone.fleiss_kappa is None and alone.krippendorff_alpha is None
    fields = tally_groups(Columns(reviews[:1], split[:1])).field_rates()
    assert fields["event"] == {"pairs": 1, "agree": 1, "rate": 1.0}


# -- the counted (numpy) grouping against the rule as written ------------------------------------

SENTENCE_TEXT = " ".join(f"Sentence {n} reports {n} of 90 patients." for n in range(1, 13))


def _groups_by_the_rule(review: ArticleReview) -> set[frozenset[str]]:
    """The groups as the rule reads, one pair at a time: findings of different reviewers
    on one sentence join; groups chain through shared sentences (a plain union-find)."""
    split = Sentences(review.text)
    findings = [f for f in review.findings if f.reviewer in review.reviewed_by]
    parent = {f.uid: f.uid for f in findings}

    def root(uid: str) -> str:
        while parent[uid] != uid:
            uid = parent[uid]
        return uid

    for a, b in itertools.combinations(findings, 2):
        if a.category != b.category or not (a.anchored and b.anchored):
            continue
        on_a = set(split.touched(a.start, a.end))
        for s in on_a & set(split.touched(b.start, b.end)):
            others = {
                f.reviewer
                for f in findings
                if f.category == a.category and f.anchored and s in split.touched(f.start, f.end)
            }
            if len(others) > 1:
                parent[root(a.uid)] = root(b.uid)
    found: dict[str, set[str]] = {}
    for f in findings:
        found.setdefault(root(f.uid), set()).add(f.uid)
    return {frozenset(group) for group in found.values()}


@st.composite
def _reviews(draw: st.DrawFn) -> ArticleReview:
    spans = sentence_spans(SENTENCE_TEXT)
    reviewers = draw(st.lists(st.sampled_from("abcd"), min_size=2, max_size=4, unique=True))
    findings = []
    for n in range(draw(st.integers(0, 14))):
        first = draw(st.integers(0, len(spans) - 1))
        last = min(len(spans) - 1, first + draw(st.integers(0, 2)))
        start = spans[first][0] + draw(st.integers(0, 5))
        end = spans[last][1] - draw(st.integers(0, 5))
        findings.append(
            ReviewFinding(
                f"u{n}",
                draw(st.sampled_from("abcde")),  # "e" did not review: left out
                draw(st.sampled_from(["toxicity", "efficacy"])),
                start,
                end,
                draw(st.sampled_from([True, True, True, False])),
                draw(st.sampled_from(SHARED_FIELDS)),
                SENTENCE_TEXT[start:end],
            )
        )
    uids = [f.uid for f in findings]
    settlements = [
        Settlement(f"c{n}", frozenset(draw(st.lists(st.sampled_from(uids), max_size=6))), "agreed")
        for n in range(draw(st.integers(0, 2)) if uids else 0)
    ]
    return ArticleReview(7, SENTENCE_TEXT, frozenset(reviewers), findings, settlements)


# As the service reads them, findings with the same fields text share one parsed object;
# equal objects made apart (and 14 beside 14.0) must count the same.
_ONE: dict[str, object] = {"n": 14}
SHARED_FIELDS = [
    *[_ONE] * 3,
    {"n": 14},
    {"n": 14.0},
    {"n": 15},
    {"n": [1, 2]},
    {"n": True},
    {"n": 1},
    {"g": 3},
    {"n": 14, "g": 3},
]


@settings(max_examples=300, deadline=None)
@given(_reviews())
def test_grouping_counted_in_numpy_matches_the_rule_pair_by_pair(review: ArticleReview) -> None:
    groups = article_groups(review)
    found = {frozenset(f.uid for pile in g.findings.values() for f in pile) for g in groups}
    assert found == _groups_by_the_rule(review)
    split = Sentences(review.text)
    for group in groups:  # a group's sentences: every one its findings overlap
        touched = {
            s
            for pile in group.findings.values()
            for f in pile
            if f.anchored
            for s in split.touched(f.start, f.end)
        }
        assert group.sentences == sorted(touched)


@settings(max_examples=300, deadline=None)
@given(st.lists(_reviews(), min_size=1, max_size=3))
def test_field_agreement_counted_matches_every_pair_compared(
    reviews: list[ArticleReview],
) -> None:
    tally: dict[str, list[int]] = {}
    for group in (g for review in reviews for g in article_groups(review)):
        for a, b in itertools.combinations(sorted(group.findings), 2):
            for fa in group.findings[a]:
                for fb in group.findings[b]:
                    for key in {*fa.fields, *fb.fields}:
                        counts = tally.setdefault(key, [0, 0])
                        counts[0] += 1
                        same = key in fa.fields and key in fb.fields
                        va, vb = fa.fields.get(key), fb.fields.get(key)
                        alike = va == vb and isinstance(va, bool) == isinstance(vb, bool)
                        counts[1] += int(same and alike)
    expected = {k: {"pairs": p, "agree": a, "rate": a / p} for k, (p, a) in tally.items()}
    counted = tally_groups(Columns(reviews, [Sentences(r.text) for r in reviews]))
    assert counted.field_rates() == dict(sorted(expected.items()))


def _differing_by_the_rule(group: Group) -> list[str]:
    """The keys whose values (a key left out is a value: None) one reviewer gave are not
    those another gave; True is not 1, 14 is 14.0."""

    def value(fields: dict[str, object], key: str) -> tuple[bool, object]:
        found = fields.get(key)
        return isinstance(found, bool), tuple(found) if isinstance(found, list) else found

    if len(group.findings) < 2:
        return []
    keys = sorted({k for pile in group.findings.values() for f in pile for k in f.fields})
    return [
        key
        for key in keys
        if len({frozenset(value(f.fields, key) for f in pile) for pile in group.findings.values()})
        > 1
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(_reviews(), min_size=1, max_size=3))
def test_the_fields_that_differ_counted_at_once_match_the_rule_group_by_group(
    reviews: list[ArticleReview],
) -> None:
    for group in review_groups(reviews, [Sentences(r.text) for r in reviews]):
        assert group.differing == _differing_by_the_rule(group)


@settings(max_examples=300, deadline=None)
@given(st.lists(_reviews(), min_size=1, max_size=3))
def test_disagreements_counted_without_making_groups_match_the_groups_made(
    reviews: list[ArticleReview],
) -> None:
    disagreements = [g for review in reviews for g in article_groups(review) if g.disagreement]
    counted = tally_groups(Columns(reviews, [Sentences(r.text) for r in reviews]))
    assert counted.settled == sum(1 for g in disagreements if g.settled_by)
    assert counted.open == sum(1 for g in disagreements if not g.settled_by)


def _agreement_article_by_article(
    reviews: list[ArticleReview], category: str, raters: list[str]
) -> CategoryAgreement:
    """The figures as first written: each article's ratings made on their own, then joined."""
    split = [Sentences(r.text) for r in reviews]
    counted = [i for i, r in enumerate(reviews) if len(r.reviewed_by) >= 2]
    ratings: dict[tuple[int, str], np.ndarray] = {}
    for i in counted:
        for uid in reviews[i].reviewed_by:
            rated = np.zeros(len(split[i]), dtype=bool)
            for f in reviews[i].findings:
                if f.reviewer == uid and f.category == category and f.anchored:
                    rated[split[i].touched(f.start, f.end)] = True
            ratings[(i, uid)] = rated
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
        kappa = agreement.kappa_of_table(table)
        positive = agreement.positive_agreement_of_table(table)
        pairs.append(PairAgreement(a, b, int(table.sum()), kappa, positive))
    everyone = [i for i in counted if set(raters) <= reviews[i].reviewed_by]
    fleiss = None
    if len(raters) >= 2 and everyone:
        positive_by = np.concatenate(
            [np.sum([ratings[(i, r)] for r in raters], axis=0) for i in everyone]
        )
        fleiss = agreement.fleiss_kappa(np.stack([len(raters) - positive_by, positive_by], 1))
    alpha = None
    if len(raters) >= 2:
        codes = np.full((len(raters), sum(len(split[i]) for i in counted)), np.nan)
        at = 0
        for i in counted:
            for row, rater in enumerate(raters):
                if (i, rater) in ratings:
                    codes[row, at : at + len(split[i])] = ratings[(i, rater)]
            at += len(split[i])
        alpha = agreement.krippendorff_alpha_of_codes(codes)
    return CategoryAgreement(sum(len(split[i]) for i in counted), pairs, fleiss, alpha)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_reviews(), min_size=1, max_size=3),
    st.lists(st.sampled_from("abcd"), min_size=1, max_size=4, unique=True),
)
def test_agreement_over_columns_matches_article_by_article(
    reviews: list[ArticleReview], raters: list[str]
) -> None:
    raters.sort()
    for category in ("toxicity", "efficacy", "mechanism"):
        expected = _agreement_article_by_article(reviews, category, raters)
        assert (
            category_agreement(reviews, [Sentences(r.text) for r in reviews], category, raters)
            == expected
        )


def test_a_quote_said_to_start_before_its_text_stays_in_its_own_article() -> None:
    first = ArticleReview(1, "Alpha one. Alpha two.", frozenset({"a", "b"}), [])
    text = "Beta one. Beta two."
    findings = [
        ReviewFinding("u1", "a", "toxicity", -3, 8, True, {"n": 1}, "Beta one"),
        ReviewFinding("u2", "b", "toxicity", 0, 8, True, {"n": 1}, "Beta one"),
    ]
    second = ArticleReview(2, text, frozenset({"a", "b"}), findings)
    [group] = review_groups([first, second], [Sentences(first.text), Sentences(text)])
    assert (group.article_id, group.sentences, group.sentence) == (2, [0], "Beta one.")
