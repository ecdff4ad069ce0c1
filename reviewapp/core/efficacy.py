"""What an efficacy sentence states: the end point, the arms compared, the effect (a ratio
with its interval, a median with its unit, a duration or a rate), p, n/N and the direction
the words give it.
"""

from __future__ import annotations

import re

from reviewapp.core.arms import GIVEN_TO
from reviewapp.core.comparisons import arm_and_comparator
from reviewapp.core.estimates import Estimate, durations, estimates, medians, p_value
from reviewapp.core.numbers import counts, read_sentence
from reviewapp.core.vocabulary import Vocabulary

# A sentence about what a trial will test, not what it found.
_PLANNED = re.compile(
    r"\b(?:will|whether|aims?\s+to|to\s+(?:test|assess|evaluate|determine)|hypothes\w*)\b",
    re.IGNORECASE,
)

_ENDPOINTS = re.compile(
    r"(?P<pCR>\bpathologic(?:al)? complete (?:response|remission)s?\b|\bpCR\b)"
    r"|(?P<DoR>\bresponse duration\b"
    r"|\bduration of (?:the )?(?:objective |overall |complete |partial )?"
    r"(?:response|remission)\b|\bduration of (?-i:CR)\b|\bDoC?R\b|\bDOC?R\b)"
    r"|(?P<OS>\boverall survival\b|(?-i:\bOS\b))"
    r"|(?P<PFS>\bprogression[\s-]free survival\b|\bPFS\b)"
    r"|(?P<DFS>\bdisease[\s-]free survival\b|\bDFS\b)"
    r"|(?P<EFS>\bevent[\s-]free survival\b|\bEFS\b)"
    r"|(?P<ORR>\b(?:objective|overall) (?:tumou?r )?response(?: rate)?s?\b|\bORRs?\b"
    r"|\bresponse rates?\b|\bpartial response or better\b"
    r"|\brates?\s+of\s+(?:confirmed\s+|objective\s+|overall\s+)?response\b"
    # "the percentage of patients who had a response", "a response was observed in 28 of 59"
    r"|\b(?:percentage|proportion|number)\s+(?:of\s+(?:patients|participants)\s+)?(?:who\s+had"
    r"|with)\s+an?\s+(?:objective\s+|overall\s+)?response\b"
    r"|^\W*(?:(?:in|among)\b[^,;]*,\s*)?an?\s+(?:objective\s+|overall\s+)?response\s+(?:was|were)"
    r"\s+(?:observed|seen|noted|reported|achieved|documented)\b)"
    r"|(?P<CR>\bcomplete (?:response|remission)s?\b|(?-i:\bCRi?\b|\bCMR\b))"
    r"|(?P<other>\b(?:relapse|recurrence)[\s-]free survival\b|(?-i:\bRFS\b)"
    r"|\btime[\s-]to[\s-](?:symptomatic\s+|radiographic\s+)?progression\b"
    r"|(?-i:\bTTP\b)|\bmetastasis[\s-]free survival\b|\bminimal residual disease\b"
    r"|(?-i:\bMRD\b)|\bcumulative incidence of relapse\b|\btime to treatment failure\b"
    r"|\brisk of relapse\b|\b(?:clinical benefit|disease control)(?: rate)?\b"
    r"|(?-i:\bCBR\b|\bDCR\b)|\bvery good partial response or better\b|(?-i:≥\s*VGPR|\bVGPR\b)"
    r"|\b(?:loco-?regional|local) control\b|\b(?:failure|distant metastasis)[\s-]free survival\b"
    r"|\b(?:disease|cancer)[\s-]specific survival\b|(?-i:\bDSS\b|\bLRC\b|\bFFS\b)"
    r"|\b(?:local|loco-?regional|distant) (?:recurrence|relapse|failure)\b"
    # supportive care's end points: "no nausea", "free of vomiting", "complete protection"
    r"|\b(?:no|free of|without)\s+(?:nausea|vomiting|emesis)\b"
    r"|\bfebrile neutropenia\b|\bduration of (?:severe |grade 4 )?neutropenia\b"
    r"|\btime to (?:neutrophil |platelet |ANC )?(?:engraftment|recovery)\b"
    r"|\bskeletal[\s-]related events?\b|\bbiochemical (?:relapse|failure|progression|control)"
    r"|\bPSA (?:decline|response)\b|^\W*relapse\b"
    r"|\btransfusion[\s-]independen\w*|(?-i:\bRBC-TI\b)"
    r"|\bspleen\s+(?:volume|response)|\b(?:total\s+)?symptom\s+score|(?-i:\bTSS\b|\bSVR35\b))",
    re.IGNORECASE,
)
_DEATH = re.compile(
    r"(?P<PFS>\bprogression or death\b|\bdisease progression or death\b"
    r"|\b(?:remained|were|was)\s+(?:alive\s+and\s+)?progression[\s-]free\b"
    r"|\balive (?:and )?without (?:disease )?progression\b"
    r"|\bsurvival (?:without|free (?:of|from)) (?:disease )?progression\b)"
    r"|(?P<OS>\b(?:risk|hazard|hazard ratio|HR) (?:of|for) death\b|\bdeath from any cause\b"
    # "41% … remained alive", "61% were alive" (not "alive without progression")
    r"|\b(?:remained|were|was)\s+alive\b(?!\s+(?:and\s+)?(?:without|free))"
    r"(?![^.;]{0,40}\bwithout\s+(?:disease\s+)?(?:progression|relapse|recurrence)))"
    r"|(?P<other>\b(?:disease )?(?:recurrence|relapse) or death\b"
    r"|\bsurvival (?:without|free (?:of|from)) (?:disease )?(?:recurrence|relapse)\b)",
    re.IGNORECASE,
)
_NO_DIFFERENCE = re.compile(
    r"\bnot (?:statistically )?(?:significantly )?different\b|\bnot significant\b"
    r"|\bfailed to (?:significantly )?(?:improve|prolong|extend)\b"
    r"|\bno (?:statistically )?(?:significant |meaningful )?(?:[A-Z]{2,3} )?"
    r"(?:difference|improvement|benefit"
    r"|advantage|survival (?:benefit|advantage))|\bdid not (?:significantly )?(?:differ|improve"
    r"|prolong|confer|reach|extend)|\bnot (?:significantly )?(?:improved?|different|prolonged"
    r"|better)|\bnot statistically significant|\bwas not significant|\bsimilar (?:between|in|across"
    r"|with|for (?:both|all|the two))|\bdid not (?:significantly )?affect\b"
    r"|\bcomparable (?:between|in|across)"
    r"|\bsimilar (?:overall |progression-free |event-free |disease-free )?(?:survival|efficacy)\b",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"\bworse\b|\bdetriment|(?<!non-)(?<!non )\binferior\b|\bshorter\b"
    r"|\bincreased (?:the )?risk of (?:death|progression|relapse)"
    r"|\b(?:favou?r(?:ed|ing)|in favou?r of) (?:the )?(?:placebo|control|observation|standard)",
    re.IGNORECASE,
)
# (a response "or better" is a category of response: no direction)
_BENEFIT = re.compile(
    r"\bimprov(?:ed|ement|es)\b|\bprolong(?:ed|s|ation)\b|(?<!\bor )\bbetter\b"
    r"|\bsignificantly (?:longer|higher|reduced|lower risk)"
    r"|\blonger (?:overall |progression-free |event-free )?survival"
    r"|\blonger (?-i:PFS|OS|EFS|DFS|RFS|DoR)\b"
    r"|\bsuperior\b|\breduc(?:ed|tion in) (?:the )?(?:relative )?risk\b"
    r"|\blower risk of (?:death|progression|relapse|recurrence|disease progression)\b"
    r"|\bextend(?:ed|s) (?:the )?(?:median )?(?:(?:overall|[\w-]+-free) )?survival\b"
    r"|\bextend(?:ed|s) (?-i:PFS|OS|EFS|DFS|RFS)\b"
    r"|\bfavou?r(?:ed|ing|s)\b|\bin favou?r of\b|(?<!clinical )\bbenefit\b",
    re.IGNORECASE,
)
# "The 1-year survival rate", "median survival", "Survival did not differ": survival with no
# event named before it is overall survival; not one qualified after it ("survival without
# progression", "survival free of relapse", "survival after relapse").
_SURVIVAL = re.compile(
    r"(?:\b(?:median|the|\d+-year|one-year|two-year|three-year|five-year|ten-year|overall"
    r"|improved|longer|shorter|of|in|affect|affected|prolong|improve|extend)\s+)(?P<OS>survival)\b"
    r"(?!\s+(?:without|free|after|following|post|since|beyond|with(?:out)?\s+no)\b)",
    re.IGNORECASE,
)
# "Complete response in the delayed phase", "complete response (no emesis)": supportive care's.
_EMESIS = re.compile(r"\b(?:nausea|vomiting|emesis|emetic|(?:acute|delayed|overall) phase)\b", re.I)
# "The primary end point occurred in 25 of 420": an end point the sentence does not name.
_PRIMARY = re.compile(r"\bprimary\s+(?:end\s*point|outcome)\b(?P<other>)", re.IGNORECASE)
_TIME_TO_EVENT = frozenset({"OS", "PFS", "DFS", "EFS", "DoR", "other"})
_NOT_MEDIAN = re.compile(r"\b(?:mean|expected|restricted|average|modell?ed)\b", re.IGNORECASE)
_UNLABELLED_CI = re.compile(
    r"\s*[,;]?\s*[(\[]\s*(\d+(?:\.\d+)?)\s*(?:-|to|,|;)\s*(\d+(?:\.\d+)?)\s*[)\]]"
)


