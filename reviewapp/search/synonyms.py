"""Oncology synonyms: groups of terms that mean the same, read from a user-editable file.

A query is rewritten before parsing so that each synonym it mentions becomes an OR group
of the whole synonym group: ``SCLC`` → ``(SCLC OR "small cell lung cancer" OR …)``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reviewapp.search.analysis import keeps_case

log = logging.getLogger(__name__)

# A query segment: a quoted phrase, a field prefix, a parenthesis, or a bare word.
_SEGMENT = re.compile(r'(?P<field>\w+:)|(?P<phrase>"[^"]*")|(?P<paren>[()])|(?P<word>[^\s()"]+)')
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


def _fold(term: str) -> tuple[str, ...]:
    words = re.split(r"[\s\-]+", term.strip())
    return tuple(w if keeps_case(w) else w.lower() for w in words if w)


@dataclass
class Synonyms:
    """The synonym groups, looked up by their folded word sequences."""

    groups: list[tuple[str, ...]] = field(default_factory=list)
    _lookup: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False)
    _longest: int = 1

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Synonyms:
        synonyms = cls()
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            terms = tuple(t.strip() for t in line.split("=") if t.strip())
            if len(terms) < 2:
                log.info("synonym line ignored (needs two terms joined by =): %s", line)
                continue
            synonyms.add_group(terms)
        return synonyms

    @classmethod
    def from_file(cls, path: Path) -> Synonyms:
        return cls.from_lines(path.read_text(encoding="utf-8-sig").splitlines())

    def add_group(self, terms: tuple[str, ...]) -> None:
        index = len(self.groups)
        self.groups.append(terms)
        for term in terms:
            key = _fold(term)
            self._lookup.setdefault(key, index)
            self._longest = max(self._longest, len(key))

    def group_of(self, term: str) -> tuple[str, ...] | None:
        index = self._lookup.get(_fold(term))
        return None if index is None else self.groups[index]

    def expand_query(self, query: str) -> str:
        """Rewrite ``query`` so that every synonym in it also matches its group."""
        if not self.groups:
            return query
        segments = [(m.lastgroup or "", m.group(0)) for m in _SEGMENT.finditer(query)]
        out: list[str] = []
        i = 0
        while i < len(segments):
            kind, text = segments[i]
            if kind == "phrase":
                group = self.group_of(text.strip('"'))
                out.append(self._or_group(group) if group else text)
                i += 1
                continue
            if kind != "word" or text in _OPERATORS:
                out.append(text)
                i += 1
                continue
            consumed, group = self._longest_match(segments, i)
            if group is None:
                out.append(text)
                i += 1
            else:
                out.append(self._or_group(group))
                i += consumed
        return _join(out)

    def _longest_match(
        self, segments: list[tuple[str, str]], start: int
    ) -> tuple[int, tuple[str, ...] | None]:
        words: list[str] = []
        best: tuple[int, tuple[str, ...] | None] = (1, None)
        for kind, text in segments[start : start + self._longest]:
            if kind != "word" or text in _OPERATORS or re.search(r"[*?~^]", text):
                break
            words.append(text)
            group = self.group_of(" ".join(words))
            if group is not None:
                best = (len(words), group)
        return best

    @staticmethod
    def _or_group(group: tuple[str, ...] | None) -> str:
        assert group is not None
        parts = [f'"{term}"' if re.search(r"[\s\-]", term) else term for term in group]
        return "(" + " OR ".join(parts) + ")"


def _join(parts: list[str]) -> str:
    """Join query segments with spaces, keeping a field prefix stuck to what follows it."""
    text = ""
    for part in parts:
        if text and not text.endswith(":") and not text.endswith("(") and part != ")":
            text += " "
        text += part
    return text


def load_synonyms(paths: Iterable[Path]) -> Synonyms:
    """The synonyms from the first of ``paths`` that exists (user file before shipped file)."""
    for path in paths:
        if path.is_file():
            try:
                return Synonyms.from_file(path)
            except (OSError, UnicodeDecodeError) as exc:
                log.info("cannot read synonyms from %s: %s", path, exc)
    return Synonyms()
