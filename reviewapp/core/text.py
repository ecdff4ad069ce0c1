"""Small pure text helpers shared by importers, store and search."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def title_key(title: str) -> str:
    """A title folded for duplicate detection: no accents, case, punctuation or spacing."""
    if not title.isascii():  # ASCII has nothing to decompose (most titles: 3× faster)
        decomposed = unicodedata.normalize("NFKD", title)
        title = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", title.lower()).strip()


def content_hash(text: str) -> str:
    """A hash of an article's text that ignores differences in white space only."""
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def initials_of(name: str) -> str:
    """Initials for a display name: "Maria R. Luskin" → "MRL"; at most three letters."""
    letters = [part[0] for part in re.split(r"[\s.\-]+", name) if part and part[0].isalpha()]
    return ("".join(letters[:3]) or name[:2]).upper()


_DIGITS = re.compile(r"\d")


def title_blocks(key: str) -> list[str]:
    """Blocking keys for near-identical titles (``key`` is a ``title_key``).

    Titles that differ only in spelling share their longest words but for a letter or two:
    the first three letters of each of their three longest words, or else the last three.
    Duplicate detection compares a title only with titles that share one of these keys.
    """
    words = sorted(
        (w for w in key.split() if len(w) >= 4 and not _DIGITS.search(w)),
        key=lambda w: (-len(w), w),
    )[:3]
    if not words:
        return []
    return [
        "<" + " ".join(sorted(w[:3] for w in words)),
        ">" + " ".join(sorted(w[-3:] for w in words)),
    ]


def counted(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless one ("1 article", "3 articles"; nouns here all
    take an s)."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