def efficacy(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    """The efficacy fields ``text`` states (before the form's checks)."""
    fields: dict[str, str] = {}
    plain, found, body = read_sentence(text)
    # the end point named first, whichever way it is named
    named = [m for m in (_ENDPOINTS.search(body), _DEATH.search(body), _SURVIVAL.search(body)) if m]
    endpoint = min(named, key=lambda m: m.start()) if named else _PRIMARY.search(body)
    if endpoint is not None and endpoint.lastgroup:
        fields["endpoint"] = endpoint.lastgroup
        if endpoint.lastgroup == "CR" and _EMESIS.search(body, endpoint.end(), endpoint.end() + 60):
            fields["endpoint"] = "other"  # an antiemetic's complete response: no emesis
    fields.update(arm_and_comparator(text, vocabulary))
    read = counts(body, people_are_counts=False)
    ratio = next(iter(estimates(body)), None)
    median = next(iter(medians(body)), None)
    duration = None
    if endpoint is not None and endpoint.lastgroup in _TIME_TO_EVENT:
        duration = next(iter(durations(body, endpoint.end())), None)
    at = -1
    if ratio is not None:
        fields["measure"], fields["value"], at = ratio.measure, ratio.value, ratio.start
        _ratio_interval(plain, ratio, fields)
    elif median is not None and (read.pct is None or median.start < read.pct_start):
        fields["measure"], fields["value"], fields["unit"] = "median", median.value, median.unit
        at = median.start
    elif duration is not None and (read.pct is None or duration.start < read.pct_start):
        # A time to an event given without "median" is one by convention, unless the
        # sentence says it is a mean or an expected (modelled) value.
        if not _NOT_MEDIAN.search(body[: duration.start]):
            fields["measure"] = "median"
        fields["value"], fields["unit"] = duration.value, duration.unit
        at = duration.start
    elif read.pct is not None:
        fields["measure"], fields["value"], fields["unit"] = "rate", read.pct, "%"
        at = read.pct_start
    if at >= 0 and "ci_low" not in fields:
        interval = next((i for i in found if i.start >= at), None)
        if interval is not None and interval.level_95:
            fields["ci_low"], fields["ci_high"] = interval.low, interval.high
    p = p_value(plain)
    if p is not None:
        fields["p_value"] = p
    if read.n is not None:
        fields["n"] = read.n
    if read.total is not None and not _one_arms_size(body, read.total, fields):
        fields["N"] = read.total
    direction = _direction(text, p, fields.get("arm"), fields.get("comparator"))
    if direction:
        fields["direction"] = direction
    return fields


# "Among the 418 patients who received X, …": the size of the group given one treatment.
_GROUP_SIZE = re.compile(
    r"\b(\d[\d,]*)\s+(?:patients\s+|participants\s+)?(?:who\s+(?:were\s+)?)?" + GIVEN_TO + r"\b",
    re.IGNORECASE,
)


def _one_arms_size(body: str, total: str, fields: dict[str, str]) -> bool:
    """Whether ``total`` is the size of one of the arms the sentence compares, not the
    whole's: "among the 532 patients who received X …, as compared with … placebo"."""
    if "comparator" not in fields:
        return False
    return any(m.group(1).replace(",", "") == total for m in _GROUP_SIZE.finditer(body))


def _ratio_interval(plain: str, ratio: Estimate, fields: dict[str, str]) -> None:
    """A ratio's interval given in brackets without a label: "HR 0.62 (0.41–0.88)"."""
    bare = _UNLABELLED_CI.match(plain, ratio.end)
    if bare and float(bare.group(1)) <= float(ratio.value) <= float(bare.group(2)):
        fields["ci_low"], fields["ci_high"] = bare.group(1), bare.group(2)


# A difference the sentence does not call real: "a trend toward", "numerically longer".
_TENTATIVE = re.compile(r"\btrend(?:ed|s)?\b|\bnumerical(?:ly)?\b|\bnon-?significant", re.I)
# "The risk of death was 25% lower with X", "mortality was reduced by a third": a benefit when
# no group is named after it, or the group named is the arm's ("lower in the X group than …");
# not "lower in women than in men", nor "reduced in the control group".
_RISK_REDUCED = re.compile(
    r"\b(?:risk|mortality)\b[^.;]{0,40}\breduced\b"
    r"|\b(?:risk|hazard) of (?:death|(?:disease )?progression|relapse|recurrence)\b[^.;]{0,40}?"
    r"\blower\b",
    re.IGNORECASE,
)
_IN_GROUP = re.compile(
    r"\s+(?:in|among|for)\s+(?:the\s+)?(?:patients\s+(?:who\s+(?:were\s+)?)?(?:receiving|received|given"
    r"|treated\s+with)\s+)?",
    re.IGNORECASE,
)


def _risk_reduced(text: str, arm: str | None) -> bool:
    found = _RISK_REDUCED.search(text)
    if found is None:
        return False
    group = _IN_GROUP.match(text, found.end())
    if group is None:
        return True
    return (
        arm is not None
        and arm not in _NO_ACTIVE
        and text[group.end() :].lower().startswith(arm.lower())
    )


# "higher with X than with Y", "better in the X arm than …": only between named treatments
# ("higher in PD-L1-positive than in PD-L1-negative tumours" compares patients, not arms).
_HIGHER_THAN = re.compile(
    r"\b(?:higher|greater|(?<!\bor )better)\b"
    r"(?![^.;]{0,60}?\b(?:risk|hazard|toxicit|rate of (?:death|relapse|progression)))"
    r"[^.;]{0,60}?(?:\bthan\b|\bcompared\s+(?:with|to)\b|\bversus\b)",
    re.IGNORECASE,
)


# What is worse when it is more: a "greater" or "higher" of these is no benefit.
_BAD_OUTCOME = re.compile(
    r"\b(?:risk|hazard|toxicit|time to|incidence|mortality|deaths?\b|died|relapse|recurrence"
    r"|progression(?!-free)|progressive|declin|deteriorat|loss\b|adverse|discontinu|failure)",
    re.IGNORECASE,
)
# "EFS was longer in the X group, … compared with … in the Y group": a survival or response
# longer with the arm, named right after (see _said_of_arm).
_LONGER_WITH_ARM = re.compile(
    r"\b(?:survival|PFS|OS|EFS|DFS|RFS|DoR|response|remission)\b[^.;]*?\blonger\s+"
    r"(?:with|in|for|among)\s+(?:the\s+)?(?:patients\s+(?:receiving|given|treated\s+with)\s+)?",
    re.IGNORECASE,
)
_NO_ACTIVE = frozenset(("placebo", "observation", "control", "best supportive care"))


def _significant(p: str | None) -> bool:
    """Whether a p value (as ``p_value`` gives it) is at most .05; True when none is given."""
    if p is None or p.startswith(("<", "≤")):
        return True
    return not p.startswith((">", "≥")) and float(p) <= 0.05


def _direction(text: str, p: str | None, arm: str | None, comparator: str | None) -> str | None:
    """The direction the words state; none for a plan, and no benefit or harm from a
    difference the sentence calls a trend or gives a p above .05 for."""
    if _PLANNED.search(text):
        return None  # a hypothesis or a plan has no direction yet
    if _NO_DIFFERENCE.search(text):
        return "no difference"
    if _TENTATIVE.search(text) or not _significant(p):
        return None
    if _HARM.search(text):
        return "harm"
    compared = arm is not None and comparator is not None
    # What the sentence measures is named before its figures: "hazard ratio for disease
    # progression or death" in brackets after "PFS was longer in the X group" is no worse outcome.
    bad = _BAD_OUTCOME.search(_BRACKET_OPENS.split(text, maxsplit=1)[0]) is not None
    if _BENEFIT.search(text) or _risk_reduced(text, arm):
        return "benefit"
    if compared and not bad and _HIGHER_THAN.search(text):
        return "benefit"
    if compared and not bad and arm not in _NO_ACTIVE and _said_of_arm(_LONGER_WITH_ARM, text, arm):
        return "benefit"
    if compared and not bad and arm not in _NO_ACTIVE and _said_of_arm(_GREATER_SHARE, text, arm):
        return "benefit"
    return None


_BRACKET_OPENS = re.compile(r"[(\[]")
# "A greater proportion of patients treated with X (n = 182) versus Y achieved …"
_GREATER_SHARE = re.compile(
    r"\b(?:greater|higher|larger)\s+(?:proportion|percentage|number|share)\s+of\s+"
    r"(?:patients|participants)\s+(?:treated\s+with|receiving|given|in\s+the)\s+(?:the\s+)?",
    re.IGNORECASE,
)


def _said_of_arm(pattern: re.Pattern[str], text: str, arm: str | None) -> bool:
    """Whether what ``pattern`` says is said of ``arm`` itself, named right after it: a
    survival or response longer with the arm, a greater share of the arm's patients."""
    found = pattern.search(text)
    return (
        arm is not None
        and found is not None
        and text[found.end() :].lower().startswith(arm.lower())
    )
