"""Which adverse event a toxicity sentence is about, the counts that go with it, and the other
names and targets a mechanism sentence gives: the rules added for sentences shaped like real
trial abstracts (lists of events, general terms, what events led to, deaths, code names)."""

from __future__ import annotations

import pytest

from reviewapp.core.models import Category
from reviewapp.core.suggest import suggest_fields
from reviewapp.core.vocabulary import Vocabulary

EVENTS = Vocabulary.from_lines(
    [
        "neutropenia",
        "anemia = anaemia",
        "nausea",
        "colitis",
        "blurred vision",
        "infection = infections",
        "epistaxis",
        "cytokine release syndrome = CRS",
        "[general]",
        "adverse events = adverse event = AE",
        "treatment-related adverse events = treatment-related adverse event = TRAE",
        "immune-related adverse events = immune-related adverse event = irAE",
        "ocular toxicity = ocular adverse events",
    ]
)


def _toxicity(sentence: str) -> dict[str, str]:
    return suggest_fields(Category.TOXICITY, sentence, EVENTS)


# -- which event ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        # the general term has the first figure: the particular ones are a breakdown of it
        ("TRAEs occurred in 85% of patients, most commonly nausea (41%).", "treatment-related"),
        ("Grade ≥3 irAEs occurred in 24 of 160 patients, chiefly colitis (n = 7).", "immune-"),
        # the particular event is named as an example of the general one
        ("Ocular adverse events, predominantly blurred vision, occurred in 46%.", "ocular"),
        # the general term heads a list: the first event listed, with its figure
        ("The most common grade ≥3 AEs were neutropenia (20%) and anemia (11%).", "neutropenia"),
        ("The most common adverse events were nausea (45%) and anemia (20%).", "nausea"),
        # an example word in another clause does not make the general term the subject
        ("Adverse events were manageable; the most common was nausea (45%).", "nausea"),
        # the particular event first, the general one after it
        ("Nausea was the most frequent adverse event (58%).", "nausea"),
    ],
)
def test_the_event_is_the_one_the_first_figure_is_given_for(sentence: str, event: str) -> None:
    assert _toxicity(sentence)["event"].startswith(event)


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("AEs leading to treatment discontinuation occurred in 9.8%.", "discontinuation"),
        ("Discontinuation due to adverse events was reported in 7.0%.", "discontinuation"),
        ("12% of patients discontinued treatment because of AEs.", "discontinuation"),
        ("Permanent withdrawal owing to TRAEs occurred in 5%.", "discontinuation"),
        ("Dose reductions due to adverse events were required in 27%.", "dose reduction"),
        ("AEs led to dose interruption in 44% and to dose reduction in 23%.", "dose interruption"),
    ],
)
def test_a_general_event_is_named_with_what_it_led_to(sentence: str, event: str) -> None:
    assert _toxicity(sentence)["event"].endswith(f"leading to {event}")


def test_what_a_particular_event_led_to_is_not_part_of_its_name() -> None:
    assert _toxicity("Colitis led to discontinuation in 4 patients.")["event"] == "colitis"
    assert _toxicity("Adverse events occurred in 90% of patients.")["event"] == "adverse events"


# -- deaths, counts, grades -----------------------------------------------------------------


def test_fatal_events_are_grade_5_and_deaths_that_open_the_sentence_are_counted() -> None:
    assert _toxicity("Fatal adverse events were reported in 6 patients (2.0%).") == {
        "event": "adverse events",
        "grade": "5",
        "n": "6",
        "incidence_pct": "2.0",
    }
    assert _toxicity("Two deaths occurred, both due to infection.") == {
        "event": "infection",
        "grade": "5",
        "n": "2",
    }


def test_n_written_just_after_the_event_counts_its_patients_not_a_count_of_events() -> None:
    fields = _toxicity("Grade ≥3 neutropenia (n = 45) and anemia (n = 21) were common.")
    assert fields == {"event": "neutropenia", "grade": "≥3", "n": "45"}
    assert "n" not in _toxicity("A total of 87 adverse events (n = 87) were recorded.")
    assert "n" not in _toxicity("Neutropenia (n = 12 events) was the most common toxicity.")


def test_a_grade_or_seriousness_with_a_figure_of_its_own_is_of_a_part() -> None:
    fields = _toxicity("CRS occurred in 72% of patients (grade 1, 50%; grade 2, 21%).")
    assert fields == {"event": "cytokine release syndrome", "incidence_pct": "72"}
    fields = _toxicity(
        "Infections of any grade were reported in 59% and serious infections in 18%."
    )
    assert fields == {"event": "infection", "grade": "any", "incidence_pct": "59"}
    # the grade the first figure was given for stays
    fields = _toxicity(
        "Anemia was reported in 41% of patients for all grades and in 6% for grade 3."
    )
    assert fields == {"event": "anemia", "grade": "any", "incidence_pct": "41"}


