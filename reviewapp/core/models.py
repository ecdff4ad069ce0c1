"""Domain dataclasses shared by every layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


def new_uid() -> str:
    """A fresh stable identifier for an article, finding, reviewer or collection."""
    return str(uuid.uuid4())


def utc_now() -> str:
    """The current time as an ISO 8601 string in UTC, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Category(StrEnum):
    EFFICACY = "efficacy"
    TOXICITY = "toxicity"
    MECHANISM = "mechanism"
    REFERENCE = "reference"


class Status(StrEnum):
    DRAFT = "draft"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CONSENSUS = "consensus"  # the club's settled finding, by its moderator


# The statuses a reviewer gives their own findings (consensus is the moderator's verdict).
REVIEW_STATUSES = (Status.DRAFT, Status.ACCEPTED, Status.REJECTED)


class Verdict(StrEnum):
    """What a consensus finding says of the findings it settles."""

    AGREED = "agreed"  # the club agrees on this finding (one reviewer's, as is or amended)
    NONE = "none"  # the club found nothing there


class DoiRelation(StrEnum):
    SOURCE = "source"
    CORRECTION = "correction"
    RELATED = "related"


@dataclass(frozen=True)
class DoiRef:
    """A DOI found in an article, with how it relates to the article."""

    doi: str
    relation: DoiRelation = DoiRelation.SOURCE


@dataclass
class Article:
    """An article as importers produce it and the store keeps it."""

    title: str
    text: str = ""
    authors: list[str] = field(default_factory=list)
    journal: str | None = None
    year: int | None = None
    doi: str | None = None
    dois: list[DoiRef] = field(default_factory=list)
    pmid: str | None = None
    pmcid: str | None = None
    nct_ids: list[str] = field(default_factory=list)
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    source_file: str | None = None
    source_format: str | None = None
    content_hash: str | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    imported_at: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Anchor:
    """Where a finding's quote sits in its article's text.

    ``before`` and ``after`` hold a little text on each side so that the quote can be
    re-found if the article text is re-imported and offsets shift.
    """

    start: int
    end: int
    quote: str
    before: str
    after: str


@dataclass
class Reviewer:
    name: str
    initials: str
    colour: str
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    public_key: str | None = None  # base64 Ed25519; None for reviewers from before keys
    key_confirmed: bool = False  # a person checked its fingerprint with its owner


@dataclass
class Finding:
    """A tagged finding: a category, typed fields and the quote it rests on."""

    article_id: int
    category: Category
    anchor: Anchor
    fields: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    reviewer: str = ""
    reviewer_colour: str = ""
    status: Status = Status.DRAFT
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None
    author_uid: str = ""  # the reviewer's uid: only they can change the finding
    revision: int = 1  # every change, deletion included, is the next revision
    # False when the quote was not found in this library's copy of the article (the
    # finding came from another copy): it is kept, shown, but not highlighted.
    anchored: bool = True
    signed: bool = False  # whether its author's signature over this revision is held
    nonce: str = ""  # with the author's uid, what the uid is made from (core.exchange)
    settles: list[str] = field(default_factory=list)  # a consensus: the finding uids it settles
    verdict: Verdict | None = None  # a consensus finding's verdict

    @property
    def quote(self) -> str:
        return self.anchor.quote
