"""BibTeX and BibLaTeX (.bib) files, as reference managers, JabRef and journals write them.

bibtexparser 2 splits the file into entries and reports the blocks it could not read; the
values are resolved here: ``@string`` macros and ``#`` concatenation, then LaTeX markup
(``{\\'e}``, ``\\"{o}``, ``{HER2}``, ``--``) decoded to plain Unicode text. A malformed entry
becomes a problem of its own; the entries around it still come in. A JabRef
"% Encoding: windows-1252" line says how the file is encoded, and is honoured.
"""

from __future__ import annotations

import codecs
import functools
import logging
import re
from typing import Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Entry, ParsingFailedBlock
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from reviewapp.core.identifiers import find_dois
from reviewapp.core.models import Article
from reviewapp.importers import detect, fields
from reviewapp.importers.base import ImportFailure, ParsedFile, RecordError
from reviewapp.importers.decoding import decode_text

logger = logging.getLogger(__name__)
# bibtexparser logs a warning for every malformed block; each one is reported to the user as
# a skipped record already, so its own warnings would only repeat them on the terminal.
logging.getLogger("bibtexparser").setLevel(logging.ERROR)

FORMAT_BIBTEX = detect.BIBTEX

_ENCODING_LINE = re.compile(rb"^%\s*Encoding\s*:\s*([A-Za-z0-9_.:\-]+)", re.MULTILINE)
_ENTRY_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^\s,{}()=\"#%']+)\s*,")
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_ESCAPED_SYMBOL = re.compile(r"\\([%&_#$])")
_NEEDS_DECODER = re.compile(r"[\\$]")
# A number or a macro name, as a field's value may be without braces or quotes.
_BARE_VALUE = re.compile(r"[^\s\"#%'(),={}]+")
_INITIALS = re.compile(r"[A-Z]{1,4}")
_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)
_MONTHS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}
# Entry types whose "publisher" or "organization" is where the item appeared.
_WEB_TYPES = frozenset({"online", "electronic", "www", "misc", "webpage"})


def parse_bibtex(data: bytes, name: str) -> ParsedFile:
    """Every entry of a BibTeX/BibLaTeX file; a malformed entry is reported as a problem.

    Raises ImportFailure when the file is not text or holds no entry at all.
    """
    text = _decode(data)
    try:
        library = parse_string(text, parse_stack=[])
    except Exception as exc:  # the parser's own failures on odd input end the file
        logger.info("bibtexparser failed on %s: %s", name, exc)
        raise ImportFailure(f"the file could not be read as BibTeX ({exc})") from None
    strings: dict[str, str] = {}
    for string in library.strings:
        strings[string.key.lower()] = _resolve(str(string.value), strings)
    items: list[tuple[str, Any]] = []
    keys: set[str] = set()
    for block in library.blocks:
        item = block
        if isinstance(block, ParsingFailedBlock) and isinstance(block.ignore_error_block, Entry):
            # A repeated key (two entries "smith2020") or a repeated field: the entry itself
            # was read, and comes in.
            item = block.ignore_error_block
        if isinstance(item, Entry | ParsingFailedBlock):
            items.append((_label(item, keys), item))
    if not items:
        raise ImportFailure(
            f"no records found: {name} holds no BibTeX entries (such as @article{{key, ...}})"
        )
    return fields.collect(
        items, lambda _n, item: item[0], lambda item: _build(item[1], strings), FORMAT_BIBTEX
    )


def _decode(data: bytes) -> str:
    head = data[:2048]
    header = None if data.startswith(_BOMS) else _ENCODING_LINE.search(head)
    if header is not None:
        encoding = header.group(1).decode("ascii")
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            logger.info("the file says %s but is not; guessing its encoding", encoding)
        else:
            if "\x00" not in text[:4096]:
                return text.replace("\r\n", "\n").replace("\r", "\n")
    return decode_text(data)[0]


def _label(block: Any, keys_seen: set[str]) -> str:
    """ "entry smith2020"; with its line when the key is unknown, repeated or the entry
    malformed, so that the user can find it."""
    line = (block.start_line or 0) + 1  # bibtexparser counts lines from 0
    key = block.key if isinstance(block, Entry) else _failed_key(block)
    if key is None:
        return f"entry at line {line}"
    repeated = key in keys_seen
    keys_seen.add(key)
    if isinstance(block, Entry) and not repeated:
        return f"entry {key}"
    return f"entry {key} (line {line})"


def _failed_key(block: Any) -> str | None:
    match = _ENTRY_KEY.match(block.raw or "")
    return match.group(1) if match else None


def _build(item: Any, strings: dict[str, str]) -> Article:
    if not isinstance(item, Entry):
        raise RecordError(_malformed(item))
    raw: dict[str, str] = {}
    for field in item.fields:
        value = str(field.value)
        _check_value(item.key, field.key, value)
        raw.setdefault(field.key.lower(), _resolve(value, strings))
    values = {key: _latex(value) for key, value in raw.items() if key not in ("author", "doi")}

    def get(*keys: str) -> str | None:
        return next((v for v in (fields.clean(values.get(k)) for k in keys) if v), None)

    eprint_type = (get("eprinttype", "archiveprefix") or "").lower()
    journal_keys: tuple[str, ...] = ("journal", "journaltitle", "booktitle", "series")
    if item.entry_type.lower() in _WEB_TYPES:
        journal_keys += ("organization", "publisher", "institution")
    return fields.record_article(
        title=get("title"),
        source_format=FORMAT_BIBTEX,
        abstract=values.get("abstract"),
        authors=_authors(raw.get("author") or raw.get("editor") or ""),
        journal=get(*journal_keys),
        year=fields.parse_year(get("year")) or fields.parse_year(get("date")),
        doi=_doi(raw.get("doi"), get("url")),
        pmid=get("pmid") or (get("eprint") if eprint_type in ("pubmed", "pmid") else None),
        pmcid=get("pmcid") or (get("eprint") if eprint_type in ("pmc", "pmcid") else None),
        keywords=_keywords(get("keywords", "keyword") or ""),
    )


