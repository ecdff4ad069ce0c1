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

from reviewapp.core.treatments import (
    NAME_CHAR,
    SETTINGS,
    STOP,
    drug_word,
    had_before,
    is_regimen,
    is_treatment,
    with_setting,
    word_set,
    words_after,
    words_before,
    written,
)
from reviewapp.core.vocabulary import Vocabulary, is_drug_name

_VERSUS = re.compile(
    r"\s+(?:versus|vs\.?|v\.?|compared (?:with|to)|relative to|over"
    r"|than(?: with| was| were| did)?)\s+"
    r"(?:with\s+|to\s+)?(?:the\s+)?",
    re.IGNORECASE,
)


# Who is given a treatment: "patients", "those", "children", "men".
_PEOPLE = r"patients|those|participants|children|adults|men|women"
# Patients put on a treatment by the trial: "randomly assigned to (receive)", "allocated to".
_ASSIGNED_TO = r"(?:randomly\s+)?(?:assigned|randomi[sz]ed|allocated)\s+to(?:\s+receive)?"
# The words that say a group was given a treatment ("patients who received X").
GIVEN_TO = r"(?:receiving|received|given|treated with|" + _ASSIGNED_TO + ")"
# A figure (or a median "not reached") handed to the treatment after it: "7.1 months with X",
# "54% among patients randomized to X", "66% of patients in the X group", "not reached with
# X", "2.7 months in the group receiving X".
_ATTACHED = re.compile(
    r"(?:\d(?:\.\d+)?\s*(?:%\)?|months?|mo\b|weeks?|years?)|\bnot\s+(?:yet\s+)?(?:been\s+)?reached)"
    r"\s*(?:\([^)]*\)\s*)?(?:of\s+(?:the\s+)?(?:patients|participants)\s+)?"
    r"(?:(?:with|for|in|on|receiving|among|after|following)\s+"
    r"(?:(?:the\s+)?(?:\d[\d,]*\s+)?(?:" + _PEOPLE + r"|the\s+(?:group|arm))\s+"
    r"(?:who\s+(?:were\s+)?)?" + GIVEN_TO + r"\s+)?"
    # "52% of patients treated with X", "5.6 years among the 417 (patients) who received Y"
    r"|(?:of|among)\s+(?:the\s+)?(?:\d[\d,]*\s+)?(?:" + _PEOPLE + r")\s+"
    r"(?:who\s+(?:were\s+)?)?" + GIVEN_TO + r"\s+"
    r"|among\s+the\s+\d[\d,]*\s+(?:who\s+(?:were\s+)?)?" + GIVEN_TO + r"\s+)(?:the\s+)?",
    re.IGNORECASE,
)
_IN_THE_ARM = re.compile(
    r"(?:\b(?:in|on) the\s+|\bin favou?r of the\s+|^\s*the\s+|^[^,;]{0,40},\s*the\s+)(?="
    + NAME_CHAR
    + r"+(?:\s+"
    + NAME_CHAR
    + r"+){0,3}\s+(?:arm|group|cohort)s?\b)",
    re.I,
)


# "… 41% and 22% in the X and Y groups, respectively": the arms in the order of the values.
_NAME = NAME_CHAR + r"+(?:\s+" + NAME_CHAR + r"+){0,3}?"
_BOTH_GROUPS = re.compile(
    r"\b(?:in|for|with) the\s+(" + _NAME + r")\s+and\s+(?:the\s+)?(" + _NAME + r")"
    r"\s+(?:groups|arms|cohorts)\b(?=.*\b(?:respectively|vs\.?|versus)(?:\W|$))",
    re.IGNORECASE,
)


