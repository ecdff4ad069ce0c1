"""The arms an efficacy sentence compares, read from its structure where the phrase readers
in ``arms`` find fewer than two.

A sentence that compares treatments says so in one of a few shapes: a list matched to its
figures ("7.1 v 4.3 months with X and Y, respectively"), a pair ("no difference between X
and Y"), figures each followed by the treatment they belong to ("45% in the X arm versus
30% with Y", "19.6 months among patients receiving X compared with … in the Y group",
"PFS: X, 28 months; Y, 22 months"), or a subject measured against another ("X plus Y was
superior to Y alone"). The arm is the treatment the first figure (the one suggested)
belongs to and the comparator the second. Both must name treatments, and when a shape can
be read more than one way nothing is taken from it.
"""

from __future__ import annotations

import re

from reviewapp.core.arms import arms, prior_before
from reviewapp.core.treatments import is_regimen, is_treatment, words_after, written
from reviewapp.core.vocabulary import Vocabulary

Pair = tuple[list[str], list[str]]


def arm_and_comparator(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    """The arm and comparator ``text`` names: the phrase readers' when they find both,
    else the structure's when it names both and agrees with what they found. Doses and
    schedules are read past ("pembrolizumab 200 mg every 3 weeks" is pembrolizumab)."""
    text = without_doses(text)
    found = arms(text, vocabulary)
    if _same_but_alone(found.get("arm"), found.get("comparator")):
        # "X and SOC versus SOC alone" read as "SOC": the arm's partner was not read
        return {"comparator": found["comparator"]}
    if "arm" in found and "comparator" in found:
        return found
    readers = (
        _respectively,
        _between,
        _attached,
        _subject_against,
        _bracketed,
        _role_bracketed,
        _assigned,
        _addition,
    )
    for reader in readers:
        pair = reader(text, vocabulary)
        if pair is None:
            continue
        read = {"arm": written(pair[0], vocabulary), "comparator": written(pair[1], vocabulary)}
        if _same_but_alone(read["arm"], read["comparator"]):
            continue
        if read["arm"] != read["comparator"] and all(
            _agrees(found.get(key), value) for key, value in read.items()
        ):
            # (the phrase readers' wording is kept: "endocrine therapy alone" as written there)
            return {key: found.get(key) or value for key, value in read.items()}
    if not found:
        return _treated_population(text, vocabulary)
    return found


def _agrees(found: str | None, read: str) -> bool:
    """Whether what the phrase readers found (if anything) agrees with the structure's
    reading: the same, or one of them the other with "alone" ("endocrine therapy alone")."""
    return found in (None, read) or _same_but_alone(found, read) or _same_but_alone(read, found)


def _same_but_alone(arm: str | None, comparator: str | None) -> bool:
    """Whether the arm is the comparator without its "alone" ("SOC" against "SOC alone")."""
    if arm is None or comparator is None:
        return False
    bare = re.sub(r"\s+(?:alone|only|monotherapy)$", "", comparator, flags=re.IGNORECASE)
    return arm.lower() == bare.lower()


# A dose and its schedule written after a drug: "200 mg every 3 weeks", "28 µg/day", "75 mg/m2
# on day 1", "960 mg once daily", "AUC 5".
_DOSE = re.compile(
    r"\s+(?:\d+(?:\.\d+)?\s*(?:mg|µg|μg|mcg|g|IU|units?)(?:\s*/\s*(?:kg|m2|m²|day|d|dose))*"
    r"|AUC\s*\d+(?:\.\d+)?)(?![\w/])"
    r"(?:\s+(?:(?:once|twice|three\s+times)\s+)?(?:daily|weekly|a\s+day|per\s+day|orally"
    r"|intravenously|subcutaneously|every\s+(?:\d+\s+)?(?:days?|weeks?|other\s+week)"
    r"|on\s+days?\s+\d+(?:\s*(?:,|and|to|-|–)\s*\d+)*|q\d+w|BID|QD|QW|Q\dW))*",
    re.IGNORECASE,
)


# A group's size written after its treatment: "patients who received X (n = 229) achieved".
_SIZE_IN_BRACKETS = re.compile(r"\s*\(\s*n\s*=\s*\d[\d,]*\s*\)", re.IGNORECASE)


def without_doses(text: str) -> str:
    """``text`` without the doses and schedules written after a treatment's name, nor the
    size of the group given it."""
    return _SIZE_IN_BRACKETS.sub("", _DOSE.sub("", text))


# "ORR was 52% in PD-L1-positive versus 28% in PD-L1-negative tumours treated with X":
# groups of patients compared, all given one treatment, which is the arm.
_TREATED = re.compile(
    r"\b(?:patients|tumou?rs|participants|those)\s+(?:treated\s+with|receiving|given)\s+"
    r"(?:the\s+)?(?=[A-Za-z])",
    re.IGNORECASE,
)


# The words that set one group against another ("versus", "compared with").
_VERSUS = r"versus|vs\.?|v\.?|compared (?:with|to)"
_GROUPS_COMPARED = re.compile(rf"\b(?:{_VERSUS})\s", re.IGNORECASE)


def _treated_population(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    """The one treatment every group compared was given, named after the comparison."""
    compared = _GROUPS_COMPARED.search(text)
    if compared is None or _TREATED.search(text, 0, compared.start()):
        # "41% of patients treated with Y … compared with 27% of patients treated with X": the
        # groups differ by what they were given, so the one named after is not every group's
        return {}
    given = [
        words_after(text, m.end())
        for m in _TREATED.finditer(text, compared.end())
        if not prior_before(text, m.start())
    ]
    named = [words for words in given if _names_treatment(words, vocabulary)]
    if len(given) == 1 and named:
        return {"arm": written(named[0], vocabulary)}
    return {}


_BRACKETS = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])")
_SEPARATOR = re.compile(r"^(?:and|versus|vs\.?|v\.?|or)$", re.IGNORECASE)
_ROLE_ENDINGS = re.compile(r"\s+(?:groups?|arms?|cohorts?)$", re.IGNORECASE)


