"""Text analysis for oncology articles.

English words are lower-cased and stemmed; tokens that carry meaning as a whole are kept
whole: CD52, PD-L1, ZG006, 14/60, 23.3, 10.1002/cncr.35750. Hyphenated or slashed tokens
are indexed both whole and as their parts, so "T-cell" is found by "T cell" and "t-cell";
in a quoted phrase a compound is looked for as its leading parts and then itself whole
("median follow-up" is the phrase median, follow, follow-up), which is how the index
holds it: the parts at consecutive positions, the whole at its last part's. (A phrase
asking for the compound alone at one position missed whenever a word came before it; one
asking for all its parts would find "PD; L1" for "PD-L1".) Acronyms that collide
with common English words keep their case (ALL, the leukaemia, is not "all").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.lang.porter import stem

from reviewapp.search.whoosh_internals import analysing_a_phrase

_DOI = r"10\.\d{4,9}/[^\s\"<>]+"
# A slash does not join a word to a DOI that follows it (https://doi.org/10.1002/…).
_WORD = r"\w+(?:(?:[-.+]|/(?!10\.\d{4,9}/))\w+)*"
_TOKEN = re.compile(rf"(?P<doi>{_DOI})|(?P<word>{_WORD})(?:['’]s\b)?")
_SPLIT = re.compile(r"[-/]")
_NAME_WORD = re.compile(r"\w+(?:['’-]\w+)*")
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


# (term, position offset from the first term, start char, end char)
Term = tuple[str, int, int, int]
# A token's terms as indexed, each with its position's offset; the positions it takes.
TokenTerms = tuple[tuple[tuple[str, int], ...], int]


class _TermAnalyzer(Analyzer):  # type: ignore[misc]
    """whoosh's analyzer protocol over a simpler one: subclasses yield ``Term`` tuples."""

    def terms(self, value: str, query: bool, phrase: bool = False) -> Iterator[Term]:
        """The terms of ``value``: as indexed, or (``query``) as searched for; ``phrase``:
        the words of a quoted phrase."""
        raise NotImplementedError

    def fold_whole(self, value: str) -> str:
        """How an untokenized value (a wildcard or fuzzy query term) is folded."""
        return value.lower()

    def index_tokens(self, value: str) -> list[Any] | None:
        """``value``'s tokens, for the bulk segment writer (which needs no characters):
        each one's terms as indexed are ``token_terms(token)``, the same token always giving
        the same terms, so that they are worked out once per distinct token. None where
        the analyzer does not tell its tokens apart (then ``terms`` is used)."""
        return None

    def token_terms(self, token: Any) -> TokenTerms:
        """One token's terms as ``terms(value, query=False)`` indexes them, each with its
        position's offset from the token's first, and how many positions the token takes."""
        raise NotImplementedError

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
        terms: Iterator[Term] = (
            self.terms(value, mode == "query", analysing_a_phrase(mode, chars))
            if tokenize
            else iter([(self.fold_whole(value), 0, 0, len(value))])
        )
        for text, offset, start, end in terms:
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + offset
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class OncologyAnalyzer(_TermAnalyzer):
    """The analyzer for article text, titles, findings and notes (see the module docstring)."""

    def fold_whole(self, value: str) -> str:
        return value if keeps_case(value) else value.lower()

    def terms(self, value: str, query: bool, phrase: bool = False) -> Iterator[Term]:
        pos = 0
        for match in _TOKEN.finditer(value):
            if match.group("doi"):
                text = match.group("doi").rstrip(_TRAILING_DOI).lower()
                yield text, pos, match.start(), match.start() + len(text)
                pos += 1
                continue
            word = match.group("word")
            start = match.start("word")
            compound = bool(_SPLIT.search(word))
            # At index time a compound's parts are indexed too, so "T cell" finds "T-cell";
            # a phrase looks for its leading parts, then for it whole where its last is.
            split = compound and (phrase or not query)
            parts = [p for p in _SPLIT.split(word) if p] if split else []
            if len(parts) > 1:
                offset = start
                for part in parts[:-1] if phrase else parts:
                    offset = value.index(part, offset)
                    yield normalise_word(part), pos, offset, offset + len(part)
                    offset += len(part)
                    pos += 1
                if not phrase:
                    pos -= 1  # the whole token shares the position of its last part
            # Compounds (PD-L1, 14/60) are kept whole and unstemmed; plain words are stemmed.
            whole = word.lower() if compound else normalise_word(word)
            yield whole, pos, start, start + len(word)
            pos += 1

    def index_tokens(self, value: str) -> list[Any]:
        # (DOI, word) pairs: a DOI, or a word without its possessive "'s"
        return _TOKEN.findall(value)

    def token_terms(self, token: Any) -> TokenTerms:
        # As terms(value, query=False) gives them for the token
        doi, word = token
        if doi:
            return ((doi.rstrip(_TRAILING_DOI).lower(), 0),), 1
        if not _SPLIT.search(word):
            return ((normalise_word(word), 0),), 1
        parts = [p for p in _SPLIT.split(word) if p]
        if len(parts) < 2:
            return ((word.lower(), 0),), 1
        emitted = tuple((normalise_word(part), n) for n, part in enumerate(parts))
        # the whole compound shares the position of its last part
        return (*emitted, (word.lower(), len(parts) - 1)), len(parts)


class NameAnalyzer(_TermAnalyzer):
    """Names (authors, journals, reviewers): words folded to lower case, never stemmed."""

    def terms(self, value: str, query: bool, phrase: bool = False) -> Iterator[Term]:
        for pos, match in enumerate(_NAME_WORD.finditer(value)):
            yield match.group(0).lower(), pos, match.start(), match.end()

    def index_tokens(self, value: str) -> list[Any]:
        return _NAME_WORD.findall(value)

    def token_terms(self, token: Any) -> TokenTerms:
        return ((str(token).lower(), 0),), 1


def index_terms(analyzer: Analyzer, text: str) -> Iterator[tuple[str, int, int]]:
    """Each indexed term of ``text`` with its character span (for highlighting)."""
    for token in analyzer(text, chars=True, mode="index"):
        yield token.text, token.startchar, token.endchar
