"""Round 9 of issue 18: shapes read from real abstracts of 2009-2025 (sentences here are our
own). Each test names what a careful oncologist fills, and what the suggester must leave
alone; the labelled set holds the same shapes as whole sentences."""

from __future__ import annotations

import time

from reviewapp.core.mechanism import joined, targets
from reviewapp.core.models import Category
from reviewapp.core.suggest import suggest_fields
from reviewapp.core.treatments import is_regimen, is_treatment
from tests.suggesting import WORDS, eff, mech, tox

# -- treatments as abstracts name them ------------------------------------------------------


def test_partners_joined_by_a_slash_name_one_regimen() -> None:
    assert is_treatment(["durvalumab/platinum/etoposide"], WORDS)
    fields = eff(
        "Median OS was 11.9 months in the pembrolizumab/carboplatin/pemetrexed group vs 8.1"
        " months in the carboplatin/pemetrexed group."
    )
    assert fields["arm"] == "pembrolizumab/carboplatin/pemetrexed"
    assert fields["comparator"] == "carboplatin/pemetrexed"


def test_abbreviated_partners_joined_by_a_plus_are_a_regimen_but_markers_are_not() -> None:
    assert is_regimen("Gem+NabP") and is_regimen("FOLFOX+Bev")
    assert not is_regimen("CD4+") and not is_regimen("ER+/PR+") and not is_regimen("7+")


def test_a_car_t_product_by_its_short_name_is_a_treatment() -> None:
    fields = eff("At the final analysis, axi-cel improved EFS versus standard care (HR 0.40).")
    assert fields["arm"] == "axi-cel"
    assert fields["comparator"] == "standard care"


def test_a_comparator_not_read_still_leaves_the_subject_as_the_arm() -> None:
    fields = eff("Tisa-cel further improved median PFS vs the older approach (HR, 0.50).")
    assert fields["arm"] == "tisa-cel"
    assert "comparator" not in fields
    # a regimen's abbreviation is read as the comparator ("standard regimens")
    assert eff("Tisa-cel further improved median PFS vs SRs (HR, 0.50).")["comparator"] == "SRs"


def test_an_arm_read_without_its_partner_is_left_empty() -> None:
    # "the device and SOC versus SOC alone": "SOC" alone would be the comparator's own name
    fields = eff(
        "OS improved for patients receiving the device and SOC versus SOC alone (HR 0.70)."
    )
    assert "arm" not in fields
    assert fields["comparator"] == "SOC alone"


def test_a_treatment_named_after_a_comparison_is_not_every_groups_when_each_was_treated() -> None:
    # Before: "chemotherapy" was taken as the arm given to every group compared.
    fields = eff(
        "At 3 years, 58% of patients treated with the new schedule were alive as compared with"
        " 44% of patients treated with chemotherapy."
    )
    assert fields.get("arm") != "chemotherapy"


def test_one_arms_size_is_not_the_sentences_total() -> None:
    fields = eff(
        "Among the 301 patients who received adjuvant pazopanib, median DFS was 5.1 years, as"
        " compared with 4.4 years among the 298 patients who received placebo (HR 0.80)."
    )
    assert fields["arm"] == "adjuvant pazopanib" and fields["comparator"] == "placebo"
    assert "N" not in fields


def test_a_median_improved_from_one_value_to_another_gives_the_value_reached() -> None:
    fields = eff("Adding the antibody improved median OS from 9.9 to 12.6 months (P = 0.01).")
    assert fields["value"] == "12.6" and fields["unit"] == "months"


def test_survival_and_response_in_other_words() -> None:
    assert eff("At 5 years, 48% of patients remained alive.")["endpoint"] == "OS"
    assert eff("At 2 years, 40% were alive without progression.")["endpoint"] == "PFS"
    assert eff("A response was observed in 12 of 30 patients (40%).")["endpoint"] == "ORR"
    # the duration of a response, not its rate
    assert (
        eff("Among patients who had a response, the median duration of response was 9 months.")[
            "endpoint"
        ]
        == "DoR"
    )