def arms(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    """The arm and its comparator, where the sentence names the treatments it compares:
    "7.1 months with X versus 4.3 months with Y", "in the X arm … in the Y arm", "X versus Y"."""
    both = _BOTH_GROUPS.search(text)
    if both:
        first, second = both.group(1).split(), both.group(2).split()
        if all(is_treatment(w, vocabulary) and w[0].lower() not in STOP for w in (first, second)):
            return {
                "arm": written(first, vocabulary),
                "comparator": written(second, vocabulary),
            }
    leading = _leading_versus(text, vocabulary)
    if leading:
        return leading
    against = _subject_against_figure(text, vocabulary)
    if against:
        return against
    alone: dict[str, str] = {}
    for pattern in (_ATTACHED, _IN_THE_ARM):
        phrases = [
            w
            for w in (words_after(text, m.end()) for m in pattern.finditer(text) if _hands_on(m))
            if w and not _AFTER_WHAT.intersection(x.lower() for x in w)
        ]
        named = [
            words
            for at, words in enumerate(phrases)
            if is_treatment(words, vocabulary) or _backbone_alone(words, phrases[:at], vocabulary)
        ]
        if len(named) == 1 and phrases[0] is not named[0]:
            against_role = len(phrases) == 2 and phrases[0][0].lower() in _ROLES
            if pattern is _IN_THE_ARM and against_role and _RATIO_NAMED.search(text):
                # "72% in the control arm vs 84% in the LET arm (HR 0.75)": the ratio is the
                # named arm's against the role
                return {"arm": written(named[0], vocabulary)}
            # "63% in the older cohort and 48% in those given Y": Y is the other value's.
            continue
        if len(named) == 1 and pattern is _ATTACHED and _figure_before(text, pattern):
            # "66% of men given X and 37% of those given Y" with X unread: Y is the second's.
            continue
        roles = all(w[0].lower() in _ROLES for w in phrases[1:])
        if (
            len(named) == 1
            and pattern is _IN_THE_ARM
            and phrases[0] is named[0]
            and roles
            and _before_versus(pattern, text)
        ):
            # "in the X arms … versus … for those who did not receive it": the other a role
            alone = {"arm": written(named[0], vocabulary)}
        if len(named) >= 2 and named[0] != named[1]:
            return {
                "arm": written(named[0], vocabulary),
                "comparator": written(named[1], vocabulary),
            }
        if len(named) == 1 and not _VERSUS.search(text):
            return {"arm": written(named[0], vocabulary)}
    compared = _versus(text, vocabulary)
    if compared or alone:
        return compared or alone
    if _VERSUS.search(_unbracketed(text)):
        # A comparison not read: the sentence's subject is still the arm ("X further improved
        # PFS vs SRs"), and so is a treatment patients were assigned to ("for patients assigned
        # to receive X, 80% compared with 63%"); not one merely named ("5% with X versus 15% in
        # others").
        subject = opening_subject(text, vocabulary)
        if subject:
            return {"arm": written(subject, vocabulary)}
        return _single_arm(text, vocabulary, assigned_only=True)
    # "X had a significantly improved rate (82.1% versus 77.2%; …)": figures set against each
    # other in brackets name no comparator, and the arm may be named alone.
    return _single_arm(text, vocabulary)


def _unbracketed(text: str) -> str:
    return re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "", text)


_FIGURE = re.compile(r"\d(?:\.\d+)?\s*(?:%|months?\b|mo\b|weeks?\b|years?\b)", re.IGNORECASE)


# What "after" names that is no treatment: "after ibrutinib failure", "after relapse".
_AFTER_WHAT = frozenset(
    word_set("failure relapse progression recurrence refractory resistance discontinuation")
)
_AFTER = re.compile(r"(?:after|following)\s+(?:the\s+)?$", re.IGNORECASE)


def _hands_on(found: re.Match[str]) -> bool:
    """Whether a figure is handed to the treatment after it: by "after" or "following" only
    a percentage is ("12.9% after stereotactic radiotherapy"); "12 months after surgery" is a
    time point."""
    return not _AFTER.search(found.group(0)) or "%" in found.group(0)


def _backbone_alone(words: list[str], before: list[list[str]], vocabulary: Vocabulary) -> bool:
    """Whether ``words`` name, "alone", a partner of a treatment named before: "gp100 alone"
    after "ipilimumab plus gp100", whatever gp100 is."""
    if len(words) < 2 or words[-1].lower() not in ("alone", "only"):
        return False
    backbone = [w.lower() for w in words[:-1]]
    return any(
        is_treatment(earlier, vocabulary)
        and [w.lower() for w in earlier[-len(backbone) :]] == backbone
        and len(earlier) > len(backbone)
        for earlier in before
    )


def _figure_before(text: str, pattern: re.Pattern[str]) -> bool:
    """Whether a figure comes before the first one the pattern hands to a treatment."""
    first = pattern.search(text)
    return first is not None and _FIGURE.search(text, 0, first.start()) is not None


_RATIO_NAMED = re.compile(r"(?-i:\b(?:HR|OR|RR)\b)|\b(?:hazard|odds|risk) ratio\b", re.IGNORECASE)


