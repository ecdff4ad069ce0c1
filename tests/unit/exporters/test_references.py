"""RIS and BibTeX from plain articles, read back with rispy and bibtexparser."""

from __future__ import annotations

from pathlib import Path

import pytest
import rispy
from bibtexparser.entrypoint import parse_file, parse_string
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewapp.core.models import Article, DoiRef, DoiRelation
from reviewapp.exporters.references import (
    bibtex_title,
    citation_keys,
    latex_escape,
    split_author,
    to_bibtex,
    to_ris,
    write_bibtex,
    write_ris,
)

UNICODE_TITLE = "β-blockers ≥ 3 µg in α-thalassaemia"


def _articles() -> list[Article]:
    return [
        Article(
            title="Anti-CD52 Alemtuzumab With Chemotherapy in Adult ALL: Phase 1/2 Results",
            authors=["Luskin MR", "Yin J", "Lozanski G"],
            journal="Cancer",
            year=2025,
            doi="10.1002/cncr.35750",
            dois=[
                DoiRef("10.1002/cncr.35803", DoiRelation.CORRECTION),
                DoiRef("10.1002/cncr.35750"),
            ],
            pmid="39999999",
            nct_ids=["NCT00061945"],
            abstract="Alemtuzumab was feasible.\nIt brought no survival gain.",
            keywords=["CD52", "ALL"],
        ),
        Article(title="Alveltamig (ZG006) in Relapsed SCLC", nct_ids=["NCT09999901"]),
        Article(
            title=UNICODE_TITLE,
            authors=["Παπαδόπουλος Α", "Kim J-H", "van der Berg JH"],
            journal="Αρχεία Αιματολογίας",
            year=2023,
            doi="10.9999/jfh_2023.7",
        ),
        Article(
            title="Anti-CD52 therapy: a second look",
            authors=["Luskin MR"],
            journal="Blood",
            year=2025,
        ),
    ]


def test_authors_become_last_name_and_spaced_initials() -> None:
    assert split_author("Luskin MR") == ("Luskin", "M. R.", "")
    assert split_author("Kim J-H") == ("Kim", "J.-H.", "")
    assert split_author("van der Berg JH") == ("van der Berg", "J. H.", "")
    assert split_author("Παπαδόπουλος Α") == ("Παπαδόπουλος", "Α.", "")
    assert split_author("Dana Okafor") is None
    assert split_author("Luskin, M. R.") is None
    assert split_author("WHO") is None


def test_ris_reads_back_with_rispy() -> None:
    text = to_ris(_articles())
    assert text.startswith("TY  - JOUR\n")
    assert "\n1.\n" not in text and not text.startswith("1.")  # no rispy record numbers
    records = rispy.loads(text)
    assert len(records) == 4
    luskin, alveltamig, unicode_, second = records
    assert all(r["type_of_reference"] == "JOUR" for r in records)
    assert luskin["title"] == (
        "Anti-CD52 Alemtuzumab With Chemotherapy in Adult ALL: Phase 1/2 Results"
    )
    assert luskin["authors"] == ["Luskin, M. R.", "Yin, J.", "Lozanski, G."]
    assert luskin["secondary_title"] == luskin["journal_name"] == "Cancer"
    assert luskin["year"] == "2025"
    assert luskin["doi"] == "10.1002/cncr.35750"
    assert luskin["accession_number"] == "39999999"
    assert luskin["notes"] == [
        "ClinicalTrials.gov: NCT00061945",
        "Correction: doi:10.1002/cncr.35803",
    ]
    assert luskin["abstract"] == "Alemtuzumab was feasible. It brought no survival gain."
    assert luskin["keywords"] == ["CD52", "ALL"]
    assert alveltamig == {
        "type_of_reference": "JOUR",
        "title": "Alveltamig (ZG006) in Relapsed SCLC",
        "notes": ["ClinicalTrials.gov: NCT09999901"],
    }
    assert unicode_["title"] == UNICODE_TITLE
    assert unicode_["authors"] == ["Παπαδόπουλος, Α.", "Kim, J.-H.", "van der Berg, J. H."]
    assert unicode_["journal_name"] == "Αρχεία Αιματολογίας"
    assert (unicode_["year"], unicode_["doi"]) == ("2023", "10.9999/jfh_2023.7")
    assert second["title"] == "Anti-CD52 therapy: a second look"


def test_a_title_with_line_breaks_stays_on_its_tag_line() -> None:
    article = Article(title="First line\nER  - not the end", abstract="one\n\nTI  - two")
    records = rispy.loads(to_ris([article]))
    assert records == [
        {
            "type_of_reference": "JOUR",
            "title": "First line ER - not the end",
            "abstract": "one TI - two",
        }
    ]


