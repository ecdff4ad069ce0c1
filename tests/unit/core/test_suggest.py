"""Field suggestions read from a selected sentence: what it states plainly, and nothing else."""

from __future__ import annotations

import pytest

from reviewapp.core.categories import field_specs
from reviewapp.core.models import Category
from reviewapp.core.suggest import suggest_fields
from reviewapp.core.vocabulary import Vocabulary

# -- toxicity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Grade 3 or higher neutropenia occurred in 14 of 60 patients (23.3%).",
            {"grade": "≥3", "n": "14", "N": "60", "incidence_pct": "23.3"},
        ),
        (
            "Grade ≥3 cytokine release syndrome was reported in 3/42 (7.1%) during the "
            "first cycle.",
            {"grade": "≥3", "n": "3", "N": "42", "incidence_pct": "7.1", "timing": "during"},
        ),
        (
            "Grade >= 3 ALT increase was seen in 5 of 48 patients (10.4%).",
            {"grade": "≥3", "n": "5", "N": "48", "incidence_pct": "10.4"},
        ),
        (
            "Grade 3 or above febrile neutropenia: 9/120 (7.5 percent).",
            {"grade": "≥3", "n": "9", "N": "120", "incidence_pct": "7.5"},
        ),
        (
            "Grade 4 thrombocytopenia was seen post-treatment in 2 of 30 patients.",
            {"grade": "4", "n": "2", "N": "30", "timing": "after"},
        ),
        (
            "Grade 2 peripheral neuropathy persisted after treatment in 9 patients (15 per cent).",
            {"grade": "2", "n": "9", "incidence_pct": "15", "timing": "after"},
        ),
        (
            "CMV viremia occurred on treatment in 12,5 % of patients.",
            {"incidence_pct": "12.5", "timing": "during"},
        ),
    ],
)
def test_toxicity_numbers_grade_and_timing(sentence: str, expected: dict[str, str]) -> None:
    assert suggest_fields(Category.TOXICITY, sentence) == expected


def test_the_event_is_named_from_the_vocabulary_and_serious_when_the_sentence_says_so() -> None:
    sentence = "Serious pneumonitis (grade 5) occurred in 1 of 212 patients (0.5%)."
    numbers = {"grade": "5", "n": "1", "N": "212", "incidence_pct": "0.5", "serious": "yes"}
    # Without a vocabulary no event is named; with one, the event as the vocabulary names it.
    assert suggest_fields(Category.TOXICITY, sentence) == numbers
    vocabulary = Vocabulary.from_lines(["pneumonitis = interstitial lung disease = ILD"])
    assert suggest_fields(Category.TOXICITY, sentence, vocabulary) == {
        "event": "pneumonitis",
        **numbers,
    }
    ild = suggest_fields(Category.TOXICITY, "ILD was seen in 3 patients.", vocabulary)
    assert ild == {"event": "pneumonitis", "n": "3"}
    # "Non-serious" is not serious.
    fields = suggest_fields(Category.TOXICITY, "Non-serious rash occurred in 4% of patients.")
    assert "serious" not in fields


def test_a_count_larger_than_its_total_is_not_suggested() -> None:
    fields = suggest_fields(Category.TOXICITY, "Nausea: 60 of 14 cycles were affected.")
    assert "n" not in fields and "N" not in fields


def test_a_total_with_a_thousands_separator_is_read_whole_or_not_at_all() -> None:
    fields = suggest_fields(Category.TOXICITY, "Grade 4 anemia occurred in 1 of 1,234 patients.")
    assert fields.get("N") in (None, "1234")


def test_a_sentence_without_numbers_suggests_nothing() -> None:
    assert suggest_fields(Category.TOXICITY, "Fatigue was common and mostly low grade.") == {}
    assert suggest_fields(Category.TOXICITY, "") == {}


