"""Saved web pages (journal article pages, news items) as one full-text article each.

The page is parsed with lxml's HTML parser (no network, no external entities); menus, cookie
banners, scripts and the like are dropped, and the rest becomes readable text: paragraphs
separated by blank lines, headings on their own lines, list items as "- item" (numbered in an
ordered list), table rows as cells separated by " | ". Metadata comes from the Highwire
(citation_*), Dublin Core and Open Graph meta tags that journal sites publish.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

import lxml.etree
import lxml.html

from reviewapp.core.identifiers import normalise_doi
from reviewapp.core.models import Article
from reviewapp.core.text import content_hash, title_key
from reviewapp.importers import detect
from reviewapp.importers.base import ImportFailure, ParsedFile, ParsedRecord, RecordError
from reviewapp.importers.decoding import decode_text
from reviewapp.importers.fields import clean, parse_year, record_article
from reviewapp.importers.names import display_name, split_author_names
from reviewapp.importers.plaintext import reads_as_title

FORMAT_HTML = detect.HTML

log = logging.getLogger(__name__)


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Never article text, whatever their class.
_DROP_TAGS = _names(
    "script style noscript template svg nav footer aside form button iframe frame frameset "
    "object embed canvas select textarea input dialog audio video map head link meta"
)
# Class/id words that always mark page furniture.
_STRONG_MARKERS = _names(
    "cookie cookies consent gdpr advert advertisement advertising ad ads adslot sponsor "
    "sponsored promo share sharing social breadcrumb breadcrumbs newsletter subscribe paywall "
    "popup modal skip"
)
# Class/id words that usually do; such an element is kept if it holds most of the page's text
# (a wrapper such as <div class="page has-sidebar">).
_WEAK_MARKERS = _names(
    "nav navbar navigation menu sidebar related banner comments comment masthead toolbar"
)
_DROP_ROLES = _names(
    "navigation banner contentinfo complementary search menu menubar dialog alertdialog toolbar"
)
_PARAGRAPH_TAGS = _names(
    "p div section article main blockquote figure figcaption pre address dl ul ol table "
    "details summary fieldset header hgroup center hr"
)
_LINE_TAGS = _names("li dt dd tr caption br")
_HEADINGS = _names("h1 h2 h3 h4 h5 h6")
_CELLS = frozenset(("td", "th"))
_NEWSROOM = _names("staff editors editorial team desk newsroom reporters admin")
_NOT_ABSTRACT = _names("graphical visual link toggle button tab nav")
_WORD_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
_SPACE = re.compile(r"\s+")
# Characters XML (and so lxml) does not allow in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
# Browsers read these labels as Windows-1252 (the WHATWG encoding standard); so do we.
_AS_CP1252 = frozenset(("iso8859-1", "ascii", "latin-1", "iso8859_1"))
_MIN_WORDS = 5
_MIN_ROOT_CHARS = 200


def parse_html(data: bytes, name: str) -> ParsedFile:
    """One article from a saved web page. Raises ImportFailure when it has no article text."""
    text = _decode(data)
    try:
        parser = lxml.html.HTMLParser(
            no_network=True, remove_comments=True, remove_pis=True, encoding="utf-8"
        )
        document = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
        article = _article(document)
    except ImportFailure:
        raise
    except (
        lxml.etree.LxmlError,
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        KeyError,
        RecursionError,
    ) as exc:
        raise ImportFailure(f"the web page could not be read ({exc})") from None
    log.debug("web page %s: %d characters of text", name, len(article.text))
    return ParsedFile([ParsedRecord("the article", article)], FORMAT_HTML)


def _article(document: Any) -> Article:
    meta = _meta_tags(document)
    page_title = clean(document.findtext(".//title"))
    body = document.find(".//body")
    if body is None:
        raise ImportFailure("the web page has no article text (it has no body)")
    first_h1 = next((clean(h.text_content()) for h in body.iter("h1")), None)
    _prune(body)
    abstract_element = _abstract_element(body)
    root = _content_root(body)
    article_text, headings = _render(root)
    if len(article_text.split()) < _MIN_WORDS:
        raise ImportFailure(
            "the web page has no article text (only scripts, menus or navigation were found; "
            "if the page builds its text with JavaScript, save it after it has loaded)"
        )
    title = _title(meta, page_title, first_h1) or _title_from_text(article_text)
    if title and title_key(title) not in title_key(article_text[:3000]):
        # The heading sat outside the article element: the reader still sees the title first.
        article_text = f"{title}\n\n{article_text}"
    abstract = _first(meta, "citation_abstract", "dc.description.abstract")
    if abstract is not None:
        abstract = re.sub(r"<[^>]+>", " ", abstract)
    elif abstract_element is not None:
        abstract = _strip_abstract_heading(_render(abstract_element)[0])
    else:
        abstract = _abstract_after_heading(article_text, headings)
    try:
        article = record_article(
            title=title,
            source_format=FORMAT_HTML,
            abstract=abstract,
            authors=_authors(meta),
            journal=_first(meta, "citation_journal_title", "prism.publicationname", "og:site_name"),
            year=_year(meta),
            doi=_doi(meta),
            pmid=_first(meta, "citation_pmid"),
            keywords=_keywords(meta),
            text=article_text,
        )
    except RecordError as exc:
        raise ImportFailure(f"the web page cannot be imported: {exc}") from None
    article.content_hash = content_hash(article_text)
    return article


def _decode(data: bytes) -> str:
    """The page's text: a byte-order mark first, then a declared charset, then a guess."""
    head = data[:4096]
    declared = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    has_bom = data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if declared and not has_bom:
        label = declared.group(1).decode("ascii", "replace")
        try:
            encoding = codecs.lookup(label).name
            if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
                # A page that can declare itself in ASCII is not UTF-16 (WHATWG rule).
                encoding = "utf-8"
            text = data.decode("cp1252" if encoding in _AS_CP1252 else encoding)
            return _CONTROL.sub("", text)
        except (LookupError, UnicodeError, ValueError, TypeError):
            log.debug("declared charset %r did not decode the page; guessing", label)
    text, _encoding = decode_text(data)
    return _CONTROL.sub("", text)


