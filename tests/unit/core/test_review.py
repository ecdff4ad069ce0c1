"""Sentences, groups of findings and disagreements, from plain data."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewapp.core.review import (
    ArticleReview,
    ReviewFinding,
    Settlement,
    article_groups,
    category_agreement,
    field_agreement,
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
    fields = field_agreement(article_groups(reviews[0]))
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
                {"n": draw(st.sampled_from([14, 14.0, 15, [1, 2]]))},
                SENTENCE_TEXT[start:end],
            )
        )
    return ArticleReview(7, SENTENCE_TEXT, frozenset(reviewers), findings)


@settings(max_examples=300, deadline=None)
@given(_reviews())
def test_grouping_counted_in_numpy_matches_the_rule_pair_by_pair(review: ArticleReview) -> None:
    found = {
        frozenset(f.uid for pile in g.findings.values() for f in pile)
        for g in article_groups(review)
    }
    assert found == _groups_by_the_rule(review)


@settings(max_examples=300, deadline=None)
@given(_reviews())
def test_field_agreement_counted_matches_every_pair_compared(review: ArticleReview) -> None:
    groups = [g for g in article_groups(review) if len(g.findings) >= 2]
    tally: dict[str, list[int]] = {}
    for group in groups:
        for a, b in itertools.combinations(sorted(group.findings), 2):
            for fa in group.findings[a]:
                for fb in group.findings[b]:
                    for key in {*fa.fields, *fb.fields}:
                        counts = tally.setdefault(key, [0, 0])
                        counts[0] += 1
                        counts[1] += int(fa.fields.get(key) == fb.fields.get(key))
    expected = {k: {"pairs": p, "agree": a, "rate": a / p} for k, (p, a) in tally.items()}
    assert field_agreement(groups) == expected
