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

from reviewapp.core.efficacy import efficacy
from reviewapp.core.grades import IN_WORDS, grade
from reviewapp.core.identifiers import find_dois, find_nct_ids, find_pmid
from reviewapp.core.mechanism import agent_and_aliases, joined, modality, targets
from reviewapp.core.models import Category, DoiRelation
from reviewapp.core.numbers import Counts, counts, normalise, read_sentence
from reviewapp.core.treatments import drug_word
from reviewapp.core.validation import validate_fields
from reviewapp.core.vocabulary import Mention, Vocabulary, is_drug_name

_EMPTY = Vocabulary()
_SPACES = re.compile(r"\s{2,}")


def suggest_fields(
    category: Category, text: str, vocabulary: Vocabulary | None = None
) -> dict[str, str]:
    """Field values (as the form shows them) that ``text`` states for ``category``.

    ``vocabulary`` holds the adverse-event terms and drug names (``services.suggestions``
    reads them from their files); without it no event is named and drugs are known by
    their stems only.
    """
    words = vocabulary or _EMPTY
    if category is not Category.REFERENCE:
        # A long run of spaces or line breaks would make several patterns try each of its
        # lengths; one space reads the same (only values are suggested, no offsets). A
        # citation keeps its line breaks: they end a DOI's context.
        text = _SPACES.sub(" ", text)
    match category:
        case Category.REFERENCE:
            fields = _reference(text)
        case Category.TOXICITY:
            fields = _toxicity(text, words)
        case Category.EFFICACY:
            fields = efficacy(text, words)
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


# -- toxicity --------------------------------------------------------------------------------

_AFTER = re.compile(
    r"\b(?:after|following|post)[\s-]*(?:the\s+)?(?:end\s+of\s+|completion\s+of\s+|completing\s+"
    r"|discontinuation\s+of\s+|stopping\s+)?(?:[\w-]+\s+)?(?:treatment|therapy)\b"
    r"|\bpost-?(?:treatment|therapy)\b"
    r"|\bof\s+(?:completing|completion\s+of|finishing)\s+(?:the\s+)?(?:[\w-]+\s+)?"
    r"(?:treatment|therapy|radiotherapy|chemoradiotherapy|radiation|chemotherapy)\b"
    r"|\bafter\s+(?:[\w-]+\s+){1,2}(?:was|had been|were)\s+"
    r"(?:stopped|discontinued|completed)|\bafter\s+(?P<drug>[a-z]+)\b",
    re.IGNORECASE,
)
_DURING = re.compile(
    r"\bduring\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:treatment|therapy|induction|consolidation"
    r"|maintenance|cycles?|infusions?|courses?|dosing|administration|ramp-up|step-up)\b"
    r"|\bon[\s-]treatment\b|\bwhile\s+(?:on|receiving)\b|\bwithin\s+(?:the\s+)?first\s+cycle\b"
    r"|\bin\s+cycle\s+1\b|(?-i:\b(?:in|during)\s+C1\b)"
    r"|\bduring\s+(?:[\w-]+\s+)?(?:radiotherapy|radiation|chemoradiotherapy|radiochemotherapy)\b"
    r"|\bduring\s+(?:concomitant\s+|concurrent\s+)?(?P<drug>[a-z]+)\b",
    re.IGNORECASE,
)


_SERIOUS = re.compile(r"(?<![\w-])(?<!non-)(?<!not )(?<!no )serious\b|\bSAEs?\b", re.I)
_FATAL = re.compile(r"\bfatal\s*$", re.IGNORECASE)


# A clause saying the event did not occur ("No grade 3 neutropenia", "without any").
_NEGATED = re.compile(r"\b(?:no|none|without|not|never)\b[^.;,]*$", re.IGNORECASE)
_NO_GRADE = re.compile(r"\b(?:no|none|without|never)\b[^.;,]*\bgrade\b", re.IGNORECASE)


_ANOTHER_NUMBER = re.compile(r"\d\s*%|\bn\s*=\s*\d", re.IGNORECASE)


def _of_a_part(body: str, at: int, read: Counts) -> bool:
    """Whether a grade or "serious" at ``at`` is stated after the incidence, of a part of it
    with its own number, before or after it ("CRS in 72% of patients, with grade ≥3 events
    in 1.5%", "AEs in 99%, 88% with grade ≥3 AEs", "in 12 (7.5%): grade 2, n = 5; …")."""
    first = _ANOTHER_NUMBER.search(body, read.pct_start) if read.pct_start >= 0 else None
    if first is None or first.start() >= at or not _ANOTHER_NUMBER.search(body, first.end()):
        return False
    # In the first figure's own clause ("8.4% had grade 3 or 4 neuropathy, compared with
    # 1.3% …", "41% for all grades and 6% for grade ≥3") the grade is the whole's.
    between = re.sub(r"\([^()]*\)", "", body[first.end() : at])
    return re.search(r"[,;:(]", between) is not None or _OWN_FIGURE.match(body, at) is not None