def test_bibtex_reads_back_with_bibtexparser() -> None:
    text = to_bibtex(_articles())
    library = parse_string(text)
    assert library.failed_blocks == []
    entries = library.entries
    assert [e.entry_type for e in entries] == ["article"] * 4
    keys = [e.key for e in entries]
    assert keys == [
        "luskin2025cd52",
        "anonalveltamig",
        "anon2023blockers",  # a Greek name has no ASCII letters to fold to
        "luskin2025cd52a",
    ]
    assert len(set(keys)) == len(keys)
    luskin = entries[0].fields_dict
    assert luskin["title"].value == (
        "Anti-{CD52} Alemtuzumab With Chemotherapy in Adult {ALL}: Phase 1/2 Results"
    )
    assert luskin["author"].value == "Luskin, M. R. and Yin, J. and Lozanski, G."
    assert luskin["journal"].value == "Cancer"
    assert luskin["year"].value == "2025"
    assert luskin["doi"].value == "10.1002/cncr.35750"
    assert luskin["pmid"].value == "39999999"
    assert luskin["note"].value == (
        "ClinicalTrials.gov: NCT00061945; Correction: doi:10.1002/cncr.35803"
    )
    alveltamig = entries[1].fields_dict
    assert alveltamig["title"].value == "Alveltamig ({ZG006}) in Relapsed {SCLC}"
    assert set(alveltamig) == {"title", "note"}  # nothing empty is written
    unicode_ = entries[2].fields_dict
    assert unicode_["title"].value == UNICODE_TITLE
    assert unicode_["author"].value == ("Παπαδόπουλος, Α. and Kim, J.-H. and van der Berg, J. H.")
    assert unicode_["journal"].value == "Αρχεία Αιματολογίας"
    assert unicode_["doi"].value == "10.9999/jfh_2023.7"  # verbatim: no \_ in a DOI


def test_bibtex_titles_escape_latex_and_protect_acronyms() -> None:
    assert bibtex_title("Small cell lung cancer (SCLC)") == "Small cell lung cancer ({SCLC})"
    assert bibtex_title("mRNA vaccines and PD-L1 in the U.S.") == (
        "{mRNA} vaccines and {PD}-{L1} in the {U.S.}"
    )
    assert bibtex_title("Ki67 in 50% of R&D_x #1") == r"{Ki67} in 50\% of {R\&D\_x} \#1"
    assert latex_escape("a {b} \\ ~ ^ $") == (
        r"a \textbraceleft{}b\textbraceright{} \textbackslash{} \textasciitilde{} "
        r"\textasciicircum{} \$"
    )


def test_a_group_author_is_kept_whole() -> None:
    article = Article(title="Guideline", authors=["Alliance for Clinical Trials in Oncology"])
    entry = parse_string(to_bibtex([article])).entries[0]
    assert entry.fields_dict["author"].value == "{Alliance for Clinical Trials in Oncology}"


def test_citation_keys_are_unique_and_plain_ascii() -> None:
    same = Article(title="Müller's study", authors=["Müller K"], year=2020)
    keys = citation_keys([same] * 28)
    assert keys[:3] == ["muller2020muller", "muller2020mullera", "muller2020mullerb"]
    assert keys[27] == "muller2020mulleraa"
    assert len(set(keys)) == 28
    assert all(k.isascii() and k.isalnum() for k in keys)


_TEXT = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() != "")


@settings(max_examples=60, deadline=None)
@given(title=_TEXT, author=_TEXT, journal=_TEXT)
def test_any_text_makes_a_well_formed_entry(title: str, author: str, journal: str) -> None:
    article = Article(title=title, authors=[author], journal=journal, year=2020)
    library = parse_string(to_bibtex([article, article]))
    assert library.failed_blocks == []
    assert len(library.entries) == 2
    assert set(library.entries[0].fields_dict) == {"author", "title", "journal", "year"}
    assert library.entries[0].fields_dict["year"].value == "2020"


def test_writers_write_utf8_files_atomically(tmp_path: Path) -> None:
    ris = tmp_path / "refs" / "library.ris"
    bib = tmp_path / "refs" / "library.bib"
    calls: list[tuple[int, int]] = []
    write_ris(_articles(), ris, progress=lambda d, t: calls.append((d, t)))
    write_bibtex(_articles(), bib, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)] * 2
    assert ris.read_text(encoding="utf-8") == to_ris(_articles())
    assert rispy.loads(ris.read_text(encoding="utf-8"))[2]["title"] == UNICODE_TITLE
    assert not ris.read_bytes().startswith(b"\xef\xbb\xbf")
    parsed = parse_file(str(bib))
    assert parsed.entries[2].fields_dict["title"].value == UNICODE_TITLE
    assert sorted(p.name for p in (tmp_path / "refs").iterdir()) == ["library.bib", "library.ris"]

    def fail(done: int, total: int) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_bibtex(_articles(), bib, progress=fail)
    assert parse_file(str(bib)).entries[0].key == "luskin2025cd52"
    assert sorted(p.name for p in (tmp_path / "refs").iterdir()) == ["library.bib", "library.ris"]


def test_generational_suffixes_stay_out_of_the_surname() -> None:
    article = Article(title="Suffixes", authors=["Hahn WC III", "Smith JA Jr"], year=2020)
    ris = rispy.loads(to_ris([article]))
    assert ris[0]["authors"] == ["Hahn, W. C., III", "Smith, J. A., Jr"]
    entry = parse_string(to_bibtex([article])).entries[0]
    assert entry["author"] == "Hahn, III, W. C. and Smith, Jr, J. A."