def test_a_worse_outcome_named_only_in_a_ratios_description_keeps_the_benefit() -> None:
    fields = eff(
        "PFS was longer in the lorlatinib group than in the crizotinib group (hazard ratio for"
        " disease progression or death, 0.28; P<0.001)."
    )
    assert fields["direction"] == "benefit"
    # …but a worse outcome that is the sentence's own is no benefit
    worse = eff("Progression was more frequent in the X-1 group than in the placebo group (31%).")
    assert worse.get("direction") != "benefit"


# -- toxicity -------------------------------------------------------------------------------


def test_a_threshold_selecting_the_events_is_not_their_figure() -> None:
    fields = tox(
        "Adverse events reported in at least 15% of patients were rash (44%) and diarrhea (30%)."
    )
    assert fields["event"] == "rash" and fields["incidence_pct"] == "44"


def test_events_related_to_the_study_drug_are_treatment_related() -> None:
    assert (
        tox("Adverse events considered related to the study drug occurred in 61% of patients.")[
            "event"
        ]
        == "treatment-related adverse events"
    )
    # an adverse event related to something else keeps its own name
    assert tox("Adverse events related to the central line occurred in 9%.")["event"] == (
        "adverse events"
    )


def test_an_example_with_its_own_figure_is_the_event() -> None:
    assert (
        tox("The antibody caused more adverse events, including infusion reactions in 41%.")[
            "event"
        ]
        == "infusion-related reaction"
    )
    # an example without a figure of its own leaves the class as the event
    assert (
        tox("Immune-related adverse events, mainly colitis, occurred in 12%.")["event"]
        == "immune-related adverse events"
    )


# -- mechanism ------------------------------------------------------------------------------


def test_members_after_a_slash_or_a_bracketed_symbol_are_each_a_target() -> None:
    assert targets(joined("an inhibitor of FGFR1/2/3")) == ["FGFR1", "FGFR2", "FGFR3"]
    assert targets(joined("an inhibitor of isocitrate dehydrogenase (IDH) 1 or 2")) == [
        "IDH1",
        "IDH2",
    ]
    assert targets(joined("a CDK4/6 inhibitor")) == ["CDK4/6"]


def test_a_protein_in_small_letters_is_a_target_after_binds_to() -> None:
    assert mech("Enfortumab vedotin is an ADC that binds to nectin-4.")["targets"] == "nectin-4"


def test_a_fusion_protein_trap_is_other_and_a_bispecific_one_is_not() -> None:
    assert mech("Aflibercept is a recombinant fusion protein that binds VEGF-A.")["modality"] == (
        "other"
    )
    assert mech(
        "Tebentafusp is a bispecific fusion protein that targets gp100 and engages CD3 on T cells."
    )["modality"] == ("bispecific T-cell engager")


def test_the_sentences_own_abbreviation_of_the_drug_is_an_alias() -> None:
    assert mech("Sacituzumab govitecan (SG) is an ADC directed against Trop-2.")["aliases"] == "SG"
    # a bracketed target or a word that does not abbreviate the name is no alias
    assert "aliases" not in mech("Tisotumab vedotin is an ADC directed at tissue factor (TF).")
    assert "aliases" not in mech("Sacituzumab govitecan (ADC) binds Trop-2.")


def test_adverse_events_named_by_what_they_are_related_to() -> None:
    assert tox("Procedure-related adverse events occurred in 4 of 120 patients (3.3%).") == {
        "event": "procedure-related adverse events",
        "incidence_pct": "3.3",
        "n": "4",
        "N": "120",
    }
    # a drug's are treatment-related; the vocabulary's own terms stay as they are
    assert tox("Nivolumab-related adverse events occurred in 71%.")["event"] == (
        "treatment-related adverse events"
    )
    assert tox("Immune-related adverse events occurred in 20%.")["event"] == (
        "immune-related adverse events"
    )


# -- second batch: shapes read from trial reports of 1990-2015 ---------------------------------


