"""The PDF brief, read back with pypdf: content, Unicode, embedded fonts and metadata."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reviewapp.services.briefs import build_brief
from reviewapp.services.findings import create_finding
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession, ServiceError
from tests.pdf_reading import pdf_text

QUOTE = "it occurred in 23.3% (14/60) of patients during alemtuzumab"
STANDARD_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


def _fonts(reader: PdfReader) -> list[Any]:
    fonts: list[Any] = []
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()
        for reference in resources.get("/Font", {}).values():
            font = reference.get_object()
            fonts.append(font)
            for descendant in font.get("/DescendantFonts", []):
                fonts.append(descendant.get_object())
    return fonts


def test_brief_of_the_library(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str, tmp_path: Path
) -> None:
    create_finding(
        session,
        fixture_ids["alemtuzumab"],
        "toxicity",
        quote=QUOTE,
        fields={
            "event": "CMV viremia",
            "incidence_pct": "23.3",
            "n": "14",
            "N": "60",
            "grade": ">=3",
        },
        note="α-herpesvirus? No: β. Dose ≥ 30 mg; letermovir 480 µg… see table",
    )
    out = tmp_path / "briefs" / "cmv.pdf"
    report = build_brief(
        session,
        out,
        title="CD52 and CMV: evidence brief",
        question="Is CMV prophylaxis needed with anti-CD52 therapy?",
    )
    assert report.path == out
    assert (report.articles, report.findings) == (3, 1)
    assert report.pages >= 1
    assert out.is_file()
    assert not list(out.parent.glob("*.part"))  # no temporary file of any name is left

    reader = PdfReader(str(out))
    assert len(reader.pages) == report.pages
    text = pdf_text(reader)
    assert "CD52 and CMV: evidence brief" in text
    assert "Is CMV prophylaxis needed with anti-CD52 therapy?" in text
    for title in (
        "Anti-CD52 Alemtuzumab With Chemotherapy in Adult ALL: Phase 1/2 Results",
        "First U.S. Patient Treated With Alveltamig for Small Cell Lung Cancer",
        "Dose-Finding of an Oral KRAS G12C Inhibitor: A Fictional Markdown Fixture",
    ):
        assert title in text
    assert QUOTE in text
    assert "10.1002/cncr.35750" in text
    assert "https://doi.org/10.1002/cncr.35803" in text
    assert "10.9999/jfo.2024.0042" in text
    assert "α-herpesvirus? No: β. Dose ≥ 30 mg; letermovir 480 µg… see table" in text
    assert "≥3" in text
    assert "14/60" in text
    assert "Dana Okafor" in text
    assert re.search(r"page 1 of \d+", text)
    assert f"page {report.pages} of {report.pages}" in text

    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == "CD52 and CMV: evidence brief"
    assert metadata.author == "Dana Okafor"
    assert metadata.subject == "Is CMV prophylaxis needed with anti-CD52 therapy?"

    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        base = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
        assert base not in STANDARD_14, f"unembedded standard font {base}"
        if font.get("/Subtype") == "/Type0":
            continue
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"font {base} is not embedded"


def test_brief_of_chosen_articles_only(
    session: LibrarySession, fixture_ids: dict[str, int], tmp_path: Path
) -> None:
    kras = session.library.articles.get(fixture_ids["kras"])
    assert kras is not None
    out = tmp_path / "one.PDF"
    report = build_brief(session, out, article_refs=[kras.uid, str(kras.id)], title="  ")
    assert (report.articles, report.findings) == (1, 0)
    text = pdf_text(PdfReader(str(out)))
    assert "Dose-Finding of an Oral KRAS G12C Inhibitor" in text
    assert "Alveltamig" not in text
    assert "No findings tagged for this article." in text
    assert "Evidence brief" in text


def test_a_long_brief_numbers_every_page(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str, tmp_path: Path
) -> None:
    sentences = [
        "CD52 is present on the surface of most B-lineage and T-lineage ALL blasts",
        "Alemtuzumab is a humanized IgG1 monoclonal antibody against CD52",
        "The trial enrolled 295 evaluable adults with ALL in two parts",
        "Adding alemtuzumab did not improve survival",
    ]
    for round_number in range(8):
        for sentence in sentences:
            create_finding(
                session,
                fixture_ids["alemtuzumab"],
                "mechanism",
                quote=sentence,
                fields={"agent": "alemtuzumab"},
                note=f"round {round_number}",
            )
    out = tmp_path / "long.pdf"
    report = build_brief(session, out)
    assert report.pages > 1
    reader = PdfReader(str(out))
    assert reader.metadata is not None
    assert reader.metadata.author == "Dana Okafor"
    for number, page in enumerate(reader.pages, 1):
        assert f"page {number} of {report.pages}" in (page.extract_text() or "")


def test_brief_of_an_empty_library_is_refused(session: LibrarySession, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="no articles"):
        build_brief(session, tmp_path / "empty.pdf")
    assert not (tmp_path / "empty.pdf").exists()


def test_brief_needs_a_pdf_path(
    session: LibrarySession, fixture_ids: dict[str, int], tmp_path: Path
) -> None:
    with pytest.raises(ServiceError, match=r"\.pdf"):
        build_brief(session, tmp_path / "brief.docx")
    with pytest.raises(ServiceError, match=r"\.pdf"):
        build_brief(session, tmp_path / "brief")
    assert list(tmp_path.glob("brief*")) == []


def test_brief_of_an_unknown_article_is_refused(
    session: LibrarySession, fixture_ids: dict[str, int], tmp_path: Path
) -> None:
    with pytest.raises(ServiceError, match="no article 999"):
        build_brief(session, tmp_path / "x.pdf", article_refs=["999"])


def test_markup_characters_in_a_quote_and_a_note_are_printed_as_written(
    session: LibrarySession, reviewer: str, tmp_path: Path
) -> None:
    # As a text copied from a publisher's page has it: a superscript's tags kept as text.
    quote = "ANC <500/µL & fever >38.3 °C, or platelets <50 × 10<sup>9</sup>/L"
    note = "<b>not bold</b> & more"
    source = tmp_path / "fn.txt"
    source.write_text(
        "Febrile Neutropenia After Tarlatamab: A Fictional Case Series\n\n"
        f"Febrile neutropenia was defined as {quote} for at least one hour. "
        "It occurred in 3 of 40 patients.\n",
        encoding="utf-8",
    )
    [imported] = import_paths(session, [source])
    [article_id] = imported.article_ids
    finding = create_finding(
        session,
        article_id,
        "toxicity",
        quote=quote,
        fields={"event": "febrile neutropenia", "n": "3", "N": "40"},
        note=note,
    )
    assert finding.quote == quote and finding.note == note
    out = tmp_path / "markup.pdf"
    build_brief(session, out, article_refs=[str(article_id)])
    text = pdf_text(PdfReader(str(out)))
    assert f"“{quote}”" in text
    assert f"Note: {note} — DO · draft" in text  # the reviewer by initials
