"""Snippets: an HTML-escaped excerpt around the matches, trimmed, with each match in <b>."""

from __future__ import annotations

from reviewapp.search.snippets import make_snippet, marked_spans, match_spans


def test_snippet_of_text_that_starts_with_blank_lines_is_trimmed() -> None:
    text = "\n\nCMV viremia & other <events> occurred in 23.3% of patients.\n"
    snippet = make_snippet(text, {"cmv", "viremia"})
    assert snippet.startswith("<b>CMV</b> <b>viremia</b> &amp; other &lt;events&gt;")
    assert snippet == snippet.strip()


def test_snippet_without_matches_is_the_trimmed_opening() -> None:
    assert make_snippet("\n  Opening line\nsecond", set()) == "Opening line second"


def test_match_spans_merge_a_compound_and_its_parts() -> None:
    text = "a T-cell engager"
    assert match_spans(text, {"t", "cell", "t-cell"}) == [(2, 8)]


def test_a_phrase_is_shown_where_it_stands_not_where_its_words_are_many() -> None:
    scattered = "Median age 61; the median dose and median cycles varied, with follow-up visits. "
    filler = "Patients were enrolled at twelve centres across three countries over two years. " * 4
    text = scattered + filler + "At a median follow-up of 24 months, 31 patients had relapsed."
    snippet = make_snippet(text, {"median", "follow-up", "follow", "up"}, width=90)
    assert "<b>median</b> <b>follow-up</b> of 24 months" in snippet
    # words merely many, none side by side: the densest window, as before
    assert make_snippet(scattered + filler, {"median"}, width=90).startswith("<b>Median</b> age")


def test_a_phrase_is_marked_where_it_stands_and_its_words_elsewhere_are_not() -> None:
    text = (
        "The median age was 61. At a median follow-up of 24 months, 31 relapsed. "
        "Follow-up visits were monthly; median follow-up in the other arm was 22 months."
    )
    terms = {"median", "follow-up", "follow", "up"}

    def marked(query: str) -> list[str]:
        return [text[a:b] for a, b in marked_spans(text, terms, query)]

    assert marked('"median follow-up"') == ["median", "follow-up"] * 2
    # a word the query names outside the phrase too is marked wherever it is
    assert marked('"median follow-up" OR median') == ["median"] + ["median", "follow-up"] * 2
    assert marked("median follow-up") == [text[a:b] for a, b in match_spans(text, terms)]
    # a phrase that stands nowhere side by side: its words, wherever they are
    across = "Survival was longer at the median. Follow-up continues."
    assert [across[a:b] for a, b in marked_spans(across, terms, '"median follow-up"')] == [
        "median",
        "Follow-up",
    ]
