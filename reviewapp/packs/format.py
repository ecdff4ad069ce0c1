"""The review pack format, version 1, and the limits a pack must keep.

A pack is a ZIP archive (stored or deflated members only) holding exactly these JSON
documents, each UTF-8:

- ``manifest.json``: ``format``, ``version``, who made it (``made_by``, a reviewer uid) and
  when (``made_at``), its ``scope`` (the whole library, one collection, or some articles),
  and for every other document its SHA-256 and size;
- ``signature.json``: the maker's uid, public key and Ed25519 signature over the exact
  bytes of ``manifest.json``: a pack changed after it was signed is refused whole;
- ``reviewers.json``: every reviewer the pack mentions: uid, name, initials, colour,
  public key;
- ``articles.json``: each article's uid, the other uids it is known by (``aliases``), its
  metadata and the exact text its findings' anchors point into;
- ``collections.json``: each collection's state as its creator signed it (name, question,
  member article uids, revision) with the signature;
- ``findings.json``: each finding's current revision as its author signed it (see
  ``core.exchange``), the signature, and where its quote sits in the pack's copy of the
  article (``at``: [start, end], or null when it was not found in that copy);
- ``marks.json``: each reviewer's mark that they finished reviewing an article (or took it
  back), as they signed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewapp.core.models import Article

FORMAT = "reviewapp-review-pack"
VERSION = 1
EXTENSION = ".rvpack"

MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
REVIEWERS = "reviewers.json"
ARTICLES = "articles.json"
COLLECTIONS = "collections.json"
FINDINGS = "findings.json"
MARKS = "marks.json"
SIGNED_MEMBERS = (REVIEWERS, ARTICLES, COLLECTIONS, FINDINGS, MARKS)
MEMBERS = (MANIFEST, SIGNATURE, *SIGNED_MEMBERS)

# Limits a pack must keep, or it is refused before anything is read from it. A pack of
# 1,000 full texts with 10,000 findings is a few MB; one of a 100,000-abstract library
# about 200 MB unpacked.
MAX_PACK_BYTES = 256 * 1024 * 1024  # the file on disk
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one document, decompressed
MAX_TOTAL_BYTES = 384 * 1024 * 1024  # all documents, decompressed
SMALL_DOCUMENT_BYTES = 64 * 1024  # the manifest and the signature
# Compression ratio allowed for documents over RATIO_FROM bytes: JSON of findings
# compresses 10–30 times; a ZIP bomb thousands of times.
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024
MAX_ARTICLES = 200_000
MAX_FINDINGS = 1_000_000
MAX_REVIEWERS = 10_000
MAX_COLLECTIONS = 10_000
MAX_TEXT_CHARS = 5_000_000  # one article's text (a long full text is 200,000)
MAX_QUOTE_CHARS = 20_000


class PackRefused(Exception):
    """A pack that is refused whole, with the reason in words a clinician understands."""


@dataclass(frozen=True)
class PackReviewer:
    uid: str
    name: str
    initials: str
    colour: str
    public_key: str


@dataclass(frozen=True)
class PackArticle:
    article: Article  # uid, metadata and text as the pack carries them
    aliases: tuple[str, ...] = ()

    @property
    def uids(self) -> tuple[str, ...]:
        return (self.article.uid, *self.aliases)


@dataclass(frozen=True)
class PackCollection:
    state: dict[str, Any]  # core.exchange.collection_payload
    signature: str


@dataclass(frozen=True)
class PackFinding:
    payload: dict[str, Any]  # core.exchange.finding_payload
    signature: str
    at: tuple[int, int] | None  # the quote's place in the pack's copy of the article


@dataclass(frozen=True)
class PackMark:
    payload: dict[str, Any]  # core.exchange.mark_payload
    signature: str


@dataclass(frozen=True)
class Refusal:
    """One finding or collection of a pack that is not taken, and why."""

    kind: str  # finding | collection | mark
    uid: str
    reason: str


@dataclass
class Pack:
    made_by: str
    made_at: str
    scope: str  # library | collection | articles
    collection: str | None  # the collection's uid when the scope is one collection
    reviewers: list[PackReviewer] = field(default_factory=list)
    articles: list[PackArticle] = field(default_factory=list)
    collections: list[PackCollection] = field(default_factory=list)
    findings: list[PackFinding] = field(default_factory=list)
    marks: list[PackMark] = field(default_factory=list)
    # Findings and collections whose signature does not check against the key the pack
    # gives for their author: refused one by one, named in the report.
    refused: list[Refusal] = field(default_factory=list)
