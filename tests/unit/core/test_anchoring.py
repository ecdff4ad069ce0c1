"""Anchoring a quote in an article's text and finding it again after the text changes."""

from __future__ import annotations

import pytest

from reviewapp.core.anchoring import CONTEXT_CHARS, anchor_at, locate_quote, refind
from reviewapp.core.models import Anchor

TEXT = (
    "Adding the antibody did not improve survival.\n"
    "CMV viremia was the adverse event that stood out: it occurred in 23.3% (14/60)\n"
    "   of patients during treatment. The authors call the result “clinically relevant” — "
    "a view others share.\n"
)


def test_exact_quote_is_anchored_with_offsets_and_context() -> None:
    quote = "CMV viremia was the adverse event"
    anchor = locate_quote(TEXT, quote)
    assert anchor is not None
    assert TEXT[anchor.start : anchor.end] == quote == anchor.quote
    assert anchor.before == TEXT[max(0, anchor.start - CONTEXT_CHARS) : anchor.start]
    assert anchor.after == TEXT[anchor.end : anchor.end + CONTEXT_CHARS]
    assert len(anchor.after) == CONTEXT_CHARS


def test_quote_with_different_white_space_keeps_the_article_text() -> None:
    anchor = locate_quote(TEXT, "it occurred in 23.3% (14/60) of patients")
    assert anchor is not None
    assert anchor.quote == "it occurred in 23.3% (14/60)\n   of patients"
    assert TEXT[anchor.start : anchor.end] == anchor.quote


def test_straight_quotes_and_hyphen_match_curly_quotes_and_dash() -> None:
    anchor = locate_quote(TEXT, 'call the result "clinically relevant" - a view')
    assert anchor is not None
    assert anchor.quote == "call the result “clinically relevant” — a view"


def test_curly_quote_in_the_quote_matches_a_straight_one_in_the_text() -> None:
    anchor = locate_quote('He said "yes" twice.', "said “yes”")
    assert anchor is not None
    assert anchor.quote == 'said "yes"'


def test_quote_not_in_text_or_blank_gives_none() -> None:
    assert locate_quote(TEXT, "CMV pneumonitis") is None
    assert locate_quote(TEXT, "   ") is None
    assert locate_quote(TEXT, "") is None


def test_regex_characters_in_the_quote_are_literal() -> None:
    assert locate_quote(TEXT, "23.3% (14/60)") is not None
    assert locate_quote("rate 2303 x", "23.3") is None


def test_repeated_quote_first_occurrence_by_default_nearest_with_near() -> None:
    text = "grade 3 rash. " * 5
    first = locate_quote(text, "grade 3 rash")
    assert first is not None
    assert first.start == 0
    positions = [i * 14 for i in range(5)]
    for target, expected in ((30, 28), (41, 42), (1000, 56), (0, 0)):
        anchor = locate_quote(text, "grade 3 rash", near=target)
        assert anchor is not None
        assert anchor.start == expected
        assert anchor.start in positions


def test_anchor_at_refuses_spans_outside_the_text() -> None:
    for start, end in ((-1, 3), (3, 3), (5, 2), (0, len(TEXT) + 1)):
        with pytest.raises(ValueError, match="outside the text"):
            anchor_at(TEXT, start, end)
    whole = anchor_at(TEXT, 0, len(TEXT))
    assert whole.quote == TEXT
    assert whole.before == whole.after == ""


def test_refind_keeps_offsets_when_the_text_is_unchanged() -> None:
    anchor = locate_quote(TEXT, "CMV viremia")
    assert anchor is not None
    assert refind(anchor, TEXT) == anchor


def test_refind_follows_the_quote_when_text_is_inserted_before_it() -> None:
    anchor = locate_quote(TEXT, "it occurred in 23.3%")
    assert anchor is not None
    shifted = "Editor's note: this summary was revised.\n\n" + TEXT
    found = refind(anchor, shifted)
    assert found is not None
    assert found.start == anchor.start + len("Editor's note: this summary was revised.\n\n")
    assert found.quote == anchor.quote
    assert shifted[found.start : found.end] == anchor.quote


def test_refind_prefers_the_occurrence_with_the_same_context() -> None:
    text = "Arm A: grade 3 rash in 4 patients. Arm B: grade 3 rash in 9 patients."
    anchor = locate_quote(text, "grade 3 rash", near=40)
    assert anchor is not None
    assert anchor.after.startswith(" in 9")
    # Re-imported with the arms swapped and a line added: the stored offset is now wrong.
    swapped = "Revised. Arm B: grade 3 rash in 9 patients. Arm A: grade 3 rash in 4 patients."
    assert swapped[anchor.start : anchor.end] != anchor.quote
    found = refind(anchor, swapped)
    assert found is not None
    assert found.start == swapped.index("grade 3 rash in 9")
    assert found.quote == "grade 3 rash"


def test_refind_gives_none_when_the_quote_is_gone() -> None:
    anchor = Anchor(start=0, end=11, quote="CMV viremia", before="", after=" was")
    assert refind(anchor, "No viral events were seen.") is None
