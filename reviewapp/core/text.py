"""Small pure text helpers shared by importers, store and search."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def title_key(title: str) -> str:
    """A title folded for duplicate detection: no accents, case, punctuation or spacing."""
    decomposed = unicodedata.normalize("NFKD", title)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def content_hash(text: str) -> str:
    """A hash of an article's text that ignores differences in white space only."""
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def initials_of(name: str) -> str:
    """Initials for a display name: "Maria R. Luskin" → "MRL"; at most three letters."""
    letters = [part[0] for part in re.split(r"[\s.\-]+", name) if part and part[0].isalpha()]
    return ("".join(letters[:3]) or name[:2]).upper()
