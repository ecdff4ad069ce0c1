"""Keeping what a reviewer shares signed: their findings' revisions and the state of the
collections they created. The one place that decides who may change a shared thing."""

from __future__ import annotations

import json

from reviewapp.core.exchange import collection_payload, finding_payload
from reviewapp.core.models import Finding, utc_now
from reviewapp.core.rows import CollectionRow
from reviewapp.core.signing import canonical_json
from reviewapp.services.identity import Identity, acting_identity
from reviewapp.services.library import LibrarySession, ServiceError


def sign_finding(session: LibrarySession, finding_id: int, author: Identity) -> None:
    """Sign the revision of ``finding_id`` just written (inside its transaction)."""
    lib = session.library
    finding = lib.findings.get(finding_id)
    assert finding is not None
    payload = finding_payload(finding, signed_article_uid(session, finding))
    lib.findings.record_signature(
        finding_id, canonical_json(payload).decode(), author.sign(payload)
    )


def signed_article_uid(session: LibrarySession, finding: Finding) -> str:
    """The article uid a finding's revisions are signed with: the one its last signed
    revision named (stable, whatever uid the article is known by since), else the
    article's own."""
    held = session.library.findings.signed_payload(finding.id or 0)
    if held is not None:
        return str(json.loads(held[0])["article"])
    uid = session.library.articles.uid_of(finding.article_id)
    assert uid is not None
    return uid


def finding_author(
    session: LibrarySession, finding: Finding, reviewer: str | None
) -> Identity | None:
    """The identity that may change ``finding``: its author's, on this machine. None for a
    finding made before reviewers had keys by someone who never claimed it (anyone here may
    change those, as before; they stay unsigned)."""
    author = session.library.reviewers.get_by_uid(finding.author_uid)
    if author is None or author.public_key is None:
        return None
    identity = acting_identity(reviewer, finding.author_uid)
    if identity.uid != finding.author_uid:
        raise ServiceError(
            f"only {finding.reviewer} can change or delete this finding: it is theirs "
            f"(you are {identity.name})"
        )
    return identity


def collection_editor(
    session: LibrarySession, collection: CollectionRow, reviewer: str | None = None
) -> Identity | None:
    """Who may change ``collection``: its creator (the club's moderator) once it has one;
    anyone while it has none (a collection never shared: it becomes the sharer's when it
    is first exported)."""
    if collection.creator_uid is None:
        return None
    identity = acting_identity(reviewer, collection.creator_uid)
    if identity.uid != collection.creator_uid:
        creator = session.library.reviewers.get_by_uid(collection.creator_uid)
        name = creator.name if creator is not None else collection.creator_uid
        raise ServiceError(
            f"only {name}, who created the collection “{collection.name}” and moderates it, "
            "can change it"
        )
    return identity


def sign_collection(session: LibrarySession, collection_id: int, creator: Identity) -> bool:
    """Make ``creator``'s signed state of the collection match what it holds now (its next
    revision, if anything changed since the last one signed); returns whether it signed.
    Call inside a write transaction."""
    lib = session.library
    row = lib.collections.get(collection_id)
    assert row is not None
    members = [
        uid
        for uid in (lib.articles.uid_of(i) for i in lib.collections.article_ids(collection_id))
        if uid is not None
    ]
    held = lib.collections.signed_state(collection_id)
    if held is not None and row.creator_uid == creator.uid:
        previous = json.loads(held[0])
        if (previous["name"], previous["question"]) == (row.name, row.question) and (
            _same_members(session, previous["members"], members)
        ):
            return False
    created_at, _updated = lib.collections.times(collection_id)
    revision = row.revision + 1
    state = collection_payload(
        row.uid, row.name, row.question, members, creator.uid, created_at, utc_now(), revision
    )
    signed = canonical_json(state).decode()
    lib.collections.record_state(collection_id, creator.uid, revision, signed, creator.sign(state))
    return True


def _same_members(session: LibrarySession, signed: list[str], current: list[str]) -> bool:
    lib = session.library
    return {lib.articles.by_uid(uid) for uid in signed} == {
        lib.articles.by_uid(uid) for uid in current
    }