# -- efficacy -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The median overall survival was 7.1 months (95% CI 5.2–9.0).",
            {
                "endpoint": "OS",
                "measure": "median",
                "value": "7.1",
                "unit": "months",
                "ci_low": "5.2",
                "ci_high": "9.0",
            },
        ),
        (
            "Progression-free survival favoured the combination "
            "(HR 0.62; 95% CI 0.41–0.88; P = .004).",
            {
                "endpoint": "PFS",
                "measure": "HR",
                "value": "0.62",
                "ci_low": "0.41",
                "ci_high": "0.88",
                "p_value": ".004",
                "direction": "benefit",
            },
        ),
        (
            "ORR did not differ between arms (odds ratio 1.10, 95% CI 0.80-1.52, p = 0.56).",
            {
                "endpoint": "ORR",
                "measure": "OR",
                "value": "1.10",
                "ci_low": "0.80",
                "ci_high": "1.52",
                "p_value": "0.56",
                "direction": "no difference",
            },
        ),
        (
            "Overall survival was not improved (HR 0.97; 95% CI 0.80 to 1.18).",
            {
                "endpoint": "OS",
                "measure": "HR",
                "value": "0.97",
                "ci_low": "0.80",
                "ci_high": "1.18",
                "direction": "no difference",
            },
        ),
        (
            "Event-free survival at 2 years favoured blinatumomab (hazard ratio 0.55; P < .001).",
            {
                "endpoint": "EFS",
                "arm": "blinatumomab",
                "measure": "HR",
                "value": "0.55",
                "p_value": "<.001",
                "direction": "benefit",
            },
        ),
        (
            "Median PFS was 5.4 months.",
            {"endpoint": "PFS", "measure": "median", "value": "5.4", "unit": "months"},
        ),
        (
            "Median duration of response was 9.3 months.",
            {"endpoint": "DoR", "measure": "median", "value": "9.3", "unit": "months"},
        ),
        (
            "The objective response rate was 40% (RR 1.8).",
            {"endpoint": "ORR", "measure": "RR", "value": "1.8"},
        ),
        (
            "Disease-free survival: HR 0.71, p=0.03",
            {"endpoint": "DFS", "measure": "HR", "value": "0.71", "p_value": "0.03"},
        ),
    ],
)
def test_efficacy_endpoint_measure_interval_and_p(sentence: str, expected: dict[str, str]) -> None:
    assert suggest_fields(Category.EFFICACY, sentence) == expected


def test_a_ratio_wins_over_a_median_in_the_same_sentence() -> None:
    fields = suggest_fields(
        Category.EFFICACY,
        "Median OS was 12.4 months with the combination (HR 0.77; 95% CI 0.64–0.93).",
    )
    assert (fields["measure"], fields["value"]) == ("HR", "0.77")
    assert "unit" not in fields


def test_efficacy_reads_words_between_a_ratio_and_its_number_and_a_spelled_out_interval() -> None:
    fields = suggest_fields(
        Category.EFFICACY,
        "The hazard ratio for death was 0.71 (95% confidence interval 0.55 to 0.92; p = 1).",
    )
    assert fields == {
        "endpoint": "OS",
        "measure": "HR",
        "value": "0.71",
        "ci_low": "0.55",
        "ci_high": "0.92",
        "p_value": "1",
    }


def test_a_rate_without_a_named_endpoint_leaves_the_endpoint_empty() -> None:
    rate = suggest_fields(Category.EFFICACY, "Responses were seen in 40% of patients.")
    assert rate == {"measure": "rate", "value": "40", "unit": "%"}


def test_arms_and_comparator_are_the_treatments_the_sentence_sets_against_each_other() -> None:
    fields = suggest_fields(
        Category.EFFICACY, "Tarlatamab improved overall survival over chemotherapy (HR 0.60)."
    )
    assert fields == {
        "endpoint": "OS",
        "arm": "tarlatamab",
        "comparator": "chemotherapy",
        "measure": "HR",
        "value": "0.60",
        "direction": "benefit",
    }
    # Two medians side by side are the arms' values, not the effect estimate.
    fields = suggest_fields(
        Category.EFFICACY,
        "Median OS was 7.1 v 4.3 months with tarlatamab and chemotherapy (HR 0.60).",
    )
    assert (fields["measure"], fields["value"]) == ("HR", "0.60")
    assert "unit" not in fields
    # Numbers are not arms, nor are groups that name no treatment.
    fields = suggest_fields(
        Category.EFFICACY,
        "Median PFS was 11.0 months in the experimental arm versus 7.4 months in the control arm.",
    )
    assert "arm" not in fields
    assert (fields["measure"], fields["value"], fields["unit"]) == ("median", "11.0", "months")