def _meta_tags(document: Any) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for element in document.iter("meta"):
        key = element.get("name") or element.get("property") or element.get("itemprop")
        value = clean(element.get("content"))
        if key and value:
            meta.setdefault(key.strip().lower(), []).append(value)
    return meta


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in meta.get(key, []):
            if clean(value):
                return clean(value)
    return None


def _words(value: str | None) -> set[str]:
    return {w.lower() for w in _WORD_SPLIT.split(value or "") if w}


def _never_text(element: Any) -> bool:
    """Scripts, forms, menus and the like, and whatever the page hides."""
    tag = element.tag
    if not isinstance(tag, str) or tag in _DROP_TAGS:
        return True
    if tag == "header" and not any(
        a.tag in ("article", "main", "section") for a in element.iterancestors()
    ):
        return True  # the site's masthead; an article's own header holds its title
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _furniture(element: Any, page_chars: int) -> bool:
    """An element whose class, id or role marks it as navigation, a banner, an advert..."""
    role = (element.get("role") or "").lower()
    if element.tag == "main" or role == "main":
        return False
    words = _words(element.get("class")) | _words(element.get("id"))
    strong = role in _DROP_ROLES or bool(words & _STRONG_MARKERS)
    weak = bool(words & _WEAK_MARKERS)
    if not (strong or weak):
        return False
    if next(element.iter("h1", "main"), None) is not None:
        return False  # a wrapper around the article itself
    if strong:
        return True
    return len(_SPACE.sub(" ", element.text_content())) < page_chars / 2


def _prune(body: Any) -> None:
    """Drop what is never text, then page furniture (measured against the text that is left);
    top-down, so a dropped subtree is never looked into."""
    _drop_where(body, _never_text)
    page_chars = len(_SPACE.sub(" ", body.text_content()))
    _drop_where(body, lambda element: _furniture(element, page_chars))


def _drop_where(body: Any, drop: Callable[[Any], bool]) -> None:
    stack = [body]
    while stack:
        element = stack.pop()
        for child in list(element):
            if not isinstance(child.tag, str) or drop(child):
                try:
                    child.drop_tree()  # keeps the text that follows it (its tail)
                except ValueError:  # a tail lxml will not re-insert: drop it too
                    element.remove(child)
            else:
                stack.append(child)