def _malformed(block: Any) -> str:
    error = block.error
    reason = str(getattr(error, "abort_reason", "") or error)
    if "Was still looking for" in reason:
        reason = "a brace or quotation mark is not closed before the next entry starts"
    elif "end of file" in reason:
        reason = "the entry is not closed before the end of the file"
    key = _failed_key(block)
    subject = f"entry '{key}'" if key else "the entry"
    return f"{subject} is malformed: {reason.strip()}"


def _check_value(key: str, field: str, value: str) -> None:
    """A value is braced or quoted text, a number or a macro name, joined by ``#``; anything
    else is the next field swallowed because a comma is missing."""
    for part in _concatenated_parts(value.strip()):
        if _BARE_VALUE.fullmatch(part):
            continue
        end = _group_end(part)
        if end == len(part) - 1:
            continue
        rest = part[end + 1 :] if end is not None else part.split(None, 1)[-1]
        raise RecordError(
            f"entry '{key}' is malformed: the value of '{field}' runs on into "
            f"'{(fields.clean(rest) or '')[:40]}' (is a comma missing?)"
        )


def _group_end(part: str) -> int | None:
    """The index of the brace or quotation mark closing the one that opens ``part``."""
    if not part or part[0] not in '{"':
        return None
    depth = 0
    for index, char in enumerate(part):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0 and index > 0 and part[0] == '"':
            return index
        if depth == 0 and part[0] == "{":
            return index
    return None


def _resolve(value: str, strings: dict[str, str]) -> str:
    """A field's value: quoted and braced parts without their delimiters, macros expanded,
    parts joined by ``#`` concatenated."""
    pieces: list[str] = []
    for part in _concatenated_parts(value.strip()):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            pieces.append(part[1:-1])
        elif part.isdigit():
            pieces.append(part)
        else:
            key = part.lower()
            pieces.append(strings.get(key) or _MONTHS.get(key, part))
    return "".join(pieces)


def _concatenated_parts(value: str) -> list[str]:
    if "#" not in value:
        return [value] if value else []
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index].strip())
            start = index + 1
    parts.append(value[start:].strip())
    return [p for p in parts if p]


def _latex(value: str) -> str:
    """LaTeX markup as the Unicode text it prints."""
    if not _NEEDS_DECODER.search(_ESCAPED_SYMBOL.sub("", value)):
        # Only grouping braces, escaped symbols (\%), TeX's dashes and ties: the full decoder
        # (milliseconds for an abstract) is not needed.
        plain = _ESCAPED_SYMBOL.sub(r"\1", value).replace("{", "").replace("}", "")
        return plain.replace("~", " ").replace("---", "—").replace("--", "–")
    try:
        # In LaTeX "%" starts a comment; in a reference "48%" is a percentage.
        return str(_decoder().latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", value)))
    except Exception as exc:  # pylatexenc on malformed markup: keep the text readable
        logger.info("LaTeX markup not decoded (%s): %.80s", exc, value)
        return value.replace("{", "").replace("}", "")


@functools.cache
def _decoder() -> Any:
    """The LaTeX decoder, built once: its context database takes a while to set up."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "reviewapp-bibtex", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")]
    )
    # \url{...} as the bare address, math ($\geq$) as its symbols.
    return LatexNodes2Text(latex_context=context, math_mode="text")


def _authors(value: str) -> list[str]:
    """ "Varga, Tamás and Okafor, N. C. and others" → ["Varga T", "Okafor NC"]."""
    names: list[str] = []
    for raw_name in split_multiple_persons_names(value) if value.strip() else []:
        if raw_name.strip().lower() in ("others", "et al", "et al."):
            continue
        parts = parse_single_name_into_parts(raw_name, strict=False)
        family = fields.clean(_latex(" ".join([*parts.von, *parts.last])))
        given = fields.clean(_latex(" ".join(parts.first)))
        if family and given and _INITIALS.fullmatch(given.replace(" ", "")):
            names.append(f"{family} {given.replace(' ', '')}")
        else:
            name = fields.person(family, given)
            if name:
                names.append(name)
    return names


def _doi(value: str | None, url: str | None) -> str | None:
    if value:
        # A DOI is not LaTeX: only the escapes of its underscores and its braces go.
        doi = value.replace("\\_", "_").replace("{", "").replace("}", "").strip()
        found = find_dois(doi)
        return found[0].doi if found else doi
    found = find_dois(url or "")
    return found[0].doi if found else None


def _keywords(value: str) -> list[str]:
    # "Carcinoma, Non-Small-Cell Lung; Humans": commas separate only without semicolons.
    separator = ";" if ";" in value else ","
    return [word.strip() for word in value.split(separator) if word.strip()]