def test_efficacy_counts_and_rate_agree() -> None:
    fields = suggest_fields(Category.EFFICACY, "pCR was achieved in 31 of 80 patients (38.8%).")
    assert fields == {
        "endpoint": "pCR",
        "measure": "rate",
        "value": "38.8",
        "unit": "%",
        "n": "31",
        "N": "80",
    }
    # A percentage that disagrees with n/N keeps the percentage, not the counts.
    fields = suggest_fields(Category.EFFICACY, "ORR was 45% (31 of 80 patients).")
    assert "n" not in fields and "N" not in fields and fields["value"] == "45"


def test_pathological_complete_response_in_words_is_pcr() -> None:
    fields = suggest_fields(
        Category.EFFICACY, "Pathological complete response was achieved in 31 of 80 patients."
    )
    assert fields["endpoint"] == "pCR"


def test_a_median_follow_up_is_not_the_median_survival() -> None:
    fields = suggest_fields(
        Category.EFFICACY,
        "At a median follow-up of 18.2 months, median overall survival was 7.1 months.",
    )
    assert (fields["measure"], fields["value"]) == ("median", "7.1")


# -- reference ------------------------------------------------------------------------------


def test_reference_doi_pmid_and_nct() -> None:
    fields = suggest_fields(
        Category.REFERENCE,
        "The trial is registered at ClinicalTrials.gov (NCT03319940); "
        "doi:10.1200/JCO.22.01234. PMID: 36512345",
    )
    assert fields == {
        "doi": "10.1200/jco.22.01234",
        "relation": "source",
        "pmid": "36512345",
        "nct": "NCT03319940",
    }


def test_reference_an_erratum_doi_is_a_correction() -> None:
    fields = suggest_fields(
        Category.REFERENCE, "Erratum in: J Clin Oncol. 2023;41:1234. doi: 10.1200/JCO.23.00001."
    )
    assert fields == {"doi": "10.1200/jco.23.00001", "relation": "correction"}


def test_reference_a_doi_link_with_brackets_in_its_suffix() -> None:
    fields = suggest_fields(
        Category.REFERENCE, "Available at https://doi.org/10.1016/S1470-2045(23)00123-4)."
    )
    assert fields == {"doi": "10.1016/s1470-2045(23)00123-4", "relation": "source"}


def test_reference_takes_the_first_of_several_identifiers() -> None:
    fields = suggest_fields(
        Category.REFERENCE,
        "Compare NCT 04321096 (CodeBreaK 200) with NCT01234567; doi 10.1056/NEJMoa2105536 "
        "and 10.1016/j.annonc.2023.01.001.",
    )
    assert fields == {
        "nct": "NCT04321096",
        "doi": "10.1056/nejmoa2105536",
        "relation": "source",
    }


def test_reference_does_not_suggest_a_pmcid_a_citation_or_bare_numbers() -> None:
    assert suggest_fields(Category.REFERENCE, "Full text at PMC7654321.") == {}
    volume_and_pages = "Published 2023;41(12):2201-2210, pages 36512345"
    assert suggest_fields(Category.REFERENCE, volume_and_pages) == {}
    assert suggest_fields(Category.REFERENCE, "Patients received alemtuzumab 30 mg weekly.") == {}


# -- mechanism ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Alveltamig (ABC-123) is a trispecific T-cell engager binding DLL3, CD3 and CD137.",
            {
                "agent": "alveltamig",
                "aliases": "ABC-123",
                "modality": "trispecific T-cell engager",
                "targets": "DLL3, CD3, CD137",
            },
        ),
        (
            "Tarlatamab (AMG 757) is a bispecific DLL3-directed T-cell engager.",
            {
                "agent": "tarlatamab",
                "aliases": "AMG 757",
                "modality": "bispecific T-cell engager",
                "targets": "DLL3",
            },
        ),
        (
            "Alemtuzumab is a monoclonal antibody against CD52; alemtuzumab depletes "
            "CD52-positive lymphocytes.",
            {"agent": "alemtuzumab", "modality": "monoclonal antibody", "targets": "CD52"},
        ),
        (
            "Sotorasib is a small molecule inhibitor of KRAS G12C.",
            {"agent": "sotorasib", "modality": "small molecule", "targets": "KRAS G12C"},
        ),
        (
            "Trastuzumab deruxtecan is an antibody-drug conjugate directed at HER2.",
            {"agent": "trastuzumab deruxtecan", "modality": "ADC", "targets": "HER2"},
        ),
        (
            "Tisagenlecleucel is a CAR T product directed at CD19.",
            {"agent": "tisagenlecleucel", "modality": "CAR-T", "targets": "CD19"},
        ),
        (
            "Pembrolizumab, a checkpoint inhibitor, binds PD-1 and blocks PD-L1 signalling.",
            {
                "agent": "pembrolizumab",
                "modality": "checkpoint inhibitor",
                "targets": "PD-1, PD-L1",
            },
        ),
        ("Osimertinib targets EGFR.", {"agent": "osimertinib", "targets": "EGFR"}),
        ("Patients went on to ibrutinib.", {"agent": "ibrutinib"}),
    ],
)
def test_mechanism_agent_code_name_modality_and_targets(
    sentence: str, expected: dict[str, str]
) -> None:
    assert suggest_fields(Category.MECHANISM, sentence) == expected