# A grade or "serious" with its own figure after it, in the same clause ("… in 59% and
# serious infections in 18%"); not one the figure before it was given for ("in 41% for all
# grades and in 6.5% for grade ≥3").
_OWN_FIGURE = re.compile(r"(?:(?!\band\b)[^,;()]){0,60}?\b(?:in|:)\s*\d{1,3}(?:\.\d+)?\s*%")


def _of_another_event(body: str, at: int, event: Mention, vocabulary: Vocabulary) -> bool:
    """Whether a grade written after the event's figure is another event's, named just after
    it ("DLTs in 3 of 24 patients (grade 3 rash in two and …)")."""
    figure = _FIGURE.search(body)
    if figure is None or at < figure.end():
        return False
    named = vocabulary.events.find(body[at : at + 40])
    return bool(named) and not named[0].entry.general and named[0].entry is not event.entry


def _graded_in_words(body: str, at: int, event: Mention | None, vocabulary: Vocabulary) -> bool:
    """Whether a grade at ``at`` written in words ("severe or life-threatening") is the
    event's: only when the event is named right after the words ("Severe or life-threatening
    neutropenia occurred in 21%"), not when they are said of nothing named ("none was severe
    or life-threatening") or of other events ("Severe and life-threatening events were rare;
    CRS occurred in 50%"). A grade written in numbers passes."""
    words = IN_WORDS.match(body, at)
    if words is None:
        return True
    if event is None:
        return False
    named = vocabulary.events.find(body[words.end() : words.end() + 80])
    return bool(named) and named[0].start <= 1 and named[0].entry is event.entry


# Words that give the events of a class named before them: "Serious AEs included …".
_LISTED_IN = re.compile(r"\b(?:included|including|were|was|consisted of)\s*:?\s*$", re.IGNORECASE)


def _serious(body: str, event: Mention | None, read: Counts, vocabulary: Vocabulary) -> bool:
    """Whether the sentence calls the event serious: not when "serious" is of a part with its
    own figure, nor when it qualifies another event ("…; serious AEs were uncommon")."""
    found = _SERIOUS.search(body)
    if found is None or _of_a_part(body, found.start(), read):
        return False
    named = vocabulary.events.find(body[found.start() : found.end() + 60])
    width = found.end() - found.start()
    qualifies = named[0].entry if named and named[0].start <= width + 1 else None
    heads_list = qualifies is not None and qualifies.general
    if heads_list and event is not None and not event.entry.general:
        # "Serious AEs included pyrexia (4%), …": the event is one of the serious ones listed
        return _LISTED_IN.search(body, found.end(), event.start) is not None
    return qualifies is None or event is None or qualifies is event.entry


def _event(text: str, vocabulary: Vocabulary) -> tuple[Mention | None, str]:
    """The event the sentence gives figures for, and the part of the sentence that states it.

    A class named before a colon is a heading ("Cytopenias and infections were common: grade
    3 neutropenia in 30%"); an event said not to occur is passed over for one in a later
    clause that did ("No cases of pneumonitis, but 5 patients had colitis")."""
    heading = re.match(r"[^:\d]*:\s", text)
    # "Two subjects had DLTs: …" gives its own count: the events after it are what they were
    counted = heading is not None and re.search(r"\d", normalise(heading.group(0)))
    if heading and not counted and vocabulary.event_in(text[heading.end() :]) is not None:
        text = text[heading.end() :]
    event = _named_event(text, vocabulary)
    if event is None or not _NEGATED.search(text[: event.start]):
        return event, text
    for clause in _CLAUSE.finditer(text, event.end):
        rest = text[clause.end() :]
        later = _named_event(rest, vocabulary)
        if later is not None and not _NEGATED.search(rest[: later.start]):
            return later, rest
    return event, text


# A figure of its own: a percentage, "n of N" or "n/N", or a count of patients.
_FIGURE = re.compile(
    r"\d\s*%|\d\s*(?:/|\bof\b)\s*\d|\d\s+(?:patients|participants|subjects|pts)\b", re.I
)
# A threshold that selects the events listed, not their figure: "AEs occurring in ≥10% of
# patients included …", "reported in at least 20%", "in more than 10% of patients".
_THRESHOLD = re.compile(
    r"(?:[≥>]|\bat\s+least|\bmore\s+than|\bover|\bgreater\s+than|\bor\s+more\s+of)\s*$",
    re.IGNORECASE,
)