def test_a_partner_given_alone_is_the_comparator_whatever_it_is() -> None:
    fields = eff(
        "Median OS was 11.2 months among patients receiving pembrolizumab plus gp100, as"
        " compared with 7.0 months among patients receiving gp100 alone (HR 0.71)."
    )
    assert fields["arm"] == "pembrolizumab plus gp100"
    assert fields["comparator"] == "gp100 alone"


def test_a_ratio_named_with_the_group_it_favours() -> None:
    fields = eff(
        "Median OS was 9.0 months in the X-7 group and 6.1 months in the placebo group (hazard"
        " ratio favoring the X-7 group, 0.70; P = 0.01)."
    )
    assert (fields["measure"], fields["value"]) == ("HR", "0.70")
    assert eff("OS was longer (hazard ratio in the sorafenib group, 0.69).")["value"] == "0.69"


def test_p_written_in_words() -> None:
    assert eff("ORR was 44% versus 12% (P less than .001).")["p_value"] == "<.001"
    assert eff("ORR was 44% versus 42% (P greater than .5).")["p_value"] == ">.5"


def test_a_comparison_not_read_gives_an_arm_only_when_patients_were_assigned_to_it() -> None:
    assigned = eff(
        "DFS was significantly better for patients assigned to receive ATRA maintenance, 78%"
        " compared with 61% at 5 years."
    )
    assert assigned["arm"] == "ATRA maintenance"
    named = eff("ORR was 40% with pembrolizumab versus 30% (P = .02).")
    assert "arm" not in named
    # patients assigned to one of two treatments: the pair, read as a comparison
    fields = eff("Patients were randomized to VRd or Rd; the ORR was 82%.")
    assert (fields["arm"], fields["comparator"]) == ("VRd", "Rd")


def test_a_result_named_by_its_regimen_first() -> None:
    assert eff("VTD response rate was 85%, including 35% complete responses.")["arm"] == "VTD"
    assert "arm" not in eff("The response rate was 40%.")


def test_targets_in_words_and_their_other_names() -> None:
    assert mech("Bevacizumab is an antibody against vascular endothelial growth factor.")[
        "targets"
    ] == ("VEGF")
    assert mech("Ramucirumab is an antibody against vascular endothelial growth factor receptor 2")[
        "targets"
    ] == ("VEGFR2")
    assert mech("Denosumab is a monoclonal antibody targeting the RANK ligand.")["targets"] == (
        "RANKL"
    )
    # another name of the same target is not a second target
    assert mech("Pertuzumab is an antibody to HER2 (also known as ERBB2).")["targets"] == "HER2"


def test_deaths_from_treatment_related_events_are_grade_5() -> None:
    assert tox("Overall, 1.4% of patients died as a result of treatment-related AEs.") == {
        "event": "treatment-related death",
        "grade": "5",
        "incidence_pct": "1.4",
    }
    assert tox("Two patients died from sepsis.") == {"event": "sepsis", "grade": "5", "n": "2"}


def test_serious_heads_the_list_its_events_are_in() -> None:
    assert tox("Serious adverse events on the triplet arm included pyrexia (9%).")["serious"] == (
        "yes"
    )
    # "serious" said of the class, and another event's figure after a new clause: not serious
    assert "serious" not in tox("Serious adverse events were rare; neutropenia occurred in 30%.")


def test_common_events_heading_a_list_give_the_first_listed() -> None:
    assert tox("Common adverse events were keratoacanthoma (18%) and arthralgia (21%).")[
        "event"
    ] == ("keratoacanthoma")


# -- third batch: haematology and supportive care ------------------------------------------------


def test_a_trials_name_is_no_treatment() -> None:
    fields = eff("In the QUASAR-9 trial, survival was longer with X-22 (HR 0.70).")
    assert fields.get("arm") != "QUASAR-9"
    assert "QUASAR" not in fields.get("arm", "")


def test_a_response_or_better_compared_between_arms_says_no_direction() -> None:
    fields = eff("The rate of CR or better was 35% in the BVd arm versus 17% in the DVd arm.")
    assert (fields["arm"], fields["comparator"]) == ("BVd", "DVd")
    assert "direction" not in fields


