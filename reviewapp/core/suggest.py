"""Suggested field values for a new finding, read from the selected sentence.

Only what the sentence states is suggested: the adverse event it names (as the vocabulary
names it), its grade mapped to the form's choices, n/N and percentages however written
("Two of 28 patients", "14 (23.3%)"; "52 events (n = 52)" is not a count of patients), HR,
OR and RR with their 95% CI and p, medians with their unit, arms and comparator, the
direction when the words say it, the agent, its modality and targets. When in doubt a
field is left empty, and whatever the form would refuse is not suggested.
"""

from __future__ import annotations

import re

from reviewapp.core.arms import arms
from reviewapp.core.estimates import (
    Estimate,
    Interval,
    durations,
    estimates,
    intervals,
    masked,
    medians,
    p_value,
)
from reviewapp.core.identifiers import find_dois, find_nct_ids, find_pmid
from reviewapp.core.mechanism import agent_and_aliases, joined, modality, targets
from reviewapp.core.models import Category, DoiRelation
from reviewapp.core.numbers import Counts, counts, grade, normalise
from reviewapp.core.validation import validate_fields
from reviewapp.core.vocabulary import Mention, Vocabulary, is_drug_name

_EMPTY = Vocabulary()


def suggest_fields(
    category: Category, text: str, vocabulary: Vocabulary | None = None
) -> dict[str, str]:
    """Field values (as the form shows them) that ``text`` states for ``category``.

    ``vocabulary`` holds the adverse-event terms and drug names (``services.suggestions``
    reads them from their files); without it no event is named and drugs are known by
    their stems only.
    """
    words = vocabulary or _EMPTY
    match category:
        case Category.REFERENCE:
            fields = _reference(text)
        case Category.TOXICITY:
            fields = _toxicity(text, words)
        case Category.EFFICACY:
            fields = _efficacy(text, words)
        case Category.MECHANISM:
            fields = _mechanism(text, words)
    return _acceptable(category, fields)


def _acceptable(category: Category, fields: dict[str, str]) -> dict[str, str]:
    """``fields`` less any the form would flag (a CI that misses its estimate, n/N that
    disagree with the percentage): a suggestion never starts the form with a problem."""
    for _ in range(3):
        problems = [
            p
            for p in validate_fields(category, fields).problems
            if not p.message.startswith("required") and "give at least one" not in p.message
        ]
        if not problems:
            break
        for problem in problems:
            named = set(problem.fields)
            # The interval or the counts are the likelier misreading than the estimate or
            # the percentage they are checked against: drop them first.
            pairs = ({"ci_low", "ci_high"}, {"n", "N"})
            for key in next((pair for pair in pairs if pair & named), named):
                fields.pop(key, None)
    return fields


_RELATED = re.compile(r"\bsee also\b|\bcompanion\b|\brelated (?:article|analysis|report)", re.I)


