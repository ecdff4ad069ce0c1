"""What names a treatment in an efficacy sentence, and how the arm is written from it.

A treatment is a drug by its stem or the vocabulary (alone, joined to a partner by a hyphen or
an en dash, or "X-treated"), a regimen's or drug's abbreviation ("VRd", "R-CHOP", "T-DXd",
"7+3"), a class by its target ("the PD-1 inhibitor"), or a word such as placebo, chemotherapy,
observation, "investigator's choice", "no adjuvant therapy". The arm is kept as the sentence
writes it, with its setting ("adjuvant imatinib", "lenalidomide maintenance"), without the
people it was given to ("those randomized to X") or the words that go on after it.
"""

from __future__ import annotations

import re

from reviewapp.core.mechanism import is_target
from reviewapp.core.vocabulary import Vocabulary, is_drug_name

# The characters of a treatment's name as written: "R-CHOP", "investigator's", "X+Y", and
# partners joined by a hyphen or an en dash ("alpelisib–fulvestrant").
NAME_CHAR = r"[\w'’+/–-]"
# Partners joined into one name: "bendamustine-rituximab", "alpelisib–fulvestrant",
# "atezolizumab/carboplatin/etoposide".
_JOINS = re.compile(r"[-–/]")
# A CAR T-cell product by its short name: "ide-cel", "cilta-cel", "axi-cel", "liso-cel".
_CELL_THERAPY = re.compile(r"[a-z]{2,6}-cel", re.IGNORECASE)


def word_set(text: str) -> tuple[str, ...]:
    return tuple(text.split())


STOP = frozenset(
    word_set(
        "in among for at was were is are had has with on by the a an of to than patients"
        " arm arms group groups cohort who that which and or from when months weeks"
        " survival rate versus vs vs. v compared over relative"
    )
)
_TREATMENTS = frozenset(
    word_set(
        "placebo chemotherapy observation docetaxel standard care radiotherapy"
        " surgery chemoimmunotherapy monotherapy combination investigator's supportive"
        " dexamethasone chemoradiotherapy chemoradiation doublet triplet quadruplet transplant"
        " transplantation physician's physician’s physicians' investigator’s investigators'"
        " radiochemotherapy bioradiotherapy chemoembolization radiation interferon surveillance"
        " immunotherapy immunochemotherapy available endocrine hormonal hormone chemo conjugate"
        # (the four before "chemo" only with the word after them: "endocrine therapy")
    )
)
# "dual-immunotherapy", "triple-therapy": how many agents, before the treatment word.
_HOW_MANY = frozenset(word_set("dual double triple single"))


def _phrase(words: list[str]) -> str:
    return " ".join(words).strip()


