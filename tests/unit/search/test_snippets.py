"""Snippets: an HTML-escaped excerpt around the matches, trimmed, with each match in <b>."""

from __future__ import annotations

from reviewapp.search.snippets import make_snippet, match_spans


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
