"""PubMed XML: what PubMed's "Save" and E-utilities efetch give (``<PubmedArticleSet>``),
and the older MEDLINE/PubMed ``<MedlineCitationSet>``.

One article per ``<PubmedArticle>``, ``<PubmedBookArticle>`` (books and chapters) or
``<MedlineCitation>``. The parsed tree is read with direct child paths rather than
descendant searches, so a 10,000-record file is read in a few seconds, and so that the
identifiers of an article's cited references (``ReferenceList``) are never taken for its own.
"""

from __future__ import annotations

import re
from typing import Any

from reviewapp.core.identifiers import find_dois, find_nct_ids
from reviewapp.core.models import Article
from reviewapp.importers import detect, fields
from reviewapp.importers.base import ImportFailure, ParsedFile, RecordError
from reviewapp.importers.xml_safe import element_text, parse_xml

FORMAT_PUBMED_XML = detect.PUBMED_XML

_RECORD_TAGS = frozenset({"PubmedArticle", "PubmedBookArticle", "MedlineCitation"})
_SET_TAGS = frozenset({"PubmedArticleSet", "MedlineCitationSet", "PubmedBookArticleSet"})
# PubMed's journal titles carry their subtitle after " : " ("Journal of thoracic oncology :
# official publication of the International Association for the Study of Lung Cancer").
_SUBTITLE = re.compile(r"\s+:\s+.*$")


def parse_pubmed_xml(data: bytes, name: str) -> ParsedFile:
    """Every article of a PubMed XML file; a record without a title is reported as a problem.

    Raises ImportFailure when the file is not XML, or is XML of another kind.
    """
    root = parse_xml(data, "PubMed XML")
    records = _records(root)
    if not records:
        raise ImportFailure(f"no records found: the PubMed XML file {name} holds no articles")
    return fields.collect(records, _label, _build, FORMAT_PUBMED_XML)


def _records(root: Any) -> list[Any]:
    tag = _local(root.tag)
    if tag in _RECORD_TAGS:
        return [root]
    if tag not in _SET_TAGS:
        raise ImportFailure(
            f"the file is XML but not PubMed XML (its main element is <{tag}>, not "
            "<PubmedArticleSet>)"
        )
    # DeleteCitation and other bookkeeping elements are not articles.
    return [child for child in root if _local(child.tag) in _RECORD_TAGS]


def _local(tag: object) -> str:
    """An element's name without namespace; "" for comments and entity references."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _label(number: int, record: Any) -> str:
    pmid = _pmid_element_text(record)
    return f"record {number} (PMID {pmid})" if pmid else f"record {number}"


def _pmid_element_text(record: Any) -> str | None:
    citation = _citation(record)
    found = citation.find("PMID") if citation is not None else None
    return fields.parse_pmid(found.text) if found is not None else None


def _citation(record: Any) -> Any:
    """The element that holds the record's bibliographic fields."""
    tag = _local(record.tag)
    if tag == "PubmedArticle":
        return record.find("MedlineCitation")
    if tag == "PubmedBookArticle":
        return record.find("BookDocument")
    return record


