"""Vancouver citations for briefs and tables."""

from __future__ import annotations

from reviewapp.core.citation import short_citation, vancouver, vancouver_authors
from reviewapp.core.models import Article

SEVEN = ["Luskin MR", "Yin J", "Lozanski G", "Geyer S", "Stock W", "Larson RA", "Wang ES"]


def test_up_to_six_authors_are_all_listed() -> None:
    assert vancouver_authors(SEVEN[:6]) == ", ".join(SEVEN[:6])
    assert vancouver_authors(SEVEN[:1]) == "Luskin MR"
    assert vancouver_authors([]) == ""


def test_more_than_six_authors_become_the_first_six_et_al() -> None:
    assert vancouver_authors(SEVEN) == ", ".join(SEVEN[:6]) + ", et al"
    assert "Wang ES" not in vancouver_authors(SEVEN)


def test_vancouver_reference() -> None:
    article = Article(
        title="Alemtuzumab with chemotherapy in adult ALL",
        authors=SEVEN,
        journal="Cancer",
        year=2025,
        doi="10.1002/cncr.35750",
    )
    assert vancouver(article) == (
        "Luskin MR, Yin J, Lozanski G, Geyer S, Stock W, Larson RA, et al. "
        "Alemtuzumab with chemotherapy in adult ALL. Cancer. 2025. doi:10.1002/cncr.35750"
    )


def test_vancouver_with_only_a_title_ending_in_a_question_mark() -> None:
    assert vancouver(Article(title="Is CD52 a target?")) == "Is CD52 a target?"


def test_short_citation() -> None:
    one = Article(title="T", authors=["Rivera P"], journal="J Fict Oncol", year=2024)
    many = Article(title="T", authors=SEVEN, journal="Cancer", year=2025)
    bare = Article(title="A" * 80)
    assert short_citation(one) == "Rivera, J Fict Oncol 2024"
    assert short_citation(many) == "Luskin et al, Cancer 2025"
    assert short_citation(bare) == "A" * 59 + "…"  # cut at a word (none here), marked
    particle = Article(title="T", authors=["van der Berg JH", "Okafor N"], journal="Blood")
    assert short_citation(particle) == "van der Berg et al, Blood"
