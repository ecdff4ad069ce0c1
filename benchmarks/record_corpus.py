"""Reproducible bibliographic records (as a search export would hold them), written in every
reference format reviewapp imports: RIS, MEDLINE, PubMed XML, BibTeX, CSL-JSON and CSV.

The records are invented, built from the same vocabulary as ``corpus``: a title, 2–6 authors,
a journal, a year, a DOI, a PMID, keywords and a 150–250 word abstract with the numbers
clinicians tag (n/N, percentages, HRs with CIs).
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import json
import random
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from benchmarks.corpus import (
    CODES,
    DISEASES,
    DRUGS,
    ENDPOINTS,
    EVENTS,
    FILLER,
    JOURNALS,
    MODALITIES,
    SURNAMES,
    TARGETS,
)


@dataclass(frozen=True)
class Record:
    number: int
    title: str
    authors: list[tuple[str, str]]  # (family, initials)
    journal: str
    year: int
    doi: str
    pmid: str
    abstract: str
    keywords: list[str]


def make_records(count: int, seed: int = 20261122) -> list[Record]:
    rng = random.Random(seed)
    return [_record(number, rng) for number in range(1, count + 1)]


def _record(number: int, rng: random.Random) -> Record:
    drug, code, disease = rng.choice(DRUGS), rng.choice(CODES), rng.choice(DISEASES)
    target, modality = rng.choice(TARGETS), rng.choice(MODALITIES)
    endpoint, short = rng.choice(ENDPOINTS)
    phase = rng.choice(["phase 1", "phase 1/2", "phase 2", "phase 3"])
    total = rng.randint(40, 900)
    n = rng.randint(1, total // 2)
    hr = round(rng.uniform(0.45, 1.1), 2)
    low, high = round(hr * rng.uniform(0.7, 0.9), 2), round(hr * rng.uniform(1.1, 1.4), 2)
    year = rng.randint(2005, 2026)
    abstract = " ".join(
        [
            f"Background: {drug.title()} ({code}) is a {modality} directed at {target}.",
            f"Methods: In this {phase} study, {total} patients with {disease} received {drug}.",
            f"Results: Median {endpoint} favoured {drug} (HR {hr}, 95% CI {low}-{high}); "
            f"{short} was the primary endpoint.",
            f"Grade 3 or higher {rng.choice(EVENTS)} occurred in "
            f"{100 * n / total:.1f}% ({n}/{total}).",
            FILLER,
            f"Conclusion: {drug.title()} merits further study in {disease}.",
        ]
    )
    names = rng.sample(SURNAMES, rng.randint(2, 6))
    return Record(
        number=number,
        title=f"{drug.title()} in {disease}: a {phase} study of a {modality} against {target} "
        f"(report {number})",
        authors=[(name, rng.choice("ABCDEFGHJKLMNPRSTW")) for name in names],
        journal=rng.choice(JOURNALS),
        year=year,
        doi=f"10.5555/records.{year}.{number:06d}",
        pmid=str(30_000_000 + number),
        abstract=abstract,
        keywords=[drug, disease, target],
    )


def write_ris(path: Path, records: list[Record]) -> None:
    lines: list[str] = []
    for r in records:
        lines += ["TY  - JOUR", f"TI  - {r.title}"]
        lines += [f"AU  - {family}, {initials}." for family, initials in r.authors]
        lines += [f"T2  - {r.journal}", f"PY  - {r.year}", f"DO  - {r.doi}", f"AN  - {r.pmid}"]
        lines += [f"AB  - {r.abstract}"] + [f"KW  - {k}" for k in r.keywords]
        lines += ["ER  - ", ""]
    path.write_text("\r\n".join(lines), encoding="utf-8")


def write_medline(path: Path, records: list[Record]) -> None:
    blocks: list[str] = []
    for r in records:
        lines = [f"PMID- {r.pmid}", f"TI  - {r.title}", f"AB  - {r.abstract}"]
        lines += [f"AU  - {family} {initials}" for family, initials in r.authors]
        lines += [f"JT  - {r.journal}", f"DP  - {r.year} Mar", f"LID - {r.doi} [doi]"]
        lines += [f"OT  - {k}" for k in r.keywords]
        blocks.append("\n".join(lines))
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def write_pubmed_xml(path: Path, records: list[Record]) -> None:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<PubmedArticleSet>"]
    for r in records:
        authors = "".join(
            f"<Author><LastName>{escape(f)}</LastName><Initials>{i}</Initials></Author>"
            for f, i in r.authors
        )
        keywords = "".join(f"<Keyword>{escape(k)}</Keyword>" for k in r.keywords)
        parts.append(
            "<PubmedArticle><MedlineCitation>"
            f"<PMID>{r.pmid}</PMID><Article><Journal><JournalIssue><PubDate><Year>{r.year}"
            f"</Year></PubDate></JournalIssue><Title>{escape(r.journal)}</Title></Journal>"
            f"<ArticleTitle>{escape(r.title)}</ArticleTitle>"
            f"<Abstract><AbstractText>{escape(r.abstract)}</AbstractText></Abstract>"
            f"<AuthorList>{authors}</AuthorList></Article>"
            f"<KeywordList>{keywords}</KeywordList></MedlineCitation>"
            f'<PubmedData><ArticleIdList><ArticleId IdType="doi">{r.doi}</ArticleId>'
            "</ArticleIdList></PubmedData></PubmedArticle>"
        )
    parts.append("</PubmedArticleSet>")
    path.write_text("\n".join(parts), encoding="utf-8")


def write_bibtex(path: Path, records: list[Record]) -> None:
    entries = []
    for r in records:
        authors = " and ".join(f"{family}, {initials}." for family, initials in r.authors)
        entries.append(
            f"@article{{rec{r.number},\n  title = {{{r.title}}},\n  author = {{{authors}}},\n"
            f"  journal = {{{r.journal}}},\n  year = {{{r.year}}},\n  doi = {{{r.doi}}},\n"
            f"  pmid = {{{r.pmid}}},\n  abstract = {{{r.abstract}}},\n"
            f"  keywords = {{{', '.join(r.keywords)}}}\n}}\n"
        )
    path.write_text("\n".join(entries), encoding="utf-8")


def write_csl_json(path: Path, records: list[Record]) -> None:
    items = [
        {
            "id": f"rec{r.number}",
            "type": "article-journal",
            "title": r.title,
            "author": [{"family": f, "given": i} for f, i in r.authors],
            "container-title": r.journal,
            "issued": {"date-parts": [[r.year]]},
            "DOI": r.doi,
            "PMID": r.pmid,
            "abstract": r.abstract,
            "keyword": ", ".join(r.keywords),
        }
        for r in records
    ]
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")


def write_csv(path: Path, records: list[Record]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Authors", "Title", "Year", "Source title", "DOI", "PubMed ID", "Abstract"]
        )
        for r in records:
            writer.writerow(
                [
                    "; ".join(f"{f} {i}." for f, i in r.authors),
                    r.title,
                    r.year,
                    r.journal,
                    r.doi,
                    r.pmid,
                    r.abstract,
                ]
            )


WRITERS = {
    "ris": (write_ris, "records.ris"),
    "medline": (write_medline, "records.nbib"),
    "pubmed-xml": (write_pubmed_xml, "records.xml"),
    "bibtex": (write_bibtex, "records.bib"),
    "csl-json": (write_csl_json, "records.json"),
    "csv": (write_csv, "records.csv"),
}


# -- a larger, more realistic vocabulary for the scale benchmark ----------------------------


def _words(text: str) -> list[str]:
    return text.split()


_SYLLABLES = _words(
    "ab ac ad al am an ar as at ba be bi bo ca ce ci co cu da de di do du el em en er es "
    "fa fe fi fo ga ge gi go ha he hi ho id il im in ir is ka ke la le li lo lu ma me mi mo "
    "mu na ne ni no nu ob oc od ol om on or os pa pe pi po pu ra re ri ro ru sa se si so su "
    "ta te ti to tu ul um un ur us va ve vi vo za ze zi zo"
)
CLINICAL_WORDS = _words(
    "patients treatment response survival median months cohort randomised trial phase "
    "dose toxicity grade adverse events safety efficacy chemotherapy immunotherapy "
    "radiotherapy surgery resection recurrence relapse progression remission biomarker "
    "expression mutation amplification fusion inhibitor antibody conjugate receptor "
    "ligand pathway signalling tumour tumor metastatic advanced localised neoadjuvant "
    "adjuvant maintenance induction consolidation refractory relapsed first-line "
    "second-line hazard ratio confidence interval endpoint primary secondary analysis "
    "subgroup stratified baseline characteristics follow-up discontinuation interruption "
    "reduction infusion subcutaneous intravenous oral weekly daily cycle regimen "
    "combination monotherapy placebo comparator standard care quality life fatigue "
    "nausea diarrhoea rash neutropenia anaemia thrombocytopenia pneumonitis hepatitis "
    "colitis hypothyroidism neuropathy infection sepsis febrile hospitalisation death"
)


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: dict[str, None] = dict.fromkeys(CLINICAL_WORDS)
    while len(words) < size:
        words["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


def make_scale_records(count: int, seed: int = 20261122, words: int = 220) -> list[Record]:
    """``make_records`` with abstracts of about 300 words: the clinical template sentences
    plus ``words`` words drawn from a 30,000-word vocabulary by Zipf's law (rank^-1.07),
    as term frequencies in real abstracts fall."""
    rng = random.Random(seed + 1)
    vocabulary = _vocabulary(rng, 30_000)
    weights = [1 / (rank**1.07) for rank in range(1, len(vocabulary) + 1)]
    cumulative = list(itertools.accumulate(weights))
    records = make_records(count, seed)
    out = []
    for record in records:
        filler = rng.choices(vocabulary, cum_weights=cumulative, k=words)
        sentences = [
            " ".join(filler[i : i + 15]).capitalize() + "." for i in range(0, len(filler), 15)
        ]
        base = record.abstract.replace(FILLER, "")
        abstract = " ".join([base, *sentences])
        out.append(dataclasses.replace(record, abstract=abstract))
    return out