def _number_start(text: str, figure: re.Match[str]) -> str:
    """The text before the number ``figure`` begins with ("… in ≥" for "≥15%")."""
    return re.sub(r"[\d.,]+$", "", text[max(0, figure.start() - 30) : figure.start()])


# The particular event's own figure right after it: "… in 33.3%", "(12%)", "of 18%".
_FIGURE_FOLLOWS = re.compile(
    r"\s*(?:\(\s*\d|(?:in|of|:)\s+\d[\d.]*\s*(?:%|of\b|/|patients\b))", re.IGNORECASE
)
# Words that give a particular event as an example of a general one named before it.
_EXAMPLE = re.compile(
    r"\b(?:including|mainly|mostly|predominantly|primarily|chiefly|especially|notably"
    r"|particularly|such as|most (?:commonly|often|frequently)|the most common (?:being|was|were))"
    r"\b",
    re.IGNORECASE,
)
# A general term as the heading of a list of particular events: "The most common AEs were …".
_MOST_COMMON = re.compile(
    r"\b(?:most|more|less)\s+(?:common|frequent)\w*|\bcommonest\b|^\W*(?:common|frequent)\b", re.I
)


def _named_event(text: str, vocabulary: Vocabulary) -> Mention | None:
    """The event the sentence is about: the first particular one, unless a general term
    ("treatment-related AEs", "ocular adverse events") comes first and either has the first
    figure before the particular event is named or is illustrated by it ("AEs in 85%, most
    commonly nausea (41%)", "irAEs, mainly colitis, in 12%"); not when the general term heads a
    list ("The most common grade ≥3 AEs were neutropenia (20%) and …")."""
    mentions = vocabulary.events.find(text)
    particular = next((m for m in mentions if not m.entry.general), None)
    general = next((m for m in mentions if m.entry.general), None)
    if particular is None or general is None:
        return particular or general
    if particular.start < general.start or _MOST_COMMON.search(text[: general.start]):
        return particular
    figures = _FIGURE.finditer(text, general.end)
    figure = next((f for f in figures if not _THRESHOLD.search(_number_start(text, f))), None)
    between = text[general.end : particular.start]
    if re.match(r"\s*:", between) and re.search(r"\d", normalise(text[: general.start])):
        return general  # "Two subjects had DLTs: X at 40 mg and Y at 80 mg"
    example = _EXAMPLE.search(between) and not re.search(r"[;:]", between)
    if figure and figure.start() < particular.start:
        return general
    if example and not _FIGURE_FOLLOWS.match(text, particular.end):
        return general
    # "more AEs, including infusion reactions in 33%": the example has the figure itself
    return particular


