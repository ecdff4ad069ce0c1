"""PDF articles: the text layer as clean paragraphs, the metadata, and clear refusals."""

from __future__ import annotations

import contextlib
import io
import random

import pypdf
import pytest
from pypdf.errors import DependencyError

from reviewapp.core.models import Article
from reviewapp.core.text import content_hash
from reviewapp.importers import pdf as pdf_module
from reviewapp.importers.base import ImportFailure
from reviewapp.importers.pdf import FORMAT_PDF, parse_pdf

from . import pdf_samples

ABSTRACT = (
    "Background: Extensive-stage small cell lung cancer relapses early after platinum "
    "doublets. Methods: 120 patients were randomised 1:1 to ostrelimab with carboplatin and "
    "etoposide or chemotherapy alone (NCT09999901). Results: The objective response rate was "
    "48% (29/60) with ostrelimab and 35% (21/60) without; median progression-free survival was "
    "5.9 versus 4.3 months (HR 0.71, 95% CI 0.52-0.97). Grade 3 or higher neutropenia occurred "
    "in 22% (13/60). Conclusion: Ostrelimab improved response with manageable toxicity."
)
PROTECTED = (
    "the PDF is password-protected; open it in a PDF reader, save an unprotected copy, "
    "and import that"
)
NO_TEXT = (
    "the PDF has no text layer (its pages are images, e.g. a scan); run it through OCR "
    "first, then import the result"
)


@pytest.fixture(scope="module")
def article() -> Article:
    parsed = parse_pdf(pdf_samples.article_pdf(), "varga2024.pdf")
    assert parsed.format == FORMAT_PDF
    assert parsed.problems == []
    [only] = parsed.articles
    return only


def test_metadata_of_the_article(article: Article) -> None:
    # reportlab's default /Title is "untitled": the title comes from the largest font.
    assert article.title == pdf_samples.TITLE
    assert article.authors == ["Varga T", "Okafor NC", "Lindqvist M"]
    assert article.journal == "Journal of Thoracic Oncology"
    assert article.year == 2024  # from the citation line; /CreationDate is today
    assert article.doi == "10.9999/jto.2024.0117"
    assert article.pmid == "39000101"
    assert article.nct_ids == ["NCT09999901"]
    assert article.abstract == ABSTRACT
    assert article.keywords == ["small cell lung cancer", "PD-L1", "chemoimmunotherapy"]
    assert article.source_format == "pdf"
    assert article.content_hash == content_hash(article.text)


def test_text_is_paragraphs_with_headings_on_their_own(article: Article) -> None:
    paragraphs = article.text.split("\n\n")
    assert paragraphs[:7] == [
        "ORIGINAL ARTICLE",
        pdf_samples.TITLE,
        pdf_samples.AUTHORS_LINE,
        pdf_samples.CITATION_LINE,
        pdf_samples.PMID_LINE,
        "Abstract",
        ABSTRACT,
    ]
    assert paragraphs[7:10] == [
        pdf_samples.KEYWORDS_LINE,
        "Introduction",
        " ".join(pdf_samples.INTRODUCTION_LINES).replace("immuno- therapy", "immunotherapy"),
    ]
    assert paragraphs[10:] == [
        " ".join(pdf_samples.SECOND_INTRODUCTION_PARAGRAPH),
        "Methods",
        " ".join(pdf_samples.METHODS_LINES),
        "Results",
        " ".join(pdf_samples.RESULTS_LINES),
        "References",
        pdf_samples.REFERENCE_LINE,
    ]


def test_line_end_hyphens_and_running_footer(article: Article) -> None:
    assert "checkpoint immunotherapy to first-line" in article.text
    # Written whole elsewhere in the article, so the compound keeps its hyphen.
    assert "median progression-free survival was 5.9 versus" in article.text
    assert pdf_samples.FOOTER not in article.text
    assert not any(line.strip().isdigit() for line in article.text.split("\n"))


def test_word_processor_title_is_ignored_and_a_real_one_is_used() -> None:
    word = parse_pdf(pdf_samples.article_pdf(info_title="Microsoft Word - draft.docx"), "a.pdf")
    assert word.articles[0].title == pdf_samples.TITLE
    real = parse_pdf(
        pdf_samples.article_pdf(info_title="Ostrelimab in small cell lung cancer"), "a.pdf"
    )
    assert real.articles[0].title == "Ostrelimab in small cell lung cancer"


