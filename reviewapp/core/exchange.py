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

import uuid
from typing import Any

from reviewapp.core.models import Finding
from reviewapp.core.signing import content_digest

# Finding and collection uids are bound to their author: the uid is derived from the
# author's uid and a random nonce carried beside it, so nobody can issue a finding or a
# collection under a uid that is someone else's (whichever arrived first would win).
_OWNED = uuid.UUID("5b0d7d43-6f0a-4c4e-9c55-7c1a4e0f2d11")


def new_nonce() -> str:
    return uuid.uuid4().hex


def owned_uid(owner_uid: str, nonce: str) -> str:
    """The uid of a finding or collection of ``owner_uid`` with this ``nonce``."""
    return str(uuid.uuid5(_OWNED, f"{owner_uid}:{nonce}"))


def mark_payload(
    article_uid: str, reviewer_uid: str, done: bool, updated_at: str, revision: int
) -> dict[str, Any]:
    """A reviewer's mark that they finished (or took back finishing) an article."""
    return {
        "article": article_uid,
        "reviewer": reviewer_uid,
        "done": done,
        "updated_at": updated_at,
        "revision": revision,
    }


def finding_payload(finding: Finding, article_uid: str) -> dict[str, Any]:
    """The payload of ``finding``'s current revision, as its author signs it (a consensus
    finding adds the uids it settles and its verdict)."""
    anchor = finding.anchor
    consensus = (
        {"settles": sorted(finding.settles), "verdict": finding.verdict.value}
        if finding.verdict is not None
        else {}
    )
    return consensus | {
        "uid": finding.uid,
        "nonce": finding.nonce,
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
    blind: bool = False,
    revealed_by: str | None = None,
    revealed_at: str | None = None,
    nonce: str = "",
    deleted: bool = False,
) -> dict[str, Any]:
    """A collection's state as its creator (the club's moderator) signs it; ``members``
    are article uids, sorted; a blind collection shows each reviewer only their own
    findings until it is revealed (by whom, when)."""
    return {
        "uid": uid,
        "nonce": nonce,
        "name": name,
        "question": question,
        "members": sorted(set(members)),
        "creator": creator,
        "created_at": created_at,
        "updated_at": updated_at,
        "revision": revision,
        "blind": blind,
        "revealed_by": revealed_by,
        "revealed_at": revealed_at,
        "deleted": deleted,
    }
