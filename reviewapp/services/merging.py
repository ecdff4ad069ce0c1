"""Merging a checked review pack into a library (inside the caller's transaction).

The merge is idempotent and independent of the order packs arrive in, whoever relays them:

- reviewers: trust on first use; a reviewer's key never changes once known, and whatever
  claims that reviewer with another key is refused;
- articles: matched by uid, then by any uid the library already knows the work by, then
  by the duplicate rules (same text, DOI, PMID, title and year); every uid met for a work is
  kept, and the least of them is the work's own, so all libraries end up calling it the
  same;
- collections and findings: the state with the higher revision wins, the digest of the
  payloads breaking a tie; a tombstone is a revision like any other. Only the author's key
  signs a finding's revisions, only the creator's a collection's;
- a finding's quote is anchored in this library's own copy of the article, by the place
  the pack gives when the copies agree, else by the quote and the text around it; a quote
  not found in this copy is kept, marked not anchored, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from reviewapp.core.anchoring import anchor_at, refind
from reviewapp.core.exchange import newer
from reviewapp.core.models import Anchor, Category, Finding, Reviewer, Status
from reviewapp.core.signing import canonical_json
from reviewapp.packs.format import (
    Pack,
    PackArticle,
    PackCollection,
    PackFinding,
    PackRefused,
    Refusal,
)
from reviewapp.services.library import LibrarySession
from reviewapp.store.duplicates import titles_alike


@dataclass
class Merged:
    made_by: str = ""
    made_by_initials: str = ""
    articles_new: int = 0
    articles_matched: int = 0
    findings_new: int = 0
    findings_updated: int = 0
    findings_unchanged: int = 0
    findings_deleted: int = 0
    collections_new: int = 0
    collections_updated: int = 0
    refused: list[Refusal] = field(default_factory=list)
    article_ids: set[int] = field(default_factory=set)


def merge_pack(session: LibrarySession, pack: Pack) -> Merged:
    """Merge ``pack``; PackRefused (which rolls the caller's transaction back) when its
    maker is someone this library knows with another key."""
    merged = Merged(refused=list(pack.refused))
    keys = _reviewers(session, pack, merged)
    local = _articles(session, pack, merged)
    _collections(session, pack, keys, merged)
    for finding in pack.findings:
        _finding(session, finding, keys, local, merged)
    return merged


def _reviewers(session: LibrarySession, pack: Pack, merged: Merged) -> dict[str, int]:
    """Local reviewer ids of the pack's reviewers whose keys agree with this library's."""
    lib = session.library
    trusted: dict[str, int] = {}
    for incoming in pack.reviewers:
        known = lib.reviewers.get_by_uid(incoming.uid)
        if known is not None and known.public_key not in (None, incoming.public_key):
            if incoming.uid == pack.made_by:
                raise PackRefused(
                    f"the pack says it was made by {known.name}, but it is signed with another "
                    "key than the one this library knows for them: refused whole"
                )
            continue
        reviewer = lib.reviewers.ensure_keyed(
            Reviewer(
                name=incoming.name,
                initials=incoming.initials,
                colour=incoming.colour,
                uid=incoming.uid,
                public_key=incoming.public_key,
            )
        )
        if incoming.uid == pack.made_by:  # people name themselves; relays do not rename them
            lib.reviewers.describe(
                reviewer.id or 0, incoming.name, incoming.initials, incoming.colour
            )
            merged.made_by, merged.made_by_initials = incoming.name, incoming.initials
        trusted[incoming.uid] = reviewer.id or 0
    return trusted


def _articles(session: LibrarySession, pack: Pack, merged: Merged) -> dict[str, int]:
    """Local article ids by every uid the pack gives its articles."""
    local: dict[str, int] = {}
    for entry in pack.articles:
        article_id = _match(session, entry)
        if article_id is None:
            article_id = session.library.articles.insert(entry.article)
            merged.articles_new += 1
        else:
            merged.articles_matched += 1
        session.library.articles.add_aliases(article_id, entry.uids)
        session.library.articles.settle_uid(article_id)
        for uid in entry.uids:
            local[uid] = article_id
    return local


def _match(session: LibrarySession, entry: PackArticle) -> int | None:
    lib = session.library
    for uid in entry.uids:
        found = lib.articles.by_uid(uid)
        if found is not None:
            return found
    duplicate = lib.articles.find_duplicate(entry.article)
    if duplicate is None:
        return None
    existing = lib.articles.get(duplicate.article_id)
    same_work = existing is not None and (
        duplicate.reason == "same text" or titles_alike(existing.title, entry.article.title)
    )
    # The library's own copy keeps its text (findings rest on it); empty fields are filled.
    lib.articles.merge_missing(duplicate.article_id, entry.article, identifiers=same_work)
    return duplicate.article_id


def _collections(
    session: LibrarySession,
    pack: Pack,
    keys: dict[str, int],
    merged: Merged,
) -> None:
    lib = session.library
    for collection in pack.collections:
        state = collection.state
        if state["creator"] not in keys:
            merged.refused.append(_untrusted("collection", state["uid"], state["creator"]))
            continue
        row = lib.collections.by_uid(state["uid"])
        if row is None:
            collection_id = lib.collections.create(
                _free_collection_name(session, state["name"], None),
                state["question"],
                state["creator"],
                state["uid"],
                state["created_at"],
            )
            merged.collections_new += 1
        else:
            held = lib.collections.signed_state(row.id)
            if held is not None and not newer(state, json.loads(held[0])):
                continue
            if row.creator_uid not in (None, state["creator"]):
                merged.refused.append(
                    Refusal("collection", state["uid"], "it claims another creator")
                )
                continue
            collection_id = row.id
            merged.collections_updated += 1
        _take_state(session, collection_id, collection)


def _take_state(session: LibrarySession, collection_id: int, collection: PackCollection) -> None:
    """Hold a collection's newer signed state (a newer state of one's own collection, made
    on another laptop, is taken like any other) and the members it names that are here."""
    lib = session.library
    state = collection.state
    row = lib.collections.get(collection_id)
    assert row is not None
    rename = None
    if row.name.lower() != state["name"].lower():
        rename = _free_collection_name(session, state["name"], collection_id)
    lib.collections.record_state(
        collection_id,
        state["creator"],
        state["revision"],
        canonical_json(state).decode(),
        collection.signature,
        rename,
        state["question"],
    )
    members = [lib.articles.by_uid(uid) for uid in state["members"]]
    lib.collections.set_members(collection_id, [m for m in members if m is not None])


def _free_collection_name(session: LibrarySession, name: str, own_id: int | None) -> str:
    """``name``, or ``name (2)``… when another collection here has it."""
    taken = {r.name.lower() for r in session.library.collections.all() if r.id != own_id}
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def _untrusted(kind: str, uid: str, author: str) -> Refusal:
    return Refusal(
        kind,
        uid,
        f"it claims to be by reviewer {author}, but is signed with another key than the one "
        "this library knows for them",
    )


def _finding(
    session: LibrarySession,
    incoming: PackFinding,
    keys: dict[str, int],
    local: dict[str, int],
    merged: Merged,
) -> None:
    lib = session.library
    payload = incoming.payload
    reviewer_id = keys.get(payload["author"])
    if reviewer_id is None:
        merged.refused.append(_untrusted("finding", payload["uid"], payload["author"]))
        return
    held = lib.findings.state(payload["uid"])
    if held is not None and held.reviewer_id != reviewer_id:
        merged.refused.append(
            Refusal("finding", payload["uid"], "it claims another author than the finding held")
        )
        return
    if held is not None and held.signed is not None:
        previous = json.loads(held.signed)
        if not newer(payload, previous):
            merged.findings_unchanged += 1
            return
    article_id = local[payload["article"]]
    finding = _placed(session, payload, incoming.at, article_id)
    signed = canonical_json(payload).decode()
    if held is None:
        lib.findings.insert(finding, reviewer_id, signed, incoming.signature)
        merged.findings_new += 1
    else:
        was_deleted = held.signed is not None and json.loads(held.signed)["deleted_at"] is not None
        lib.findings.replace(held.id, finding, signed, incoming.signature)
        if finding.deleted_at is not None and not was_deleted:
            merged.findings_deleted += 1
        else:
            merged.findings_updated += 1
    merged.article_ids.add(article_id)


def _placed(
    session: LibrarySession, payload: dict[str, Any], at: tuple[int, int] | None, article_id: int
) -> Finding:
    """The finding a payload describes, its quote anchored in this library's copy."""
    text = session.library.articles.text(article_id) or ""
    quote, before, after = payload["quote"], payload["before"], payload["after"]
    anchor: Anchor | None = None
    if at is not None and text[at[0] : at[1]] == quote:
        anchor = anchor_at(text, at[0], at[1])
    else:
        start = at[0] if at is not None else 0
        anchor = refind(Anchor(start, start + len(quote), quote, before, after), text)
    anchored = anchor is not None
    if anchor is None:  # kept, and shown as not found in this copy
        anchor = Anchor(0, 1, quote, before, after)
    return Finding(
        article_id=article_id,
        category=Category(payload["category"]),
        anchor=anchor,
        fields=dict(payload["fields"]),
        note=payload["note"],
        status=Status(payload["status"]),
        uid=payload["uid"],
        created_at=payload["created_at"],
        updated_at=payload["updated_at"],
        deleted_at=payload["deleted_at"],
        author_uid=payload["author"],
        revision=payload["revision"],
        anchored=anchored,
    )
