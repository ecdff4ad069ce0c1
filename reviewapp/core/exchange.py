"""What reviewers sign and exchange: a finding's revision and a collection's state.

A finding's signed payload holds what its author decided (category, quote with the text
around it, fields, note, status, times, tombstone, revision) and which article it is on
(the article's uid in the author's library). Offsets are not signed: another copy of the
article may have other text around the quote, and each library anchors the quote in its
own copy. Two revisions of one finding are ordered by revision number, then, for the rare
tie (the same person editing on two laptops), by the digest of their payloads: every
library picks the same one, whatever order they arrive in.
"""

from __future__ import annotations

from typing import Any

from reviewapp.core.models import Finding
from reviewapp.core.signing import content_digest

FINDING_KEYS = (
    "uid",
    "article",
    "author",
    "category",
    "quote",
    "before",
    "after",
    "fields",
    "note",
    "status",
    "created_at",
    "updated_at",
    "deleted_at",
    "revision",
)
COLLECTION_KEYS = (
    "uid",
    "name",
    "question",
    "members",
    "creator",
    "created_at",
    "updated_at",
    "revision",
)


def finding_payload(finding: Finding, article_uid: str) -> dict[str, Any]:
    """The payload of ``finding``'s current revision, as its author signs it."""
    anchor = finding.anchor
    return {
        "uid": finding.uid,
        "article": article_uid,
        "author": finding.author_uid,
        "category": finding.category.value,
        "quote": anchor.quote,
        "before": anchor.before,
        "after": anchor.after,
        "fields": finding.fields,
        "note": finding.note,
        "status": finding.status.value,
        "created_at": finding.created_at,
        "updated_at": finding.updated_at,
        "deleted_at": finding.deleted_at,
        "revision": finding.revision,
    }


def newer(candidate: dict[str, Any], held: dict[str, Any]) -> bool:
    """Whether the ``candidate`` revision supersedes the ``held`` one (of the same finding
    or collection): a higher revision, or the same revision with the greater digest."""
    if candidate["revision"] != held["revision"]:
        return bool(candidate["revision"] > held["revision"])
    return content_digest(candidate) > content_digest(held)


def collection_payload(
    uid: str,
    name: str,
    question: str,
    members: list[str],
    creator: str,
    created_at: str,
    updated_at: str,
    revision: int,
) -> dict[str, Any]:
    """A collection's state as its creator (the club's moderator) signs it; ``members``
    are article uids, sorted."""
    return {
        "uid": uid,
        "name": name,
        "question": question,
        "members": sorted(set(members)),
        "creator": creator,
        "created_at": created_at,
        "updated_at": updated_at,
        "revision": revision,
    }
