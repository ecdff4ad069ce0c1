"""Text analysis for oncology articles.

English words are lower-cased and stemmed; tokens that carry meaning as a whole are kept
whole: CD52, PD-L1, ZG006, 14/60, 23.3, 10.1002/cncr.35750. Hyphenated or slashed tokens
are indexed both whole and as their parts, so "T-cell" is found by "T cell", "t-cell" and
the phrase "T-cell engager". Acronyms that collide with common English words keep their
case (ALL, the leukaemia, is not "all").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.lang.porter import stem

_DOI = r"10\.\d{4,9}/[^\s\"<>]+"
_WORD = r"\w+(?:[-/.+]\w+)*"
_TOKEN = re.compile(rf"(?P<doi>{_DOI})|(?P<word>{_WORD})(?:['’]s\b)?")
_SPLIT = re.compile(r"[-/]")
_TRAILING_DOI = ".,;:)]}'\""

# All-caps acronyms whose lower-case form is an everyday English word keep their case.
AMBIGUOUS_ACRONYMS = frozenset(
    {
        "all",
        "or",
        "as",
        "at",
        "it",
        "is",
        "be",
        "an",
        "am",
        "no",
        "not",
        "do",
        "us",
        "on",
        "in",
        "to",
        "by",
        "if",
        "of",
        "so",
        "we",
        "he",
        "me",
        "my",
        "can",
        "may",
        "was",
        "had",
        "has",
        "did",
        "are",
        "per",
        "via",
    }
)


def keeps_case(word: str) -> bool:
    """Whether ``word`` is an acronym (ALL, OR) that must not be folded to an English word."""
    return (
        len(word) >= 2 and word.isupper() and word.isalpha() and word.lower() in AMBIGUOUS_ACRONYMS
    )


@lru_cache(maxsize=200_000)
def normalise_word(word: str) -> str:
    """The indexed form of one word: case-folded and, for plain English words, stemmed."""
    if keeps_case(word):
        return word
    lowered = word.lower()
    if lowered.isalpha() and lowered.isascii() and len(lowered) > 2:
        return str(stem(lowered))
    return lowered


class OncologyAnalyzer(Analyzer):  # type: ignore[misc]
    """The analyzer for article text, titles, findings and notes (see the module docstring)."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Wildcard and fuzzy query terms arrive whole: fold case only.
            text = value if keeps_case(value) else value.lower()
            token.original = token.text = text
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        split_parts = mode != "query"
        for match in _TOKEN.finditer(value):
            if match.group("doi"):
                text = match.group("doi").rstrip(_TRAILING_DOI).lower()
                start = match.start()
                yield self._emit(
                    token,
                    text,
                    pos,
                    start + start_char,
                    start + len(text) + start_char,
                    positions,
                    chars,
                    keeporiginal,
                )
                pos += 1
                continue
            word = match.group("word")
            start = match.start("word")
            compound = bool(_SPLIT.search(word))
            parts = [p for p in _SPLIT.split(word) if p] if compound and split_parts else []
            if len(parts) > 1:
                offset = start
                for part in parts:
                    offset = value.index(part, offset)
                    yield self._emit(
                        token,
                        normalise_word(part),
                        pos,
                        offset + start_char,
                        offset + len(part) + start_char,
                        positions,
                        chars,
                        keeporiginal,
                    )
                    offset += len(part)
                    pos += 1
                pos -= 1  # the whole token shares the position of its last part
            # Compounds (PD-L1, 14/60) are kept whole and unstemmed; plain words are stemmed.
            whole = word.lower() if compound else normalise_word(word)
            yield self._emit(
                token,
                whole,
                pos,
                start + start_char,
                start + len(word) + start_char,
                positions,
                chars,
                keeporiginal,
            )
            pos += 1

    @staticmethod
    def _emit(
        token: Token,
        text: str,
        pos: int,
        startchar: int,
        endchar: int,
        positions: bool,
        chars: bool,
        keeporiginal: bool,
    ) -> Token:
        token.text = text
        token.boost = 1.0
        token.stopped = False
        if keeporiginal:
            token.original = text
        if positions:
            token.pos = pos
        if chars:
            token.startchar, token.endchar = startchar, endchar
        return token


class NameAnalyzer(Analyzer):  # type: ignore[misc]
    """Names (authors, journals, reviewers): words folded to lower case, never stemmed."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        matches = (
            [(0, value)]
            if not tokenize
            else [(m.start(), m.group(0)) for m in re.finditer(r"\w+(?:['’-]\w+)*", value)]
        )
        for pos, (start, word) in enumerate(matches, start_pos):
            yield OncologyAnalyzer._emit(
                token,
                word.lower(),
                pos,
                start + start_char,
                start + len(word) + start_char,
                positions,
                chars,
                keeporiginal,
            )


def index_terms(analyzer: Analyzer, text: str) -> Iterator[tuple[str, int, int]]:
    """Each indexed term of ``text`` with its character span (for highlighting)."""
    for token in analyzer(text, chars=True, mode="index"):
        yield token.text, token.startchar, token.endchar
