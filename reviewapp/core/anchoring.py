"""Anchoring a finding's quote in its article's text, and finding it again later."""

from __future__ import annotations

import re

from reviewapp.core.models import Anchor

CONTEXT_CHARS = 40
# Characters that people type interchangeably when they copy a quote by hand.
_EQUIVALENT = {
    "'": "'‘’‛′",
    '"': '"“”„″',
    "-": "-‐‑‒–—−",
}
_CLASS_OF: dict[str, str] = {}
for _group in _EQUIVALENT.values():
    for _char in _group:
        _CLASS_OF[_char] = "[" + re.escape(_group) + "]"


def _pattern(quote: str) -> re.Pattern[str] | None:
    words = quote.split()
    if not words:
        return None
    parts = ["".join(_CLASS_OF.get(ch, re.escape(ch)) for ch in word) for word in words]
    return re.compile(r"\s+".join(parts))


def locate_quote(text: str, quote: str, near: int | None = None) -> Anchor | None:
    """Anchor ``quote`` in ``text``, or None when it does not occur there.

    Matching forgives differences in white space and in typographic quote marks and
    dashes; the anchor always holds the text exactly as the article has it. When the
    quote occurs more than once, the occurrence nearest ``near`` wins (else the first).
    """
    pattern = _pattern(quote)
    if pattern is None:
        return None
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    best = matches[0]
    if near is not None:
        best = min(matches, key=lambda m: abs(m.start() - near))
    return anchor_at(text, best.start(), best.end())


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
    pattern = _pattern(anchor.quote)
    if pattern is None:
        return None
    candidates = list(pattern.finditer(text))
    if not candidates:
        return None

    def score(match: re.Match[str]) -> tuple[int, int]:
        before = text[max(0, match.start() - CONTEXT_CHARS) : match.start()]
        after = text[match.end() : match.end() + CONTEXT_CHARS]
        shared = _common_suffix(before, anchor.before) + _common_prefix(after, anchor.after)
        return (-shared, abs(match.start() - anchor.start))

    best = min(candidates, key=score)
    return anchor_at(text, best.start(), best.end())


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
