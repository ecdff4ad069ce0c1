"""DOIs in the wild: Markdown links, curly quotes, dashes, HTML escapes, errata lines."""

from __future__ import annotations

import pytest

from reviewapp.core.identifiers import find_dois
from reviewapp.core.models import DoiRelation


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("[10.1002/x.1](https://doi.org/10.1002/x.1)", "10.1002/x.1"),
        ("“doi:10.1002/abc.1”", "10.1002/abc.1"),
        ("see 10.1056/NEJMoa2307980… and more", "10.1056/nejmoa2307980"),
        ("10.1002/a.2—which was retracted", "10.1002/a.2"),
        ("<p>10.1002/b.3&gt; after</p>", "10.1002/b.3"),
        ("(doi: 10.1016/S0140-6736(23)01234-5).", "10.1016/s0140-6736(23)01234-5"),
    ],
)
def test_a_doi_ends_where_the_doi_ends(text: str, doi: str) -> None:
    assert [ref.doi for ref in find_dois(text)] == [doi]


def test_an_erratum_line_marks_its_doi_as_a_correction() -> None:
    text = (
        "Main study. Cancer. 2025;131(4):e35750. doi:10.1002/cncr.35750\n"
        "Erratum in: Cancer. 2025;131(6):e35803. doi: 10.1002/cncr.35803.\n"
    )
    relations = {ref.doi: ref.relation for ref in find_dois(text)}
    assert relations == {
        "10.1002/cncr.35750": DoiRelation.SOURCE,
        "10.1002/cncr.35803": DoiRelation.CORRECTION,
    }


def test_a_doi_in_the_paragraph_after_an_erratum_line_is_the_articles_own() -> None:
    text = "Erratum in: doi:10.5555/fix.1.\n\nThis study (doi:10.5555/own.2) enrolled 60 adults."
    relations = {ref.doi: ref.relation for ref in find_dois(text)}
    assert relations == {
        "10.5555/fix.1": DoiRelation.CORRECTION,
        "10.5555/own.2": DoiRelation.SOURCE,
    }
