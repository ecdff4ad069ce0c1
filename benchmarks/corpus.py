"""A reproducible generator of oncology fixture articles (plain text), for benchmarks.

Every article is invented: drug names, trials and numbers are random but shaped like the
news summaries and trial reports clinicians import (title line, key points, n/N, HRs with
CIs, a Vancouver reference line with a DOI).
"""

from __future__ import annotations

import random
from pathlib import Path

DRUGS = [
    "alveltamig",
    "tarlatamab",
    "alemtuzumab",
    "blinatumomab",
    "pembrolizumab",
    "nivolumab",
    "durvalumab",
    "osimertinib",
    "sotorasib",
    "trastuzumab deruxtecan",
    "sacituzumab govitecan",
    "ostrelimab",
    "veltrazumab",
    "corvistinib",
    "pralimab",
]
CODES = ["ZG006", "AMG 757", "MK-3475", "DS-8201", "IMMU-132", "XR-101", "QT-220", "BX-77"]
DISEASES = [
    "small cell lung cancer",
    "non-small cell lung cancer",
    "acute lymphoblastic leukemia",
    "acute myeloid leukemia",
    "multiple myeloma",
    "diffuse large B-cell lymphoma",
    "triple-negative breast cancer",
    "colorectal cancer",
    "melanoma",
    "urothelial carcinoma",
    "hepatocellular carcinoma",
    "ovarian cancer",
]
TARGETS = [
    "DLL3",
    "CD3",
    "CD52",
    "CD19",
    "PD-1",
    "PD-L1",
    "HER2",
    "TROP2",
    "KRAS G12C",
    "EGFR",
    "BCMA",
    "TIGIT",
]
MODALITIES = [
    "bispecific T-cell engager",
    "trispecific T-cell engager",
    "monoclonal antibody",
    "antibody-drug conjugate",
    "checkpoint inhibitor",
    "small molecule",
    "CAR-T",
]
EVENTS = [
    "neutropenia",
    "cytokine release syndrome",
    "CMV viremia",
    "fatigue",
    "diarrhoea",
    "pneumonitis",
    "anaemia",
    "thrombocytopenia",
    "hypothyroidism",
    "rash",
    "ICANS",
]
ENDPOINTS = [
    ("overall survival", "OS"),
    ("progression-free survival", "PFS"),
    ("disease-free survival", "DFS"),
    ("event-free survival", "EFS"),
]
JOURNALS = [
    "Cancer",
    "J Clin Oncol",
    "Lancet Oncol",
    "N Engl J Med",
    "Blood",
    "JAMA Oncol",
    "Ann Oncol",
    "Clin Cancer Res",
]
SURNAMES = [
    "Luskin",
    "Hao",
    "Ahn",
    "Rivera",
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Moreau",
    "Schmidt",
    "Rossi",
    "Kowalski",
    "Nguyen",
    "Haddad",
    "Silva",
    "Yin",
    "Lozanski",
]
FILLER = (
    "Investigators noted that the findings need confirmation in a larger randomised "
    "trial. Patients were followed at regular visits with imaging every eight weeks. "
    "Dose modifications were allowed for toxicity according to the protocol. The "
    "sponsor funded the study and contributed to its design. Quality of life was "
    "assessed with validated questionnaires at baseline and during treatment."
)


def _authors(rng: random.Random) -> str:
    names = rng.sample(SURNAMES, rng.randint(2, 5))
    initials = [
        "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(rng.randint(1, 2))) for _ in names
    ]
    return ", ".join(f"{n} {i}" for n, i in zip(names, initials, strict=True)) + ", et al."


def article_text(number: int, rng: random.Random) -> str:
    drug, code = rng.choice(DRUGS), rng.choice(CODES)
    disease = rng.choice(DISEASES)
    target, modality = rng.choice(TARGETS), rng.choice(MODALITIES)
    endpoint, short = rng.choice(ENDPOINTS)
    phase = rng.choice(["phase 1", "phase 1/2", "phase 2", "phase 3"])
    total = rng.randint(40, 900)
    n = rng.randint(1, total // 2)
    pct = round(100 * n / total, 1)
    hr = round(rng.uniform(0.45, 1.1), 2)
    low, high = round(hr * rng.uniform(0.7, 0.9), 2), round(hr * rng.uniform(1.1, 1.4), 2)
    year = rng.randint(2015, 2026)
    journal = rng.choice(JOURNALS)
    event = rng.choice(EVENTS)
    lines = [
        f"{drug.title()} ({code}) in {disease.title()}: Results of a {phase.title()} Trial "
        f"No. {number}",
        "Key Takeaways",
        f"- {drug.title()} is a {modality} directed at {target}.",
        f"- The {phase} study enrolled {total} patients with {disease}.",
        f"A {phase} trial evaluated {drug} ({code}), a {modality} targeting {target}, in "
        f"patients with {disease} whose disease progressed after standard therapy.",
        f"Median {endpoint} favoured {drug} over the comparator (HR {hr}, 95% CI {low}–{high}; "
        f"p = {rng.choice(['0.01', '0.04', '<0.001', '0.21'])}), and {short} was the primary "
        "endpoint.",
        f"Grade ≥3 {event} occurred in {pct}% ({n}/{total}) of patients during treatment.",
        FILLER,
        rng.choice(
            [FILLER, f"The {target} pathway remains an active area of research in {disease}."]
        ),
        "Reference:",
        f"{_authors(rng)} {drug.title()} in {disease}. {journal}. {year};"
        f"{rng.randint(10, 140)}({rng.randint(1, 12)}):{rng.randint(100, 999)}. "
        f"doi:10.5555/bench.{year}.{number:06d}",
    ]
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, count: int, seed: int = 20261122) -> list[Path]:
    """Write ``count`` articles as .txt files into ``folder``; the same seed, the same files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, count + 1):
        path = folder / f"article_{number:06d}.txt"
        path.write_text(article_text(number, rng), encoding="utf-8")
        paths.append(path)
    return paths
