"""Snippets with the matched words highlighted, and match spans for the reader.

Built from the text the store holds (the index stores no text), using the same analyzer
as the index, so "viremia" highlights "viraemia"-free stems and "PD-L1" highlights whole.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

from reviewapp.search.analysis import OncologyAnalyzer, index_terms

_ANALYZER = OncologyAnalyzer()
SNIPPET_CHARS = 240
# Matches are looked for in the first 200,000 characters (some 30,000 words): a snippet
# needs one good excerpt, not every occurrence in a book-length text.
MAX_SCANNED = 200_000
# How many leading letters of a term a word must share to be analysed (see match_spans).
_HEAD = 3
# Stretches of text up to this long (words, with their punctuation) are analysed once and
# remembered; longer ones (a URL, a table without spaces) each time.
_CACHED_WORD = 64
_WHITESPACE = re.compile(r"\s")


def match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` whose indexed terms are among ``terms``, merged.

    Only the words that could yield a wanted term are analysed: an indexed term begins
    with the first letters of the word it comes from (stemming changes endings only), so
    a search for those beginnings finds every candidate, and the analyser then runs on the
    whitespace-bounded stretch around each. Analysing whole texts cost 40 ms a query.
    """
    wanted = set(terms)
    if not wanted or not text:
        return []
    text = text[:MAX_SCANNED]
    heads = sorted({term[:_HEAD].lower() for term in wanted if term}, key=len, reverse=True)
    candidates = re.compile("|".join(re.escape(head) for head in heads), re.IGNORECASE)
    spans: list[tuple[int, int]] = []
    analysed_to = 0
    for match in candidates.finditer(text):
        if match.start() < analysed_to:
            continue
        begin = match.start()
        while begin > 0 and not text[begin - 1].isspace():
            begin -= 1
        end_match = _WHITESPACE.search(text, match.end())
        end = end_match.start() if end_match else len(text)
        stretch = text[begin:end]
        if len(stretch) <= _CACHED_WORD:
            terms_here: Iterable[tuple[str, int, int]] = _terms_of_word(stretch)
        else:
            terms_here = index_terms(_ANALYZER, stretch)
        for term, term_start, term_end in terms_here:
            if term in wanted:
                spans.append((begin + term_start, begin + term_end))
        analysed_to = end
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start_char, end_char in spans:
        if merged and start_char <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end_char, merged[-1][1]))
        else:
            merged.append((start_char, end_char))
    return merged


_QUOTED = re.compile(r'"([^"]*)"')


def marked_spans(text: str, terms: Iterable[str], query: str = "") -> list[tuple[int, int]]:
    """``match_spans``, with the words of the query's quoted phrases marked only where the
    phrase stands (its words in order, side by side); a word the query also names outside
    a phrase is marked wherever it is, and a phrase found nowhere side by side (its words
    across a sentence's end) has its words marked wherever they are, as before."""
    wanted = frozenset(terms)
    spans = match_spans(text, wanted)
    phrases = [_words_terms(phrase, wanted) for phrase in _QUOTED.findall(query)]
    phrases = [words for words in phrases if words]
    if not phrases or not spans:
        return spans
    free = _terms_of(_QUOTED.sub(" ", query)) & wanted
    found = [frozenset(t for t, _s, _e in _terms_of_word(text[a:b])) for a, b in spans]
    keep = [bool(terms_here & free) for terms_here in found]
    for words in phrases:
        if not _mark_phrase(words, spans, found, keep, text):
            every = frozenset().union(*words)
            keep = [k or bool(here & every) for k, here in zip(keep, found, strict=True)]
    return [span for span, kept in zip(spans, keep, strict=True) if kept]


def _words_terms(phrase: str, wanted: frozenset[str]) -> list[frozenset[str]]:
    """A phrase's words, each as the index terms of it a search matched; none if a word
    has none of them (it cannot be told where the phrase stands)."""
    words = [_terms_of(word) & wanted for word in phrase.split()]
    return words if words and all(words) else []


def _terms_of(text: str) -> frozenset[str]:
    return frozenset(term for term, _start, _end in index_terms(_ANALYZER, text))