def test_a_grade_said_of_most_of_the_events_is_not_the_events_grade() -> None:
    fields = _toxicity("Epistaxis occurred in 19 patients (11.9%) and was grade 1 in all but one.")
    assert fields == {"event": "epistaxis", "n": "19", "incidence_pct": "11.9"}


def test_a_grade_stated_before_a_negated_one_stays() -> None:
    fields = _toxicity("Grade 3 CRS occurred in 1 patient (1%), and no grade 4 or 5 CRS was seen.")
    assert fields["grade"] == "3"
    fields = _toxicity("Three patients had anemia, none of grade 3 or higher.")
    assert "grade" not in fields


@pytest.mark.parametrize(
    ("sentence", "numbers"),
    [
        ("Grade 3 AEs were reported in 141 (70.1%) of 201 patients.", ("141", "201", "70.1")),
        ("Neutropenia was reported in 14.3% of the 147 older patients.", (None, "147", "14.3")),
        ("Among 300 patients, grade 3 neutropenia occurred in 20%.", (None, "300", "20")),
    ],
)
def test_the_total_is_told_from_the_count(
    sentence: str, numbers: tuple[str | None, str, str]
) -> None:
    fields = _toxicity(sentence)
    assert (fields.get("n"), fields.get("N"), fields.get("incidence_pct")) == numbers


# -- mechanism ------------------------------------------------------------------------------


def _mechanism(sentence: str) -> dict[str, str]:
    return suggest_fields(Category.MECHANISM, sentence, Vocabulary())


@pytest.mark.parametrize(
    ("sentence", "aliases"),
    [
        ("Amivantamab (JNJ-61186372) is a bispecific antibody.", "JNJ-61186372"),
        ("Tislelizumab (BGB-A317) is an anti-PD-1 antibody.", "BGB-A317"),
        ("Patritumab deruxtecan (HER3-DXd) is an ADC.", "HER3-DXd"),
        ("Trastuzumab deruxtecan (Enhertu®) is an ADC.", "Enhertu"),
        ("Camrelizumab (SHR-1210; AiRuiKa) binds PD-1.", "SHR-1210, AiRuiKa"),
        ("Sacituzumab tirumotecan (sac-TMT; MK-2870) is an ADC.", "sac-TMT, MK-2870"),
        ("Pembrolizumab (formerly MK-3475) binds PD-1.", "MK-3475"),
        ("Talquetamab, also known as JNJ-64407564, binds GPRC5D.", "JNJ-64407564"),
        ("Lutetium Lu 177 vipivotide tetraxetan (177Lu-PSMA-617) is given.", "177Lu-PSMA-617"),
        # neither a maker, a trial's number nor a target is another name of the drug
        ("Olaparib (Lynparza, AstraZeneca) is a PARP inhibitor.", "Lynparza"),
        ("Nivolumab (NCT02477826) was studied.", None),
        ("Trastuzumab (HER2) blockade is standard.", None),
    ],
)
def test_aliases_are_the_code_and_brand_names_written_beside_the_drug(
    sentence: str, aliases: str | None
) -> None:
    assert _mechanism(sentence).get("aliases") == aliases


def test_aliases_keep_the_order_the_sentence_writes_them_in() -> None:
    vocabulary = Vocabulary.from_lines([], ["pembrolizumab = Keytruda = MK-3475"])
    fields = suggest_fields(
        Category.MECHANISM, "Pembrolizumab (MK-3475; Keytruda) binds PD-1.", vocabulary
    )
    assert fields["aliases"] == "MK-3475, Keytruda"


@pytest.mark.parametrize(
    ("sentence", "targets"),
    [
        ("Zongertinib is a HER2-selective inhibitor that spares wild-type EGFR.", "HER2"),
        ("Tucatinib is a HER2 kinase inhibitor with minimal EGFR inhibition.", "HER2"),
        ("Osimertinib, an EGFR inhibitor, in EGFR-mutated NSCLC with MET amplification.", "EGFR"),
        ("Adagrasib is a covalent KRASG12C inhibitor.", "KRAS G12C"),
        ("Fruquintinib is an inhibitor of VEGFR-1, -2, and -3.", "VEGFR-1, VEGFR-2, VEGFR-3"),
        ("Mirvetuximab soravtansine targets folate receptor alpha.", "FRα"),
        ("Telisotuzumab vedotin carries a c-Met–targeting antibody.", "c-Met"),
    ],
)
def test_targets_are_what_the_drug_acts_on(sentence: str, targets: str) -> None:
    assert _mechanism(sentence)["targets"] == targets


def test_a_radiopharmaceutical_is_named_by_its_element_and_carrier() -> None:
    fields = _mechanism("Lutetium Lu 177 dotatate is a radiopharmaceutical for NETs.")
    assert fields == {"agent": "lutetium Lu 177 dotatate", "modality": "other"}
