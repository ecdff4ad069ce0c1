"""PDF articles: the text layer, read with pypdf, as one full-text article.

pypdf's default ("plain") extraction is used rather than its layout mode: plain follows the
order of the content stream, which in typeset two-column articles is column by column, while
layout mode reproduces the page's geometry and so interleaves the two columns on each line.
Plain extraction marks no paragraph breaks, so they are inferred from the lines themselves: a
line clearly shorter than the page's full lines ends a paragraph (or is a heading) when the
next line starts a new sentence. Running headers and footers (the same line at the top or
bottom of most pages) and page numbers are removed; words hyphenated at a line end are
re-joined.

PDFs longer than base.MAX_PDF_PAGES pages are refused rather than cut short, so an article's
text is never silently incomplete.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from pathlib import PurePath
from typing import Any

import pypdf
from pypdf.errors import DependencyError

from reviewapp.core.identifiers import find_dois, find_pmid, normalise_doi, primary_doi
from reviewapp.core.text import content_hash, title_key
from reviewapp.importers import detect
from reviewapp.importers.base import (
    MAX_PDF_PAGES,
    ImportFailure,
    ParsedFile,
    ParsedRecord,
    RecordError,
)
from reviewapp.importers.fields import clean, parse_year, record_article
from reviewapp.importers.names import display_name, split_author_names
from reviewapp.importers.plaintext import reads_as_title

FORMAT_PDF = detect.PDF

log = logging.getLogger(__name__)


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PROTECTED = (
    "the PDF is password-protected; open it in a PDF reader, save an unprotected copy, "
    "and import that"
)
_AES = (
    "the PDF is encrypted with AES, which this installation cannot decrypt; open it in a PDF "
    "reader, save an unprotected copy, and import that"
)
_NO_TEXT = (
    "the PDF has no text layer (its pages are images, e.g. a scan); run it through OCR "
    "first, then import the result"
)
_SECTION = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+|[IVX]+\.\s+)?(?:abstract|summary|introduction|background|methods?|"
    r"materials and methods|patients and methods|results|discussion|conclusions?|references|"
    r"acknowledge?ments?|funding|abbreviations|declarations?|conflicts? of interest)\s*:?$",
    re.IGNORECASE,
)
_KEYWORDS = re.compile(r"^(?:key\s?words?|index terms)\s*[:—–-]?\s*", re.IGNORECASE)
_ABSTRACT = re.compile(
    r"^(?:abstract|summary)(?:\s*[:.—–-]\s*|\s+(?=(?-i:[A-Z]))|$)", re.IGNORECASE
)
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]?$|[.!?]\d{1,3}$")
_HYPHENS = ("-", "\u2010", "\xad")
_COMPOUND = re.compile(r"\b[A-Za-z]{2,}-[a-z]{2,}\b")
_CITATION_YEAR = re.compile(r"\b(?:19|20)\d\d\s*[;,]\s*\d+\s*[(:]")
_FILE_TITLE = re.compile(r"\.(?:docx?|pdf|tex|dvi|indd|qxd|rtf|odt|pages|e?ps|txt)$", re.I)
_ARTICLE_TYPE_WORDS = _names(
    "original research article review clinical brief report communication letter editorial "
    "correspondence open access case trial study systematic commentary perspective short rapid "
    "special invited and the to of editor journal full paper"
)
_JUNK_AUTHORS = _names("user admin administrator owner author unknown microsoft")
# Below this many characters per page on average, a PDF is taken to have no text layer.
_MIN_CHARS_PER_PAGE = 40
_EDGE_LINES = 3
_MAX_ABSTRACT_CHARS = 6000


def parse_pdf(data: bytes, name: str) -> ParsedFile:
    """One article from a PDF's text layer. Raises ImportFailure with what is wrong."""
    reader = _open(data)
    try:
        raw_pages, first_page_runs = _page_texts(reader)
    except ImportFailure:
        raise
    except Exception as exc:  # the page tree itself is broken
        raise _damaged(_reason(exc)) from None
    page_lines = _drop_running_lines([_lines(text) for text in raw_pages])
    readable = sum(len("".join(lines).replace(" ", "")) for lines in page_lines)
    if readable < _MIN_CHARS_PER_PAGE * len(page_lines):
        raise ImportFailure(_NO_TEXT)
    vocabulary = {m.lower() for text in raw_pages for m in _COMPOUND.findall(text)}
    pages = [_paragraphs(lines, vocabulary) for lines in page_lines]
    info = _info(reader)
    printed_title = _largest_font_title(first_page_runs, vocabulary)
    if printed_title and pages:
        pages[0] = _merge_title_lines(pages[0], printed_title)
    paragraphs = _join_pages(pages)
    text = "\n\n".join(paragraphs)
    first_text = raw_pages[0] if raw_pages else ""
    doi = primary_doi(find_dois(first_text)) or _doi_elsewhere(reader, info)
    title = (
        _info_title(info.get("/Title"), name) or printed_title or _title_from_paragraphs(paragraphs)
    )
    try:
        article = record_article(
            title=title,
            source_format=FORMAT_PDF,
            abstract=_abstract(paragraphs),
            authors=_authors(info.get("/Author")),
            journal=_journal(info.get("/Subject")),
            year=_year(_lines(first_text), doi),
            doi=doi,
            pmid=find_pmid(first_text),
            keywords=_keywords(paragraphs),
            text=text,
        )
    except RecordError as exc:
        raise ImportFailure(f"the PDF cannot be imported: {exc}") from None
    article.content_hash = content_hash(text)
    log.debug("PDF %s: %d pages, %d characters", name, len(raw_pages), len(text))
    return ParsedFile([ParsedRecord("the article", article)], FORMAT_PDF)


