"""BibTeX and BibLaTeX: macros, LaTeX decoding, encodings, malformed entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewapp.core.models import Article
from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.bibtex import FORMAT_BIBTEX, parse_bibtex

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports" / "bibtex"


def _parse(name: str) -> ParsedFile:
    return parse_bibtex((FIXTURES / name).read_bytes(), name)


def _one(text: str) -> Article:
    parsed = parse_bibtex(text.encode("utf-8"), "inline.bib")
    assert parsed.problems == []
    assert len(parsed.articles) == 1
    return parsed.articles[0]


def test_canonical_entries_with_macros_and_latex() -> None:
    parsed = _parse("canonical.bib")
    assert parsed.format == FORMAT_BIBTEX
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("entry varga2024ostrelimab", None),
        ("entry moreau2023cardiac", None),
        ("entry haddad2025sotorasib", None),
    ]
    ostrelimab, tdxd, sotorasib = parsed.articles
    assert ostrelimab.title == (
        "Ostrelimab plus carboplatin and etoposide in extensive-stage small cell lung cancer: "
        "a randomised phase 2 trial"
    )
    assert ostrelimab.authors == ["Varga T", "Okafor NC", "Lindqvist M"]
    assert ostrelimab.journal == "Journal of Thoracic Oncology"  # @string jto
    assert ostrelimab.year == 2024
    assert ostrelimab.doi == "10.9999/jto.2024.0117"
    assert ostrelimab.pmid == "39000101"
    assert ostrelimab.keywords == ["small cell lung cancer", "PD-L1", "chemoimmunotherapy"]
    assert ostrelimab.nct_ids == ["NCT09999901"]
    assert ostrelimab.source_format == "bibtex"
    # \% is a percent sign and -- an en dash; line breaks inside the braces are spaces.
    assert ostrelimab.abstract == (
        "Background: Extensive-stage small cell lung cancer relapses early after platinum "
        "doublets. Methods: 120 patients were randomised 1:1 to ostrelimab with carboplatin and "
        "etoposide or chemotherapy alone (NCT09999901). Results: The objective response rate "
        "was 48% (29/60) with ostrelimab and 35% (21/60) without; median progression-free "
        "survival was 5.9 versus 4.3 months (HR 0.71, 95% CI 0.52–0.97). Grade 3 or higher "
        "neutropenia occurred in 22% (13/60). Conclusion: Ostrelimab improved response with "
        "manageable toxicity."
    )

    # Capitalised field names, quoted values, a DOI URL, a PMID as a BibLaTeX eprint, and a
    # bare "%" that LaTeX would take for a comment.
    assert tdxd.title == (
        "Cardiac events with trastuzumab deruxtecan in HER2-low metastatic breast cancer: "
        "a pooled safety analysis"
    )
    assert tdxd.authors == ["Moreau C", "Takahashi K", "Adeyemi O"]
    assert tdxd.journal == "Breast Cancer Research and Treatment"
    assert tdxd.year == 2023
    assert tdxd.doi == "10.9999/bcrt.2023.0452"
    assert tdxd.pmid == "38000202"
    assert tdxd.keywords == ["trastuzumab deruxtecan", "cardiotoxicity", "HER2-low"]
    assert tdxd.abstract is not None
    assert tdxd.abstract.startswith("Left ventricular dysfunction was reported in 2.1% (19/902)")
    assert tdxd.abstract.endswith("Most events resolved after dose interruption.")

    # "First Last" names, braces around acronyms, a concatenated @string.
    assert sotorasib.title == (
        "Sotorasib after progression on immunotherapy in KRAS G12C-mutated non-small cell "
        "lung cancer: real-world outcomes"
    )
    assert sotorasib.authors == ["Haddad R", "Novak P", "Ferreira-Lima A"]
    assert sotorasib.journal == "Lung Cancer"
    assert sotorasib.pmcid == "PMC9990303"
    assert sotorasib.keywords == ["KRAS G12C", "sotorasib", "hepatotoxicity"]
    assert sotorasib.abstract is not None
    assert "(95% CI 8.7–11.9)" in sotorasib.abstract


def test_biblatex_fields() -> None:
    imatinib, mucositis = _parse("biblatex.bib").articles
    assert imatinib.title == (
        "Imatinib dose escalation after suboptimal response in BCR::ABL1-positive chronic "
        "myeloid leukaemia"
    )
    assert imatinib.authors == ["Okonkwo I", "Imaginary Leukaemia Study Group"]
    assert imatinib.journal == "Leukämie und Lymphom Beispiele"  # journaltitle, {\"a}
    assert imatinib.year == 2024  # date = 2024-03-05
    assert imatinib.doi == "10.9999/llb.2024.0305"
    assert imatinib.pmid == "39000555"
    assert imatinib.keywords == ["chronic myeloid leukaemia", "imatinib"]
    assert imatinib.abstract == (
        "Dose escalation to 600 mg gave a major molecular response in 41% of patients.\n\n"
        "A second paragraph follows the blank line."
    )
    # "and others" is not an author; "van der" belongs to the family name.
    assert mucositis.authors == ["Sato Y", "van der Berg A"]
    assert mucositis.journal == "Proceedings of an Imaginary Supportive Care Congress"
    assert mucositis.year == 2023
    assert mucositis.doi == "10.9999/isccc.2023.17"  # from the doi.org URL


def test_latex_accents_and_math_are_decoded() -> None:
    article = _one(
        r"""@article{x,
          title = {R{\'e}sultats \`a long terme: grade $\geq$3 \emph{in vivo} --- {\"U}ber \c{c}a},
          author = {Dupr{\'e}, Jos\'{e} and M\"{u}ller, J{\"u}rgen and {\O}stergaard, S{\o}ren},
          journal = {Revue \& Journal},
          year = {2021},
          doi = {10.9999/abc\_def.2021},
        }"""
    )
    assert article.title == "Résultats à long terme: grade ≥3 in vivo — Über ça"
    assert article.authors == ["Dupré J", "Müller J", "Østergaard S"]
    assert article.journal == "Revue & Journal"
    assert article.doi == "10.9999/abc_def.2021"


def test_utf16_file() -> None:
    parsed = _parse("utf16.bib")
    first, second = parsed.articles
    assert first.title == "Étude de phase 2 du ravelimab — résultats à 24 mois"
    assert first.authors == ["Sjöberg Å", "Nguyễn TL"]
    assert first.doi == "10.9999/aoe.2024.0024"
    assert second.title == "肺癌 screening uptake in an imaginary cohort"


def test_jabref_cp1252_file() -> None:
    parsed = _parse("cp1252_jabref.bib")
    assert [r.label for r in parsed.records] == ["entry muller2022"]
    article = parsed.articles[0]
    assert article.title == "Fatigue après radiothérapie: a prospective study in Zürich"
    assert article.authors == ["Müller J", "Lefèvre H"]
    assert article.journal == "Revue Médicale d’Exemple"
    assert article.keywords == ["fatigue", "radiothérapie"]


def test_the_jabref_encoding_line_is_honoured() -> None:
    # Byte 0xE1 is "á" in Windows-1252 but "α" in ISO 8859-7: only the header tells.
    data = (
        b"% Encoding: ISO-8859-7\n@article{g, title = {\xe1-fetoprotein after surgery}, year=2020}"
    )
    assert parse_bibtex(data, "greek.bib").articles[0].title == "α-fetoprotein after surgery"


def test_a_wrong_encoding_line_falls_back_to_guessing() -> None:
    data = "% Encoding: UTF-8\n@article{k, title = {Étude}, year=2020}".encode("cp1252")
    assert parse_bibtex(data, "wrong.bib").articles[0].title == "Étude"
    unknown = b"% Encoding: no-such-codec\n@article{k, title = {Plain}, year=2020}"
    assert parse_bibtex(unknown, "unknown.bib").articles[0].title == "Plain"


def test_malformed_entries_are_problems_and_good_ones_come_in() -> None:
    parsed = _parse("malformed.bib")
    assert [(r.label, r.problem) for r in parsed.records] == [
        ("entry good2021first", None),
        (
            "entry broken2021brace (line 8)",
            "entry 'broken2021brace' is malformed: a brace or quotation mark is not closed "
            "before the next entry starts",
        ),
        ("entry good2022second", None),
        ("entry notitle2022", "the record has no title"),
        ("entry good2022second (line 27)", None),
        (
            "entry nocomma2023",
            "entry 'nocomma2023' is malformed: the value of 'title' runs on into "
            "'year = {2023}' (is a comma missing?)",
        ),
        (
            "entry unclosed2023 (line 37)",
            "entry 'unclosed2023' is malformed: the entry is not closed before the end of the file",
        ),
    ]
    titles = [a.title for a in parsed.articles]
    assert titles == [
        "A first good entry about neutropenia",
        "A second good entry about anaemia",
        "The same key used again for another article",
    ]
    assert parsed.articles[1].authors == ["Park JW"]


@pytest.mark.parametrize(
    "entry",
    [
        "@article{k, year = 2020 title = {x}}",
        '@article{k, title = "x" journal = "y"}',
        "@article{k, title = {x} # {y} z = {w}}",
    ],
)
def test_a_missing_comma_between_fields_is_a_problem(entry: str) -> None:
    problem = parse_bibtex(entry.encode(), "x.bib").records[0].problem
    assert problem is not None
    assert problem.startswith("entry 'k' is malformed: the value of ")
    assert problem.endswith("(is a comma missing?)")


def test_values_joined_by_hash_and_bare_macros_are_not_taken_for_missing_commas() -> None:
    article = _one(
        '@string{pre = "Annals"}\n'
        '@article{k, title = "Quoted " # {and braced} # " parts", journal = pre # { of Tests},'
        " year = 2020, month = jan, pages = 1--10}"
    )
    assert article.title == "Quoted and braced parts"
    assert article.journal == "Annals of Tests"


def test_a_malformed_entry_without_a_key_is_labelled_by_its_line() -> None:
    data = b"@article{ok, title={Fine}, year=2020}\n\n@article{\n  title = {No key {here},\n"
    parsed = parse_bibtex(data, "nokey.bib")
    assert [r.label for r in parsed.records] == ["entry ok", "entry at line 3"]
    assert parsed.records[1].problem is not None
    assert parsed.records[1].problem.startswith("the entry is malformed")


def test_seed_entries() -> None:
    parsed = _parse("seeds.bib")
    alemtuzumab, news = parsed.articles
    assert alemtuzumab.title == (
        "Phase 1/2 study of subcutaneous alemtuzumab intercalated into intensive chemotherapy "
        "for adults with CD52-positive acute lymphoblastic leukemia"
    )
    assert alemtuzumab.authors == ["Luskin MR", "Yin J", "Lozanski G"]
    assert alemtuzumab.journal == "Cancer"
    assert alemtuzumab.year == 2025
    assert alemtuzumab.doi == "10.1002/cncr.35750"
    assert news.title == "First U.S. Patient Treated With Alveltamig for Small Cell Lung Cancer"
    assert news.year == 2025
    assert news.doi is None
    assert news.dois == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"Just a note, with no entries at all.\n", "no records found"),
        (b"@comment{only a comment}\n@string{a = {b}}\n", "no records found"),
        (bytes(range(256)) * 20, "binary"),
    ],
)
def test_files_without_entries_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailure, match=message):
        parse_bibtex(data, "x.bib")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=5000), junk=st.binary(max_size=30))
def test_mutated_bibtex_raises_only_import_failure(cut: int, junk: bytes) -> None:
    data = (FIXTURES / "canonical.bib").read_bytes()
    cut %= len(data)
    mutated = data[:cut] + junk + data[cut + len(junk) // 2 :]
    try:
        parsed = parse_bibtex(mutated, "mutated.bib")
    except ImportFailure:
        return
    assert all((r.article is None) != (r.problem is None) for r in parsed.records)