def test_favoured_names_the_arm_unless_only_by_its_kind() -> None:
    assert eff("PFS favored A+CHP (HR 0.55).")["arm"] == "A+CHP"
    assert "arm" not in eff("Response rates favoured the combination (P < .001).")


def test_an_unnamed_primary_end_point_is_other() -> None:
    assert eff("The primary end point occurred in 25 of 420 (6.0%).")["endpoint"] == "other"
    # a named one is itself
    assert eff("The primary end point, PFS, was 10.2 months.")["endpoint"] == "PFS"


# -- fourth batch: phase 2, real-world, meta-analyses and meeting news ---------------------------


def test_members_as_a_range_are_each_a_target() -> None:
    assert targets(joined("an inhibitor of FGFR1–4")) == ["FGFR1", "FGFR2", "FGFR3", "FGFR4"]
    # not a figure's range, nor a backwards one
    assert "FGFR4" not in targets(joined("an inhibitor of FGFR1-4.5 fold"))


def test_a_duration_followed_by_after_is_a_time_point() -> None:
    fields = eff("Estimates of OS and PFS 24 months after infusion were 61% and 42%, respectively.")
    assert (fields["measure"], fields["value"], fields["unit"]) == ("rate", "61", "%")


def test_plural_abbreviations_of_end_points_are_no_regimen() -> None:
    assert not is_regimen("RRs") and not is_regimen("ORRs") and not is_regimen("HRs")
    assert is_regimen("VRd")


def test_an_added_class_with_its_backbone_alone_as_the_comparator() -> None:
    fields = eff(
        "The addition of PARP inhibitors to endocrine therapy prolonged PFS (HR 0.64), compared"
        " with endocrine therapy alone."
    )
    assert (fields["arm"], fields["comparator"]) == ("PARP inhibitors", "endocrine therapy alone")


def test_a_group_named_by_its_treatment_is_the_clauses_subject() -> None:
    fields = eff(
        "At 30 months, patients who received adjuvant X-5 (n = 300) achieved a median DFS of 40"
        " months compared with 28 months among patients who received placebo (n = 298)."
    )
    assert (fields["arm"], fields["comparator"]) == ("adjuvant X-5", "placebo")


def test_a_drug_named_only_by_its_short_name_is_the_agent() -> None:
    assert mech("The trial evaluated Dato-DXd, a TROP2-directed antibody drug conjugate.") == {
        "agent": "datopotamab deruxtecan",
        "aliases": "Dato-DXd",
        "modality": "ADC",
        "targets": "TROP2",
    }


# -- fifth batch: drug descriptions and adverse-event reports ------------------------------------


def test_a_population_marked_by_a_target_is_not_the_drugs_target() -> None:
    assert "targets" not in mech("Lorlatinib (Lorbrena) is approved for ALK-positive NSCLC.")
    # cells marked by it are, when nothing else is named
    assert mech("Alveltamig links T cells to DLL3-expressing tumour cells.")["targets"] == "DLL3"


def test_a_constructs_domain_is_no_target() -> None:
    fields = mech("Tisagenlecleucel is a CD19-directed CAR T-cell therapy with a 4-1BB domain.")
    assert fields["targets"] == "CD19"


def test_who_the_patients_were_is_not_the_events_figure() -> None:
    fields = tox("Of 60 patients, 40 (66.7%) were male and 12 (20.0%) had grade 2 rash.")
    assert (fields["incidence_pct"], fields["n"]) == ("20.0", "12")


def test_a_later_events_count_does_not_replace_the_first_figure() -> None:
    fields = tox("X was linked to more neutropenia (40% versus 20%) and FN [9 (2%) versus 3].")
    assert fields["incidence_pct"] == "40" and "n" not in fields


