"""Arms and comparators in the shapes trial abstracts write them (sentences of our own):
doses and schedules after a drug, partners joined by an en dash, "X-treated patients", a
subject after an opening clause, arms in brackets after their figures, "randomly assigned to
X or Y", a choice of chemotherapy, a drug class, "no adjuvant therapy"; and drugs that are no
arm (premedication, prior therapy)."""

from __future__ import annotations

import pytest

from reviewapp.core.comparisons import arm_and_comparator, without_doses
from reviewapp.core.vocabulary import Vocabulary

_WORDS = Vocabulary()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # partners joined by an en dash, and by a hyphen
        (
            "PFS was longer in the alpelisib–fulvestrant group than in the placebo–fulvestrant"
            " group.",
            {"arm": "alpelisib–fulvestrant", "comparator": "placebo–fulvestrant"},
        ),
        (
            "CR occurred in 66% of patients in the azacitidine–venetoclax group and in 28% in"
            " the azacitidine-placebo group.",
            {"arm": "azacitidine–venetoclax", "comparator": "azacitidine-placebo"},
        ),
        (
            "OS was 20.1 months in nivolumab-treated patients vs 15.2 months in"
            " chemotherapy-treated patients.",
            {"arm": "nivolumab", "comparator": "chemotherapy"},
        ),
        # doses and schedules are read past
        (
            "Pembrolizumab 200 mg every 3 weeks yielded an objective response rate of 40%.",
            {"arm": "pembrolizumab"},
        ),
        (
            "Median OS was 9.1 months in patients who received docetaxel 75 mg/m2 every 3 weeks"
            " and 6.0 months in those given best supportive care.",
            {"arm": "docetaxel", "comparator": "best supportive care"},
        ),
        # the subject, after an opening clause or with a two-word partner
        (
            "In this single-arm phase 2 study, tarlatamab produced responses in 40% of patients.",
            {"arm": "tarlatamab"},
        ),
        (
            "Abiraterone acetate plus prednisone prolonged survival compared with prednisone"
            " alone (HR 0.53).",
            {"arm": "abiraterone acetate plus prednisone", "comparator": "prednisone alone"},
        ),
        (
            "Lenalidomide maintenance extended PFS compared with placebo (HR 0.48).",
            {"arm": "lenalidomide maintenance", "comparator": "placebo"},
        ),
        (
            "Compared with the doublet, the triplet regimen did not improve overall survival.",
            {"arm": "triplet regimen", "comparator": "doublet"},
        ),
        (
            "Nivolumab reduced the risk of death by 30% relative to docetaxel (HR 0.70).",
            {"arm": "nivolumab", "comparator": "docetaxel"},
        ),
        # alternatives, choices and classes
        (
            "Patients randomized to osimertinib had a median PFS of 18.9 months, compared with"
            " 10.2 months for those randomized to gefitinib or erlotinib.",
            {"arm": "osimertinib", "comparator": "gefitinib or erlotinib"},
        ),
        (
            "Median OS was 11.1 months with trastuzumab deruxtecan and 8.5 months with"
            " investigator's choice of chemotherapy.",
            {
                "arm": "trastuzumab deruxtecan",
                "comparator": "investigator's choice of chemotherapy",
            },
        ),
        (
            "Median OS was 12.6 months with sacituzumab govitecan and 6.7 months with"
            " chemotherapy of physician's choice.",
            {"arm": "sacituzumab govitecan", "comparator": "chemotherapy of physician's choice"},
        ),
        (
            "The ORR was 51% with the PD-1 inhibitor and 24% with standard chemotherapy.",
            {"arm": "PD-1 inhibitor", "comparator": "standard chemotherapy"},
        ),
        (
            "Median EFS was 28.3 months with CPX-351 compared with 18.6 months with 7+3.",
            {"arm": "CPX-351", "comparator": "7+3"},
        ),
        (
            "With tamoxifen, mortality was reduced by a third compared with no adjuvant therapy.",
            {"arm": "tamoxifen", "comparator": "no adjuvant therapy"},
        ),
        # arms in brackets after their figures, arms listed where patients were assigned
        (
            "Median PFS was 16.6 months (palbociclib plus letrozole) versus 14.5 months"
            " (letrozole alone) (HR 0.58; 95% CI 0.46-0.72).",
            {"arm": "palbociclib plus letrozole", "comparator": "letrozole alone"},
        ),
        (
            "Patients were randomly assigned to selpercatinib (n = 129) or chemotherapy"
            " (n = 83); median PFS was 24.8 months versus 11.2 months.",
            {"arm": "selpercatinib", "comparator": "chemotherapy"},
        ),
        (
            "Overall survival did not differ between patients assigned to nivolumab and those"
            " assigned to everolimus.",
            {"arm": "nivolumab", "comparator": "everolimus"},
        ),
        (
            "Overall survival was similar with letrozole and anastrozole (HR 0.98).",
            {"arm": "letrozole", "comparator": "anastrozole"},
        ),
        # a median not reached is the first arm's figure
        (
            "Median PFS was not reached with zanubrutinib and was 20.4 months with bendamustine"
            " plus rituximab.",
            {"arm": "zanubrutinib", "comparator": "bendamustine plus rituximab"},
        ),
        (
            "EFS was 54% among patients randomized to CPX-351 and 38% among those randomized to"
            " daunorubicin plus cytarabine.",
            {"arm": "CPX-351", "comparator": "daunorubicin plus cytarabine"},
        ),
        (
            "OS improved with pertuzumab plus trastuzumab and docetaxel compared with placebo"
            " plus trastuzumab and docetaxel (HR 0.68).",
            {
                "arm": "pertuzumab plus trastuzumab and docetaxel",
                "comparator": "placebo plus trastuzumab and docetaxel",
            },
        ),
    ],
)
def test_arms_as_abstracts_write_them(sentence: str, expected: dict[str, str]) -> None:
    assert arm_and_comparator(sentence, _WORDS) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "After premedication with dexamethasone, pemetrexed-treated patients had a median OS"
            " of 13.1 months.",
            {"arm": "pemetrexed"},
        ),
        (
            "With dexamethasone premedication, infusion reactions were rare; the ORR with"
            " isatuximab was 32%.",
            {"arm": "isatuximab"},
        ),
        ("In patients previously treated with cisplatin or carboplatin, the ORR was 20%.", {}),
        ("The ORR was 45% among patients with NSCLC and 30% among those with SCLC.", {}),
        # "assigned to X and Y" may be one regimen of two drugs: no pair from it
        ("Patients were randomized to lenalidomide and dexamethasone; the ORR was 60%.", {}),
        ("In the PD-L1-high subgroup, HER2 amplification showed no association with PFS.", {}),
        # one treatment in brackets, the other a role: no pair
        ("The ORR was 45% (nivolumab arm) vs 30% (control arm).", {}),
    ],
)
def test_drugs_given_for_another_reason_or_before_are_no_arms(
    sentence: str, expected: dict[str, str]
) -> None:
    assert arm_and_comparator(sentence, _WORDS) == expected


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("pembrolizumab 200 mg every 3 weeks or", "pembrolizumab or"),
        ("sotorasib 960 mg once daily led", "sotorasib led"),
        ("blinatumomab 28 µg/day had", "blinatumomab had"),
        ("docetaxel 75 mg/m2 on day 1 and", "docetaxel and"),
        ("carboplatin AUC 5 plus", "carboplatin plus"),
        # figures that are no dose stay
        ("20.4 months with", "20.4 months with"),
    ],
)
def test_doses_and_schedules_are_read_past(text: str, plain: str) -> None:
    assert without_doses(text) == plain
