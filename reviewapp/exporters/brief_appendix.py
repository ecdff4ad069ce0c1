"""The brief's agreement appendix: who reviewed, on how many sentences, how well they agreed
(Cohen's κ with its interval per pair, Fleiss' κ and Krippendorff's α per category), and how
many disagreements the club settled or left open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, Spacer

from reviewapp.exporters.pdf_base import Styles


@dataclass(frozen=True)
class PairFigures:
    a: str
    b: str
    units: int
    kappa: float | None
    low: float | None
    high: float | None
    positive_agreement: float | None


@dataclass(frozen=True)
class CategoryFigures:
    category: str
    units: int
    pairs: list[PairFigures]
    fleiss_kappa: float | None
    krippendorff_alpha: float | None


@dataclass
class AgreementSummary:
    reviewers: list[str]
    articles: int  # reviewed by two or more
    categories: list[CategoryFigures] = field(default_factory=list)
    settled: int = 0
    open: int = 0


def _used(result: CategoryFigures) -> bool:
    """Whether any reviewer tagged the category (else every figure is undefined)."""
    return result.krippendorff_alpha is not None or any(
        pair.positive_agreement is not None for pair in result.pairs
    )


def figure(value: float | None) -> str:
    """A statistic as printed: two decimals, a dash where it is undefined."""
    return "—" if value is None else f"{value:.2f}".replace("-", "−")


def appendix_story(
    summary: AgreementSummary,
    styles: Styles,
    width: float,
    paragraph: Callable[[str, Any], Flowable],
    table: Callable[[list[list[Any]], list[float], Styles], Flowable],
    head: Callable[[list[str], Styles], list[Any]],
    section: Callable[[str, str, Styles, int], list[Flowable]],
) -> list[Flowable]:
    """The appendix's flowables, built with the brief's own helpers (paragraph, table,
    header row, section opening), so that it looks like the rest of the brief."""
    story: list[Flowable] = [
        *section("Agreement appendix", "agreement", styles, 60),
        paragraph(
            f"<b>Reviewers:</b> {', '.join(summary.reviewers)}. The units are the sentences of "
            f"the {summary.articles} articles that two or more of them marked reviewed; a "
            "reviewer rates a sentence positive in a category when one of their findings in it "
            "overlaps the sentence. Per pair, over the articles both reviewed: Cohen's κ with "
            "its 95% interval (Fleiss, Cohen and Everitt 1969) and positive specific agreement "
            "(pos. agr.). Fleiss' κ over the articles every reviewer reviewed; Krippendorff's "
            "α (Kripp. α, nominal) over all of them, a reviewer who did not review an article "
            "counting as missing. A dash: not defined (no units, or a category nobody used).",
            styles.body,
        ),
        Spacer(1, 4),
    ]
    labels = ["Category", "Units", "Pair", "Cohen's κ (95% CI)", "Pos. agr."]
    rows = [head([*labels, "Fleiss' κ", "Kripp. α"], styles)]
    used = [r for r in summary.categories if _used(r)]
    unused = [r.category for r in summary.categories if not _used(r)]
    for result in used:
        pairs: list[PairFigures | None] = list(result.pairs) or [None]
        for i, pair in enumerate(pairs):
            kappa = (
                f"{figure(pair.kappa)} ({figure(pair.low)} to {figure(pair.high)})"
                if pair is not None and pair.kappa is not None
                else "—"
            )
            rows.append(
                [
                    paragraph(result.category.capitalize() if i == 0 else "", styles.cell),
                    paragraph(f"{result.units:,}" if i == 0 else "", styles.cell),
                    paragraph(f"{pair.a} – {pair.b}" if pair is not None else "—", styles.cell),
                    paragraph(kappa, styles.cell),
                    paragraph(
                        figure(pair.positive_agreement) if pair is not None else "—", styles.cell
                    ),
                    paragraph(figure(result.fleiss_kappa) if i == 0 else "", styles.cell),
                    paragraph(figure(result.krippendorff_alpha) if i == 0 else "", styles.cell),
                ]
            )
    shares = [0.12, 0.09, 0.27, 0.2, 0.1, 0.11, 0.11]
    story.append(table(rows, [width * s for s in shares], styles))
    story.append(Spacer(1, 6))
    if unused:
        story.append(
            paragraph(
                f"No reviewer tagged {' or '.join(c for c in unused)} findings in these "
                "articles: no agreement can be measured there.",
                styles.body,
            )
        )
    story.append(
        paragraph(
            f"<b>Disagreements:</b> {summary.settled} settled by the club's consensus, "
            f"{summary.open} left open.",
            styles.body,
        )
    )
    return story
