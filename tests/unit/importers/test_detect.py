"""Recognising formats by content: every fixture by its folder, and files whose names lie."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reviewapp.importers import ImportFailure, detect

IMPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
BY_FOLDER = {
    "ris": detect.RIS,
    "medline": detect.MEDLINE,
    "pubmed_xml": detect.PUBMED_XML,
    "jats": detect.JATS,
    "endnote_xml": detect.ENDNOTE_XML,
    "bibtex": detect.BIBTEX,
    "csl_json": detect.CSL_JSON,
    "table": detect.TABLE,
    "html": detect.HTML,
}
FIXTURES = sorted(p for p in IMPORTS.rglob("*") if p.is_file() and p.parent.name in BY_FOLDER)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_is_recognised_by_its_content(path: Path) -> None:
    # A neutral name: only the content may decide (tables and BibTeX excepted, see below).
    name = path.name if path.parent.name in ("table",) else "export.txt"
    assert detect.detect_format(path.read_bytes(), name) == BY_FOLDER[path.parent.name]


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (codecs.BOM_UTF16_LE + "TY  - JOUR\r\nTI  - A\r\nER  - \r\n".encode("utf-16-le"),
         "refs.txt", detect.RIS),
        (b"PMID- 39000101\nTI  - A title\n", "pubmed.txt", detect.MEDLINE),
        (b"% Encoding: UTF-8\n\n@Article{key,\n title={T}}\n", "refs.txt", detect.BIBTEX),
        (b'<?xml version="1.0"?>\n<!DOCTYPE html>\n<html><body><p>x</p></body></html>',
         "page.xml", detect.HTML),
        (b'<?xml version="1.0"?>\n<xml><records><record><ref-type name="Journal Article">17'
         b"</ref-type></record></records></xml>", "library.txt", detect.ENDNOTE_XML),
        (b"Title,Authors,Year\nA,B,2020\n", "export.txt", detect.TABLE),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "article.txt", detect.PDF),
        (b"A Title Of An Article\n\nSome text - with a hyphen.\n", "notes.ris", detect.TEXT),
    ],
)  # fmt: skip
def test_names_that_lie_do_not_decide(data: bytes, name: str, expected: str) -> None:
    assert detect.detect_format(data, name) == expected


def test_xml_of_another_kind_is_named() -> None:
    with pytest.raises(ImportFailure, match=r"XML with a <catalog> root"):
        detect.detect_format(b'<?xml version="1.0"?><!-- a --><catalog/>', "x.xml")