# Where a treatment is given: "adjuvant imatinib", "maintenance lenalidomide".
SETTINGS = frozenset(
    word_set(
        "adjuvant neoadjuvant perioperative maintenance consolidation consolidative salvage"
        " induction first-line second-line frontline upfront"
        # routes and schedules written before the treatment: "intraperitoneal chemotherapy"
        " intraperitoneal intravenous intrathecal intravesical subcutaneous oral weekly"
    )
)
# Abbreviations that name no treatment: end points, statistics, diseases, markers, events.
_NOT_REGIMENS = frozenset(
    word_set(
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
_ABBREVIATION = re.compile(r"(?:\d+-?)?[A-Za-z][A-Za-z0-9]*(?:[-–][A-Za-z0-9]+)*")
# A code of capitals and a number: "S-1", "CPX-351".
_CODE = re.compile(r"[A-Z]{1,4}-\d{1,4}")


# A partner abbreviated after "+": a capital and up to five letters ("Gem", "Cis", "NabP").
_ABBREVIATED_PARTNER = re.compile(r"[A-Z][A-Za-z]{1,5}")


# Greek letters written out in a name: "IFN-alpha", "IFN-alfa".
_GREEK = frozenset(word_set("alpha alfa beta gamma"))


def is_regimen(word: str) -> bool:
    """Whether ``word`` reads as a regimen's or drug's abbreviation ("VRd", "Rd", "R-CHOP",
    "Dato-DXd", "FLAG-Ida", "S-1", "5FU/LV"): two capitals or a capital and one letter, or
    capitals and a number ("CPX-351"), no known end point, disease or target, and no lower-case
    word joined by a hyphen ("HER2-positive"); parts joined by "/" must each be one."""
    if "/" in word:
        parts = word.split("/")
        return len(parts) <= 3 and all(p and is_regimen(p) for p in parts)
    if "+" in word and not _INDUCTION.fullmatch(word):
        # "Gem+Cis", "Gem+NabP", "FOLFOX+Bev": abbreviated partners joined by "+"
        parts = word.split("+")
        # ("A+CHP": a partner by its initial beside a regimen)
        initial = any(is_regimen(p) for p in parts)
        return 2 <= len(parts) <= 4 and all(
            _ABBREVIATED_PARTNER.fullmatch(p)
            or is_regimen(p)
            or (initial and re.fullmatch(r"[A-Z]", p))
            for p in parts
        )
    if _CODE.fullmatch(word):
        return word not in _NOT_REGIMENS and not is_target(word)
    capitals = sum(c.isupper() for c in word)
    short = len(word) == 2 and word[0].isupper()
    if not _ABBREVIATION.fullmatch(word) or len(word) > 16 or (capitals < 2 and not short):
        return False
    parts = _JOINS.split(word)
    if any(p.islower() and len(p) >= 4 and p not in _GREEK for p in parts):
        return False
    # (a plural is its singular: "RRs", "HRs", "ORRs")
    singular = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
    if singular in _NOT_REGIMENS:
        return False
    return word not in _NOT_REGIMENS and not any(p in _NOT_REGIMENS or is_target(p) for p in parts)


def is_treatment(words: list[str], vocabulary: Vocabulary) -> bool:
    """Whether a word names a treatment; drugs joined by a hyphen or en dash
    ("bendamustine-rituximab", "azacitidine–venetoclax") count by any of their names, "X-treated"
    by X, and a class by its target ("the PD-1 inhibitor")."""
    if _none_given(words):
        return True
    for at, word in enumerate(words):
        if had_before(word):
            continue  # "carboplatin/paclitaxel-refractory": what patients had before
        if word.lower() in _WITH_THERAPY and (
            at + 1 >= len(words) or words[at + 1].lower() not in _STANDARD_WHAT | {"of"}
        ):
            continue  # "standard scheduling", "hormone receptor" name no treatment
        w = _untreated(word)
        parts = _JOINS.split(w)
        if (
            _INDUCTION.fullmatch(w)
            or drug_word(w)
            or _treatment_words(parts)
            or _SURGERY.fullmatch(w) is not None
            or vocabulary.agents.find(w)
            or is_regimen(w)
            or (at > 0 and _CLASS.fullmatch(w) is not None and is_target(words[at - 1]))
        ):
            return True
    return False


# An operation by its name: "gastrectomy", "lobectomy", "prostatectomy".
_SURGERY = re.compile(r"[a-z]{3,}ectomy|resection", re.IGNORECASE)


def _treatment_words(parts: list[str]) -> bool:
    """Whether the parts of one word are treatment words ("chemo-immunotherapy"), after a
    count of agents ("dual-immunotherapy")."""
    named = [part.lower() for part in parts if part.lower() not in _HOW_MANY]
    # (a plural is its singular: "doublets", "transplants")
    return bool(named) and all(
        part in _TREATMENTS or (part.endswith("s") and part[:-1] in _TREATMENTS) for part in named
    )


_PRIOR_SUFFIX = re.compile(
    r"[-–](?:refractory|naive|naïve|resistant|pretreated|exposed|intolerant|relapsed|failed"
    r"|experienced)$",
    re.IGNORECASE,
)


# Treatment words only with the word after them: "standard care", "endocrine therapy", "best
# available therapy".
_WITH_THERAPY = frozenset(word_set("standard available endocrine hormonal hormone"))


def had_before(word: str) -> bool:
    """Whether ``word`` names what patients had before ("nivolumab-naive", "X-refractory")."""
    return _PRIOR_SUFFIX.search(word) is not None


# "no adjuvant therapy", "no further treatment": an arm given nothing.
_NOTHING = frozenset(word_set("further active additional therapy treatment"))


# "immediate treatment", "deferred therapy": a strategy compared by when treatment starts.
_WHEN = frozenset(word_set("immediate deferred delayed early"))


def _none_given(words: list[str]) -> bool:
    if len(words) == 2 and words[0].lower() in _WHEN and words[1].lower() in _NOTHING:
        return True
    return (
        len(words) >= 2
        and words[0].lower() == "no"
        and all(w.lower() in _NOTHING | SETTINGS | _TREATMENTS for w in words[1:])
        and words[-1].lower() in _NOTHING | _TREATMENTS | SETTINGS
    )


# A drug class named by its target: "the PD-1 inhibitor", "a BCMA antibody".
_CLASS = re.compile(r"inhibitors?|antibod(?:y|ies)|blockers?|antagonists?", re.IGNORECASE)


# "7+3": cytarabine for seven days and an anthracycline for three, named by its schedule.
_INDUCTION = re.compile(r"\d\+\d")


def drug_word(word: str) -> bool:
    """Whether ``word`` is a drug's name by its stem, alone or joined ("idelalisib-rituximab",
    "capecitabine/oxaliplatin"), or a CAR T-cell product's short name ("cilta-cel")."""
    return _CELL_THERAPY.fullmatch(word) is not None or any(
        is_drug_name(part) for part in _JOINS.split(word)
    )


_GIVEN_WITH = re.compile(r"[-–](?:treated|containing)$", re.IGNORECASE)


def _untreated(word: str) -> str:
    """``word`` without "-treated" or "-containing": "pembrolizumab-treated" and
    "bevacizumab-containing" name the drug."""
    return _GIVEN_WITH.sub("", word)


def words_before(text: str, end: int) -> list[str]:
    """The words of a treatment's name that end at ``end``; none when "and" comes before
    them, as they may be the last of a list ("with X plus Y and Z versus …")."""
    words: list[str] = []
    for word in reversed(_tokens(text[:end])):
        if word.lower() == "and" and words and drug_word(words[0]):
            return []
        if not re.match(r"[A-Za-z]", word) or (word.lower() in STOP and word.lower() != "alone"):
            break
        words.insert(0, word)
        if len(words) == 4:
            break
    while words and not _keeps(words[0]):
        words.pop(0)
    return words


# A treatment's name is read from at most this many characters (five words and what follows
# them): reading the whole rest of a long text at each phrase would take quadratic time.
_NAME_WINDOW = 300


def _tokens(text: str) -> list[str]:
    return re.findall(NAME_CHAR + r"+|[^\w\s]", text)


def words_after(text: str, start: int, lists: bool = False) -> list[str]:
    """The words of a treatment's name from ``start`` (at most five, to a stop word); with
    ``lists``, "and" may join a partner after "plus" ("X plus Y and Z")."""
    words: list[str] = []
    tokens = _tokens(text[start : start + _NAME_WINDOW])
    for at, word in enumerate(tokens):
        if word.lower() in ("plus", "+", "alone") and words:
            words.append(word)
            continue
        if words and _joins_choice(word, words[-1], tokens[at + 1 : at + 3]):
            words.append(word)
            continue
        following = tokens[at + 1] if at + 1 < len(tokens) else ""
        # "X plus Y and Z", "with relatlimab and nivolumab": partners listed
        listed = "plus" in words or (len(words) == 1 and drug_word(words[0]))
        if lists and word.lower() == "and" and drug_word(following) and listed:
            words.append(word)
            continue
        if word.lower() == "with" and words and words[-1].lower() in _RADIATION:
            # "chemoradiotherapy with cisplatin", "radiotherapy with concurrent temozolomide"
            partner = tokens[at + 1 : at + 3]
            if partner and (
                drug_word(partner[0])
                or (partner[0].lower() in _CONCURRENT and drug_word(partner[-1]))
            ):
                words.append(word)
                continue
        named = re.match(r"[A-Za-z]", word) or _INDUCTION.fullmatch(word) or is_regimen(word)
        if not named or word.lower() in STOP:
            break
        if word.lower() in _TRIAL:
            return []  # "in the QUAZAR AML-001 trial": a trial's name, no treatment
        words.append(word)
        if len(words) == 5:
            break
    return words


_TRIAL = frozenset(word_set("trial trials study studies"))


_RADIATION = frozenset(
    word_set("radiotherapy chemoradiotherapy radiochemotherapy chemoradiation radiation")
)
_CONCURRENT = frozenset(word_set("concurrent concomitant weekly daily"))


_CHOOSER = re.compile(r"(?:physician|investigator)(?:'s|’s|s'|s’)", re.IGNORECASE)


def _joins_choice(word: str, before: str, after: list[str]) -> bool:
    """Whether "or" or "of" joins two parts of one treatment's name: drugs given as
    alternatives ("gefitinib or erlotinib"), a choice ("investigator's choice of chemotherapy",
    "chemotherapy of physician's choice")."""
    following = after[0] if after else ""
    if word.lower() == "or":
        return drug_word(before) and drug_word(following)
    if word.lower() != "of":
        return False
    if before.lower() == "standard" and following.lower() == "care":
        return True  # "standard of care"
    return before.lower() == "choice" or (
        (_CHOOSER.fullmatch(following) is not None or following.lower() == "the")
        and any(w.lower() == "choice" for w in after)
    )


def _keeps(word: str) -> bool:
    return word.lower() not in ("plus", "+", "alone")


# Words a treatment's name may end with; other words after the last treatment word are the
# sentence going on ("X plus Y given as …", "X treatment, …") and are left out.
_ENDINGS = frozenset(
    word_set(
        "alone only monotherapy regimen regimens choice inhibitor inhibitors alfa alpha acid"
        " continuation conjugate"
    )
)


# "standard therapy", "conventional treatment": the words that name the treatment together.
_STANDARD = frozenset(word_set("standard conventional usual"))
_STANDARD_WHAT = frozenset(word_set("therapy treatment care regimen regimens"))


def _names_kind(word: str) -> bool:
    """Whether ``word`` and "therapy" after it name a treatment together ("standard therapy",
    "combination therapy"); not a drug's ("docetaxel therapy" is docetaxel)."""
    return word.lower() in _STANDARD or (word.lower() in _TREATMENTS and not drug_word(word))


def _trimmed(words: list[str], vocabulary: Vocabulary) -> list[str]:
    """``words`` up to the last one that names a treatment, ends a treatment's name, follows
    "plus" (a partner the vocabulary may not know: "X plus fulvestrant"), or is the setting
    written after it ("lenalidomide maintenance")."""
    end = len(words)
    while end > 1 and not (
        words[end - 1].lower() in _ENDINGS
        or words[end - 2].lower() in ("plus", "+")
        or (words[end - 1].lower() in _STANDARD_WHAT and _names_kind(words[end - 2]))
        or is_treatment(words[end - 1 : end], vocabulary)
        or (
            words[end - 1].lower() in SETTINGS
            and is_treatment(words[end - 2 : end - 1], vocabulary)
        )
    ):
        end -= 1
    return words[:end]


def written(words: list[str], vocabulary: Vocabulary) -> str:
    # "those receiving observation", "patients assigned to X": the people, then their treatment
    given = _PEOPLE_GIVEN.match(" ".join(words))
    if given and given.end() < len(" ".join(words)):
        words = " ".join(words)[given.end() :].split()
    if not _none_given(words):
        words = _trimmed(words, vocabulary)
    if words and _GIVEN_WITH.search(words[-1]):
        words = [*words[:-1], _untreated(words[-1])]
    text = _phrase(words)
    first = words[0] if words else ""
    # "Dose-dense paclitaxel", "High-dose methotrexate": a schedule before the drug
    schedule = len(words) > 1 and "-" in first and is_drug_name(words[1])
    named = (
        drug_word(first) or first.lower() in SETTINGS or first.lower() in _TREATMENTS or schedule
    )
    if first[:1].isupper() and first[1:].islower() and named:
        text = first.lower() + text[len(first) :]
    return text


_PEOPLE_GIVEN = re.compile(
    r"(?:patients|those|participants)\s+(?:who\s+(?:were\s+)?)?(?:receiving|received|given|on"
    r"|taking|treated\s+with|(?:randomly\s+)?(?:assigned|randomi[sz]ed|allocated)\s+to)\s+"
    r"(?:receive\s+)?(?:the\s+)?"
    r"|(?:randomly\s+)?(?:assigned|randomi[sz]ed|allocated)\s+to\s+(?:receive\s+)?(?:the\s+)?",
    re.IGNORECASE,
)


def with_setting(text: str, start: int, name: str) -> str:
    """``name`` (found at ``start``) with the setting written just before it, if any."""
    before = re.search(r"([\w-]+)\s+$", text[:start])
    if before and before.group(1).lower() in SETTINGS:
        return before.group(1) + " " + name
    return name
