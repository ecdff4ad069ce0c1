"""Adverse-event terms and drug names found in a sentence by their words."""

from __future__ import annotations

from reviewapp.core.vocabulary import Vocabulary, is_drug_name

EVENTS = """
# a comment
neutropenia = low neutrophil count
febrile neutropenia = FN = neutropenic fever
anemia
CMV viremia = cytomegalovirus viremia
rash

[general]
adverse events = adverse event = AE
""".splitlines()

SYNONYMS = [
    "SCLC = small cell lung cancer",
    "tarlatamab = Imdelltra = AMG 757",
    "CRS = cytokine release syndrome",
]


def _event(text: str) -> str | None:
    mention = Vocabulary.from_lines(EVENTS).event_in(text)
    return None if mention is None else mention.entry.name


def test_the_longest_term_wins_and_the_first_term_is_the_name() -> None:
    assert _event("Grade 3 febrile neutropenia occurred in 9%.") == "febrile neutropenia"
    assert _event("Neutropenic fever was rare.") == "febrile neutropenia"
    assert _event("A low neutrophil count was common.") == "neutropenia"
    assert _event("Cytomegalovirus viremia was notable.") == "CMV viremia"


def test_spellings_plurals_and_acronyms() -> None:
    assert _event("Anaemia was reported in 41%.") == "anemia"
    assert _event("Rashes were mild.") == "rash"
    assert _event("FN occurred in 7.5%.") == "febrile neutropenia"
    # An acronym keeps its capitals: "fn" is not FN, and "ae" is not AE.
    assert _event("see fn 3") is None


def test_a_particular_event_wins_over_adverse_events_in_general() -> None:
    assert _event("CMV viremia was a notable adverse event.") == "CMV viremia"
    assert _event("Grade 3 adverse events occurred in 40%.") == "adverse events"
    assert _event("Nothing was recorded.") is None


def test_drug_groups_of_the_synonym_file_are_agents_others_are_not() -> None:
    vocabulary = Vocabulary.from_lines((), SYNONYMS)
    assert [e.name for e in vocabulary.agents.entries] == ["tarlatamab"]
    mention = vocabulary.agents.find("Imdelltra (AMG 757) binds DLL3.")
    assert [m.written for m in mention] == ["Imdelltra", "AMG 757"]


def test_drug_names_by_their_stems() -> None:
    for name in ("alemtuzumab", "alveltamig", "sotorasib", "venetoclax", "tisagenlecleucel"):
        assert is_drug_name(name), name
    for word in ("patients", "describe", "chemotherapy", "crib", "placebo"):
        assert not is_drug_name(word), word


def test_hormonal_and_other_cytotoxic_stems() -> None:
    for name in (
        "letrozole",
        "anastrozole",
        "fulvestrant",
        "abiraterone",
        "tamoxifen",
        "exemestane",
        "lurbinectedin",
        "chlorambucil",
        "fluorouracil",
        "leucovorin",
        "temozolomide",
        "ifosfamide",
        "eribulin",
    ):
        assert is_drug_name(name), name
    for word in ("testosterone", "versus", "adjuvant"):
        assert not is_drug_name(word), word
