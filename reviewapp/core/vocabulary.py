"""The words the suggester knows: adverse-event terms and drug names, found in a sentence.

Both come from user-editable files that the services read (``adverse_events.txt`` and
``synonyms.txt``); this module only parses their lines and finds their terms in text.
Matching is by words: case is ignored except in acronyms (FN, CRS, AE keep their capitals),
hyphens and spaces are alike, British spellings fold to American (anaemia → anemia) and a
plural finds its singular (rashes, AEs). At one place the longest term wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W_]+")
_BRITISH = (
    ("aemia", "emia"),
    ("haem", "hem"),
    ("oedema", "edema"),
    ("oea", "ea"),
    ("oesoph", "esoph"),
    ("paenia", "penia"),
    ("tumour", "tumor"),
    ("leukaem", "leukem"),
    ("favour", "favor"),
)
# A drug's international non-proprietary name by its stem: antibodies (-mab), T-cell
# engagers (-tamig), kinase and other small-molecule inhibitors (-ib, -clax, -lisib …),
# CAR-T products (-leucel), cytotoxics (-platin, -taxel, -rubicin, -abine, -ectedin …), hormonal
# agents (-trozole, -strant, -aterone, -xifen, -mestane), antiemetics (-pitant, -setron), enzyme
# inhibitors (-metostat, -inostat, -elstat) and antisense oligonucleotides (-rsen).
_DRUG_STEM = re.compile(
    r"(?:mab|tamig|[a-z]{3}ib|clax|lidomide|leucel|platin|taxel|rubicin|tecan|abine|citidine"
    r"|mustine|trexate|poside|phamide|stine|lutamide|limus|cept|aspargase|asparaginase|zomib"
    r"|tansine|vedotin|dotin|ozogamicin|tesirine|cabtagene|tagene|sone|olone|relix|rafenib|fusp"
    r"|trexed|uridine|nexor|trozole|strant|aterone|xifen|mestane|ectedin|ambucil|uracil|vorin"
    r"|zolomide|famide|ibulin|pitant|setron|anzapine|amisole|metostat|inostat|elstat|rsen|poetin|dronic|dronate|carbazine|razoxane|xaban|parin|golix|xafor)$"
)
# English words with a drug's ending: -rsen ("worsen"), -cept ("except"), -stine ("intestine").
_NOT_DRUGS = frozenset(
    {"describe", "prescribe", "subscribe", "transcribe"}
    | {"worsen", "coarsen", "hoarsen"}
    | {"accept", "concept", "except", "intercept", "percept", "precept"}
    | {"intestine", "pristine", "destine", "clandestine", "predestine"}
)


def fold_word(word: str) -> str:
    """One word as the vocabulary compares it: acronyms (two or more capitals) kept, other
    words lower-cased with British spellings made American."""
    if sum(c.isupper() for c in word) >= 2:
        return word
    lowered = word.lower()
    for british, american in _BRITISH:
        lowered = lowered.replace(british, american)
    return lowered


def _singular(word: str) -> str | None:
    if len(word) < 3 or not word.endswith("s"):
        return None
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ses") or word.endswith("xes") or word.endswith("hes"):
        return word[:-2]
    if word.endswith("ss") or word.endswith("sis") or word.endswith("us"):
        return None
    return word[:-1]


def is_drug_name(word: str) -> bool:
    """Whether ``word`` looks like a drug's non-proprietary name by its stem."""
    lowered = word.lower()
    return (
        len(lowered) >= 6
        and lowered.isalpha()
        and lowered not in _NOT_DRUGS
        and _DRUG_STEM.search(lowered) is not None
    )


@dataclass(frozen=True)
class Entry:
    """One line of a vocabulary: the name suggested, and every way of writing it."""

    name: str
    terms: tuple[str, ...]
    general: bool = False


@dataclass(frozen=True)
class Mention:
    """Where a sentence names an entry: character offsets and the words as written."""

    entry: Entry
    start: int
    end: int
    written: str


@dataclass
class Terms:
    """Entries found in text by their words, the longest term at each place."""

    entries: list[Entry] = field(default_factory=list)
    _lookup: dict[tuple[str, ...], Entry] = field(default_factory=dict, repr=False)
    _longest: int = 1

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        for term in entry.terms:
            key = tuple(fold_word(w) for w in _WORD.findall(term))
            if key:
                self._lookup.setdefault(key, entry)
                self._longest = max(self._longest, len(key))

    def find(self, text: str) -> list[Mention]:
        """Every mention in ``text``, in order, none overlapping another."""
        words = list(_WORD.finditer(text))
        folded = [fold_word(w.group(0)) for w in words]
        found: list[Mention] = []
        i = 0
        while i < len(words):
            match = self._longest_at(folded, i)
            if match is None:
                i += 1
                continue
            length, entry = match
            start, end = words[i].start(), words[i + length - 1].end()
            found.append(Mention(entry, start, end, text[start:end]))
            i += length
        return found

    def _longest_at(self, folded: list[str], i: int) -> tuple[int, Entry] | None:
        for length in range(min(self._longest, len(folded) - i), 0, -1):
            key = tuple(folded[i : i + length])
            entry = self._lookup.get(key)
            if entry is None:
                singular = _singular(key[-1])
                if singular is not None:
                    entry = self._lookup.get((*key[:-1], singular))
            if entry is not None:
                return length, entry
        return None


def _lines(lines: Iterable[str]) -> Iterable[tuple[bool, tuple[str, ...]]]:
    general = False
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.lower() == "[general]":
            general = True
            continue
        terms = tuple(t.strip() for t in line.split("=") if t.strip())
        if terms:
            yield general, terms


@dataclass
class Vocabulary:
    """Adverse-event terms and drug names (generic name first, then brand and code names)."""

    events: Terms = field(default_factory=Terms)
    agents: Terms = field(default_factory=Terms)

    @classmethod
    def from_lines(
        cls, event_lines: Iterable[str] = (), synonym_lines: Iterable[str] = ()
    ) -> Vocabulary:
        """Parse an adverse-event file's lines and a synonym file's lines: every synonym
        group whose first term is a drug's non-proprietary name names an agent."""
        vocabulary = cls()
        for general, terms in _lines(event_lines):
            vocabulary.events.add(Entry(terms[0], terms, general))
        for _, terms in _lines(synonym_lines):
            first = terms[0].split()
            if first and all(is_drug_name(word) for word in first):
                vocabulary.agents.add(Entry(terms[0].lower(), terms))
        return vocabulary

    def event_in(self, text: str) -> Mention | None:
        """The first particular event ``text`` names, else the first general one."""
        mentions = self.events.find(text)
        particular = [m for m in mentions if not m.entry.general]
        chosen = particular or mentions
        return chosen[0] if chosen else None