def test_mechanism_does_not_suggest_without_a_drug_name_or_target() -> None:
    assert suggest_fields(Category.MECHANISM, "The drug was given weekly for 12 weeks.") == {}
    # A code name alone is not an agent, and a number in brackets is not a code name.
    fields = suggest_fields(Category.MECHANISM, "The study drug (n = 120) was well tolerated.")
    assert fields == {}


def test_every_suggested_key_is_a_field_of_its_category() -> None:
    sentences = {
        Category.TOXICITY: "Grade ≥3 CRS after infusion in 3/42 (7.1%).",
        Category.EFFICACY: "Median OS 7.1 months (HR 0.62; 95% CI 0.41–0.88; P = .004); "
        "no difference in PFS.",
        Category.REFERENCE: "NCT03319940, PMID: 36512345, doi:10.1200/JCO.22.01234",
        Category.MECHANISM: "Alveltamig (ABC-123), a trispecific engager of DLL3 and CD3.",
    }
    for category, sentence in sentences.items():
        fields = suggest_fields(category, sentence)
        assert fields
        assert set(fields) <= set(field_specs(category)), category


def test_nothing_the_form_would_flag_is_suggested() -> None:
    # An interval that misses its estimate is left out; the estimate stays.
    fields = suggest_fields(Category.EFFICACY, "OS: HR 0.62 (95% CI 0.70-0.90).")
    assert fields == {"endpoint": "OS", "measure": "HR", "value": "0.62"}
    # A 90% interval is not the form's 95% CI.
    fields = suggest_fields(Category.EFFICACY, "OS: HR 0.62 (90% CI 0.45-0.85).")
    assert "ci_low" not in fields and "ci_high" not in fields
    # A grade the form has no choice for is left empty, not rounded to one it has.
    fields = suggest_fields(Category.TOXICITY, "Grade 1-2 rash occurred in 20%.")
    assert fields == {"incidence_pct": "20"}


def test_bounds_negations_and_plans_are_not_suggested_as_findings() -> None:
    # Seen in review: each gave a value the sentence does not state.
    vocabulary = Vocabulary.from_lines(["anemia = anaemia", "neutropenia", "fatigue"])
    toxicity = Category.TOXICITY
    assert suggest_fields(toxicity, "Anaemia occurred in fewer than 5% of patients.") == {}
    assert suggest_fields(toxicity, "Up to 30% of patients had fatigue.", vocabulary) == {
        "event": "fatigue"
    }
    # An event that did not occur: its grade, and no count taken from elsewhere.
    assert suggest_fields(toxicity, "No grade 3 neutropenia in 40 patients.", vocabulary) == {
        "event": "neutropenia",
        "grade": "3",
    }
    planned = "The trial will test whether OS improves by 3 months."
    assert "direction" not in suggest_fields(Category.EFFICACY, planned)
    found = suggest_fields(toxicity, "Grade 3 neutropenia occurred in 12% (6/50).", vocabulary)
    assert found == {
        "event": "neutropenia",
        "grade": "3",
        "incidence_pct": "12",
        "n": "6",
        "N": "50",
    }


@pytest.mark.parametrize("space", ["\n", "\u00a0", "\t", "-", " "])
def test_a_target_written_in_words_across_any_space_is_read(space: str) -> None:
    sentence = f"A bispecific antibody targeting B{space}cell maturation antigen and CD3."
    fields = suggest_fields(Category.MECHANISM, sentence, Vocabulary())
    assert "BCMA" in str(fields.get("targets"))
