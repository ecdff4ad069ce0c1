"""The whoosh document of an article: its fields, its findings' words, a body only where it
is more than the title and abstract, and a digest of everything indexed."""

from __future__ import annotations

import json
from typing import Any

from reviewapp.search.schema import (
    DEFAULT_FIELDS,
    FIELD_ALIASES,
    build_schema,
    document_digest,
    to_document,
)

ARTICLE: dict[str, Any] = {
    "id": 7,
    "title": "Tarlatamab for relapsed SCLC",
    "authors": ["Ahn MJ", "Paz-Ares L"],
    "journal": "N Engl J Med",
    "year": 2023,
    "doi": "10.1056/nejmoa2307980",
    "dois": ["10.1056/nejmoa2307980", "10.1056/nejmx230011"],
    "pmid": "37861218",
    "nct_ids": ["NCT05060016"],
    "abstract": "ORR was 40%.",
    "full_text": "Tarlatamab for relapsed SCLC\n\nORR was 40%.\n",
    "keywords": ["DLL3", "bispecific"],
    "tags": ["journal club"],
    "findings": [
        {
            "quote": "ORR was 40%",
            "note": "check the 10 mg arm",
            "fields": json.dumps({"endpoint": "ORR", "value": 40, "targets": ["DLL3", "CD3"]}),
            "category": "efficacy",
            "reviewer": "Ana Ruiz",
        },
        {"quote": "relapsed SCLC", "category": "mechanism", "reviewer": "Ken Sato", "fields": {}},
    ],
}


def test_every_part_of_an_article_has_its_field() -> None:
    document = to_document(ARTICLE)
    assert document["id"] == "7"
    assert document["author"] == "Ahn MJ; Paz-Ares L"
    assert document["doi"] == "10.1056/nejmoa2307980 10.1056/nejmx230011"
    assert document["nct"] == "NCT05060016" and document["pmid"] == "37861218"
    assert document["keyword"] == "DLL3; bispecific" and document["tag"] == "journal club"
    assert document["category"] == "efficacy mechanism"
    assert document["reviewer"] == "Ana Ruiz; Ken Sato"
    assert document["finding"] == "ORR was 40%\ncheck the 10 mg arm\nORR 40 DLL3 CD3\nrelapsed SCLC"
    assert document["year"] == 2023
    assert set(document) <= set(build_schema().names())


def test_a_records_text_is_not_indexed_twice_as_its_body() -> None:
    assert "body" not in to_document(ARTICLE)  # only its title and abstract
    full = to_document({**ARTICLE, "full_text": "Methods. 99 patients received tarlatamab."})
    assert full["body"] == "Methods. 99 patients received tarlatamab."


def test_empty_fields_are_left_out() -> None:
    document = to_document({"id": 1, "title": "Only a title", "findings": []})
    assert set(document) == {"id", "title", "digest"}
    assert to_document({"id": 2, "title": "T", "doi": "10.1/x", "findings": []})["doi"] == "10.1/x"


def test_the_digest_changes_with_anything_indexed_and_only_with_that() -> None:
    document = to_document(ARTICLE)
    assert document["digest"] == document_digest(document)
    assert len(document["digest"]) == 16
    assert to_document({**ARTICLE})["digest"] == document["digest"]
    tagged = to_document({**ARTICLE, "tags": ["journal club", "included"]})
    assert tagged["digest"] != document["digest"]
    assert to_document({**ARTICLE, "pages": "2063-75"})["digest"] == document["digest"]


def test_default_fields_and_aliases_name_fields_of_the_schema() -> None:
    names = set(build_schema().names())
    assert set(DEFAULT_FIELDS) <= names
    assert set(FIELD_ALIASES) <= names
    assert DEFAULT_FIELDS["title"] > DEFAULT_FIELDS["abstract"] > DEFAULT_FIELDS["journal"]
