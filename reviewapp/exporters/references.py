"""The articles as references for a reference manager: RIS (rispy) and BibTeX (bibtexparser).

Both keep Unicode as it is: Zotero, EndNote and Mendeley read UTF-8 RIS, and biber (and
BibTeX itself, for letters) reads UTF-8 .bib files.
"""

from __future__ import annotations

import itertools
import re
import string
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import rispy
from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from reviewapp.core.models import Article, DoiRelation
from reviewapp.exporters.atomic import write_text

Progress = Callable[[int, int], None]


def _is_initials(word: str) -> bool:
    """ "MR", "J", "J-H", "Α" (Greek): the initials that end a Vancouver name."""
    letters = word.replace("-", "")
    return (
        0 < len(letters) <= 4
        and letters.isalpha()
        and letters.isupper()
        and not word.startswith("-")
        and not word.endswith("-")
        and "--" not in word
    )


# Generational suffixes as MEDLINE writes them after the initials ("Smith JA Jr").
_SUFFIX = re.compile(r"Jr\.?|Sr\.?|II|III|IV|V|2nd|3rd|4th")


def split_author(author: str) -> tuple[str, str, str] | None:
    """ "Luskin MR" → ("Luskin", "M. R.", ""); "Hahn WC III" → ("Hahn", "W. C.", "III");
    None when the name is not in that form.

    Reference managers read "Luskin MR" as first name Luskin; BibTeX would abbreviate a
    first name "MR" to "M.", losing the R. Spaced, dotted initials survive both.
    """
    words = author.split()
    suffix = ""
    if len(words) > 2 and _SUFFIX.fullmatch(words[-1]):
        suffix, words = words[-1].rstrip("."), words[:-1]
    if "," in author or len(words) < 2 or not _is_initials(words[-1]):
        return None
    given = ""
    for i, letter in enumerate(words[-1]):
        if letter == "-":
            continue
        hyphen = i > 0 and words[-1][i - 1] == "-"
        given += ("-" if hyphen else " " if given else "") + letter + "."
    return " ".join(words[:-1]), given, suffix


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _notes(article: Article) -> list[str]:
    notes = [f"ClinicalTrials.gov: {nct}" for nct in article.nct_ids]
    if article.pmcid:
        notes.append(f"PMCID: {article.pmcid}")
    notes += [
        f"Correction: doi:{ref.doi}"
        for ref in article.dois
        if ref.relation is DoiRelation.CORRECTION
    ]
    return notes


# -- RIS -----------------------------------------------------------------------------------


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without the "1." line it puts before each record, which is not RIS."""

    def set_header(self, count: int) -> str:
        return ""


def ris_record(article: Article) -> dict[str, Any]:
    """The article as a rispy record (a journal article: TY JOUR)."""
    record: dict[str, Any] = {"type_of_reference": "JOUR", "title": _one_line(article.title)}
    authors = []
    for author in article.authors:
        split = split_author(author)
        if split is None:
            authors.append(_one_line(author))
        else:  # RIS: "Surname, Given, Suffix"
            authors.append(", ".join(part for part in split if part))
    if authors:
        record["authors"] = authors
    if article.journal:
        # T2 is a journal article's journal for EndNote and Zotero; JO is meant for its
        # abbreviation. The library keeps one name, so both carry it.
        record["secondary_title"] = _one_line(article.journal)
        record["journal_name"] = _one_line(article.journal)
    if article.year is not None:
        record["year"] = str(article.year)
    if article.doi:
        record["doi"] = article.doi
    if article.pmid:
        record["accession_number"] = article.pmid
    if article.abstract and article.abstract.strip():
        # One line: a continuation line that happened to start "XY  - " would be read
        # as a tag.
        record["abstract"] = _one_line(article.abstract)
    keywords = [_one_line(k) for k in article.keywords if k.strip()]
    if keywords:
        record["keywords"] = keywords
    notes = _notes(article)
    if notes:
        record["notes"] = notes
    return record


def _ris(articles: Sequence[Article], progress: Progress | None) -> str:
    records = []
    for done, article in enumerate(articles, 1):
        records.append(ris_record(article))
        if progress is not None:
            progress(done, len(articles))
    return str(rispy.dumps(records, implementation=_RisWriter))


def to_ris(articles: Sequence[Article]) -> str:
    """The articles as an RIS file's text, one TY JOUR record each."""
    return _ris(articles, None)


def write_ris(articles: Sequence[Article], path: Path, progress: Progress | None = None) -> None:
    """Write the articles to ``path`` as RIS (UTF-8), atomically."""
    write_text(path, _ris(articles, progress))


# -- BibTeX --------------------------------------------------------------------------------

_LATEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    # \{ would be read back by bibtexparser, but BibTeX counts every brace, escaped or not.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Spaces, hyphens, dashes and slashes separate title words ("Anti-CD52", "1/2"); kept by
# the split, so the title can be put back together.
_TITLE_PARTS = re.compile(r"(\s+|[-/\u2010\u2011\u2013\u2014])")
# Punctuation around a word stays outside its braces: "(ZG006)" → "({ZG006})".
_WORD_EDGES = re.compile(r"(\W*)(.*?)(\W*)", re.S)
# Title words that do not make a citation key.
_KEY_STOP_WORDS = frozenset(
    {"a", "an", "the", "of", "in", "on", "for", "with", "and", "or", "to", "at", "by"}
    | {"from", "as", "is", "are", "vs", "versus", "anti", "non"}
)