def _mark_phrase(
    words: list[frozenset[str]],
    spans: list[tuple[int, int]],
    found: list[frozenset[str]],
    keep: list[bool],
    text: str,
) -> bool:
    """Mark (in ``keep``) each run of spans that holds the phrase's words in order, side by
    side; whether there was one."""
    marked = False
    size = len(words)
    for first in range(len(spans) - size + 1):
        run = range(first, first + size)
        if all(words[i - first] & found[i] for i in run) and all(
            _ADJACENT.fullmatch(text[spans[i][1] : spans[i + 1][0]]) for i in run[:-1]
        ):
            for i in run:
                keep[i] = True
            marked = True
    return marked


@lru_cache(maxsize=50_000)
def _terms_of_word(stretch: str) -> tuple[tuple[str, int, int], ...]:
    """The indexed terms of one whitespace-bounded stretch of text, with their spans.
    Abstracts repeat their words ("cancer", "(NSCLC)"), and each is analysed once."""
    return tuple(index_terms(_ANALYZER, stretch))


def make_snippet(
    text: str,
    terms: Iterable[str],
    width: int = SNIPPET_CHARS,
    spans: list[tuple[int, int]] | None = None,
) -> str:
    """An HTML-escaped excerpt of ``text`` around the densest cluster of matches, with each
    match in <b>…</b>; the opening of the text when nothing matches. Pass ``spans`` when
    they are already known, to analyse the text only once."""
    if spans is None:
        spans = match_spans(text, terms)
    if not spans:
        excerpt = text.lstrip()[:width]
        return html.escape(_tidy(excerpt).strip() + ("…" if len(text.lstrip()) > width else ""))
    # The window shown starts a quarter of its width before the best matches: they are
    # looked for in the three quarters after.
    best_start = _densest_window(spans, width - width // 4, text)
    window_start = max(0, best_start - width // 4)
    while window_start > 0 and not text[window_start - 1].isspace():
        window_start -= 1
    window_end = min(len(text), window_start + width)
    while window_end < len(text) and not text[window_end].isspace():
        window_end += 1
    parts: list[str] = ["…"] if window_start > 0 else []
    cursor = window_start
    for span_start, span_end in spans:
        if span_end <= window_start or span_start >= window_end:
            continue
        start, end = max(span_start, window_start), min(span_end, window_end)
        parts.append(html.escape(_tidy(text[cursor:start])))
        parts.append("<b>" + html.escape(text[start:end]) + "</b>")
        cursor = end
    parts.append(html.escape(_tidy(text[cursor:window_end])))
    if window_end < len(text):
        parts.append("…")
    return "".join(parts).strip()


def _densest_window(spans: list[tuple[int, int]], width: int, text: str) -> int:
    """The start of the span that begins the window of ``width`` with the most matches side
    by side (only spaces or a hyphen between: a phrase's words, as in "median follow-up"),
    then the most matches: a phrase searched for is shown where it stands rather than where
    its words are merely many (two pointers over the sorted spans: linear, however many
    matches there are)."""
    weights = [1] + [
        _ADJACENT_WEIGHT if _ADJACENT.fullmatch(text[before[1] : after[0]]) else 1
        for before, after in itertools.pairwise(spans)
    ]
    total = list(itertools.accumulate(weights, initial=0))  # total[k]: weights[:k] summed
    best_start, best_score, ahead = spans[0][0], 0, 0
    for i, (start, _end) in enumerate(spans):
        ahead = max(ahead, i + 1)
        while ahead < len(spans) and spans[ahead][0] < start + width:
            ahead += 1
        # the window's first match counts once, whatever stands before it
        score = 1 + total[ahead] - total[i + 1]
        if score > best_score:
            best_start, best_score = start, score
    return best_start


_ADJACENT = re.compile(r"[ \t-]{1,2}")
_ADJACENT_WEIGHT = 1_000  # side by side outweighs any number of scattered matches


def _tidy(text: str) -> str:
    """Line breaks become spaces so a snippet reads as one line."""
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
