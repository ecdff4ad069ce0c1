"""Sentences, groups of findings and disagreements, from plain data."""

from __future__ import annotations

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
