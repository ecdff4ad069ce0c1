"""The four finding categories and the typed fields each one carries."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from reviewapp.core.models import Category


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    CHOICE = "choice"
    LIST = "list"
    BOOLEAN = "boolean"
    DOI = "doi"
    NCT = "nct"
    PMID = "pmid"
    P_VALUE = "p_value"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: Kind
    choices: tuple[str, ...] = ()
    required: bool = False
    help: str = ""


EFFICACY_ENDPOINTS = ("OS", "PFS", "DFS", "EFS", "ORR", "CR", "DoR", "pCR", "other")
EFFICACY_MEASURES = ("median", "rate", "HR", "OR", "RR")
DIRECTIONS = ("benefit", "no difference", "harm", "not reported")
GRADES = ("any", "1", "2", "3", "4", "5", "≥3")
TIMINGS = ("during", "after")
MODALITIES = (
    "monoclonal antibody",
    "bispecific T-cell engager",
    "trispecific T-cell engager",
    "bispecific antibody",
    "ADC",
    "CAR-T",
    "checkpoint inhibitor",
    "small molecule",
    "other",
)
RELATIONS = ("source", "correction", "related")

SCHEMAS: dict[Category, tuple[FieldSpec, ...]] = {
    Category.EFFICACY: (
        FieldSpec("endpoint", "Endpoint", Kind.CHOICE, EFFICACY_ENDPOINTS, required=True),
        FieldSpec("arm", "Arm", Kind.TEXT),
        FieldSpec("comparator", "Comparator", Kind.TEXT),
        FieldSpec("measure", "Measure", Kind.CHOICE, EFFICACY_MEASURES),
        FieldSpec("value", "Value", Kind.NUMBER),
        FieldSpec("unit", "Unit", Kind.TEXT, help="months, %, …"),
        FieldSpec("ci_low", "95% CI low", Kind.NUMBER),
        FieldSpec("ci_high", "95% CI high", Kind.NUMBER),
        FieldSpec("p_value", "p", Kind.P_VALUE, help="0.03 or <0.001"),
        FieldSpec("n", "n", Kind.INTEGER),
        FieldSpec("N", "N", Kind.INTEGER),
        FieldSpec("direction", "Direction", Kind.CHOICE, DIRECTIONS),
    ),
    Category.TOXICITY: (
        FieldSpec("event", "Adverse event", Kind.TEXT, required=True),
        FieldSpec("grade", "Grade", Kind.CHOICE, GRADES),
        FieldSpec("incidence_pct", "Incidence %", Kind.NUMBER),
        FieldSpec("n", "n", Kind.INTEGER),
        FieldSpec("N", "N", Kind.INTEGER),
        FieldSpec("timing", "Timing", Kind.CHOICE, TIMINGS),
        FieldSpec("serious", "Serious", Kind.BOOLEAN),
    ),
    Category.MECHANISM: (
        FieldSpec("agent", "Agent", Kind.TEXT, required=True),
        FieldSpec("aliases", "Aliases", Kind.LIST, help="code name, brand name"),
        FieldSpec("modality", "Modality", Kind.CHOICE, MODALITIES),
        FieldSpec("targets", "Targets", Kind.LIST, help="CD52, DLL3, CD3"),
    ),
    Category.REFERENCE: (
        FieldSpec("doi", "DOI", Kind.DOI),
        FieldSpec("pmid", "PMID", Kind.PMID),
        FieldSpec("nct", "NCT id", Kind.NCT),
        FieldSpec("citation", "Citation", Kind.TEXT),
        FieldSpec("relation", "Relation", Kind.CHOICE, RELATIONS),
    ),
}


def parse_category(value: str) -> Category:
    """The category named by ``value`` (case-insensitive), or ValueError naming the choices."""
    try:
        return Category(value.strip().lower())
    except ValueError:
        names = ", ".join(c.value for c in Category)
        raise ValueError(f"unknown category {value!r}: choose one of {names}") from None


def field_specs(category: Category) -> dict[str, FieldSpec]:
    return {spec.key: spec for spec in SCHEMAS[category]}


def in_schema_order(category: Category, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields in the order the category's form lists them (a received finding's come
    sorted by key), unknown keys last: every view shows a finding's fields alike."""
    order = _field_order(category)
    return dict(sorted(fields.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


@functools.cache
def _field_order(category: Category) -> dict[str, int]:
    return {spec.key: i for i, spec in enumerate(SCHEMAS[category])}