def _before_versus(pattern: re.Pattern[str], text: str) -> bool:
    """Whether the pattern's first phrase comes before any "versus": one named after it
    ("…, as compared with 69% in the observation group") is the comparator's side."""
    first = pattern.search(text)
    versus = _VERSUS.search(text)
    return first is not None and (versus is None or first.start() < versus.start())


# Arms named by their role: "the comparator arm", "the control group".
_ROLES = frozenset(word_set("control comparator experimental investigational reference study"))


# The words between a subject and a figure handed to the other treatment that compare them.
_AGAINST_WORDS = re.compile(
    r"\b(?:versus|vs\.?|compared|than|relative|from|whereas|against)\b", re.IGNORECASE
)


def _subject_against_figure(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    """ "X yielded a median PFS of 28 months compared with 17.5 months for Y", "X prolonged
    OS to 6.9 months from 4.8 months with placebo": the subject is the arm and the one
    treatment a later figure is handed to, after a comparison, the comparator."""
    subject = (
        opening_subject(text, vocabulary)
        or _opening_group(text, vocabulary)
        or _group_subject(text, vocabulary)
    )
    if not subject:
        return {}
    handed = [(m, words_after(text, m.end())) for m in _ATTACHED.finditer(text)]
    named = [(m, w) for m, w in handed if w and is_treatment(w, vocabulary)]
    if len(named) != 1 or len(handed) != 1:
        return {}
    found, words = named[0]
    arm, other = written(subject, vocabulary), written(words, vocabulary)
    if other.lower() in arm.lower() or not _AGAINST_WORDS.search(text[: found.start()]):
        return {}
    return {"arm": arm, "comparator": other}


# One treatment named with the result and none compared: "66% of patients with X", "patients
# who received X", "X produced a response rate of 38%". Only a drug's name is taken here, or
# an abbreviation that opens the sentence ("T-DXd achieved …").
_RESULT_VERBS = (
    r"resulted|produced|demonstrated|showed|exhibited|conferred|provided|achieved|yielded|induced"
    r"|improved|prolonged"
    r"|reduced|extended|led"
)
_ADVERB = r"(?:(?:significantly|markedly|substantially|also|further)\s+)?"
# The sentence's subject, at its start or after an opening clause ("In this phase 2 study, X
# produced …"); a partner may have two words ("abiraterone acetate plus prednisone").
_OPENING_CLAUSE = (
    r"\s*(?:(?:in|among|across|at|after|with|for)\b[^,;()]*(?:\([^()]*\)[^,;()]*)?,\s*)?"
)
_NOT_JOINER = r"(?!(?:plus|with|and|in|or)\b)"
_PARTNER = _NOT_JOINER + r"[A-Za-z][\w+–-]*(?:\s+" + _NOT_JOINER + r"[a-z][\w–-]*)?"
_JOINED = r"(?:\s+(?:plus|\+|with|and|in\s+combination\s+with)\s+" + _PARTNER + r")*"
_SUBJECT = re.compile(
    _OPENING_CLAUSE + r"(?P<words>" + _PARTNER + _JOINED + r")\s*"
    r"(?:,[^,]{3,80},\s*)?" + _ADVERB + r"(?:" + _RESULT_VERBS + r"|did|does|failed|was|were)\b",
    re.IGNORECASE,
)
_GIVEN = re.compile(
    r"\b(?:with|receiving|received|responders to|response to|treated with"
    r"|" + _ASSIGNED_TO + r")\s+(?:the\s+)?(?=[A-Za-z])"
    r"|\b(?=[A-Za-z]+\s+(?:therapy|treatment|monotherapy)\s+(?:" + _RESULT_VERBS + r")\b)"
    r"|\b(?=[A-Za-z]+-treated\s+(?:patients|participants)\b)",
    re.IGNORECASE,
)
# A result named by its treatment first: "VMP response rate was 89%", "T-DXd median PFS was …".
_RESULT_OF = re.compile(
    r"^\W*([\w+/–-]+)\s+(?:overall\s+|objective\s+|complete\s+)?(?:response\s+rates?|ORR"
    r"|(?:median\s+)?(?:PFS|OS|EFS|DFS|progression-free\s+survival|overall\s+survival))\s+"
    r"(?:was|were|is)\b"
)
# "PFS favored A+CHP (HR 0.55)", "… favoured the combination": the arm the result favours.
_FAVOURED = re.compile(
    r"\b(?:favou?r(?:ed|s|ing)|in\s+favou?r\s+of)\s+(?:the\s+)?(?=[A-Za-z])", re.IGNORECASE
)
# Words that name a treatment only by its kind: "favoured the combination" says which.
# (nor does "favored placebo" or "favored standard …": that is the comparator's side)
_GENERIC = frozenset(
    word_set(
        "combination doublet triplet quadruplet chemotherapy placebo observation control"
        " standard usual best"
    )
)
_ASSIGNED = re.compile(r"assigned|randomi[sz]ed|allocated", re.IGNORECASE)
# "inotuzumab therapy resulted in …": the arm is the drug.
_THERAPY = re.compile(r"therapy|treatment", re.IGNORECASE)
# A drug patients had before ("previously treated with X", "refractory to X") or were given
# to prevent a reaction ("after premedication with X"): not an arm.
PRIOR = re.compile(
    r"\b(?:previously|prior|pre-?treated|progressed|progressing|refractory|resistant|relapsed"
    r"|failed|exposed|intolerant|pre-?medicat\w*|prophyla\w*)\b[^,;]*$",
    re.IGNORECASE,
)


def prior_before(text: str, at: int) -> bool:
    """Whether the clause ending at ``at`` says what patients had before (``PRIOR``), read
    from the clause's start, at most 200 characters back: a long text is not read again at
    every phrase."""
    start = max(text.rfind(",", 0, at), text.rfind(";", 0, at), at - 201) + 1
    return PRIOR.search(text, start, at) is not None


# "With X premedication, …", "X prophylaxis": the drug given for another reason.
_SUPPORTIVE = re.compile(r"pre-?medicat\w*|prophyla\w*|antiemetics?", re.IGNORECASE)


def _supportive(words: list[str]) -> bool:
    return any(_SUPPORTIVE.fullmatch(w) for w in words)


# Treatment words that may be a sentence's subject by themselves.
_SUBJECT_WORDS = frozenset(
    word_set(
        "surgery radiotherapy chemotherapy chemoradiotherapy radiochemotherapy transplantation"
        " combination doublet triplet quadruplet"
    )
)


_OF_A_RESULT = re.compile(
    r"\s*(?:,[^,]{3,80},\s*)?"
    + _ADVERB
    + r"(?:"
    + _RESULT_VERBS
    + r"|(?:was|were)\s+associated)\b",
    re.IGNORECASE,
)


def opening_subject(text: str, vocabulary: Vocabulary) -> list[str]:
    """The treatment that is the sentence's subject before a verb of result ("X plus Y
    prolonged …", "In this phase 2 study, X produced …"): a drug by its name or the
    vocabulary, or an abbreviation ("T-DXd achieved …")."""
    found = _SUBJECT.match(text)
    if found is None:
        return []
    words = found.group("words").split()
    if len(words) == 2 and words[0].lower() == "the" and words[1].lower() in _SUBJECT_WORDS:
        words = words[1:]  # "The combination reduced …"
    if words and words[-1].lower() in ("therapy", "treatment") and len(words) == 2:
        words = words[:1]  # "inotuzumab therapy resulted in …": the arm is the drug
    joiners = ("plus", "+", "with", "and", "in", "combination")
    if any((w.lower() in STOP and w.lower() not in joiners) or _supportive([w]) for w in words):
        return []
    first = words[0] if words else ""
    # "Dose-dense paclitaxel yielded …": a schedule before the drug; "Adjuvant X was …": its
    # setting
    before_drug = "-" in first or first.lower() in SETTINGS
    scheduled = before_drug and len(words) > 1 and is_treatment(words[1:2], vocabulary)
    # ("Surgery was associated with …": a treatment word alone as the subject of a result,
    # not of a description: "Chemotherapy was administered for 6 cycles")
    alone = (
        len(words) == 1
        and first.lower() in _SUBJECT_WORDS
        and _OF_A_RESULT.match(text, found.end("words")) is not None
    )
    named = (
        drug_word(first) or vocabulary.agents.find(first) or is_regimen(first) or scheduled or alone
    )
    return words if named and is_treatment(words, vocabulary) else []


# "Among the 532 patients who received X, …": the group the sentence opens with, by its
# treatment.
_OPENING_GROUP = re.compile(
    r"^\s*(?:among|in|for)\s+(?:the\s+)?(?:\d[\d,]*\s+)?(?:" + _PEOPLE + r")\s+"
    r"(?:who\s+(?:were\s+)?)?" + GIVEN_TO + r"\s+(?:the\s+)?(?=[A-Za-z])",
    re.IGNORECASE,
)


# "In the rituximab maintenance arm, …": the arm the sentence opens with.
_OPENING_ARM = re.compile(
    r"^\s*(?:in|among|for)\s+the\s+(?=" + _NAME + r"\s+(?:arm|group|cohort)\s*,)", re.IGNORECASE
)


def _opening_group(text: str, vocabulary: Vocabulary) -> list[str]:
    found = _OPENING_GROUP.match(text) or _OPENING_ARM.match(text)
    if found is None:
        return []
    words = words_after(text, found.end())
    return words if words and is_treatment(words, vocabulary) and not _supportive(words) else []


# "…, patients who received X achieved a median EFS of …": the group is the clause's subject.
_GROUP_SUBJECT = re.compile(
    r"\b(?:patients|participants)\s+(?:who\s+(?:were\s+)?)?"
    + GIVEN_TO
    + r"\s+(?:the\s+)?(?=[A-Za-z])",
    re.IGNORECASE,
)
_SUBJECT_VERB = re.compile(r"achieved|had|showed|experienced|attained|derived", re.IGNORECASE)


def _group_subject(text: str, vocabulary: Vocabulary) -> list[str]:
    for found in _GROUP_SUBJECT.finditer(text):
        words = words_after(text, found.end())
        verb = next((i for i, w in enumerate(words) if _SUBJECT_VERB.fullmatch(w)), None)
        if verb and is_treatment(words[:verb], vocabulary):
            return words[:verb]
    return []


def _single_arm(text: str, vocabulary: Vocabulary, assigned_only: bool = False) -> dict[str, str]:
    subject = [] if assigned_only else opening_subject(text, vocabulary)
    if subject:
        return {"arm": written(subject, vocabulary)}
    favoured = None if assigned_only else _FAVOURED.search(text)
    if favoured:
        words = words_after(text, favoured.end())
        generic = words[0].lower() in _GENERIC if words else False
        if (
            words
            and is_treatment(words, vocabulary)
            and words[0].lower() not in _ROLES
            and not generic
        ):
            return {"arm": written(words, vocabulary)}
    owner = None if assigned_only else _RESULT_OF.match(text)
    if owner and (is_regimen(owner.group(1)) or drug_word(owner.group(1))):
        return {"arm": written([owner.group(1)], vocabulary)}
    given = list(_GIVEN.finditer(text))
    groups = sum(1 for m in given if _ASSIGNED.search(m.group(0)))
    for m in given:
        assigned = _ASSIGNED.search(m.group(0)) is not None
        if prior_before(text, m.start()) or (assigned_only and not assigned):
            continue
        words = words_after(text, m.end())
        if words and had_before(words[0]):
            continue  # "patients with nivolumab/ipilimumab-naive disease"
        # (groups assigned to two treatments are read as a comparison, in ``comparisons``)
        several = assigned and (groups > 1 or _one_of_several(text, m.end(), words))
        if _supportive(words) or several:
            continue
        verb = next((i for i, w in enumerate(words) if re.fullmatch(_RESULT_VERBS, w, re.I)), None)
        words = words[:verb]
        if words and words[0].lower().endswith("-treated"):
            words = [words[0][: -len("-treated")]]
        if verb is not None and len(words) == 2 and _THERAPY.fullmatch(words[1]):
            words = words[:1]
        # the drug first, or after its setting ("received adjuvant gemcitabine")
        head = words[1:2] if words and words[0].lower() in SETTINGS else words[:1]
        # a regimen's abbreviation only when patients were assigned to it ("assigned to VMP")
        if head and any(
            is_drug_name(w) or vocabulary.agents.find(w) or (assigned and is_regimen(w))
            for w in head
        ):
            return {"arm": written(words, vocabulary)}
    return {}


def _one_of_several(text: str, start: int, words: list[str]) -> bool:
    """Whether the treatment patients were assigned to at ``start`` is one of those listed
    ("randomized to X or Y", "assigned to X and Y; …"): then none of them is the arm."""
    if any(w.lower() in ("or", "and") for w in words):
        return True
    rest = text[start:].split(words[-1], 1)[-1] if words else ""
    return re.match(r"\s*,?\s*(?:and|or|versus|vs\.?)\s", rest, re.IGNORECASE) is not None


# "Compared with Y, X improved …": the comparator first, then the subject that is the arm.
_LEADING = re.compile(
    r"^\s*(?:compared (?:with|to)|versus|vs\.?|relative to)\s+(?:the\s+)?", re.IGNORECASE
)


_SUBJECT_ENDS = re.compile(
    _RESULT_VERBS + r"|did|does|do|not|significantly|was|were|had|has", re.IGNORECASE
)


def _leading_versus(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    m = _LEADING.match(text)
    comma = text.find(",", m.end()) if m else -1
    if not m or comma < 0:
        return {}
    after = words_after(text, m.end())
    # "…, the X arm had …": the subject named as its arm or group
    named_arm = re.match(r"\s*the\s+(" + _NAME + r")\s+(?:arm|group)\b", text[comma + 1 :])
    # "…, X improved …", "…, the triplet regimen did not improve …": the subject before its verb
    the = re.match(r"\s*(?:the\s+)?", text[comma + 1 :])
    subject = words_after(text, comma + 1 + (the.end() if the else 0))
    verb = next((i for i, w in enumerate(subject) if _SUBJECT_ENDS.fullmatch(w)), None)
    if verb is None and subject:
        # words_after stops at "was"/"had": the subject ends where its verb begins
        rest = text[comma + 1 :].split(subject[-1], 1)[-1]
        verb = len(subject) if re.match(r"\s+(?:was|were|had|has|is)\b", rest) else None
    subject = subject[:verb] if verb is not None else []
    if named_arm:
        subject = named_arm.group(1).split()
    if not after or not is_treatment(after, vocabulary):
        return {}
    head = subject[:2] if subject and subject[0].lower() in SETTINGS else subject[:1]
    if subject and is_treatment(head, vocabulary):
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
        before, after = words_before(text, m.start()), words_after(text, m.end(), lists=True)
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
_TAILS = frozenset(word_set("alone only therapy monotherapy treatment regimen regimens"))


def _treatment_before(words: list[str], vocabulary: Vocabulary) -> list[str]:
    """The treatment the words just before "versus" name, with its setting ("adjuvant X"):
    none when they do not end with it ("nivolumab improved EFS compared with …")."""
    while words and not is_treatment(words[:1], vocabulary):
        if words[0].lower() in SETTINGS and is_treatment(words[1:2], vocabulary):
            break
        words = words[1:]
    last = words[-1] if words else ""
    if last.lower() in _TAILS or is_treatment([last], vocabulary):
        return words
    return []


# "At 10 years, the X group had …": the sentence's subject named as its group or arm.
_SUBJECT_GROUP = re.compile(
    r"(?:^|^[^,;]{0,40},)\s*the\s+(" + _NAME + r")\s+(?:arm|group|cohort)s?\b", re.IGNORECASE
)


def _arm_before(text: str, versus: re.Match[str], vocabulary: Vocabulary) -> str | None:
    """The arm named earlier in the sentence than ``versus``: after "with" or "in the", else
    the sentence's subject (a drug, by the vocabulary or its stem, or an abbreviation)."""
    head = text[: versus.start()]
    for m in reversed(list(_NAMED_BEFORE.finditer(head))):
        words = words_after(head, m.end(), lists=True)
        if words and is_treatment(words, vocabulary) and not prior_before(head, m.start()):
            return written(words, vocabulary)
    group = _SUBJECT_GROUP.search(head)
    if group and is_treatment(group.group(1).split(), vocabulary):
        return written(group.group(1).split(), vocabulary)
    leading = opening_subject(head, vocabulary)
    if leading:
        return written(leading, vocabulary)
    if versus.group(0).strip().lower() in ("v", "v.", "than", "than with"):
        return None
    subject = vocabulary.agents.find(head)
    if subject:
        return written(with_setting(head, subject[0].start, subject[0].written).split(), vocabulary)
    stem = next((w for w in re.finditer(r"[A-Za-z]+", head) if is_drug_name(w.group(0))), None)
    if stem:
        return written(with_setting(head, stem.start(), stem.group(0)).split(), vocabulary)
    opening = re.match(r"\s*([A-Za-z][\w+-]*)", head)
    return opening.group(1) if opening and is_regimen(opening.group(1)) else None