def test_brands_in_capitals_and_names_sold_under() -> None:
    assert mech("Tafasitamab (MONJUVI®) is an anti-CD19 monoclonal antibody.")["aliases"] == (
        "MONJUVI"
    )
    assert mech("Gemtuzumab ozogamicin, sold under the brand name Mylotarg, is an ADC.")[
        "aliases"
    ] == ("Mylotarg")
    # a maker in the brackets is not a name of the drug
    assert mech("Tagraxofusp (Elzonris, Stemline) targets CD123.")["aliases"] == "Elzonris"


# -- what a review of round 9 found: values the new rules gave ordinary sentences ---------------


def test_deaths_are_the_count_only_when_the_event_is_death() -> None:
    fields = tox("Febrile neutropenia occurred in 25 patients (12%), 3 deaths were due to it.")
    assert fields["n"] == "25"
    assert "n" not in tox("Grade 3 hypertension was seen in 20%, 3 toxic deaths occurred.")


def test_after_a_failure_or_at_a_time_point_is_no_arm() -> None:
    assert "arm" not in eff("Median OS was 5.8 months after ibrutinib failure.")
    assert "arm" not in eff("Median OS was 8.2 months after relapse following R-CHOP.")
    assert "arm" not in eff("At 12 months after surgery, 80% of patients were alive.")
    assert "arm" not in eff("ORR was 30% after ibrutinib failure.")


def test_what_patients_had_before_is_no_arm_even_joined_by_a_slash() -> None:
    assert "arm" not in eff("ORR was 30% in carboplatin/paclitaxel-refractory patients.")
    assert "arm" not in eff(
        "PFS was longer in patients with nivolumab/ipilimumab-naive disease (8 vs 4 months)."
    )


def test_a_duration_from_randomization_is_the_outcome() -> None:
    fields = eff(
        "OS was 14.2 months from randomization with pembrolizumab versus 10.7 months with"
        " chemotherapy."
    )
    assert fields["value"] == "14.2"


def test_favored_placebo_names_no_arm() -> None:
    assert "arm" not in eff("OS favored placebo in the never-smoker subgroup (HR 1.34).")


def test_standard_alone_is_no_treatment() -> None:
    fields = eff(
        "Among patients treated with dose-dense chemotherapy, 5-year DFS was 81% vs 76% with"
        " standard scheduling."
    )
    assert fields.get("comparator") != "standard"


def test_mechanism_values_the_review_found_wrong() -> None:
    assert mech("Abemaciclib is a CDK4–6 inhibitor.")["targets"] == "CDK4/6"
    assert "JAK1" not in mech(
        "Pelabresib is a BET inhibitor studied with ruxolitinib (JAK1/2)."
    ).get("targets", "")
    assert "modality" not in mech("Brexu-cel is approved for mantle cell lymphoma after BTKi.")
    assert "modality" not in mech("Degarelix is a GnRH antagonist used in prostate cancer.")
    assert mech("Trastuzumab emtansine delivers DM1 to HER2-positive cells.")["targets"] == "HER2"
    assert mech("Pralsetinib (GAVRETO), sold under the brand name Gavreto, is a RET inhibitor.")[
        "aliases"
    ] == ("GAVRETO")


def test_related_names_only_a_cause_that_is_one() -> None:
    assert tox("Age-related adverse events occurred in 12%.")["event"] == "adverse events"
    assert tox("Chemotherapy-related adverse events occurred in 40%.")["event"] == (
        "treatment-related adverse events"
    )


def test_a_treatment_word_described_is_no_arm() -> None:
    assert "arm" not in eff("Chemotherapy was given for a median of 6 cycles, and ORR was 40%.")
    assert eff("Patients assigned to receive cetuximab had an ORR of 36%.")["arm"] == "cetuximab"


def test_long_runs_are_read_in_linear_time() -> None:
    for text in (
        "Adverse events " + "≥1% " * 500 + "neutropenia",
        "Nivolumab " + "and " * 600 + "x",
        "Nivolumab " + "with " * 500 + "x",
    ):
        for category in (Category.TOXICITY, Category.EFFICACY):
            started = time.perf_counter()
            suggest_fields(category, text, WORDS)
            assert time.perf_counter() - started < 2.0, text[:40]