def _text_length(element: Any) -> int:
    return len(_SPACE.sub(" ", element.text_content()).strip())


def _content_root(body: Any) -> Any:
    """The <article> holding most text, or <main>/[role=main], else the whole body."""
    articles = list(body.iter("article"))
    mains = [e for e in body.iter() if e.tag == "main" or (e.get("role") or "") == "main"]
    best_article = max(articles, key=_text_length, default=None)
    best_main = max(mains, key=_text_length, default=None)
    chosen = best_article
    if best_main is not None and (
        best_article is None or _text_length(best_article) < 0.4 * _text_length(best_main)
    ):
        chosen = best_main
    if chosen is None or _text_length(chosen) < _MIN_ROOT_CHARS:
        return body
    return chosen


class _Writer:
    """Collects text with the line breaks that block elements call for."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = 0
        self.prefix = ""
        self.cell_depth = 0
        self.pre_depth = 0
        self.item_depth = 0
        self.lists: list[list[Any]] = []  # [tag, items so far] of each open <ul>/<ol>
        self.rows: list[int] = []  # cells so far in each open table row
        self.heading_starts: list[int] = []
        self.headings: list[str] = []

    def brk(self, lines: int) -> None:
        if self.cell_depth:
            self.parts.append(" ")  # blocks inside a table cell stay on the row's line
        else:
            self.pending = max(self.pending, 1 if self.item_depth and lines > 1 else lines)

    def put(self, text: str) -> None:
        if self.pending and self.parts:
            self.parts.append("\n" * self.pending)
        self.pending = 0
        if self.prefix:
            self.parts.append(self.prefix)
            self.prefix = ""
        self.parts.append(text)

    def text(self, text: str | None) -> None:
        if not text:
            return
        if self.pre_depth:
            for number, piece in enumerate(text.split("\n")):
                if number:
                    self.brk(1)
                if piece.strip():
                    self.put(piece)
            return
        collapsed = _SPACE.sub(" ", text)
        if collapsed.strip():
            self.put(collapsed)
        elif not self.pending and self.parts:
            self.parts.append(" ")

    def open(self, tag: str) -> None:
        if tag in _HEADINGS:
            self.brk(2)
            self.heading_starts.append(len(self.parts))
        elif tag in ("ul", "ol"):
            self.brk(2)
            self.lists.append([tag, 0])
        elif tag == "li":
            self.brk(1)
            self.item_depth += 1
            if self.lists:
                self.lists[-1][1] += 1
            numbered = bool(self.lists) and self.lists[-1][0] == "ol"
            self.prefix = f"{self.lists[-1][1]}. " if numbered else "- "
        elif tag == "tr":
            self.brk(1)
            self.rows.append(0)
        elif tag in _CELLS:
            if self.rows:
                if self.rows[-1]:
                    self.put(" | ")
                self.rows[-1] += 1
            self.cell_depth += 1
        elif tag == "pre":
            self.brk(2)
            self.pre_depth += 1
        elif tag in _PARAGRAPH_TAGS:
            self.brk(2)
        elif tag in _LINE_TAGS:
            self.brk(1)

    def close(self, tag: str) -> None:
        if tag in _HEADINGS:
            if self.heading_starts:
                heading = clean("".join(self.parts[self.heading_starts.pop() :]))
                if heading:
                    self.headings.append(heading)
            self.brk(2)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.brk(2)
        elif tag == "li":
            self.item_depth = max(0, self.item_depth - 1)
            self.prefix = ""
            self.brk(1)
        elif tag == "tr":
            if self.rows:
                self.rows.pop()
            self.brk(1)
        elif tag in _CELLS:
            self.cell_depth = max(0, self.cell_depth - 1)
        elif tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
            self.brk(2)
        elif tag in _PARAGRAPH_TAGS:
            self.brk(2)
        elif tag in _LINE_TAGS and tag != "br":
            self.brk(1)

    def result(self) -> str:
        lines = [" ".join(line.split()) for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _render(root: Any) -> tuple[str, list[str]]:
    """The readable text under ``root`` and the texts of its headings."""
    writer = _Writer()
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            writer.open(tag)
            writer.text(element.text)
        else:
            writer.close(tag)
            if element is not root:
                writer.text(element.tail)
    return writer.result(), writer.headings


def _strip_site_name(title: str, h1: str | None) -> str:
    """ "Trial Result | Journal Name" → "Trial Result" (the page's <h1> when it is in there)."""
    if h1 and title_key(h1) and title_key(h1) in title_key(title):
        return h1
    for separator in (" | ", " — ", " – ", " :: ", " · ", " « ", " » "):
        if separator in title:
            return max(title.split(separator), key=len).strip()
    head, separator, tail = title.rpartition(" - ")
    if separator and len(tail.split()) <= 4 and len(head) > len(tail):
        return head.strip()
    return title


def _title(meta: dict[str, list[str]], page_title: str | None, h1: str | None) -> str | None:
    for key in ("citation_title", "dc.title", "dcterms.title"):
        value = _first(meta, key)
        if value:
            return value
    social = _first(meta, "og:title", "twitter:title")
    if social:
        return _strip_site_name(social, h1)
    if page_title:
        return _strip_site_name(page_title, h1)
    return h1


def _title_from_text(text: str) -> str | None:
    lines = text.split("\n")
    for line in lines[:40]:
        if reads_as_title(line):
            return line.strip()
    first = next((line for line in lines if line.strip()), "")
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    return sentence[:250].rstrip(". ") or None


def _authors(meta: dict[str, list[str]]) -> list[str]:
    values = meta.get("citation_author") or meta.get("dc.creator") or meta.get("dcterms.creator")
    if values:
        names: Iterable[str] = values
    else:
        byline = _first(meta, "author", "article:author")
        names = split_author_names(byline) if byline and "://" not in byline else []
        # A newsroom rather than a person: "Oncology Daily Wire Staff".
        names = [n for n in names if not _words(n) & _NEWSROOM]
    return [n for n in (display_name(name) for name in names) if n]


def _year(meta: dict[str, list[str]]) -> int | None:
    for key in (
        "citation_publication_date",
        "citation_date",
        "citation_year",
        "citation_online_date",
        "prism.publicationdate",
        "dc.date",
        "dcterms.issued",
        "article:published_time",
    ):
        year = parse_year(_first(meta, key))
        if year:
            return year
    return None


def _doi(meta: dict[str, list[str]]) -> str | None:
    for key in ("citation_doi", "prism.doi", "bepress_citation_doi", "dc.identifier"):
        for value in meta.get(key, []):
            doi = normalise_doi(value)
            if doi:
                return doi
    return None


def _keywords(meta: dict[str, list[str]]) -> list[str]:
    keywords: list[str] = []
    for value in meta.get("citation_keywords", []) or meta.get("dc.subject", []):
        separator = ";" if ";" in value else ","
        keywords.extend(k.strip() for k in value.split(separator) if k.strip())
    return keywords


def _abstract_element(body: Any) -> Any:
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in ("body", "meta"):
            continue
        words = _words(element.get("class")) | _words(element.get("id"))
        # Not a "graphical abstract" figure, nor a link or toggle that names the abstract.
        if "abstract" in words and not words & _NOT_ABSTRACT and _text_length(element) > 40:
            return element
    return None


def _strip_abstract_heading(text: str) -> str | None:
    return re.sub(r"^\s*(abstract|summary)\s*:?\s*\n", "", text, flags=re.IGNORECASE) or None


def _abstract_after_heading(text: str, headings: list[str]) -> str | None:
    """The paragraphs after an "Abstract" heading, up to the next heading."""
    heading_set = set(headings)
    paragraphs = text.split("\n\n")
    for index, paragraph in enumerate(paragraphs):
        if paragraph in heading_set and paragraph.lower().rstrip(":") in ("abstract", "summary"):
            body: list[str] = []
            for following in paragraphs[index + 1 :]:
                if following in heading_set:
                    break
                body.append(following)
            return "\n\n".join(body) or None
    return None