def _damaged(reason: str) -> ImportFailure:
    return ImportFailure(f"the PDF is damaged and cannot be read ({reason})")


def _open(data: bytes) -> Any:
    if b"%PDF" not in data[:1024]:
        raise _damaged("it does not start with the %PDF marker")
    if b"%%EOF" not in data[-8192:]:
        # pypdf can sometimes recover the first pages of a cut-off file; an article that
        # silently lacks its last pages is worse than a clear refusal.
        raise _damaged(
            "the file is incomplete: it stops before its end marker, as an "
            "interrupted download does"
        )
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                # AES encryption needs the cryptography package, which is not installed.
                raise ImportFailure(_AES) from None
            if opened == pypdf.PasswordType.NOT_DECRYPTED:
                raise ImportFailure(_PROTECTED)
        count = len(reader.pages)
    except ImportFailure:
        raise
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise _damaged(_reason(exc)) from None
    if count == 0:
        raise _damaged("it has no pages")
    if count > MAX_PDF_PAGES:
        raise ImportFailure(
            f"the PDF has {count:,} pages; PDFs longer than {MAX_PDF_PAGES} pages (books, "
            "proceedings) are not imported: save the part you need as its own PDF"
        )
    return reader


def _reason(exc: BaseException) -> str:
    text = clean(str(exc)) or type(exc).__name__
    return text[:200]


def _page_texts(reader: Any) -> tuple[list[str], list[tuple[float, str]]]:
    """Each page's extracted text, and page 1's text runs with their rendered font size."""
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: Any, tm: Any, _font: Any, size: Any) -> None:
        if text.strip():
            runs.append((_rendered_size(cm, tm, size), text))

    texts: list[str] = []
    failed = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            if number == 1:
                texts.append(page.extract_text(visitor_text=visit) or "")
            else:
                texts.append(page.extract_text() or "")
        except Exception as exc:  # one broken page: say so in the text, keep the rest
            log.warning("page %d of a PDF could not be read: %s", number, exc)
            failed += 1
            texts.append(f"[page {number} could not be read]")
    if failed == len(texts):
        raise _damaged("no page could be read")
    return texts, runs