def _plain(text: str) -> str:
    """``text`` without what is in brackets (intervals, p values, abbreviations)."""
    for _ in range(2):
        text = _BRACKETS.sub("", text)
    return text


def _split_pair(
    phrase: str, vocabulary: Vocabulary, separator: re.Pattern[str] = _SEPARATOR
) -> Pair | None:
    """The two treatments a phrase such as "X plus Y and Z" lists, when exactly one split
    at "and", "versus" or "or" (or only ``separator``) leaves a treatment on either side."""
    words = _ROLE_ENDINGS.sub("", phrase.strip(" ,")).split()
    if words and words[0].lower() == "the":
        words = words[1:]
    splits = []
    for at, word in enumerate(words):
        if not separator.match(word):
            continue
        first, second = words[:at], words[at + 1 :]
        while second and second[0].lower() in ("the", "with", "in"):
            second = second[1:]
        if _names_treatment(first, vocabulary) and _names_treatment(second, vocabulary):
            splits.append((first, second))
    return splits[0] if len(splits) == 1 else None


def _names_treatment(words: list[str], vocabulary: Vocabulary) -> bool:
    """Whether ``words`` are a treatment's name: short, no figures, the first or last word
    a treatment ("azacitidine alone", "maintenance rituximab")."""
    if (
        not words
        or len(words) > 6
        or any(
            (re.match(r"\d", w) and not is_treatment([w], vocabulary)) or re.search(r"[;:]", w)
            for w in words
        )
    ):
        return False
    last = words[-2] if len(words) > 1 and words[-1].lower() in _ENDINGS else words[-1]
    # ("PARP inhibitors", "CDK4/6 inhibitors": a class by its target)
    by_class = len(words) == 2 and _CLASS_WORD.fullmatch(words[1]) is not None
    return (
        is_treatment(words[:1], vocabulary)
        # ("standard therapy", "endocrine therapy": the two words together)
        or (len(words) > 1 and words[1].lower() in _ENDINGS and is_treatment(words[:2], vocabulary))
        or is_treatment([last], vocabulary)
        or (by_class and is_treatment(words, vocabulary))
    )