# What adverse events led to, written after them ("AEs leading to treatment discontinuation")
# or before them ("Discontinuation due to AEs", "discontinued treatment because of AEs").
_LEADING_TO = re.compile(
    r"\s*(?:that\s+|which\s+)?(?:leading|led|resulting|resulted|causing|caused|requiring|required"
    r"|prompting|necessitating)\s+(?:to\s+|in\s+)?(?:the\s+)?(?:permanent\s+)?(?:(?:study\s+)?"
    r"(?:treatment|drug)\s+)?(?P<what>discontinu|withdraw|dose\s+reduc|dose\s+interrup)",
    re.IGNORECASE,
)
_DUE_TO = re.compile(
    r"\b(?P<what>discontinu|withdr[ae]w|dose\s+reduc|dose\s+interrup)\w*\s+(?:[\w-]+\s+){0,3}?"
    r"(?:due\s+to|because\s+of|owing\s+to|for|from)\s+(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)


# "adverse events (that were considered by the investigators to be) related to the study drug
# (or placebo)": treatment-related adverse events.
_ADVERSE_EVENTS, _RELATED_EVENTS = "adverse events", "treatment-related adverse events"
_RELATED_TO_DRUG = re.compile(
    r"\s*,?\s*(?:that\s+were\s+|which\s+were\s+)?(?:(?:considered|judged|assessed|deemed)\s+"
    r"(?:by\s+the\s+investigators?\s+)?(?:to\s+be\s+|as\s+)?)?(?:possibly\s+|probably\s+)?"
    r"related\s+to\s+(?:the\s+)?(?:study|trial|active|investigational)\s+(?:drugs?|treatment"
    r"|therapy|agents?)(?:\s+or\s+(?:to\s+)?placebo)?",
    re.IGNORECASE,
)


# What adverse events are said to be related to, written before them ("device-related").
_RELATED_BEFORE = re.compile(r"\b([A-Za-z]{3,})-related\s+$")
_TREATMENT_CAUSES = frozenset(("chemotherapy", "therapy", "drug", "study", "immunotherapy"))
_OTHER_CAUSES = frozenset(
    ("device", "procedure", "catheter", "surgery", "radiation", "radiotherapy", "infusion")
) | frozenset(("injection", "transfusion", "implant", "port"))


def _event_name(text: str, event: Mention) -> str:
    """The event as the form names it: a general one with what it led to, when the sentence
    says ("adverse events leading to discontinuation", "… leading to dose reduction")."""
    if not event.entry.general:
        return event.entry.name
    name, end = event.entry.name, event.end
    related = _RELATED_TO_DRUG.match(text, end)
    if related is not None and name == _ADVERSE_EVENTS:
        name, end = _RELATED_EVENTS, related.end()
    cause = _RELATED_BEFORE.search(text, 0, event.start)
    if cause is not None and name == _ADVERSE_EVENTS:
        # "device-related adverse events"; "pembrolizumab-related AEs" are treatment-related;
        # "age-related" or "dose-related" name no event of their own
        what = cause.group(1).lower()
        if drug_word(what) or what in _TREATMENT_CAUSES:
            name = _RELATED_EVENTS
        elif what in _OTHER_CAUSES:
            name = f"{what}-related {name}"
    led = _LEADING_TO.match(text, end) or _DUE_TO.search(text[: event.start])
    if led is None:
        return name
    what = led.group("what").lower()
    consequence = (
        "dose reduction"
        if what.endswith("reduc")
        else "dose interruption"
        if what.endswith("interrup")
        else "discontinuation"
    )
    return f"{name} leading to {consequence}"


# Where a clause ends: a semicolon, or a comma before "but", "while", "and only" or a count.
_CLAUSE = re.compile(r";\s*(?:but\s+|however,?\s+)?|,\s*(?:but|while|whereas|and)\s+(?:only\s+)?")
# Death as what was reported ("Death was reported in 13 patients", "Deaths due to …", "Three
# deaths occurred"): grade 5. "Sepsis led to death" names the event, not its grade.
_DEATHS = re.compile(
    r"^\W*(?:(?:treatment|drug)[\s-]related\s+|fatal\s+|toxic\s+)?deaths?\b(?!\s+(?:rate|from any))"
    r"|\b\d+\s+(?:treatment-related\s+|toxic\s+)?deaths\s+(?:occurred|were)",
    re.IGNORECASE,
)


# Patients who died of the event named right after: "died as a result of …", "died from …".
_DIED_OF = re.compile(
    r"\bdied\s+(?:as\s+a\s+result\s+of|from|of|due\s+to|because\s+of)\s+(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)
_RELATED_DEATH = "treatment-related death"
# "TEAEs that resulted in death", "adverse events leading to death": fatal ones.
_IN_DEATH = re.compile(
    r"\s*(?:that\s+|which\s+)?(?:resulted|resulting|led|leading)\s+(?:in|to)\s+death\b", re.I
)
# "(n = 45)" just after the event; not after a count of events ("87 reactions (n = 87)").
_N_AFTER = re.compile(r"\s*[(\[]\s*n\s*=\s*(\d{1,6})\s*[)\];,]", re.IGNORECASE)
_COUNTED_BEFORE = re.compile(r"\d\s+(?:[\w-]+\s+){0,3}$")
_GRADE_WORDS = re.compile(
    r"\bgrades?\s*[≥>≤<]?\s*(?:[1-5]|[IV]+)(?:\s*(?:-|/|to|or|and)\s*(?:[1-5]|[IV]+)\b)?", re.I
)
# "Two treatment-related deaths occurred": each death is a patient's.
_COUNTED_DEATHS = r"(\d{1,4})\s+(?:(?:treatment|drug)-related\s+|fatal\s+|toxic\s+)?deaths\b"
_DEATH_COUNT = re.compile(r"^\W*" + _COUNTED_DEATHS, re.I)
# Deaths counted later in a sentence about them: "After accrual of 215 patients, 3 toxic
# deaths occurred".
_DEATHS_COUNTED = re.compile(r"\b" + _COUNTED_DEATHS, re.I)


def _count_named_with(text: str, event: Mention | None) -> str | None:
    """The patients with the event when the sentence gives no other count: "(n = 45)" written
    just after the event's name, or the number of deaths that open the sentence."""
    deaths = _DEATH_COUNT.match(normalise(text))
    if deaths:
        return deaths.group(1)
    if event is None:
        return None
    before = _GRADE_WORDS.sub("grade", normalise(text[: event.start]))
    if _COUNTED_BEFORE.search(before):
        return None
    after = _N_AFTER.match(text, event.end)
    return after.group(1) if after else None


def _fatal(text: str, event: Mention | None) -> bool:
    """Whether the sentence says the event was fatal ("Fatal infections", "Deaths occurred",
    "died as a result of X")."""
    named_fatal = event is not None and (
        _FATAL.search(text[: event.start]) is not None
        or _DIED_OF.search(text, 0, event.start) is not None
        # (as "fatal adverse events"; "sepsis led to death" names the event, not its grade)
        or (event.entry.general and _IN_DEATH.match(text, event.end) is not None)
    )
    return named_fatal or _DEATHS.search(normalise(text)) is not None


# Two classes sharing their noun: "genitourinary and gastrointestinal toxicity".
_SHARED_NOUN = re.compile(
    r"\b([a-z-]+)\s+(and|or)\s+([a-z-]+)\s+(toxicit(?:y|ies)|adverse\s+events|complications)\b",
    re.IGNORECASE,
)


def _each_named(text: str, vocabulary: Vocabulary) -> str:
    """``text`` with a noun two classes share written with each ("genitourinary toxicity and
    gastrointestinal toxicity"), when the vocabulary knows the first with it."""

    def spelled(m: re.Match[str]) -> str:
        first = f"{m.group(1)} {m.group(4)}"
        known = vocabulary.events.find(first)
        if not known or known[0].start != 0 or known[0].end != len(first):
            return m.group(0)
        return f"{first} {m.group(2)} {m.group(3)} {m.group(4)}"

    return _SHARED_NOUN.sub(spelled, text)


def _toxicity(text: str, vocabulary: Vocabulary) -> dict[str, str]:
    fields: dict[str, str] = {}
    event, text = _event(_each_named(text, vocabulary), vocabulary)
    if event is not None:
        fields["event"] = _event_name(text, event)
        if fields["event"] == _RELATED_EVENTS and _DIED_OF.search(text, 0, event.start):
            # "2.1% died as a result of treatment-related adverse events"
            fields["event"] = _RELATED_DEATH
    _, _, body = read_sentence(text)
    several = len([m for m in vocabulary.events.find(text) if not m.entry.general]) > 1
    # "10% and 3% had grade 3 or 4 events, respectively": figures given grade by grade
    respectively = "respectively" in body and not several
    found = grade(body, respectively)
    no_grade = _NO_GRADE.search(text)
    if event is not None and no_grade and no_grade.start() > event.end:
        # "…, none of grade 3 or higher": a grade the event did not reach; a grade stated
        # before the negation stays ("Grade 3 CRS in 1%, and no grade 4 or 5 CRS")
        negated = _NO_GRADE.search(body)
        if found is None or negated is None or found[0] > negated.start():
            found = None
    elif (event is not None and _NEGATED.search(text[: event.start])) or no_grade:
        # "No grade 3 neutropenia was observed": that grade, and none had it (no other count)
        if found is not None and found[1] is not None:
            fields["grade"] = found[1]
        return fields
    read = counts(body)
    part = not respectively and _of_a_part(body, found[0], read) if found is not None else False
    if (
        found is not None
        and event is not None
        and _of_another_event(body, found[0], event, vocabulary)
    ):
        found = None
    if found is not None and not _graded_in_words(body, found[0], event, vocabulary):
        found = None
    if found is not None and found[1] is not None and not part:
        fields["grade"] = found[1]
    elif found is None and _fatal(text, event):
        fields["grade"] = "5"
    if read.pct is not None:
        fields["incidence_pct"] = read.pct
    # "After accrual of 215 patients, 3 toxic deaths occurred": when the event is death, the
    # deaths are the count (not when they are another event's: "FN in 25 patients, 3 deaths")
    of_deaths = event is not None and "death" in event.entry.name
    deaths = _DEATHS_COUNTED.search(normalise(text)) if of_deaths else None
    n = (deaths.group(1) if deaths else None) or read.n or _count_named_with(text, event)
    if n is not None:
        fields["n"] = n
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
    if _serious(body, event, read, vocabulary):
        fields["serious"] = "yes"
    return fields


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