@pytest.mark.parametrize(
    "info_title",
    [
        "Microsoft Word - draft.docx",
        "manuscript_final_v3.pdf",
        "JTO-D-24-00117",
        "untitled",
        "varga2024",
        "",
        "Figure",
        "10.9999/jto.2024.0117",
    ],
)
def test_info_titles_that_are_not_titles(info_title: str) -> None:
    assert pdf_module._info_title(info_title, "varga2024.pdf") is None


def test_title_from_the_first_title_like_paragraph_when_fonts_are_equal() -> None:
    data = pdf_samples.simple_pdf(
        [
            [
                "RESEARCH LETTER",
                "Dose-dense etoposide in older adults",
                "with small cell lung",
                "cancer",
                "Body text of the letter follows here.",
            ]
        ]
    )
    [article] = parse_pdf(data, "letter.pdf").articles
    assert article.title == "Dose-dense etoposide in older adults with small cell lung cancer"


def test_title_from_a_large_first_line() -> None:
    data = pdf_samples.simple_pdf(
        [["Large Type Title Of The Report", "Body text in the ordinary size of the page."]],
        big_first_line=True,
        title="Report",
    )
    assert parse_pdf(data, "r.pdf").articles[0].title == "Large Type Title Of The Report"


def test_password_protected_pdf_is_refused() -> None:
    with pytest.raises(ImportFailure) as raised:
        parse_pdf(pdf_samples.article_pdf(encrypt_password="s3cret"), "locked.pdf")
    assert str(raised.value) == PROTECTED


def test_pdf_with_an_empty_user_password_imports() -> None:
    [article] = parse_pdf(pdf_samples.article_pdf(encrypt_password=""), "open.pdf").articles
    assert article.title == pdf_samples.TITLE
    assert article.doi == "10.9999/jto.2024.0117"
    assert "checkpoint immunotherapy" in article.text


def test_an_aes_encrypted_pdf_with_an_empty_user_password_imports() -> None:
    # Publishers often lock a PDF's permissions with AES and no password to open it.
    reader = pypdf.PdfReader(io.BytesIO(pdf_samples.article_pdf()))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="", owner_password="publisher", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert pypdf.PdfReader(io.BytesIO(buffer.getvalue())).is_encrypted
    [article] = parse_pdf(buffer.getvalue(), "aes.pdf").articles
    assert article.title == pdf_samples.TITLE
    assert article.doi == "10.9999/jto.2024.0117"


def test_aes_without_the_cryptography_package_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def needs_cryptography(self: object, password: str) -> object:
        raise DependencyError("cryptography is required for AES")

    monkeypatch.setattr(pypdf.PdfReader, "decrypt", needs_cryptography)
    with pytest.raises(ImportFailure, match="encrypted with AES"):
        parse_pdf(pdf_samples.article_pdf(encrypt_password=""), "aes.pdf")


def test_image_only_pdf_is_refused() -> None:
    with pytest.raises(ImportFailure) as raised:
        parse_pdf(pdf_samples.image_only_pdf(), "scan.pdf")
    assert str(raised.value) == NO_TEXT


def test_truncated_pdf_is_refused() -> None:
    with pytest.raises(
        ImportFailure,
        match=r"^the PDF is damaged and cannot be read \(the file "
        r"is incomplete",
    ):
        parse_pdf(pdf_samples.truncated_pdf(), "cut.pdf")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\nnot really a pdf at all\n%%EOF\n", "startxref"),
        (b"<html>not a pdf</html>", "does not start with the %PDF marker"),
        (b"", "does not start with the %PDF marker"),
    ],
)
def test_damaged_pdfs_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailure, match=r"the PDF is damaged and cannot be read \(") as raised:
        parse_pdf(data, "bad.pdf")
    assert reason in str(raised.value)


def test_pdfs_over_the_page_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "MAX_PDF_PAGES", 2)
    with pytest.raises(ImportFailure, match="the PDF has 3 pages; PDFs longer than 2 pages"):
        parse_pdf(pdf_samples.article_pdf(extra_pages=1), "book.pdf")