_CLASS_WORD = re.compile(r"inhibitors?|antibod(?:y|ies)|blockers?|antagonists?", re.IGNORECASE)


_ENDINGS = frozenset(
    ("alone", "only", "monotherapy", "therapy", "treatment", "regimen", "regimens")
)


# The words that hand a list to its figures: "with X and Y", "for X and Y", "given X and Y".
_LEADS = re.compile(
    r"\b(?:with|for|in|among|receiving|received|given|to|treated with)\s+", re.IGNORECASE
)


def _respectively(text: str, vocabulary: Vocabulary) -> Pair | None:
    """ "11.2 and 5.9 months with X and Y, respectively": the list just before
    "respectively", after the last word that hands it to the figures."""
    plain = _plain(text)
    end = re.search(r",?\s+respectively\b", plain)
    if end is None:
        return None
    clause = re.split(r"[;:]", plain[: end.start()])[-1]
    for lead in reversed(list(_LEADS.finditer(clause))):
        if prior_before(clause, lead.start()):
            return None
        if len(_LISTED.findall(clause[: lead.start()])) > 1:
            # "50% and 30% in patients aged <65 and ≥65 years treated with X and Y,
            # respectively": besides the figures, another list (of subgroups) comes first,
            # and "respectively" may belong to it.
            return None
        pair = _split_pair(clause[lead.end() :], vocabulary)
        if pair is not None:
            return pair
    return None


_LISTED = re.compile(r"\s(?:and|versus|vs\.?|or)\s", re.IGNORECASE)


# "between X and Y", "similar with X and Y"
_BETWEEN = re.compile(
    r"\b(?:between|(?:similar|comparable)\s+(?:with|for))\s+(?P<pair>[^,;.()]+)", re.IGNORECASE
)
_PAIR_ENDS = re.compile(r"\s+(?:in|for|at|among|was|were|with|on|after|regarding)\s+.*$", re.I)


# "between patients treated with X and those given Y": the people, then their treatments.
_PEOPLE = r"(?:patients|those|participants|women|men|children)\s+(?:who\s+(?:were\s+)?)?"
_GIVEN = r"(?:treated\s+with|given|receiving|received|(?:randomly\s+)?assigned\s+to)\s+"
_FIRST_PEOPLE = re.compile(r"^\s*" + _PEOPLE + _GIVEN, re.IGNORECASE)
_SECOND_PEOPLE = re.compile(r"\band\s+" + _PEOPLE + _GIVEN, re.IGNORECASE)


def _between(text: str, vocabulary: Vocabulary) -> Pair | None:
    """ "no difference in EFS between X and Y", "between the X and Y groups", "between
    patients treated with X and those given Y"."""
    found = _BETWEEN.search(text)
    if found is None:
        return None
    pair = found.group("pair")
    people = _FIRST_PEOPLE.match(pair)
    if people:
        pair = _SECOND_PEOPLE.sub("and ", pair[people.end() :], count=1)
    return _split_pair(_PAIR_ENDS.sub("", pair), vocabulary)


# "in the experimental arm (X) … in the control arm (Y)", "Arm B (X) … over arm A (Y)": each
# arm named by its role, its treatment in brackets after it.
_ROLE_THEN_NAME = re.compile(
    r"\b(?:arm|group|cohort)(?:\s+[A-Z0-9])?\s*\((?P<name>[^()\d;:=<>]+)\)", re.IGNORECASE
)


def _role_bracketed(text: str, vocabulary: Vocabulary) -> Pair | None:
    named = [
        words
        for m in _ROLE_THEN_NAME.finditer(text)
        if _names_treatment(words := m.group("name").split(), vocabulary)
    ]
    return (named[0], named[1]) if len(named) == 2 else None


