"""Which treatments an efficacy sentence compares: the arm and its comparator, as written
("7.1 months with X versus 4.3 months with Y", "in the X arm … in the Y arm", "X over Y").
A phrase is taken only when it names a treatment (a drug by its stem or the vocabulary, a
regimen's or drug's abbreviation such as "VRd", "R-CHOP" or "T-DXd", or placebo,
chemotherapy, observation …) and kept as the sentence writes it, with its setting
("adjuvant imatinib"); numbers and roles like "the experimental arm" or "the control
group" are not treatments, nor a drug named as what patients had before ("previously
treated with X").
"""

from __future__ import annotations

import re

from reviewapp.core.mechanism import is_target
from reviewapp.core.vocabulary import Vocabulary, is_drug_name

_VERSUS = re.compile(
    r"\s+(?:versus|vs\.?|v\.?|compared (?:with|to)|relative to|over|than(?: with)?)\s+"
    r"(?:with\s+|to\s+)?(?:the\s+)?",
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
        "placebo chemotherapy observation docetaxel standard care radiotherapy"
        " surgery chemoimmunotherapy monotherapy combination investigator's supportive"
        " dexamethasone chemoradiotherapy chemoradiation doublet triplet quadruplet transplant"
        " transplantation"
    )
)


def _phrase(words: list[str]) -> str:
    return " ".join(words).strip()


# Where a treatment is given: "adjuvant imatinib", "maintenance lenalidomide".
_SETTINGS = frozenset(
    _words(
        "adjuvant neoadjuvant perioperative maintenance consolidation consolidative salvage"
        " induction first-line second-line frontline upfront"
    )
)
# Abbreviations that name no treatment: end points, statistics, diseases, markers, events.
_NOT_REGIMENS = frozenset(
    _words(
        "OS PFS EFS DFS RFS ORR CR CRi CRh PR VGPR pCR DoR DOR MRD TTP DCR CBR BOR TTF HR OR RR"
        " CI ITT NR NE SD IQR NSCLC SCLC AML ALL CLL CML MDS DLBCL MM MCL FL HL NHL TNBC HNSCC"
        " RCC HCC CRC mCRPC CRPC GIST ECOG PS TP53 BRCA BRCA1 BRCA2 MSI MSI-H dMMR pMMR TMB"
        " AE AEs SAE TRAE CRS ICANS FDA EMA US UK EU PD HER2-low In At On Of To By An As If"
        " Is It No So Up We Or"
        # How response is assessed, and by whom: "by RECIST", "per IMWG criteria".
        " RECIST iRECIST mRECIST irRC PERCIST RANO iRANO IMWG IWG iwCLL ELN Lugano BICR IRC"
        " BIRC ICR INV"
        # Populations and routes: "the AYA cohort", "the mITT population", "with SC dosing".
        " AYA mITT PP FAS SC IV"
    )
)
_ABBREVIATION = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")


def _is_regimen(word: str) -> bool:
    """Whether ``word`` reads as a regimen's or drug's abbreviation ("VRd", "Rd", "R-CHOP",
    "Dato-DXd", "FLAG-Ida"): two capitals or a capital and one letter, no known end point,
    disease or target, and no lower-case word joined by a hyphen ("HER2-positive")."""
    capitals = sum(c.isupper() for c in word)
    short = len(word) == 2 and word[0].isupper()
    if not _ABBREVIATION.fullmatch(word) or len(word) > 16 or (capitals < 2 and not short):
        return False
    parts = word.split("-")
    if any(p.islower() and len(p) >= 4 for p in parts):
        return False
    return word not in _NOT_REGIMENS and not any(p in _NOT_REGIMENS or is_target(p) for p in parts)