def test_a_paragraph_cut_by_a_page_break_is_joined() -> None:
    data = pdf_samples.simple_pdf(
        [
            ["Continuation Across Pages Study", "The first page ends in the middle of a"],
            ["sentence that goes on here.", "A new paragraph starts on the second page."],
        ]
    )
    [article] = parse_pdf(data, "c.pdf").articles
    assert article.text == (
        "Continuation Across Pages Study\n\n"
        "The first page ends in the middle of a sentence that goes on here.\n\n"
        "A new paragraph starts on the second page."
    )


def test_running_headers_and_page_numbers_on_many_pages() -> None:
    pages = [
        [
            "Lung Cancer 190 (2025) 108012",
            f"Paragraph {n} text about the page in a full and ordinary sentence here.",
            f"Page {n} of 4",
        ]
        for n in range(1, 5)
    ]
    [article] = parse_pdf(pdf_samples.simple_pdf(pages), "r.pdf").articles
    assert "Lung Cancer 190" not in article.text
    assert "Page" not in article.text.replace("about the page", "")
    assert article.text.count("Paragraph") == 4


def test_year_is_not_taken_from_the_creation_date() -> None:
    data = pdf_samples.simple_pdf([["Undated Report On Dosing", "No year is printed here."]])
    assert parse_pdf(data, "u.pdf").articles[0].year is None


def test_authors_from_info_skip_account_names() -> None:
    assert pdf_module._authors("Administrator") == []
    assert pdf_module._authors("jsmith") == []
    assert pdf_module._authors("Microsoft Office User") == []
    assert pdf_module._authors("Varga, Tamas; Okafor, Nkechi C.") == ["Varga T", "Okafor NC"]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["checkpoint immuno-", "therapy works"], "checkpoint immunotherapy works"),
        (["anti PD-", "L1 antibody"], "anti PD-L1 antibody"),
        (["median progression-", "free survival"], "median progression-free survival"),
        (["a soft\xad", "hyphen"], "a softhyphen"),
        (["plain", "lines"], "plain lines"),
    ],
)
def test_join_lines(lines: list[str], joined: str) -> None:
    assert pdf_module._join_lines(lines, {"progression-free"}) == joined


def test_abstract_and_keywords_written_inline() -> None:
    paragraphs = [
        "Some Title Of A Paper",
        "ABSTRACT Background: inline abstract text.",
        "Second abstract paragraph.",
        "Key words · sarcoma · doxorubicin · trabectedin",
        "1. Introduction",
        "Body.",
    ]
    assert pdf_module._abstract(paragraphs) == (
        "Background: inline abstract text.\n\nSecond abstract paragraph."
    )
    assert pdf_module._keywords(paragraphs) == ["sarcoma", "doxorubicin", "trabectedin"]
    assert pdf_module._abstract(["Summary of the evidence so far is mixed."]) is None


def test_thirty_pages_parse_whole() -> None:
    data = pdf_samples.article_pdf(extra_pages=28)
    [article] = parse_pdf(data, "long.pdf").articles
    assert article.text.count("Adults with untreated extensive-stage") == 1 + 28


def test_mutated_pdfs_fail_only_with_import_failure() -> None:
    rng = random.Random(7)
    seeds = [pdf_samples.article_pdf(), pdf_samples.article_pdf(encrypt_password="")]
    for _ in range(150):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            if rng.random() < 0.6:
                data[at] = rng.randrange(256)
            else:
                del data[at : at + rng.randint(1, 40)]
        with contextlib.suppress(ImportFailure):  # any other exception fails the test
            parse_pdf(bytes(data), "mutated.pdf")


def test_two_columns_are_read_one_after_the_other() -> None:
    [article] = parse_pdf(pdf_samples.two_column_pdf(), "columns.pdf").articles
    assert article.title == "Two Column Discussion Of Results"
    assert article.text == (
        f"Two Column Discussion Of Results\n\n{pdf_samples.LEFT_COLUMN}\n\n"
        f"{pdf_samples.RIGHT_COLUMN}"
    )


def test_a_large_journal_name_does_not_beat_a_longer_title() -> None:
    runs = [
        (20.0, "Thoracic Oncology Letters\n"),
        (16.0, "Etoposide dosing in older adults with\n"),
        (16.0, "small cell lung cancer\n"),
        (10.0, "Body text " * 30),
    ]
    assert pdf_module._largest_font_title(runs, set()) == (
        "Etoposide dosing in older adults with small cell lung cancer"
    )
    assert pdf_module._largest_font_title(runs[:1] + runs[3:], set()) == (
        "Thoracic Oncology Letters"
    )
