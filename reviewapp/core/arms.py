"""Which treatments an efficacy sentence compares: the arm and its comparator, as written
("7.1 months with X versus 4.3 months with Y", "in the X arm … in the Y arm", "X over Y").
A phrase is taken only when it names a treatment (a drug by its stem or the vocabulary, or
placebo, chemotherapy, observation …); numbers and groups like "the experimental arm" are not.
"""

from __future__ import annotations

import re

from reviewapp.core.vocabulary import Vocabulary, is_drug_name

_VERSUS = re.compile(
    r"\s+(?:versus|vs\.?|v\.?|compared (?:with|to)|relative to|over|than(?: with)?)\s+"
    r"(?:with\s+|to\s+)?",
    re.IGNORECASE,
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_STOP = frozenset(
    _words(
        "in among for at was were is are had has with on by the a an of to than patients"
        " arm arms group groups cohort who that which and or from when months weeks"
        " survival rate versus vs vs. v compared over relative"
    )
)
_TREATMENTS = frozenset(
    _words(
        "placebo chemotherapy observation control docetaxel standard care radiotherapy"
        " surgery chemoimmunotherapy monotherapy combination investigator's supportive"
        " dexamethasone chemoradiotherapy doublet triplet chemoimmunotherapy transplant"
        " transplantation"
    )
)


def _phrase(words: list[str]) -> str:
    return " ".join(words).strip()


def _is_treatment(words: list[str], vocabulary: Vocabulary) -> bool:
    return any(
        is_drug_name(w) or w.lower() in _TREATMENTS or vocabulary.agents.find(w) for w in words
    )


def _words_before(text: str, end: int) -> list[str]:
    words: list[str] = []
    for word in reversed(re.findall(r"[\w'’+/-]+|[^\w\s]", text[:end])):
        if not re.match(r"[A-Za-z]", word) or (word.lower() in _STOP and word.lower() != "alone"):
            break
        words.insert(0, word)
        if len(words) == 4:
            break
    while words and not _keeps(words[0]):
        words.pop(0)
    return words


def _words_after(text: str, start: int) -> list[str]:
    words: list[str] = []
    for word in re.findall(r"[\w'’+/-]+|[^\w\s]", text[start:]):
        if word.lower() in ("plus", "+", "alone") and words:
            words.append(word)
            continue
        if not re.match(r"[A-Za-z]", word) or word.lower() in _STOP:
            break
        words.append(word)
        if len(words) == 5:
            break
    return words


def _keeps(word: str) -> bool:
    return word.lower() not in ("plus", "+", "alone")


def _written(words: list[str]) -> str:
    text = _phrase(words)
    first = words[0] if words else ""
    if first[:1].isupper() and first[1:].islower() and is_drug_name(first):
        text = first.lower() + text[len(first) :]
    return text


_ATTACHED = re.compile(
    r"\d(?:\.\d+)?\s*(?:%|months?|mo\b|weeks?|years?)\s*(?:\([^)]*\)\s*)?"
    r"(?:with|for|in|on|receiving)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_IN_THE_ARM = re.compile(r"\bin the\s+(?=[\w'’+/-]+(?:\s+[\w'’+/-]+){0,3}\s+(?:arm|group)\b)", re.I)


def arms(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    """The arm and its comparator, where the sentence names the treatments it compares:
    "7.1 months with X versus 4.3 months with Y", "in the X arm … in the Y arm", "X versus Y"."""
    for pattern in (_ATTACHED, _IN_THE_ARM):
        named = [_words_after(text, m.end()) for m in pattern.finditer(text)]
        named = [words for words in named if words and _is_treatment(words, vocabulary)]
        if len(named) >= 2 and named[0] != named[1]:
            return {"arm": _written(named[0]), "comparator": _written(named[1])}
        if len(named) == 1 and not _VERSUS.search(text):
            return {"arm": _written(named[0])}
    compared = _versus(text, vocabulary)
    if compared or _VERSUS.search(text):
        return compared
    return _single_arm(text, vocabulary)


# One treatment named with the result and none compared: "66% of patients with X", "patients
# who received X", "X produced a response rate of 38%". Only a drug's name is taken here.
_RESULT_VERBS = r"resulted|produced|demonstrated|showed|achieved|yielded|induced"
_GIVEN = re.compile(
    r"\b(?:with|receiving|received|responders to|treated with)\s+(?:the\s+)?(?=[A-Za-z])"
    r"|^\s*(?=[A-Za-z]+\s*(?:,[^,]{3,80},\s*)?(?:" + _RESULT_VERBS + r")\b)"
    r"|\b(?=[A-Za-z]+\s+(?:therapy|treatment|monotherapy)\s+(?:" + _RESULT_VERBS + r")\b)",
    re.IGNORECASE,
)
# "inotuzumab therapy resulted in …": the arm is the drug.
_THERAPY = re.compile(r"therapy|treatment", re.IGNORECASE)


def _single_arm(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    for m in _GIVEN.finditer(text):
        words = _words_after(text, m.end())
        verb = next((i for i, w in enumerate(words) if re.fullmatch(_RESULT_VERBS, w, re.I)), None)
        words = words[:verb]
        if verb is not None and len(words) == 2 and _THERAPY.fullmatch(words[1]):
            words = words[:1]
        if words and any(is_drug_name(w) or vocabulary.agents.find(w) for w in words[:1]):
            return {"arm": _written(words)}
    return {}


def _versus(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    for m in _VERSUS.finditer(text):
        before, after = _words_before(text, m.start()), _words_after(text, m.end())
        if not after or not _is_treatment(after, vocabulary):
            continue
        while before and not _is_treatment(before[:1], vocabulary):
            before.pop(0)
        if not before:
            if m.group(0).strip().lower() in ("v", "v.", "than", "than with"):
                continue
            subject = vocabulary.agents.find(text[: m.start()])
            stems = [w for w in re.findall(r"[A-Za-z]+", text[: m.start()]) if is_drug_name(w)]
            if subject:
                before = [subject[0].written]
            elif stems:
                before = [stems[0]]
            else:
                return {"comparator": _written(after)}
        return {"arm": _written(before), "comparator": _written(after)}
    return {}
