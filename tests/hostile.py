"""Hand-made review packs for attack tests: any documents, signed by any key, as a hostile
club member (or a stranger with someone's public key) could write them."""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

from reviewapp.core import signing
from reviewapp.core.exchange import new_nonce, owned_uid
from reviewapp.packs.format import FORMAT, VERSION

NOW = "2026-12-06T10:00:00.000+00:00"
TEXT = "Grade 3 or higher neutropenia occurred in 12 of 100 patients (12%)."
QUOTE = TEXT[:28]


class Person:
    """A key and a uid; ``signer`` may sign with another key than ``public``."""

    def __init__(self, name: str, initials: str = "XX", uid: str | None = None) -> None:
        self.key = signing.new_private_key()
        self.public = signing.public_key_text(self.key)
        self.uid = uid or str(uuid.uuid4())
        self.name, self.initials = name, initials

    def reviewer(self, public: str | None = None, name: str | None = None) -> dict[str, str]:
        return {
            "uid": self.uid,
            "name": name or self.name,
            "initials": self.initials,
            "colour": "#0072B2",
            "public_key": public or self.public,
        }


def article(
    uid: str, text: str = TEXT, title: str = "Neutropenia", **fields: Any
) -> dict[str, Any]:
    base: dict[str, Any] = {
        "uid": uid,
        "aliases": [],
        "title": title,
        "authors": [],
        "journal": None,
        "year": None,
        "doi": None,
        "dois": [],
        "pmid": None,
        "pmcid": None,
        "nct_ids": [],
        "abstract": None,
        "keywords": [],
        "text": text,
    }
    return base | fields


def finding_payload(
    author: Person, article_uid: str, fields: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    nonce = new_nonce()
    payload: dict[str, Any] = {
        "uid": owned_uid(author.uid, nonce),
        "nonce": nonce,
        "article": article_uid,
        "author": author.uid,
        "category": "toxicity",
        "quote": QUOTE,
        "before": "",
        "after": TEXT[28:68],
        "fields": fields if fields is not None else {"event": "neutropenia", "n": 12, "N": 100},
        "note": "",
        "status": "draft",
        "created_at": NOW,
        "updated_at": NOW,
        "deleted_at": None,
        "revision": 1,
    }
    return payload | extra


def signed(person: Person, payload: dict[str, Any], at: list[int] | None = None) -> dict[str, Any]:
    return {"signed": payload, "signature": signing.sign(person.key, payload), "at": at}


def dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def raw_pack(
    path: Path,
    maker: Person,
    reviewers: list[dict[str, str]],
    articles: list[dict[str, Any]],
    findings: list[dict[str, Any]] | None = None,
    collections: list[dict[str, Any]] | None = None,
    seal_key: Any = None,
    replace: dict[str, bytes] | None = None,
) -> Path:
    """A pack of these documents, its manifest signed by ``seal_key`` (default: the
    maker's key); ``replace`` puts raw bytes in place of a document before signing."""
    documents = {
        "reviewers.json": dump(reviewers),
        "articles.json": dump(articles),
        "collections.json": dump(collections or []),
        "findings.json": dump(findings or []),
        "marks.json": b"[]",
    } | (replace or {})
    manifest = dump(
        {
            "format": FORMAT,
            "version": VERSION,
            "made_by": maker.uid,
            "made_at": NOW,
            "scope": {"kind": "articles", "collection": None},
            "members": {
                name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                for name, data in documents.items()
            },
        }
    )
    key = seal_key or maker.key
    seal = dump(
        {
            "signer": maker.uid,
            "public_key": signing.public_key_text(key),
            "signature": signing.sign_bytes(key, manifest),
        }
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest)
        archive.writestr("signature.json", seal)
        for name, data in documents.items():
            archive.writestr(name, data)
    return path
