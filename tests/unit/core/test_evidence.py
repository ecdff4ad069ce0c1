"""Design, headlines and cross-article summaries derived for the brief."""

from __future__ import annotations

import pytest

from reviewapp.core.anchoring import anchor_at
from reviewapp.core.evidence import (
    efficacy_headline,
    efficacy_rows,
    mechanism_headline,
    study_design,
    toxicity_headline,
    toxicity_matrix,
)
from reviewapp.core.models import Anchor, Article, Category, Finding


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "This study enrolled 295 evaluable adult ALL patients. Phase 1 assessed",
            "Phase 1, N = 295",
        ),
        ("a phase 1/2 study of 295 evaluable adults", "Phase 1/2, N = 295"),
        ("A randomized phase III trial (n = 612)", "Phase 3, randomised, N = 612"),
        ("In this trial, 200 patients with untreated disease", "N = 200"),
        ("An editorial without numbers.", "not stated"),
        # Counts that are not the number of patients are not taken (review findings).
        ("We enrolled 12 sites with 340 patients", "not stated"),
        ("between 2019 and March 2021 patients were enrolled at", "not stated"),
        ("Since 2019 patients with relapsed CLL", "not stated"),
        ("conducted in 2025 adults with AML", "not stated"),
        ("We treated 30 of 45 patients", "not stated"),
        ("A total of 1,234 patients were enrolled", "N = 1234"),
        ("(n = 14) in one arm; 212 patients were randomized", "randomised, N = 212"),
        ("single-arm, non-randomized phase 1b study; recommended phase 2 dose", "Phase 1b"),
        ("a phase I-II study", "Phase 1/2"),
        ("induction phase 4 cycles of R-CHOP", "not stated"),
        ("Unlike the phase 3 KEYNOTE-189 trial, this phase 2 study", "Phase 2"),
    ],
)
def test_study_design_reads_phase_randomisation_and_n(text: str, label: str) -> None:
    assert study_design(text).label() == label


def _f(category: Category, **fields: object) -> Finding:
    return Finding(
        article_id=1, category=category, anchor=Anchor(0, 1, "x", "", ""), fields=dict(fields)
    )


def test_toxicity_headline_prefers_severe_then_frequent() -> None:
    findings = [
        _f(Category.TOXICITY, event="fatigue", grade="any", incidence_pct=60.0),
        _f(Category.TOXICITY, event="neutropenia", grade="≥3", incidence_pct=31.0, n=31, N=100),
        _f(Category.TOXICITY, event="rash", grade="≥3", incidence_pct=5.0),
    ]
    assert toxicity_headline(findings) == "neutropenia, grade ≥3: 31% (31/100)"
    assert toxicity_headline([]) == "—"


def test_efficacy_and_mechanism_headlines() -> None:
    findings = [
        _f(Category.EFFICACY, endpoint="OS", direction="no difference"),
        _f(
            Category.EFFICACY,
            endpoint="PFS",
            measure="HR",
            value=0.62,
            ci_low=0.48,
            ci_high=0.8,
            p_value="<0.001",
            direction="benefit",
        ),
        _f(
            Category.MECHANISM,
            agent="alveltamig",
            aliases=["ZG006"],
            modality="trispecific T-cell engager",
            targets=["DLL3", "CD3"],
        ),
    ]
    assert efficacy_headline(findings) == "PFS HR 0.62 (95% CI 0.48–0.8), p <0.001, benefit"
    assert mechanism_headline(findings) == (
        "alveltamig (ZG006); trispecific T-cell engager; targets DLL3, CD3"
    )


def test_toxicity_matrix_groups_events_across_articles_and_fills_percentages() -> None:
    a, b = Article(title="A", id=1), Article(title="B", id=2)
    items = [
        (a, [_f(Category.TOXICITY, event="CMV viremia", n=14, N=60, timing="during")]),
        (b, [_f(Category.TOXICITY, event="cmv viremia", incidence_pct=29.2)]),
    ]
    matrix = toxicity_matrix(items)
    assert matrix.events == ["CMV viremia"]
    assert matrix.cells[("CMV viremia", 1)][0].incidence_pct == 23.3
    assert matrix.cells[("CMV viremia", 2)][0].label() == "29.2%"


def test_efficacy_rows_are_ordered_by_endpoint_and_keep_ratios() -> None:
    text = "x"
    rows = efficacy_rows(
        [
            (
                Article(title="A", id=1),
                [
                    _f(
                        Category.EFFICACY,
                        endpoint="PFS",
                        measure="HR",
                        value=0.9,
                        ci_low=0.7,
                        ci_high=1.1,
                    ),
                    Finding(
                        article_id=1,
                        category=Category.EFFICACY,
                        anchor=anchor_at(text, 0, 1),
                        fields={
                            "endpoint": "OS",
                            "measure": "median",
                            "value": 12.4,
                            "unit": "months",
                        },
                    ),
                ],
            )
        ]
    )
    assert [r.endpoint for r in rows] == ["OS", "PFS"]
    assert rows[0].hr is None and rows[1].hr == (0.9, 0.7, 1.1)