def is_treatment(words: list[str], vocabulary: Vocabulary) -> bool:
    """Whether a word names a treatment; drugs joined by a hyphen ("bendamustine-rituximab")
    count by any of their names."""
    return any(
        any(is_drug_name(part) for part in w.split("-"))
        or w.lower() in _TREATMENTS
        or vocabulary.agents.find(w)
        or _is_regimen(w)
        for w in words
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


def words_after(text: str, start: int) -> list[str]:
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


# Words a treatment's name may end with; other words after the last treatment word are the
# sentence going on ("X plus Y given as …", "X treatment, …") and are left out.
_ENDINGS = frozenset(_words("alone monotherapy regimen"))


def _trimmed(words: list[str], vocabulary: Vocabulary) -> list[str]:
    """``words`` up to the last one that names a treatment, ends a treatment's name, or
    follows "plus" (a partner the vocabulary may not know: "X plus fulvestrant")."""
    end = len(words)
    while end > 1 and not (
        words[end - 1].lower() in _ENDINGS
        or words[end - 2].lower() in ("plus", "+")
        or is_treatment(words[end - 1 : end], vocabulary)
    ):
        end -= 1
    return words[:end]


def written(words: list[str], vocabulary: Vocabulary) -> str:
    # "those receiving observation", "patients given X": the people, then their treatment
    while len(words) > 2 and words[0].lower() in _PEOPLE and words[1].lower() in _GIVEN_WORDS:
        words = words[2:]
    words = _trimmed(words, vocabulary)
    if words and words[-1].lower().endswith("-treated"):
        words = [*words[:-1], words[-1][: -len("-treated")]]
    text = _phrase(words)
    first = words[0] if words else ""
    named = is_drug_name(first) or first.lower() in _SETTINGS
    if first[:1].isupper() and first[1:].islower() and named:
        text = first.lower() + text[len(first) :]
    return text


_PEOPLE = frozenset(("those", "patients", "participants"))
_GIVEN_WORDS = frozenset(("receiving", "given", "on", "taking"))


def _with_setting(text: str, start: int, name: str) -> str:
    """``name`` (found at ``start``) with the setting written just before it, if any."""
    before = re.search(r"([\w-]+)\s+$", text[:start])
    if before and before.group(1).lower() in _SETTINGS:
        return before.group(1) + " " + name
    return name


_ATTACHED = re.compile(
    r"\d(?:\.\d+)?\s*(?:%|months?|mo\b|weeks?|years?)\s*(?:\([^)]*\)\s*)?"
    r"(?:with|for|in|on|receiving)\s+"
    r"(?:(?:patients|those|participants)\s+(?:who\s+(?:were\s+)?)?"
    r"(?:receiving|received|given|treated with|assigned to)\s+)?(?:the\s+)?",
    re.IGNORECASE,
)
_IN_THE_ARM = re.compile(
    r"(?:\bin the\s+|^\s*the\s+)(?=[\w'’+/-]+(?:\s+[\w'’+/-]+){0,3}\s+(?:arm|group)\b)", re.I
)


# "… 41% and 22% in the X and Y groups, respectively": the arms in the order of the values.
_NAME = r"[\w'’+/-]+(?:\s+[\w'’+/-]+){0,3}?"
_BOTH_GROUPS = re.compile(
    r"\b(?:in|for|with) the\s+(" + _NAME + r")\s+and\s+(?:the\s+)?(" + _NAME + r")"
    r"\s+(?:groups|arms|cohorts)\b(?=.*\brespectively\b)",
    re.IGNORECASE,
)


def arms(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    """The arm and its comparator, where the sentence names the treatments it compares:
    "7.1 months with X versus 4.3 months with Y", "in the X arm … in the Y arm", "X versus Y"."""
    both = _BOTH_GROUPS.search(text)
    if both:
        first, second = both.group(1).split(), both.group(2).split()
        if all(is_treatment(w, vocabulary) and w[0].lower() not in _STOP for w in (first, second)):
            return {
                "arm": written(first, vocabulary),
                "comparator": written(second, vocabulary),
            }
    leading = _leading_versus(text, vocabulary)
    if leading:
        return leading
    for pattern in (_ATTACHED, _IN_THE_ARM):
        phrases = [w for w in (words_after(text, m.end()) for m in pattern.finditer(text)) if w]
        named = [words for words in phrases if is_treatment(words, vocabulary)]
        if len(named) == 1 and phrases[0] is not named[0]:
            # "63% in the older cohort and 48% in those given Y": Y is the other value's.
            continue
        if len(named) >= 2 and named[0] != named[1]:
            return {
                "arm": written(named[0], vocabulary),
                "comparator": written(named[1], vocabulary),
            }
        if len(named) == 1 and not _VERSUS.search(text):
            return {"arm": written(named[0], vocabulary)}
    compared = _versus(text, vocabulary)
    if compared or _VERSUS.search(text):
        return compared
    return _single_arm(text, vocabulary)


# One treatment named with the result and none compared: "66% of patients with X", "patients
# who received X", "X produced a response rate of 38%". Only a drug's name is taken here, or
# an abbreviation that opens the sentence ("T-DXd achieved …").
_RESULT_VERBS = (
    r"resulted|produced|demonstrated|showed|achieved|yielded|induced|improved|prolonged"
    r"|reduced|extended|led"
)
_ADVERB = r"(?:(?:significantly|markedly|substantially|also|further)\s+)?"
_GIVEN = re.compile(
    r"\b(?:with|receiving|received|responders to|treated with)\s+(?:the\s+)?(?=[A-Za-z])"
    r"|^\s*(?=[A-Za-z][\w+-]*(?:\s+(?:plus|\+)\s+[A-Za-z][\w+-]*)*\s*"
    r"(?:,[^,]{3,80},\s*)?" + _ADVERB + r"(?:" + _RESULT_VERBS + r")\b)"
    r"|\b(?=[A-Za-z]+\s+(?:therapy|treatment|monotherapy)\s+(?:" + _RESULT_VERBS + r")\b)"
    r"|\b(?=[A-Za-z]+-treated\s+(?:patients|participants)\b)",
    re.IGNORECASE,
)
# "inotuzumab therapy resulted in …": the arm is the drug.
_THERAPY = re.compile(r"therapy|treatment", re.IGNORECASE)
# A drug patients had before: "previously treated with X", "refractory to X".
PRIOR = re.compile(
    r"\b(?:previously|prior|pre-?treated|progressed|progressing|refractory|resistant|relapsed"
    r"|failed|exposed|intolerant)\b[^,;]*$",
    re.IGNORECASE,
)


def _single_arm(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    for m in _GIVEN.finditer(text):
        if PRIOR.search(text[: m.start()]):
            continue
        words = words_after(text, m.end())
        verb = next((i for i, w in enumerate(words) if re.fullmatch(_RESULT_VERBS, w, re.I)), None)
        words = words[:verb]
        if words and words[0].lower().endswith("-treated"):
            words = [words[0][: -len("-treated")]]
        if verb is not None and len(words) == 2 and _THERAPY.fullmatch(words[1]):
            words = words[:1]
        subject = m.end() == m.start()
        if words and any(
            is_drug_name(w) or vocabulary.agents.find(w) or (subject and _is_regimen(w))
            for w in words[:1]
        ):
            return {"arm": written(words, vocabulary)}
    return {}


# "Compared with Y, X improved …": the comparator first, then the subject that is the arm.
_LEADING = re.compile(
    r"^\s*(?:compared (?:with|to)|versus|vs\.?|relative to)\s+(?:the\s+)?", re.IGNORECASE
)


def _leading_versus(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    m = _LEADING.match(text)
    comma = text.find(",", m.end()) if m else -1
    if not m or comma < 0:
        return {}
    after = words_after(text, m.end())
    # "…, the X arm had …": the subject named as its arm or group
    named_arm = re.match(
        r"\s*the\s+([\w'’+/-]+(?:\s+[\w'’+/-]+){0,3}?)\s+(?:arm|group)\b", text[comma + 1 :]
    )
    subject = words_after(text, comma + 1)
    verb = next((i for i, w in enumerate(subject) if re.fullmatch(_RESULT_VERBS, w, re.I)), None)
    subject = subject[:verb] if verb is not None else []
    if named_arm:
        subject = named_arm.group(1).split()
    if not after or not is_treatment(after, vocabulary):
        return {}
    if subject and any(is_drug_name(w) or vocabulary.agents.find(w) for w in subject[:1]):
        return {"arm": written(subject, vocabulary), "comparator": written(after, vocabulary)}
    return {"comparator": written(after, vocabulary)}


# The treatment a "than" or "versus" sets the comparator against, when the words just
# before it name none: "PFS with the triplet was better than with the doublet".
_NAMED_BEFORE = re.compile(r"\b(?:with|in the|for)\s+(?:the\s+)?(?=[A-Za-z])", re.IGNORECASE)


_BARE_VERSUS = frozenset(("v", "v.", "than", "than with"))
# "shorter with the investigational agent than with Y": a role, so Y is the comparator alone.
_ROLE_BEFORE = re.compile(
    r"\b(?:with|in)\s+the\s+(?:investigational|experimental|study)\s+(?:agent|drug|arm|group"
    r"|treatment|regimen)\s*$",
    re.IGNORECASE,
)


def _versus(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    for m in _VERSUS.finditer(text):
        before, after = _words_before(text, m.start()), words_after(text, m.end())
        if not after or not is_treatment(after, vocabulary):
            continue
        before = _treatment_before(before, vocabulary)
        arm = written(before, vocabulary) if before else _arm_before(text, m, vocabulary)
        role = _ROLE_BEFORE.search(text[: m.start()])
        if arm is None and not role and m.group(0).strip().lower() in _BARE_VERSUS:
            continue
        return (
            {"arm": arm, "comparator": written(after, vocabulary)}
            if arm
            else {"comparator": written(after, vocabulary)}
        )
    return {}


# Words that may end a treatment's name before "versus": "docetaxel alone", "R-CHOP therapy".
_TAILS = frozenset(_words("alone therapy monotherapy treatment regimen"))


def _treatment_before(words: list[str], vocabulary: Vocabulary) -> list[str]:
    """The treatment the words just before "versus" name, with its setting ("adjuvant X"):
    none when they do not end with it ("nivolumab improved EFS compared with …")."""
    while words and not is_treatment(words[:1], vocabulary):
        if words[0].lower() in _SETTINGS and is_treatment(words[1:2], vocabulary):
            break
        words = words[1:]
    last = words[-1] if words else ""
    if last.lower() in _TAILS or is_treatment([last], vocabulary):
        return words
    return []


def _arm_before(text: str, versus: re.Match[str], vocabulary: Vocabulary) -> str | None:
    """The arm named earlier in the sentence than ``versus``: after "with" or "in the", else
    the sentence's subject (a drug, by the vocabulary or its stem, or an abbreviation)."""
    head = text[: versus.start()]
    for m in reversed(list(_NAMED_BEFORE.finditer(head))):
        words = words_after(head, m.end())
        if words and is_treatment(words, vocabulary) and not PRIOR.search(head[: m.start()]):
            return written(words, vocabulary)
    if versus.group(0).strip().lower() in ("v", "v.", "than", "than with"):
        return None
    subject = vocabulary.agents.find(head)
    if subject:
        return _with_setting(head, subject[0].start, subject[0].written)
    stem = next((w for w in re.finditer(r"[A-Za-z]+", head) if is_drug_name(w.group(0))), None)
    if stem:
        return written(_with_setting(head, stem.start(), stem.group(0)).split(), vocabulary)
    opening = re.match(r"\s*([A-Za-z][\w+-]*)", head)
    return opening.group(1) if opening and _is_regimen(opening.group(1)) else None
