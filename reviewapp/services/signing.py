"""Keeping what a reviewer shares signed: their findings' revisions and the state of the
collections they created. The one place that decides who may change a shared thing."""

from __future__ import annotations

import json

from reviewapp.core.exchange import (
    collection_payload,
    finding_payload,
    mark_payload,
    new_nonce,
    owned_uid,
)
from reviewapp.core.models import Finding, utc_now
from reviewapp.core.rows import CollectionRow
from reviewapp.core.signing import canonical_json
from reviewapp.services.identity import Identity, acting_identity
from reviewapp.services.library import LibrarySession, ServiceError


def sign_finding(session: LibrarySession, finding_id: int, author: Identity) -> None:
    """Sign the revision of ``finding_id`` just written (inside its transaction). A finding
    signed for the first time gets the uid bound to its author (it was never shared)."""
    lib = session.library
    finding = lib.findings.get(finding_id, every=True)
    assert finding is not None
    if not finding.signed and finding.uid != owned_uid(author.uid, finding.nonce):
        nonce = new_nonce()
        lib.findings.bind_uid(finding_id, owned_uid(author.uid, nonce), nonce)
        finding = lib.findings.get(finding_id, every=True)
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
    name = row.name
    if held is not None:
        # Told apart here from another of its name ("Club (AR 1f3a)"): its name is still
        # what its creator called it.
        signed_name = str(json.loads(held[0])["name"])
        if name.lower().startswith(signed_name.lower() + " ("):
            name = signed_name
    now_as = (name, row.question, row.blind, row.revealed_by, row.revealed_at, row.deleted)
    if held is not None and row.creator_uid == creator.uid:
        previous = json.loads(held[0])
        keys = ("name", "question", "blind", "revealed_by", "revealed_at", "deleted")
        was = tuple(previous[k] for k in keys)
        if was == now_as and _same_members(session, previous["members"], members):
            return False
    if held is None and row.uid != owned_uid(creator.uid, lib.collections.nonce(collection_id)):
        nonce = new_nonce()  # never shared yet: it takes the uid bound to its creator
        lib.collections.bind_uid(collection_id, owned_uid(creator.uid, nonce), nonce, creator.uid)
        row = lib.collections.get(collection_id) or row
    created_at, _updated = lib.collections.times(collection_id)
    revision = row.revision + 1
    state = collection_payload(
        row.uid,
        name,
        row.question,
        members,
        creator.uid,
        created_at,
        utc_now(),
        revision,
        row.blind,
        row.revealed_by,
        row.revealed_at,
        lib.collections.nonce(collection_id),
        row.deleted,
    )
    signed = canonical_json(state).decode()
    lib.collections.record_state(collection_id, creator.uid, revision, signed, creator.sign(state))
    return True


def _same_members(session: LibrarySession, signed: list[str], current: list[str]) -> bool:
    lib = session.library
    return {lib.articles.by_uid(uid) for uid in signed} == {
        lib.articles.by_uid(uid) for uid in current
    }


def sign_mark(session: LibrarySession, article_id: int, reviewer: Identity, done: bool) -> None:
    """The reviewer's next revision of their reviewed mark on the article, signed (call
    inside a write transaction, after ``reviewer_of``)."""
    lib = session.library
    who = lib.reviewers.get_by_uid(reviewer.uid)
    assert who is not None
    held = lib.marks.get(article_id, who.id or 0)
    article_uid = (
        json.loads(held.signed)["article"]
        if held and held.signed
        else lib.articles.uid_of(article_id)
    )
    assert article_uid is not None
    revision = held.revision + 1 if held else 1
    payload = mark_payload(article_uid, reviewer.uid, done, utc_now(), revision)
    lib.marks.put(
        article_id,
        who.id or 0,
        done,
        payload["updated_at"],
        revision,
        canonical_json(payload).decode(),
        reviewer.sign(payload),
    )