def _text(element: Any, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return _clean(found) if found is not None else None


def _clean(element: Any) -> str | None:
    """An element's text with white space runs made one space (``fields.clean``, faster)."""
    # Most elements hold plain text; joining itertext is only needed for inline markup.
    raw = element.text if len(element) == 0 else element_text(element)
    return " ".join(raw.split()) or None if raw else None


def _build(record: Any) -> Article:
    citation = _citation(record)
    if citation is None:
        raise RecordError("the record has no MedlineCitation part")
    if _local(record.tag) == "PubmedBookArticle":
        return _build_book(record, citation)
    article = citation.find("Article")
    if article is None:
        raise RecordError("the record has no Article part (and so no title)")
    journal = _text(article, "Journal/Title") or _text(article, "Journal/ISOAbbreviation")
    ids = _article_ids(record.find("PubmedData/ArticleIdList"))
    doi = ids.get("doi") or _elocation_doi(article)
    return fields.record_article(
        title=_title(_text(article, "ArticleTitle") or _text(article, "VernacularTitle")),
        source_format=FORMAT_PUBMED_XML,
        abstract=_abstract(article.find("Abstract")),
        authors=_authors(article.find("AuthorList")),
        journal=_SUBTITLE.sub("", journal) if journal else None,
        year=_year(article),
        doi=doi,
        pmid=_text(citation, "PMID") or ids.get("pubmed"),
        pmcid=ids.get("pmc"),
        keywords=_keywords(citation),
        nct_ids=_nct_ids(article),
        correction_dois=_errata_dois(citation),
    )


def _build_book(record: Any, document: Any) -> Article:
    """A book or chapter from PubMed Bookshelf: the chapter's title, else the book's."""
    chapter = _text(document, "ArticleTitle")
    book_title = _text(document, "Book/BookTitle")
    ids = _article_ids(document.find("ArticleIdList"))
    pubmed_ids = _article_ids(record.find("PubmedBookData/ArticleIdList"))
    return fields.record_article(
        title=chapter or book_title,
        source_format=FORMAT_PUBMED_XML,
        abstract=_abstract(document.find("Abstract")),
        authors=_authors(document.find("AuthorList")) or _authors(document.find("Book/AuthorList")),
        journal=book_title if chapter else _text(document, "Book/Publisher/PublisherName"),
        year=_text(document, "Book/PubDate/Year") or _text(document, "Book/BeginningDate/Year"),
        doi=ids.get("doi") or pubmed_ids.get("doi"),
        pmid=_text(document, "PMID"),
        pmcid=ids.get("pmc") or pubmed_ids.get("pmc"),
        keywords=_keyword_list(document),
    )


def _title(title: str | None) -> str | None:
    """PubMed ends every title with a full stop; other formats and the article do not."""
    if title and title.endswith(".") and not title.endswith(".."):
        return title[:-1].rstrip() or None
    return title


def _article_ids(id_list: Any) -> dict[str, str]:
    ids: dict[str, str] = {}
    if id_list is None:
        return ids
    for item in id_list.iterfind("ArticleId"):
        kind = (item.get("IdType") or "").strip().lower()
        value = fields.clean(item.text)
        if kind and value:
            ids.setdefault(kind, value)
    return ids


def _elocation_doi(article: Any) -> str | None:
    for location in article.iterfind("ELocationID"):
        if (location.get("EIdType") or "").lower() == "doi":
            value = fields.clean(location.text)
            if value:
                return value
    return None


def _abstract(abstract: Any) -> str | None:
    """Each AbstractText a paragraph, "Label: text" when it has a label."""
    if abstract is None:
        return None
    paragraphs: list[str] = []
    for part in abstract.iterfind("AbstractText"):
        text = _clean(part)
        if not text:
            continue
        label = fields.clean(part.get("Label"))
        if label and label.upper() not in ("UNLABELLED", "UNASSIGNED"):
            text = f"{label}: {text}"
        paragraphs.append(text)
    return "\n\n".join(paragraphs) or None


def _authors(author_list: Any) -> list[str]:
    if author_list is None:
        return []
    names: list[str] = []
    for author in author_list.iterfind("Author"):
        if (author.get("ValidYN") or "Y").upper() == "N":
            continue  # a misspelling PubMed keeps next to the corrected name
        last = _text(author, "LastName")
        if last is None:
            collective = _text(author, "CollectiveName")
            if collective:
                names.append(collective)
            continue
        initials = _text(author, "Initials")
        # "Okafor NC" as PubMed writes it; ForeName only when Initials are missing.
        name = f"{last} {initials}" if initials else fields.person(last, _text(author, "ForeName"))
        if name:
            names.append(name)
    return names


def _year(article: Any) -> int | None:
    for path in (
        "Journal/JournalIssue/PubDate/Year",
        "Journal/JournalIssue/PubDate/MedlineDate",
        "ArticleDate/Year",
    ):
        year = fields.parse_year(_text(article, path))
        if year is not None:
            return year
    return None


def _keywords(citation: Any) -> list[str]:
    keywords = _keyword_list(citation)
    if keywords:
        return keywords
    # Without author keywords, the MeSH descriptors say what the article is about.
    return [
        descriptor
        for descriptor in (
            _text(heading, "DescriptorName")
            for heading in citation.iterfind("MeshHeadingList/MeshHeading")
        )
        if descriptor
    ]


def _keyword_list(element: Any) -> list[str]:
    return [word for word in (_clean(k) for k in element.iterfind("KeywordList/Keyword")) if word]


def _nct_ids(article: Any) -> list[str]:
    ids: list[str] = []
    for number in article.iterfind("DataBankList/DataBank/AccessionNumberList/AccessionNumber"):
        ids.extend(find_nct_ids(number.text or ""))
    return ids


def _errata_dois(citation: Any) -> list[str]:
    """DOIs of the errata PubMed links to the article ("Erratum in: ... doi: ...")."""
    dois: list[str] = []
    for comment in citation.iterfind("CommentsCorrectionsList/CommentsCorrections"):
        if comment.get("RefType") in ("ErratumIn", "RetractionIn"):
            dois.extend(ref.doi for ref in find_dois(_text(comment, "RefSource") or ""))
    return dois
