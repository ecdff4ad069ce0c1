"""Anchoring a finding's quote in its article's text, and finding it again later."""

from __future__ import annotations

import functools
import re
from bisect import bisect_right

from reviewapp.core.models import Anchor

CONTEXT_CHARS = 40
# Characters that people type interchangeably when they copy a quote by hand.
_EQUIVALENT = {
    "'": "'‘’‛′",
    '"': '"“”„″',
    "-": "-‐‑‒–—−",
}
_CANONICAL = str.maketrans({ch: group[0] for group in _EQUIVALENT.values() for ch in group})
_SPACE = re.compile(r"\s+")
# A quote that occurs more often than this is anchored among its first occurrences only.
MAX_CANDIDATES = 1000


@functools.lru_cache(maxsize=8)
def _collapsed(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` with typographic variants made one and every run of white space made one
    space; for each run, where its space sits in the collapsed text and how many
    characters were dropped up to and including it (to map offsets back)."""
    pieces: list[str] = []
    starts: list[int] = []
    dropped: list[int] = []
    removed = last = 0
    canonical = text.translate(_CANONICAL)
    for match in _SPACE.finditer(canonical):
        pieces.append(canonical[last : match.start()])
        pieces.append(" ")
        starts.append(match.start() - removed)
        removed += match.end() - match.start() - 1
        dropped.append(removed)
        last = match.end()
    pieces.append(canonical[last:])
    return "".join(pieces), starts, dropped


def _original(position: int, starts: list[int], dropped: list[int]) -> int:
    """The offset in the original text of a collapsed text's ``position``."""
    run = bisect_right(starts, position) - 1
    if run < 0:
        return position
    if position == starts[run]:  # on a collapsed space: where its run began
        return position + (dropped[run - 1] if run else 0)
    return position + dropped[run]


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    """Where ``quote`` occurs in ``text``, forgiving differences in white space and in
    typographic quote marks and dashes; in time linear in the text (``str.find``)."""
    quote = quote.strip()
    if not quote:
        return []
    found: list[tuple[int, int]] = []
    at = text.find(quote)
    while at >= 0 and len(found) < MAX_CANDIDATES:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    if found:
        return found
    wanted = " ".join(quote.translate(_CANONICAL).split())
    if not wanted:
        return []
    collapsed, starts, dropped = _collapsed(text)
    at = collapsed.find(wanted)
    while at >= 0 and len(found) < MAX_CANDIDATES:
        found.append((_original(at, starts, dropped), _original(at + len(wanted), starts, dropped)))
        at = collapsed.find(wanted, at + 1)
    return found


def locate_quote(text: str, quote: str, near: int | None = None) -> Anchor | None:
    """Anchor ``quote`` in ``text``, or None when it does not occur there.

    Matching forgives differences in white space and in typographic quote marks and
    dashes; the anchor always holds the text exactly as the article has it. When the
    quote occurs more than once, the occurrence nearest ``near`` wins (else the first).
    """
    found = _occurrences(text, quote)
    if not found:
        return None
    start, end = found[0]
    if near is not None:
        start, end = min(found, key=lambda place: abs(place[0] - near))
    return anchor_at(text, start, end)


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """The anchor for the span ``text[start:end]`` with its context."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}–{end} lies outside the text (length {len(text)})")
    return Anchor(
        start=start,
        end=end,
        quote=text[start:end],
        before=text[max(0, start - CONTEXT_CHARS) : start],
        after=text[end : end + CONTEXT_CHARS],
    )


def refind(anchor: Anchor, text: str) -> Anchor | None:
    """Find ``anchor`` again in a (possibly re-imported) ``text``.

    The stored offsets win when the quote still sits there; otherwise the occurrence whose
    surrounding text best matches the stored context, nearest the old offset.
    """
    if text[anchor.start : anchor.end] == anchor.quote:
        return anchor_at(text, anchor.start, anchor.end)
    candidates = _occurrences(text, anchor.quote)
    if not candidates:
        return None

    def score(place: tuple[int, int]) -> tuple[int, int]:
        start, end = place
        before = text[max(0, start - CONTEXT_CHARS) : start]
        after = text[end : end + CONTEXT_CHARS]
        shared = _common_suffix(before, anchor.before) + _common_prefix(after, anchor.after)
        return (-shared, abs(start - anchor.start))

    start, end = min(candidates, key=score)
    return anchor_at(text, start, end)


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
