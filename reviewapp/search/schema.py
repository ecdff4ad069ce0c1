"""The whoosh schema: one document per article, carrying its findings, notes and tags."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from reviewapp.search.analysis import NameAnalyzer, OncologyAnalyzer

# Bump when the schema or analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 4

# Fields searched when a query names none, with their weights.
DEFAULT_FIELDS: dict[str, float] = {
    "title": 3.0,
    "abstract": 1.5,
    "body": 1.0,
    "finding": 1.5,
    "keyword": 1.5,
    "tag": 1.5,
    "author": 1.0,
    "journal": 0.5,
}

# Alternative spellings users type for a field.
FIELD_ALIASES: dict[str, list[str]] = {
    "author": ["authors", "au"],
    "tag": ["tags"],
    "category": ["cat", "categories"],
    "reviewer": ["by"],
    "body": ["text", "fulltext"],
    "keyword": ["keywords", "mesh"],
    "nct": ["trial"],
    "finding": ["findings", "note", "notes", "quote"],
}


def build_schema() -> Schema:
    text = OncologyAnalyzer()
    names = NameAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        digest=STORED,
        title=TEXT(analyzer=text),
        author=TEXT(analyzer=names),
        journal=TEXT(analyzer=names),
        year=NUMERIC(int, bits=32),
        doi=KEYWORD(lowercase=True),
        pmid=KEYWORD,
        nct=KEYWORD(lowercase=True),
        abstract=TEXT(analyzer=text),
        body=TEXT(analyzer=text),
        keyword=TEXT(analyzer=text),
        tag=TEXT(analyzer=names),
        category=KEYWORD(lowercase=True),
        reviewer=TEXT(analyzer=names),
        finding=TEXT(analyzer=text),
    )


def to_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The whoosh document for an article as the store describes it (see ArticleRepo)."""
    findings = doc.get("findings", [])
    finding_text = "\n".join(
        part
        for f in findings
        for part in (f["quote"], f.get("note") or "", _field_values(f.get("fields")))
        if part
    )
    reviewers = {f["reviewer"] for f in findings if f.get("reviewer")}
    document: dict[str, Any] = {
        "id": str(doc["id"]),
        "title": doc.get("title") or "",
        "author": "; ".join(doc.get("authors") or []),
        "journal": doc.get("journal") or "",
        "doi": " ".join(doc.get("dois") or ([doc["doi"]] if doc.get("doi") else [])),
        "pmid": doc.get("pmid") or "",
        "nct": " ".join(doc.get("nct_ids") or []),
        "abstract": doc.get("abstract") or "",
        "body": _body(doc),
        "keyword": "; ".join(doc.get("keywords") or []),
        "tag": "; ".join(doc.get("tags") or []),
        "category": " ".join(sorted({f["category"] for f in findings})),
        "reviewer": "; ".join(sorted(reviewers)),
        "finding": finding_text,
    }
    if doc.get("year") is not None:
        document["year"] = int(doc["year"])
    document = {key: value for key, value in document.items() if value != ""}
    document["digest"] = document_digest(document)
    return document


def _body(doc: dict[str, Any]) -> str:
    """The article text to index as ``body``: none when it is only the title and the
    abstract (a reference record's text), which are indexed in their own fields already;
    indexing them twice made record imports half as fast."""
    body = str(doc.get("full_text") or "")
    if len(body) <= len(doc.get("title") or "") + len(doc.get("abstract") or "") + 8:
        title_and_abstract = f"{doc.get('title') or ''} {doc.get('abstract') or ''}"
        if body.split() == title_and_abstract.split():
            return ""
    return body


def document_digest(document: dict[str, Any]) -> str:
    """A short hash of everything indexed for an article: ``check`` compares these, so an
    index that holds the right ids but stale contents is caught."""
    content = {key: value for key, value in document.items() if key != "digest"}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()[:16]


def _field_values(fields: Any) -> str:
    values = json.loads(fields) if isinstance(fields, str) else (fields or {})
    flat: list[str] = []
    for value in values.values():
        if isinstance(value, list):
            flat.extend(str(v) for v in value)
        else:
            flat.append(str(value))
    return " ".join(flat)