def latex_escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped (& % $ # _ ~ ^ \\ { })."""
    return _LATEX_SPECIAL.sub(
        lambda m: _LATEX_ESCAPES.get(m.group(), "\\" + m.group()), _one_line(text)
    )


def _needs_protection(word: str) -> bool:
    """Whether a title word must keep its case: SCLC, CD52, mRNA, PD-L1's parts, Ki67."""
    return any(c.isupper() for c in word[1:]) or (
        word[:1].isupper() and any(c.isdigit() for c in word)
    )


def bibtex_title(title: str) -> str:
    """The title escaped for LaTeX, its acronyms in braces so that styles which lower-case
    titles leave them alone ("{SCLC}", "Anti-{CD52}")."""
    out: list[str] = []
    for part in _TITLE_PARTS.split(_one_line(title)):
        match = _WORD_EDGES.fullmatch(part)
        assert match is not None  # every part matches: each group may be empty
        lead, core, trail = match.groups()
        if "." in core and trail.startswith("."):  # an abbreviation keeps its last stop: U.S.
            core, trail = core + ".", trail[1:]
        if core and _needs_protection(core):
            out.append(f"{latex_escape(lead)}{{{latex_escape(core)}}}{latex_escape(trail)}")
        else:
            out.append(latex_escape(part) if part.strip() else part)
    return "".join(out)


def bibtex_author(author: str) -> str:
    """One author as BibTeX reads it: "Luskin, M. R."; a group name in braces."""
    split = split_author(author)
    if split is not None:
        surname, given, suffix = split
        if suffix:  # BibTeX's "von Last, Jr, First"
            return f"{latex_escape(surname)}, {suffix}, {given}"
        return f"{latex_escape(surname)}, {given}"
    text = latex_escape(author)
    # A long name that is not "Last Initials" is a group ("Alliance for Clinical Trials in
    # Oncology"): braced, BibTeX takes it whole rather than as first and last names.
    return f"{{{text}}}" if len(text.split()) > 3 else text


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _key_base(article: Article) -> str:
    """ "luskin2025cd52": first author's surname, year, first telling title word, folded
    to ASCII letters and digits (classic BibTeX and many editors want nothing else); "anon"
    stands in for a missing surname or one with no Latin letters."""
    who = ""
    if article.authors:
        split = split_author(article.authors[0])
        who = _ascii_word(split[0] if split else article.authors[0].split()[-1])
    words = (_ascii_word(w) for w in re.split(r"\W+", article.title))
    what = next((w for w in words if w and w not in _KEY_STOP_WORDS and not w.isdigit()), "")
    return f"{who or 'anon'}{article.year or ''}{what}"


def _suffixes() -> Iterator[str]:
    for length in itertools.count(1):
        for letters in itertools.product(string.ascii_lowercase, repeat=length):
            yield "".join(letters)


def citation_keys(articles: Sequence[Article]) -> list[str]:
    """A citation key for each article, unique among them: the second "luskin2025cd52"
    becomes "luskin2025cd52a", the third "luskin2025cd52b"."""
    used: set[str] = set()
    keys: list[str] = []
    for article in articles:
        base = _key_base(article)
        key = base
        if key in used:
            key = next(base + s for s in _suffixes() if base + s not in used)
        used.add(key)
        keys.append(key)
    return keys


def _verbatim(text: str) -> str:
    # DOIs are printed verbatim by biblatex (no escapes), but a brace would still end the
    # field: percent-encoding is how a DOI URL carries one anyway.
    return text.replace("{", "%7B").replace("}", "%7D")


def bibtex_entry(article: Article, key: str) -> Entry:
    """The article as an @article entry."""
    fields = [Field("author", " and ".join(bibtex_author(a) for a in article.authors))]
    fields.append(Field("title", bibtex_title(article.title)))
    if article.journal:
        fields.append(Field("journal", latex_escape(article.journal)))
    if article.year is not None:
        fields.append(Field("year", str(article.year)))
    if article.doi:
        fields.append(Field("doi", _verbatim(article.doi)))
    if article.pmid:
        fields.append(Field("pmid", article.pmid))
    notes = _notes(article)
    if notes:
        fields.append(Field("note", latex_escape("; ".join(notes))))
    return Entry("article", key, [f for f in fields if f.value])


def _format() -> BibtexFormat:
    bibtex_format = BibtexFormat()  # type: ignore[no-untyped-call]
    bibtex_format.indent = "  "
    bibtex_format.value_column = "auto"
    bibtex_format.block_separator = "\n"
    return bibtex_format


def _bibtex(articles: Sequence[Article], progress: Progress | None) -> str:
    library = Library()
    for done, (article, key) in enumerate(zip(articles, citation_keys(articles), strict=True), 1):
        library.add(bibtex_entry(article, key))
        if progress is not None:
            progress(done, len(articles))
    return write_string(library, bibtex_format=_format())


def to_bibtex(articles: Sequence[Article]) -> str:
    """The articles as a .bib file's text, one @article entry each."""
    return _bibtex(articles, None)


def write_bibtex(articles: Sequence[Article], path: Path, progress: Progress | None = None) -> None:
    """Write the articles to ``path`` as BibTeX (UTF-8), atomically."""
    write_text(path, _bibtex(articles, progress))
