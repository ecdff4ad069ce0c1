"""Reading a PDF back the way the tests check it: its text and its link targets."""

from __future__ import annotations

from pypdf import PdfReader


def pdf_text(reader: PdfReader) -> str:
    """All page text with runs of white space folded, so wrapped lines read as one."""
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def pdf_links(reader: PdfReader) -> set[str]:
    """Every URI a link annotation points to."""
    return {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    }