def _reference(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    dois = find_dois(text)
    if dois:
        # A citation that notes its correction ("[Erratum in: … doi: X]. … doi: Y") is Y's.
        main = next((d for d in dois if d.relation is not DoiRelation.CORRECTION), dois[0])
        fields["doi"] = main.doi
        fields["relation"] = (
            "correction"
            if main.relation is DoiRelation.CORRECTION
            else "related"
            if _RELATED.search(text)
            else "source"
        )
    pmid = find_pmid(text)
    if pmid:
        fields["pmid"] = pmid
    ncts = find_nct_ids(text)
    if ncts:
        fields["nct"] = ncts[0]
    return fields


def _read(text: str) -> tuple[str, list[Interval], str]:
    """The sentence normalised, its intervals, and the sentence with them blanked."""
    plain = normalise(text)
    found = intervals(plain)
    return plain, found, masked(plain, [(i.start, i.end) for i in found])


# -- toxicity --------------------------------------------------------------------------------

_AFTER = re.compile(
    r"\b(?:after|following|post)[\s-]*(?:the\s+)?(?:end\s+of\s+|completion\s+of\s+|completing\s+"
    r"|discontinuation\s+of\s+|stopping\s+)?(?:[\w-]+\s+)?(?:treatment|therapy)\b"
    r"|\bpost-?(?:treatment|therapy)\b|\bafter\s+(?:[\w-]+\s+){1,2}(?:was|had been|were)\s+"
    r"(?:stopped|discontinued|completed)|\bafter\s+(?P<drug>[a-z]+)\b",
    re.IGNORECASE,
)
_DURING = re.compile(
    r"\bduring\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:treatment|therapy|induction|consolidation"
    r"|maintenance|cycles?|infusions?|courses?|dosing|administration|ramp-up|step-up)\b"
    r"|\bon[\s-]treatment\b|\bwhile\s+(?:on|receiving)\b|\bwithin\s+(?:the\s+)?first\s+cycle\b"
    r"|\bin\s+cycle\s+1\b|\bduring\s+(?P<drug>[a-z]+)\b",
    re.IGNORECASE,
)


_SERIOUS = re.compile(r"(?<![\w-])(?<!non-)(?<!not )(?<!no )serious\b|\bSAEs?\b", re.I)
_FATAL = re.compile(r"\bfatal\s*$", re.IGNORECASE)


# A clause saying the event did not occur ("No grade 3 neutropenia", "without any").
_NEGATED = re.compile(r"\b(?:no|none|without|not|never)\b[^.;,]*$", re.IGNORECASE)
_NO_GRADE = re.compile(r"\b(?:no|none|without|never)\b[^.;,]*\bgrade\b", re.IGNORECASE)
# A sentence about what a trial will test, not what it found.
_PLANNED = re.compile(
    r"\b(?:will|whether|aims?\s+to|to\s+(?:test|assess|evaluate|determine)|hypothes\w*)\b",
    re.IGNORECASE,
)


_ANOTHER_NUMBER = re.compile(r"\d\s*%|\bn\s*=\s*\d", re.IGNORECASE)


def _of_a_part(body: str, at: int, read: Counts) -> bool:
    """Whether a grade or "serious" at ``at`` is stated after the incidence, of a part of it
    with its own number, before or after it ("CRS in 72% of patients, with grade ≥3 events
    in 1.5%", "AEs in 99%, 88% with grade ≥3 AEs", "in 12 (7.5%): grade 2, n = 5; …")."""
    first = _ANOTHER_NUMBER.search(body, read.pct_start) if read.pct_start >= 0 else None
    return (
        first is not None and first.start() < at and bool(_ANOTHER_NUMBER.search(body, first.end()))
    )


def _event(text: str, vocabulary: Vocabulary) -> tuple[Mention | None, str]:
    """The event the sentence gives figures for, and the part of the sentence that states it.

    A class named before a colon is a heading ("Cytopenias and infections were common: grade
    3 neutropenia in 30%"); an event said not to occur is passed over for one in a later
    clause that did ("No cases of pneumonitis, but 5 patients had colitis")."""
    heading = re.match(r"[^:\d]*:\s", text)
    if heading and vocabulary.event_in(text[heading.end() :]) is not None:
        text = text[heading.end() :]
    event = vocabulary.event_in(text)
    if event is None or not _NEGATED.search(text[: event.start]):
        return event, text
    for clause in _CLAUSE.finditer(text, event.end):
        rest = text[clause.end() :]
        later = vocabulary.event_in(rest)
        if later is not None and not _NEGATED.search(rest[: later.start]):
            return later, rest
    return event, text


# Where a clause ends: a semicolon, or a comma before "but", "while", "and only" or a count.
_CLAUSE = re.compile(r";\s*(?:but\s+|however,?\s+)?|,\s*(?:but|while|whereas|and)\s+(?:only\s+)?")
# Death as what was reported ("Death was reported in 13 patients", "Deaths due to …", "Three
# deaths occurred"): grade 5. "Sepsis led to death" names the event, not its grade.
_DEATHS = re.compile(
    r"^\W*(?:(?:treatment|drug)-related\s+|fatal\s+|toxic\s+)?deaths?\b(?!\s+(?:rate|from any))"
    r"|\b\d+\s+(?:treatment-related\s+)?deaths\s+(?:occurred|were)",
    re.IGNORECASE,
)


def _fatal(text: str, event: Mention | None) -> bool:
    """Whether the sentence says the event was fatal ("Fatal infections", "Deaths occurred")."""
    named_fatal = event is not None and _FATAL.search(text[: event.start]) is not None
    return named_fatal or _DEATHS.search(normalise(text)) is not None


def _toxicity(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    fields: dict[str, str] = {}
    event, text = _event(text, vocabulary)
    if event is not None:
        fields["event"] = event.entry.name
    _, _, body = _read(text)
    several = len([m for m in vocabulary.events.find(text) if not m.entry.general]) > 1
    # "10% and 3% had grade 3 or 4 events, respectively": figures given grade by grade
    respectively = "respectively" in body and not several
    found = grade(body, respectively)
    no_grade = _NO_GRADE.search(text)
    if event is not None and no_grade and no_grade.start() > event.end:
        found = None  # "…, none of grade 3 or higher": a grade the event did not reach
    elif (event is not None and _NEGATED.search(text[: event.start])) or no_grade:
        # "No grade 3 neutropenia was observed": that grade, and none had it (no other count)
        if found is not None and found[1] is not None:
            fields["grade"] = found[1]
        return fields
    read = counts(body)
    part = not respectively and _of_a_part(body, found[0], read) if found is not None else False
    if found is not None and found[1] is not None and not part:
        fields["grade"] = found[1]
    elif found is None and _fatal(text, event):
        fields["grade"] = "5"
    if read.pct is not None:
        fields["incidence_pct"] = read.pct
    if read.n is not None:
        fields["n"] = read.n
    if read.total is not None:
        fields["N"] = read.total
    after = next(
        (m for m in _AFTER.finditer(text) if not m.group("drug") or is_drug_name(m.group("drug"))),
        None,
    )
    during = next(
        (m for m in _DURING.finditer(text) if not m.group("drug") or is_drug_name(m.group("drug"))),
        None,
    )
    if after and not (during and during.start() < after.start()):
        fields["timing"] = "after"
    elif during:
        fields["timing"] = "during"
    serious = _SERIOUS.search(body)
    if serious and not _of_a_part(body, serious.start(), read):
        fields["serious"] = "yes"
    return fields


# -- efficacy --------------------------------------------------------------------------------

_ENDPOINTS = re.compile(
    r"(?P<pCR>\bpathologic(?:al)? complete (?:response|remission)s?\b|\bpCR\b)"
    r"|(?P<DoR>\bduration of (?:the )?(?:objective |overall )?response\b|\bDoR\b|\bDOR\b)"
    r"|(?P<OS>\boverall survival\b|(?-i:\bOS\b))"
    r"|(?P<PFS>\bprogression[\s-]free survival\b|\bPFS\b)"
    r"|(?P<DFS>\bdisease[\s-]free survival\b|\bDFS\b)"
    r"|(?P<EFS>\bevent[\s-]free survival\b|\bEFS\b)"
    r"|(?P<ORR>\b(?:objective|overall) (?:tumou?r )?response(?: rate)?s?\b|\bORR\b"
    r"|\bresponse rates?\b)"
    r"|(?P<CR>\bcomplete (?:response|remission)s?\b|(?-i:\bCRi?\b))"
    r"|(?P<other>\brelapse[\s-]free survival\b|(?-i:\bRFS\b)|\btime to progression\b"
    r"|(?-i:\bTTP\b)|\bmetastasis[\s-]free survival\b|\bminimal residual disease\b"
    r"|(?-i:\bMRD\b)|\bcumulative incidence of relapse\b|\btime to treatment failure\b"
    r"|\brisk of relapse\b|\b(?:clinical benefit|disease control)(?: rate)?\b"
    r"|(?-i:\bCBR\b|\bDCR\b))",
    re.IGNORECASE,
)
_DEATH = re.compile(
    r"(?P<PFS>\bprogression or death\b|\bdisease progression or death\b"
    r"|\balive (?:and )?without (?:disease )?progression\b)"
    r"|(?P<OS>\b(?:risk|hazard ratio|HR) (?:of|for) death\b|\bdeath from any cause\b)",
    re.IGNORECASE,
)
_NO_DIFFERENCE = re.compile(
    r"\bnot significant\b|\bno (?:statistically )?(?:significant |meaningful )?(?:[A-Z]{2,3} )?"
    r"(?:difference|improvement|benefit"
    r"|advantage|survival (?:benefit|advantage))|\bdid not (?:significantly )?(?:differ|improve"
    r"|prolong|confer|reach|extend)|\bnot (?:significantly )?(?:improved?|different|prolonged"
    r"|better)|\bnot statistically significant|\bwas not significant|\bsimilar (?:between|in|across"
    r"|with)|\bcomparable (?:between|in|across)",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"\bworse\b|\bdetriment|\binferior\b|\bshorter\b"
    r"|\bincreased (?:the )?risk of (?:death|progression|relapse)"
    r"|\bfavou?r(?:ed|ing) (?:the )?(?:placebo|control|observation|standard)",
    re.IGNORECASE,
)
_BENEFIT = re.compile(
    r"\bimprov(?:ed|ement|es)\b|\bprolong(?:ed|s|ation)\b|\bsignificantly (?:longer|higher|better"
    r"|reduced|lower risk)|\blonger (?:overall |progression-free |event-free )?survival"
    r"|\blonger (?-i:PFS|OS|EFS|DFS|RFS|DoR)\b"
    r"|\bsuperior\b|\breduc(?:ed|tion in) (?:the )?risk\b|\brisk\b[^.;]{0,40}\breduced\b"
    r"|\bfavou?r(?:ed|ing|s)\b|(?<!clinical )\bbenefit\b",
    re.IGNORECASE,
)
_TIME_TO_EVENT = frozenset({"OS", "PFS", "DFS", "EFS", "DoR", "other"})
_NOT_MEDIAN = re.compile(r"\b(?:mean|expected|restricted|average|modell?ed)\b", re.IGNORECASE)
_UNLABELLED_CI = re.compile(
    r"\s*[,;]?\s*[(\[]\s*(\d+(?:\.\d+)?)\s*(?:-|to|,|;)\s*(\d+(?:\.\d+)?)\s*[)\]]"
)


def _efficacy(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    fields: dict[str, str] = {}
    plain, found, body = _read(text)
    endpoint = _ENDPOINTS.search(body) or _DEATH.search(body)
    if endpoint is not None and endpoint.lastgroup:
        fields["endpoint"] = endpoint.lastgroup
    fields.update(arms(text, vocabulary))
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
    if read.total is not None:
        fields["N"] = read.total
    direction = _direction(text)
    if direction:
        fields["direction"] = direction
    return fields


def _ratio_interval(plain: str, ratio: Estimate, fields: dict[str, str]) -> None:
    """A ratio's interval given in brackets without a label: "HR 0.62 (0.41–0.88)"."""
    bare = _UNLABELLED_CI.match(plain, ratio.end)
    if bare and float(bare.group(1)) <= float(ratio.value) <= float(bare.group(2)):
        fields["ci_low"], fields["ci_high"] = bare.group(1), bare.group(2)


def _direction(text: str) -> str | None:
    if _PLANNED.search(text):
        return None  # a hypothesis or a plan has no direction yet
    for pattern, name in (
        (_NO_DIFFERENCE, "no difference"),
        (_HARM, "harm"),
        (_BENEFIT, "benefit"),
    ):
        if pattern.search(text):
            return name
    return None


# -- mechanism -------------------------------------------------------------------------------


def _mechanism(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    fields: dict[str, str] = {}
    text = joined(text)
    agent, aliases = agent_and_aliases(text, vocabulary)
    if agent:
        fields["agent"] = agent
    if aliases:
        fields["aliases"] = ", ".join(aliases)
    named = targets(text)
    kind = modality(text, agent, named)
    if kind:
        fields["modality"] = kind
    if named:
        fields["targets"] = ", ".join(named)
    return fields
