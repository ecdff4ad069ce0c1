"""Suggested field values for a new finding, read from the selected sentence.

Only what the sentence states plainly is suggested (a DOI, "23.3% (14/60)", "HR 0.71, 95% CI
0.55–0.92"); the reviewer confirms or corrects it in the form, where validation applies.
"""

from __future__ import annotations

import re

from reviewapp.core.identifiers import find_dois, find_nct_ids, find_pmid
from reviewapp.core.models import Category, DoiRelation

_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)
_N_OF_N = re.compile(r"\(?\b(\d{1,6})\s*(?:/|of)\s*(\d{1,6})\b\)?")
_GRADE = re.compile(r"grade\s*(≥\s*3|>=\s*3|3\s*or\s*(?:higher|above)|[1-5])\b", re.IGNORECASE)
_RATIO = re.compile(r"\b(HR|OR|RR|hazard ratio|odds ratio)\b\s*[,:=]?\s*(\d+(?:\.\d+)?)", re.I)
_CI = re.compile(r"95\s*%\s*CI\s*[,:]?\s*(\d+(?:\.\d+)?)\s*(?:–|—|-|to)\s*(\d+(?:\.\d+)?)", re.I)
_P = re.compile(r"\bp\s*([=<>≤≥])\s*(\d*\.\d+)", re.IGNORECASE)
_MEDIAN = re.compile(r"median\b[^.;]*?(\d+(?:\.\d+)?)\s*months", re.IGNORECASE)
_ENDPOINTS = (
    ("overall survival", "OS"),
    ("progression-free survival", "PFS"),
    ("disease-free survival", "DFS"),
    ("event-free survival", "EFS"),
    ("objective response", "ORR"),
    ("overall response", "ORR"),
    ("complete response", "CR"),
    ("duration of response", "DoR"),
    ("pathological complete response", "pCR"),
)
_ENDPOINT_CODES = re.compile(r"\b(OS|PFS|DFS|EFS|ORR|DoR|pCR)\b")
_TARGETS = re.compile(
    r"\b(CD\d{1,3}|DLL3|PD-L1|PD-1|HER2|TROP2|BCMA|EGFR|TIGIT|CTLA-4|KRAS G12C|ALK|ROS1)\b"
)
_MODALITIES = (
    ("trispecific", "trispecific T-cell engager"),
    ("bispecific", "bispecific T-cell engager"),
    ("antibody-drug conjugate", "ADC"),
    ("monoclonal antibody", "monoclonal antibody"),
    ("car t", "CAR-T"),
    ("car-t", "CAR-T"),
    ("checkpoint inhibitor", "checkpoint inhibitor"),
    ("small molecule", "small molecule"),
    ("inhibitor", "small molecule"),
)


def suggest_fields(category: Category, text: str) -> dict[str, str]:
    """Field values (as the form shows them) that ``text`` states for ``category``."""
    match category:
        case Category.REFERENCE:
            return _reference(text)
        case Category.TOXICITY:
            return _toxicity(text)
        case Category.EFFICACY:
            return _efficacy(text)
        case Category.MECHANISM:
            return _mechanism(text)
    return {}  # pragma: no cover


def _reference(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    dois = find_dois(text)
    if dois:
        fields["doi"] = dois[0].doi
        fields["relation"] = (
            "correction" if dois[0].relation is DoiRelation.CORRECTION else "source"
        )
    pmid = find_pmid(text)
    if pmid:
        fields["pmid"] = pmid
    ncts = find_nct_ids(text)
    if ncts:
        fields["nct"] = ncts[0]
    return fields


def _counts(text: str, fields: dict[str, str], pct_key: str) -> None:
    percent = _PERCENT.search(text)
    if percent:
        fields[pct_key] = percent.group(1).replace(",", ".")
    ratio = _N_OF_N.search(text)
    if ratio and int(ratio.group(1)) <= int(ratio.group(2)):
        fields["n"], fields["N"] = ratio.group(1), ratio.group(2)


def _toxicity(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    _counts(text, fields, "incidence_pct")
    grade = _GRADE.search(text)
    if grade:
        value = grade.group(1).replace(" ", "")
        fields["grade"] = "≥3" if value[0] in "≥>" or "or" in value else value
    lowered = text.lower()
    if re.search(r"\bafter\b|post-?treatment", lowered):
        fields["timing"] = "after"
    elif re.search(r"\bduring\b|on treatment", lowered):
        fields["timing"] = "during"
    return fields


def _efficacy(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    lowered = text.lower()
    endpoint = next((code for words, code in _ENDPOINTS if words in lowered), None)
    code = _ENDPOINT_CODES.search(text)
    if endpoint or code:
        fields["endpoint"] = endpoint or (code.group(1) if code else "")
    ratio = _RATIO.search(text)
    median = _MEDIAN.search(text)
    if ratio:
        measure = ratio.group(1).upper()
        fields["measure"] = {"HAZARD RATIO": "HR", "ODDS RATIO": "OR"}.get(measure, measure)
        fields["value"] = ratio.group(2)
    elif median:
        fields["measure"], fields["value"], fields["unit"] = "median", median.group(1), "months"
    ci = _CI.search(text)
    if ci:
        fields["ci_low"], fields["ci_high"] = ci.group(1), ci.group(2)
    p = _P.search(text)
    if p:
        fields["p_value"] = ("" if p.group(1) == "=" else p.group(1)) + p.group(2)
    if re.search(r"no (?:significant )?difference|did not differ|not improve", lowered):
        fields["direction"] = "no difference"
    return fields


def _mechanism(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    targets = list(dict.fromkeys(m.group(1) for m in _TARGETS.finditer(text)))
    if targets:
        fields["targets"] = ", ".join(targets)
    lowered = text.lower()
    modality = next((name for words, name in _MODALITIES if words in lowered), None)
    if modality:
        fields["modality"] = modality
    agent = re.search(r"\b([A-Z]?[a-z]+(?:mab|tamig|tinib|cel|ib))\b", text)
    if agent:
        fields["agent"] = agent.group(1).lower()
    code = re.search(r"\(([A-Z]{1,4}[- ]?\d{2,5})\)", text)
    if code:
        fields["aliases"] = code.group(1)
    return fields
