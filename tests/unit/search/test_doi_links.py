"""A DOI written as a doi.org link is indexed, and searchable, as the DOI itself."""

from __future__ import annotations

from reviewapp.search.analysis import OncologyAnalyzer
from reviewapp.services.library import LibrarySession


def test_doi_written_as_a_doi_org_link_is_indexed_whole() -> None:
    terms = [t.text for t in OncologyAnalyzer()("DOI: https://doi.org/10.9999/JFO.2024.0042.")]
    assert "10.9999/jfo.2024.0042" in terms


def test_free_text_search_for_a_doi_finds_the_article_that_links_it(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    assert [r.article_id for r in session.search("10.9999/jfo.2024.0042")] == [fixture_ids["kras"]]


def test_pasting_a_doi_link_as_the_query_finds_the_article(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    hits = session.search("https://doi.org/10.9999/JFO.2024.0042")
    assert [r.article_id for r in hits] == [fixture_ids["kras"]]
