"""Recognising that an incoming article is one the library already holds.

In order: the same text (full-text files imported twice), the same DOI, the same PMID, then
the same title and year, first exactly (after folding case, accents and punctuation) and then
nearly (rapidfuzz, high similarity: "randomised"/"randomized", a dropped word). Two records
whose DOIs or PMIDs differ are never merged on their titles, and neither are two titles that
differ in a number ("phase 2" and "phase 3" trials are different works).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import sqlite_utils
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from reviewapp.core.models import Article
from reviewapp.core.text import title_blocks, title_key

# Near-identical titles: at least this similar (0–100) and at least this long when folded.
FUZZY_CUTOFF = 94.0
FUZZY_MIN_CHARS = 30
# A title without a year on one side must match exactly and have at least this many words.
YEARLESS_MIN_WORDS = 5
_NUMBERS = re.compile(r"\d+")
_ROMAN = frozenset(["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"])
_SMALL_WORDS = frozenset(
    {"a", "an", "the", "of", "in", "on", "for", "and", "with", "to", "by", "at", "from", "its"}
)
# An exact title with a year counts only with at least this many words ("Erratum" or
# "Abstract" are not titles of one work).
EXACT_MIN_WORDS = 4


@dataclass(frozen=True)
class Duplicate:
    article_id: int
    reason: str


def titles_alike(first: str, second: str) -> bool:
    """Whether two titles name the same work.

    Equal after folding case, accents and punctuation; or nearly equal, where every word
    that differs is only spelled differently ("randomised"/"randomized", "tumour"/"tumor")
    and the only words added or dropped are small ones ("a", "the", "of"). A changed word
    such as "adjuvant"/"neoadjuvant", "positive"/"negative", "III"/"IV", "G12C"/"G12D" or an
    added "non" makes another work, however similar the rest.
    """
    a, b = title_key(first), title_key(second)
    if a == b:
        return True
    if min(len(a), len(b)) < FUZZY_MIN_CHARS or fuzz.ratio(a, b) < FUZZY_CUTOFF:
        return False
    words_a, words_b = a.split(), b.split()
    for tag, i1, i2, j1, j2 in SequenceMatcher(
        None, words_a, words_b, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace":
            # Small words may come and go; the rest must pair up as spellings of each other.
            left = [w for w in words_a[i1:i2] if w not in _SMALL_WORDS]
            right = [w for w in words_b[j1:j2] if w not in _SMALL_WORDS]
            if len(left) == len(right) and all(
                _spelling_variants(x, y) for x, y in zip(left, right, strict=True)
            ):
                continue
            return False
        if tag in ("delete", "insert") and all(
            w in _SMALL_WORDS for w in (words_a[i1:i2] if tag == "delete" else words_b[j1:j2])
        ):
            continue
        return False
    return True


def _spelling_variants(first: str, second: str) -> bool:
    """British/American and similar spellings of one word: at most two letters apart, no
    digits or Roman numerals involved, no prefix added (neo-, non-, un-, anti-)."""
    if _NUMBERS.search(first) or _NUMBERS.search(second):
        return False
    if first in _ROMAN or second in _ROMAN:
        return False
    if abs(len(first) - len(second)) > 2 or min(len(first), len(second)) < 4:
        return False
    longer, shorter = (first, second) if len(first) >= len(second) else (second, first)
    if longer.endswith(shorter) and len(longer) - len(shorter) >= 2:
        return False  # "neoadjuvant", "nonsquamous", "unresectable": a prefix changes it
    return Levenshtein.distance(first, second) <= 2


class DuplicateFinder:
    """Finds the article an incoming one duplicates. Every check asks SQLite: identifiers and
    exact titles through their indexes, near-identical titles among those of the same year
    that share a blocking key (``title_blocks``), so it stays fast in a large library."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def find(self, article: Article) -> Duplicate | None:
        checks: list[tuple[str, str, list[object]]] = []
        if article.content_hash:
            checks.append(("same text", "content_hash = ?", [article.content_hash]))
        if article.doi:
            checks.append((f"same DOI {article.doi}", "doi = ?", [article.doi]))
        if article.pmid:
            checks.append((f"same PMID {article.pmid}", "pmid = ?", [article.pmid]))
        key = title_key(article.title)
        # Titles only when no identifier says the two are different works.
        unconflicted = (
            "(doi IS NULL OR ? IS NULL OR doi = ?) AND (pmid IS NULL OR ? IS NULL OR pmid = ?)"
        )
        ids = [article.doi, article.doi, article.pmid, article.pmid]
        if len(key.split()) >= EXACT_MIN_WORDS and article.year is not None:
            checks.append(
                (
                    "same title and year",
                    f"title_key = ? AND year = ? AND {unconflicted}",
                    [key, article.year, *ids],
                )
            )
        if key and len(key.split()) >= YEARLESS_MIN_WORDS:
            checks.append(
                (
                    "same title (one of the two has no year)",
                    f"title_key = ? AND (year IS NULL OR ? IS NULL) AND {unconflicted}",
                    [key, article.year, *ids],
                )
            )
        for reason, where, params in checks:
            row = self.db.execute(
                f"SELECT id FROM articles WHERE {where} ORDER BY id LIMIT 1", params
            ).fetchone()
            if row:
                return Duplicate(int(row[0]), reason)
        return self._near_title(article, key)

    def _near_title(self, article: Article, key: str) -> Duplicate | None:
        blocks = title_blocks(key)
        if article.year is None or len(key) < FUZZY_MIN_CHARS or not blocks:
            return None
        marks = ", ".join("?" * len(blocks))
        rows = self.db.execute(
            f"""SELECT DISTINCT article_id, title_key FROM title_blocks
                WHERE year = ? AND block IN ({marks}) ORDER BY article_id""",
            [article.year, *blocks],
        ).fetchall()
        candidates = {index: str(row[1]) for index, row in enumerate(rows)}
        for _match, score, index in process.extract(
            key, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
        ):
            article_id, other_key = rows[index]
            doi, pmid = self.db.execute(
                "SELECT doi, pmid FROM articles WHERE id = ?", [article_id]
            ).fetchone()
            if _conflict(article.doi, doi) or _conflict(article.pmid, pmid):
                continue
            if titles_alike(key, other_key):
                return Duplicate(int(article_id), f"nearly the same title ({score:.0f}%) and year")
        return None


def _conflict(first: str | None, second: str | None) -> bool:
    return first is not None and second is not None and first != second