# Where a figure is handed to its treatment: "in the X arm", "with X", "among patients
# receiving X", "in those assigned to X", and a list's "; X, 22 months".
_HANDED = re.compile(
    r"\b(?:in|for|among)\s+(?:the\s+)?(?=[\w'’+/-]+(?:\s+[\w'’+/-]+){0,3}\s+(?:arm|group)s?\b)"
    r"|\b(?:(?:patients|those|participants)\s+)?(?:who\s+(?:were\s+)?)?(?:with|for|receiving"
    r"|received|given|treated\s+with|(?:randomly\s+)?(?:assigned|randomi[sz]ed)\s+to)"
    r"\s+(?:the\s+)?(?=[A-Za-z]|\d+\+\d)"
    r"|(?:^[^:;]*:|;)\s*(?=[A-Za-z][\w+/-]*(?:\s+[\w+/-]+){0,3},\s*\d)",
    re.IGNORECASE,
)


def _attached(text: str, vocabulary: Vocabulary) -> Pair | None:
    """The first two treatments that figures are handed to, in the sentence's order; only
    when a comparison ("versus", "compared with", "than") or the second's own figure stands
    between them ("83% among those assigned to X and 74% among those assigned to Y"), or
    they are items of one list ("PFS: X, 28 months; Y, 22 months"); never from an opening
    "In patients given X," (who the patients are, not what they were compared on)."""
    plain = _plain(text)
    opening = _OPENING.match(plain)
    named: list[tuple[re.Match[str], list[str]]] = []
    for handed in _HANDED.finditer(plain):
        if opening is not None and handed.start() < opening.end():
            continue
        if prior_before(plain, handed.start()):
            continue
        words = words_after(plain, handed.end())
        if _names_treatment(words, vocabulary) and words not in [w for _m, w in named]:
            named.append((handed, words))
    if len(named) < 2 or len(re.findall(r"\d+(?:\.\d+)?", text)) < 2:
        return None
    (first, arm), (second, comparator) = named[:2]
    listed = all(m.group().rstrip().endswith((":", ";")) for m in (first, second))
    between = plain[first.end() : second.start()]
    if not listed and not _COMPARING.search(between) and not re.search(r"\d", between):
        return None
    return arm, comparator


_OPENING = re.compile(r"\s*(?:in|among)\s[^,;]*,", re.IGNORECASE)
_COMPARING = re.compile(rf"\b(?:{_VERSUS}|than|relative to)\s", re.IGNORECASE)


# "X plus Y was superior to Y alone", "X, compared with Y, reduced …": the sentence's
# subject measured against another treatment.
_AGAINST = re.compile(
    r"^\s*(?P<subject>[A-Za-z][^,;()]*?)\s+(?:was|were|is)\s+(?:(?:statistically|clearly"
    r"|significantly)\s+)?(?:superior|inferior|non-?inferior)\s+to\s+(?P<other>[^,;()]+)",
    re.IGNORECASE,
)
_OTHER_ENDS = re.compile(r"\s+(?:in|for|at|among|with|regarding|on|as)\s+.*$", re.IGNORECASE)


def _subject_against(text: str, vocabulary: Vocabulary) -> Pair | None:
    found = _AGAINST.match(text)
    if found is None:
        return None
    subject = found.group("subject").split()
    other = _OTHER_ENDS.sub("", found.group("other")).split()
    if other and other[0].lower() == "the":
        other = other[1:]
    if _names_treatment(subject, vocabulary) and _names_treatment(other, vocabulary):
        return subject, other
    return None


# "16.6 months (X) versus 14.5 months (Y)", "43% (X) and 16% (Y)": each figure followed by
# its treatment in brackets (nothing in them but the name).
_FIGURE_THEN_NAME = re.compile(
    r"\d(?:\.\d+)?\s*(?:%|months?|mo\b\.?|weeks?|years?)?\s*\((?P<name>[^()\d;:=<>]+)\)",
    re.IGNORECASE,
)


