"""What a parsed file holds: its records in file order, each an article or a reason."""

from __future__ import annotations

from reviewapp.core.models import Article
from reviewapp.importers.base import ParsedFile, ParsedRecord


def test_articles_and_problems_keep_file_order() -> None:
    first = Article(title="Tarlatamab in relapsed SCLC")
    third = Article(title="Ifinatamab deruxtecan in ES-SCLC")
    parsed = ParsedFile(
        [
            ParsedRecord("record 1 (line 1)", article=first),
            ParsedRecord("record 2 (line 14)", problem="the record has no title"),
            ParsedRecord("record 3 (line 20)", article=third),
            ParsedRecord("record 4 (line 31)", problem="the title is 2,400 characters long"),
        ],
        format="ris",
    )
    assert parsed.articles == [first, third]
    assert [(p.label, p.problem) for p in parsed.problems] == [
        ("record 2 (line 14)", "the record has no title"),
        ("record 4 (line 31)", "the title is 2,400 characters long"),
    ]


def test_an_empty_file_has_neither() -> None:
    parsed = ParsedFile()
    assert (parsed.articles, parsed.problems, parsed.format) == ([], [], "")