def _rendered_size(cm: Any, tm: Any, size: Any) -> float:
    """The font size on the page: the nominal size scaled by the text and page matrices."""
    try:
        a = tm[0] * cm[0] + tm[1] * cm[2]
        b = tm[0] * cm[1] + tm[1] * cm[3]
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        return round(float(size) * math.sqrt(abs(a * d - b * c)), 1)
    except (TypeError, ValueError, IndexError, OverflowError):
        return 0.0


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _edge(lines: list[str]) -> int:
    """How many lines at the top and at the bottom of a page may be running lines."""
    return max(1, min(_EDGE_LINES, len(lines) // 5))


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Without page numbers and lines repeated at the top or bottom of most pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = _edge(lines)
        counts.update({_line_key(line) for line in lines[:edge] + lines[-edge:]})
    needed = 2 if len(pages) == 2 else max(3, math.ceil(len(pages) / 2))
    repeated = {key for key, count in counts.items() if count >= needed}
    kept_pages: list[list[str]] = []
    for lines in pages:
        edge = _edge(lines)
        kept_pages.append(
            [
                line
                for index, line in enumerate(lines)
                if not (
                    (index < edge or index >= len(lines) - edge)
                    and (_line_key(line) in repeated or _PAGE_NUMBER.match(line))
                    and not _SECTION.match(line)
                )
            ]
        )
    return kept_pages


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _is_heading(line: str) -> bool:
    return bool(_SECTION.match(line)) or bool(_KEYWORDS.match(line))


def _paragraphs(lines: list[str], vocabulary: set[str]) -> list[str]:
    """One page's lines grouped into paragraphs; section headings stand alone."""
    widths = sorted(len(line) for line in lines if not _is_heading(line))
    # The length of a full line: a high percentile, as most lines of a page are full.
    full = widths[int(0.8 * (len(widths) - 1))] if len(widths) >= 5 else max(widths, default=0)
    paragraphs: list[str] = []
    block: list[str] = []
    for index, line in enumerate(lines):
        if _SECTION.match(line) or _KEYWORDS.match(line):
            if block:
                paragraphs.append(_join_lines(block, vocabulary))
            block = [line]
            if _SECTION.match(line):
                paragraphs.append(line)
                block = []
            continue
        if block:
            previous = block[-1]
            short = len(previous) < 0.85 * full
            starts_sentence = not line[:1].islower()
            following = lines[index + 1] if index + 1 < len(lines) else ""
            heading = _ends_sentence(previous) and _heading_like(line, following, full)
            if heading or (short and (_ends_sentence(previous) or starts_sentence)):
                paragraphs.append(_join_lines(block, vocabulary))
                block = []
        block.append(line)
    if block:
        paragraphs.append(_join_lines(block, vocabulary))
    return paragraphs


def _heading_like(line: str, following: str, full: int) -> bool:
    """A short capitalised line without closing punctuation, followed by a new sentence."""
    return (
        len(line) < 0.6 * full
        and line[:1].isupper()
        and not line.endswith((".", ",", ";", ":"))
        and not following[:1].islower()
    )


def _join_lines(lines: list[str], vocabulary: set[str]) -> str:
    """Lines of one paragraph joined with spaces; "immuno-" + "therapy" → "immunotherapy"."""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith(_HYPHENS) and len(text) > 1 and text[-2].isalpha():
            if line[:1].islower():
                before = re.search(r"([A-Za-z]+)\W$", text)
                after = re.match(r"[a-z]+", line)
                compound = f"{before.group(1)}-{after.group(0)}".lower() if before and after else ""
                # Keep the hyphen of a compound the article also writes whole elsewhere.
                text = text + line if compound in vocabulary else text[:-1] + line
            else:
                text = text + line  # "PD-" + "L1"
        else:
            text = f"{text} {line}"
    return text.replace("\xad", "")


def _join_pages(pages: list[list[str]]) -> list[str]:
    """All paragraphs; one cut by a page break is joined again."""
    paragraphs: list[str] = []
    for page in pages:
        for index, paragraph in enumerate(page):
            if (
                index == 0
                and paragraphs
                and paragraph[:1].islower()
                and not _ends_sentence(paragraphs[-1])
                and not _is_heading(paragraphs[-1])
            ):
                paragraphs[-1] = f"{paragraphs[-1]} {paragraph}"
            else:
                paragraphs.append(paragraph)
    return paragraphs


def _info(reader: Any) -> dict[str, str]:
    try:
        metadata = reader.metadata or {}
        # Indexing resolves indirect objects; byte strings are not text and are skipped.
        values = {str(key): metadata[key] for key in metadata}
        return {key: str(value) for key, value in values.items() if isinstance(value, str)}
    except Exception as exc:  # a broken info dictionary is no reason to refuse the text
        log.debug("unreadable PDF info dictionary: %s", exc)
        return {}


def _info_title(value: str | None, name: str) -> str | None:
    """The document info title, unless it is a file name or a word processor's label."""
    title = clean(value)
    if title is None:
        return None
    lower = title.lower()
    stem = PurePath(name).stem.lower() if name else ""
    if (
        lower.startswith(("microsoft ", "untitled", "pii:", "doi:", "http"))
        or _FILE_TITLE.search(lower)
        or lower == stem
        or not 3 <= len(title.split()) <= 60
        or sum(ch.isdigit() for ch in title) > len(title) * 0.3
        or normalise_doi(title)
    ):
        return None
    return title


def _largest_font_title(runs: list[tuple[float, str]], vocabulary: set[str]) -> str | None:
    """The first block of text in page 1's largest font, when it reads like a title."""
    weights: Counter[float] = Counter()
    for size, text in runs:
        weights[size] += len(text.strip())
    if not weights:
        return None
    body = weights.most_common(1)[0][0]
    candidates: list[str] = []
    for size in sorted((s for s in weights if s >= body * 1.15), reverse=True)[:3]:
        block: list[str] = []
        for run_size, text in runs:
            if run_size == size:
                block.extend(_lines(text))
            elif block and len(text.strip()) > 3:
                break  # a superscript or a footnote mark does not end the title
        candidate = clean(_join_lines(block, vocabulary)) if block else None
        if candidate and _reads_as_pdf_title(candidate):
            candidates.append(candidate)
    # A journal's name in its masthead can be set larger than the title, but is shorter.
    return next((c for c in candidates if len(c.split()) >= 5), None) or next(
        iter(candidates), None
    )


def _merge_title_lines(paragraphs: list[str], title: str) -> list[str]:
    """A title set in short lines of capitalised words ends as one paragraph, not several."""
    key = title_key(title)
    for start in range(min(len(paragraphs), 15)):
        if not key.startswith(title_key(paragraphs[start])):
            continue
        for end in range(start + 2, min(len(paragraphs), start + 8) + 1):
            joined = " ".join(paragraphs[start:end])
            if title_key(joined) == key:
                return [*paragraphs[:start], joined, *paragraphs[end:]]
            if len(title_key(joined)) > len(key):
                break
    return paragraphs


def _reads_as_pdf_title(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text.lower())
    if len(text.split()) < 3 or len(text.split()) > 40 or len(text) > 400:
        return False
    return not set(words) <= _ARTICLE_TYPE_WORDS


def _title_from_paragraphs(paragraphs: list[str]) -> str:
    """The first paragraph that reads as a title; else the text's first sentence."""
    for paragraph in paragraphs[:15]:
        if reads_as_title(paragraph) and _reads_as_pdf_title(paragraph):
            return paragraph
    first = next((p for p in paragraphs if any(ch.isalpha() for ch in p)), paragraphs[0])
    return re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0][:250].rstrip(". ")


def _authors(value: str | None) -> list[str]:
    """Authors from the info dictionary, without word-processor account names."""
    text = clean(value)
    if text is None:
        return []
    names: list[str] = []
    for name in split_author_names(text):
        if ("," not in name and " " not in name) or set(name.lower().split()) & _JUNK_AUTHORS:
            continue
        shown = display_name(name)
        if shown:
            names.append(shown)
    return names


def _journal(subject: str | None) -> str | None:
    """Publishers write "Lung Cancer, 190 (2025) 108012. doi:…" as the subject."""
    text = clean(subject)
    if text is None or not find_dois(text):
        return None
    journal = re.split(r",|\s\d", text, maxsplit=1)[0].strip()
    return journal if 0 < len(journal.split()) <= 10 else None


def _doi_elsewhere(reader: Any, info: dict[str, str]) -> str | None:
    """The DOI from the info subject or the XMP metadata when page 1 shows none."""
    from_subject = primary_doi(find_dois(info.get("/Subject", "")))
    if from_subject:
        return from_subject
    try:
        metadata = reader.trailer["/Root"].get("/Metadata")
        if metadata is None:
            return None
        xmp = metadata.get_object().get_data()[:1_000_000].decode("utf-8", "replace")
    except Exception as exc:  # unreadable XMP: no DOI from there
        log.debug("unreadable XMP metadata: %s", exc)
        return None
    return primary_doi(find_dois(xmp))


def _year(first_page: list[str], doi: str | None) -> int | None:
    """The publication year from page 1 (the DOI or citation line); never /CreationDate."""
    candidates: list[str] = []
    if doi:
        candidates += [
            re.sub(re.escape(doi), " ", line, flags=re.IGNORECASE)
            for line in first_page
            if doi in line.lower()
        ]
    candidates += [line for line in first_page if _CITATION_YEAR.search(line)]
    candidates += [line for line in first_page if re.search(r"\bpublished\b", line, re.I)]
    candidates += [line for line in first_page if re.search(r"©|\bcopyright\b", line, re.I)]
    for line in candidates:
        year = parse_year(line)
        if year:
            return year
    if doi and re.search(r"[./](?:19|20)\d\d[./]", doi):
        return parse_year(doi)
    return None


def _abstract(paragraphs: list[str]) -> str | None:
    """The text after an "Abstract" heading, up to the next heading."""
    for index, paragraph in enumerate(paragraphs[:60]):
        match = _ABSTRACT.match(paragraph)
        if not match:
            continue
        parts = [paragraph[match.end() :]] if paragraph[match.end() :].strip() else []
        for following in paragraphs[index + 1 :]:
            if _is_heading(following):
                break
            parts.append(following)
        abstract = "\n\n".join(parts)
        if len(abstract) > _MAX_ABSTRACT_CHARS:
            abstract = parts[0] if parts and len(parts[0]) <= _MAX_ABSTRACT_CHARS else ""
        return abstract or None
    return None


def _keywords(paragraphs: list[str]) -> list[str]:
    for paragraph in paragraphs[:80]:
        match = _KEYWORDS.match(paragraph)
        if match:
            rest = paragraph[match.end() :].rstrip(".")
            separator = next((s for s in (";", "·", "•", ",") if s in rest), ";")
            return [k.strip() for k in rest.split(separator) if k.strip()][:30]
    return []