def _bracketed(text: str, vocabulary: Vocabulary) -> Pair | None:
    """Two figures each with a treatment in brackets; not abbreviations alone, which more
    often name a method, a subgroup or an analysis ("30% (ctDNA) and 35% (FDG-PET)", "(BRCAm)
    … (HRD)", "(CNS) versus (non-CNS)"): one of the two must be named in words. The first
    figure is the one suggested: when it is the control's ("10 months (placebo) and 20 months
    (olaparib)") the pair is not taken, since the arm would not be the figure's."""
    named = [
        words
        for m in _FIGURE_THEN_NAME.finditer(text)
        if _names_treatment(words := m.group("name").split(), vocabulary)
    ]
    if len(named) < 2:
        return None
    arm, comparator = named[0], named[1]
    if not (_in_words(arm, vocabulary) or _in_words(comparator, vocabulary)):
        return None
    if _is_control(arm, comparator):
        return None
    return arm, comparator


def _in_words(words: list[str], vocabulary: Vocabulary) -> bool:
    """Whether a treatment is named by a word, not only by an abbreviation ("ctDNA")."""
    return any(is_treatment([w], vocabulary) and not is_regimen(w) for w in words)


def _is_control(first: list[str], second: list[str]) -> bool:
    """Whether ``first`` is what ``second`` is measured against: no active treatment
    ("placebo", "observation") or a part of it ("R-CHOP" in "R-CHOP plus ibrutinib")."""
    lowered = [w.lower() for w in first]
    if " ".join(lowered) in _CONTROLS or (lowered and lowered[-1] in _CONTROLS):
        return True
    other = [w.lower() for w in second]
    return len(other) > len(lowered) and any(
        other[i : i + len(lowered)] == lowered for i in range(len(other) - len(lowered) + 1)
    )


_CONTROLS = frozenset(("placebo", "observation", "control", "surveillance", "best supportive care"))


# "Patients were randomly assigned to X (n = 129) or Y (n = 83); …": the arms in the order the
# sentence lists them, joined by "or" or "versus" ("assigned to X and Y" may be one regimen).
_ASSIGNED = re.compile(
    r"\b(?:randomly\s+)?(?:assigned|randomi[sz]ed|allocated)\s+(?:\d:\d\s+)?to\s+(?:receive\s+)?"
    r"(?:either\s+)?(?P<pair>[^,;.]+)",
    re.IGNORECASE,
)
_ALTERNATIVES = re.compile(r"^(?:or|versus|vs\.?)$", re.IGNORECASE)


# "assigned to FOLFOX or CAPOX for 3 or 6 months": the arms compared are durations.
_DURATIONS = re.compile(
    r"^\s+for\s+\d+(?:\s*(?:,|or|and|versus|vs\.?)\s*\d+)+\s*"
    r"(?:months?|weeks?|years?|days?|cycles?|courses?)\b",
    re.IGNORECASE,
)


def _assigned(text: str, vocabulary: Vocabulary) -> Pair | None:
    """The arms patients were assigned to: the active one is the arm, whatever the order
    ("assigned to placebo or olaparib", "to R-CHOP or R-CHOP plus ibrutinib"); none when
    the arms are durations of what they name ("to FOLFOX or CAPOX for 3 or 6 months")."""
    found = _ASSIGNED.search(_plain(text))
    if found is None:
        return None
    pair = found.group("pair")
    ends = _PAIR_ENDS.search(pair)
    if ends is not None and _DURATIONS.match(pair[ends.start() :]):
        return None
    split = _split_pair(_PAIR_ENDS.sub("", pair), vocabulary, _ALTERNATIVES)
    if split is not None and _is_control(*split):
        return split[1], split[0]
    return split


# "The addition of X to Y prolonged …": X added is the arm, Y alone the comparator.
_ADDITION = re.compile(
    r"\baddition of\s+(?P<added>[^,;()]+?)\s+to\s+(?:the\s+)?(?=[A-Za-z])", re.IGNORECASE
)


def _addition(text: str, vocabulary: Vocabulary) -> Pair | None:
    found = _ADDITION.search(text)
    if found is None or prior_before(text, found.start()):
        return None
    added, backbone = found.group("added").split(), words_after(text, found.end())
    # what is added is a treatment by the words, if named by one capitalised word ("Isa")
    short = len(added) == 1 and re.fullmatch(r"[A-Z][a-z]{1,5}", added[0]) is not None
    if (_names_treatment(added, vocabulary) or short) and _names_treatment(backbone, vocabulary):
        return added, backbone
    return None
