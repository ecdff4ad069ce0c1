"""An article's text as sentences: the units reviewers agree or disagree on.

A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets) followed by
white space and a capital letter, a digit or an opening bracket, or at a line break; a
line break inside a paragraph of a plain-text article is a sentence end too, since titles,
headings and bullet items stand on lines of their own. Abbreviations common in clinical
text (``vs.``, ``et al.``, ``e.g.``, ``approx.``, ``Fig.``, ``No.``, single capital initials)
and decimal numbers (``23.3``) never end a sentence.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right

import numpy as np

_ABBREVIATIONS = frozenset(
    {
        "vs",
        "et al",
        "e.g",
        "i.e",
        "approx",
        "fig",
        "figs",
        "no",
        "nos",
        "dr",
        "prof",
        "ref",
        "refs",
        "mg",
        "ca",
        "cf",
        "incl",
        "ed",
        "eds",
        "vol",
        "suppl",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "st",
        "inc",
        "co",
        "ltd",
    }
)
_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_LOOK_BACK = 40  # longer than any abbreviation: a longer word is not one either way


def _ends_here(text: str, dot: int) -> bool:
    """Whether the punctuation at ``dot`` ends a sentence (not an abbreviation)."""
    if text[dot] != ".":
        return True
    # Only the few characters before the dot: searching from the start of the text made
    # splitting an article quadratic in its length (a 150-sentence text took 60 ms).
    word = _WORD_BEFORE.search(text, max(0, dot - _LOOK_BACK), dot)
    if word is None:
        return True
    token = word.group(1).lower().rstrip(".")
    if token in _ABBREVIATIONS:
        return False
    return not (len(token) == 1 and token.isalpha() and word.group(1)[0].isupper())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of every sentence of ``text``, white space trimmed, in
    order; they do not overlap."""
    cuts = {0, len(text)}
    for match in _END.finditer(text):
        if _ends_here(text, match.start()):
            cuts.add(match.end())
    for match in re.finditer(r"\n", text):
        cuts.add(match.start())
        cuts.add(match.end())
    spans = []
    for cut, next_cut in itertools.pairwise(sorted(cuts)):
        start, end = cut, next_cut
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def sentence_ranges(
    span_starts: np.ndarray,
    span_ends: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    anchored: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For each span ``start``–``end`` (``anchored`` false: none), the first and last of
    these sentences it overlaps (``first > last`` for none)."""
    first = np.searchsorted(span_ends, start, "right")
    last = np.searchsorted(span_starts, end, "left") - 1
    empty = ~anchored | (end <= start)
    first[empty], last[empty] = 0, -1
    return first, last


class Sentences:
    """An article's sentences, and which of them a span of its text overlaps."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = sentence_spans(text)
        self._starts = [start for start, _end in self.spans]
        self._touched: dict[tuple[int, int], list[int]] = {}  # reviewers quote alike
        self._span_starts: np.ndarray | None = None
        self._span_ends: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.spans)

    def touched(self, start: int, end: int) -> list[int]:
        """The indexes of the sentences that ``[start, end)`` overlaps (a list kept for the
        next finding on the same span: not to be changed)."""
        if end <= start:
            return []
        key = (start, end)
        known = self._touched.get(key)
        if known is None:
            known = self._touched[key] = self._find_touched(start, end)
        return known

    def _find_touched(self, start: int, end: int) -> list[int]:
        first = max(bisect_right(self._starts, start) - 1, 0)
        touched = []
        for index in range(first, len(self.spans)):
            sentence_start, sentence_end = self.spans[index]
            if sentence_start >= end:
                break
            if sentence_end > start:
                touched.append(index)
        return touched

    def span_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Where each sentence starts and ends, in numpy."""
        if self._span_starts is None or self._span_ends is None:
            spans = np.array(self.spans, dtype=np.int64).reshape(-1, 2)
            self._span_starts, self._span_ends = spans[:, 0], spans[:, 1]
        return self._span_starts, self._span_ends

    def sentence(self, index: int) -> str:
        start, end = self.spans[index]
        return self.text[start:end]
