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
from reviewapp.core.models import Anchor, Category, Finding, Reviewer, Status, Verdict
from reviewapp.core.signing import canonical_json
from reviewapp.core.validation import validate_fields
from reviewapp.packs.format import (
    Pack,
    PackArticle,
    PackCollection,
    PackFinding,
    PackMark,
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
    marks_changed: int = 0
    refused: list[Refusal] = field(default_factory=list)
    article_ids: set[int] = field(default_factory=set)


def merge_pack(session: LibrarySession, pack: Pack, own_keys: dict[str, str]) -> Merged:
    """Merge ``pack``; PackRefused (which rolls the caller's transaction back) when its
    maker is someone this library (or this machine: ``own_keys``, its identities' public
    keys by uid) knows with another key."""
    merged = Merged(refused=list(pack.refused))
    keys = _reviewers(session, pack, own_keys, merged)
    local = _articles(session, pack, merged)
    _collections(session, pack, keys, merged)
    for finding in pack.findings:
        _finding(session, finding, keys, local, merged)
    for mark in pack.marks:
        _mark(session, mark, keys, local, merged)
    return merged


def _reviewers(
    session: LibrarySession, pack: Pack, own_keys: dict[str, str], merged: Merged
) -> dict[str, int]:
    """Local reviewer ids of the pack's reviewers whose keys agree with this library's and
    this machine's."""
    lib = session.library
    trusted: dict[str, int] = {}
    for incoming in pack.reviewers:
        known = lib.reviewers.get_by_uid(incoming.uid)
        known_key = own_keys.get(incoming.uid) or (known.public_key if known else None)
        if known_key not in (None, incoming.public_key):
            if incoming.uid == pack.made_by:
                who = known.name if known is not None else incoming.name
                raise PackRefused(
                    f"the pack says it was made by {who}, but it is signed with another "
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
            named = f"named:{incoming.uid}"
            if pack.made_at > (lib.meta(named) or ""):  # an older pack of theirs does not
                lib.reviewers.describe(
                    reviewer.id or 0, incoming.name, incoming.initials, incoming.colour
                )
                lib.set_meta(named, pack.made_at)
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
        article_id = _join(session, article_id, entry)
        session.library.articles.settle_uid(article_id)
        for uid in entry.uids:
            local[uid] = article_id
    # A later article may have joined an earlier one into another: ask again.
    return {
        uid: session.library.articles.by_uid(uid) or article_id for uid, article_id in local.items()
    }


def _join(session: LibrarySession, article_id: int, entry: PackArticle) -> int:
    """When the incoming article names several articles here as one work (its DOI is one's,
    its PMID another's), they become one: the one with the least uid takes the others'
    findings, marks, collections, tags and uids, whatever order the copies came in."""
    lib = session.library
    found = {article_id}
    found |= {i for uid in entry.uids if (i := lib.articles.by_uid(uid)) is not None}
    found |= set(lib.articles.with_identifiers(entry.article.doi, entry.article.pmid))
    if len(found) == 1:
        return article_id
    least = {i: min([lib.articles.uid_of(i) or "", *lib.articles.aliases(i)]) for i in found}
    survivor = min(found, key=lambda i: least[i])
    for absorbed in sorted(found - {survivor}):
        _absorb(session, survivor, absorbed)
    return survivor


def _absorb(session: LibrarySession, survivor: int, absorbed: int) -> None:
    lib = session.library
    article = lib.articles.get(absorbed)
    assert article is not None
    text = lib.articles.text(survivor) or ""
    for finding in lib.findings.for_articles([absorbed]):
        anchor = refind(finding.anchor, text)
        lib.findings.move(finding.id or 0, survivor, anchor or finding.anchor, anchor is not None)
    for mark in lib.marks.for_articles([absorbed]):
        held = lib.marks.get(survivor, mark.reviewer_id)
        if (
            mark.signed is not None
            and mark.signature is not None
            and (
                held is None
                or held.signed is None
                or newer(json.loads(mark.signed), json.loads(held.signed))
            )
        ):
            payload = json.loads(mark.signed)
            lib.marks.put(
                survivor,
                mark.reviewer_id,
                mark.done,
                payload["updated_at"],
                mark.revision,
                mark.signed,
                mark.signature,
            )
    lib.articles.absorb(survivor, absorbed)
    lib.articles.merge_missing(survivor, article)


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
                _collection_name(session, state["name"], state["uid"], state["creator"], None),
                state["question"],
                state["creator"],
                state["uid"],
                state["created_at"],
                state["nonce"],
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
    if row.name.lower() not in (
        state["name"].lower(),
        _suffixed(session, state["name"], state["uid"], state["creator"]).lower(),
    ):
        rename = _collection_name(
            session, state["name"], state["uid"], state["creator"], collection_id
        )
    lib.collections.record_state(
        collection_id,
        state["creator"],
        state["revision"],
        canonical_json(state).decode(),
        collection.signature,
        rename,
        state["question"],
    )
    lib.collections.set_blind(
        collection_id, state["blind"], state["revealed_by"], state["revealed_at"]
    )
    if state["deleted"]:
        lib.collections.set_deleted(collection_id)
        return
    members = [lib.articles.by_uid(uid) for uid in state["members"]]
    lib.collections.set_members(collection_id, [m for m in members if m is not None])


def _suffixed(session: LibrarySession, name: str, uid: str, creator_uid: str | None) -> str:
    """``name`` told apart by its creator's initials and its uid's start."""
    creator = session.library.reviewers.get_by_uid(creator_uid) if creator_uid else None
    initials = f"{creator.initials} " if creator is not None else ""
    return f"{name} ({initials}{uid[:4]})"


def _collection_name(
    session: LibrarySession, name: str, uid: str, creator_uid: str, own_id: int | None
) -> str:
    """The name a collection takes here: its own, unless another collection has that name
    (or had it: two of one name are told apart for good); then both carry their creator's
    initials, whichever arrived first, so that every library names them alike."""
    lib = session.library
    others = [r for r in lib.collections.all() if r.id != own_id]
    plain = name.lower()
    clash = [r for r in others if r.name.lower() == plain]
    told_apart = any(r.name.lower().startswith(plain + " (") for r in others)
    for holder in clash:
        lib.collections.rename(
            holder.id, _suffixed(session, holder.name, holder.uid, holder.creator_uid)
        )
    if clash or told_apart:
        return _suffixed(session, name, uid, creator_uid)
    return name


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
    if payload.get("verdict") != "none":  # a consensus of "nothing" has no fields
        checked = validate_fields(Category(payload["category"]), payload["fields"])
        if not checked.ok:
            problems = "; ".join(str(p) for p in checked.problems)[:300]
            merged.refused.append(
                Refusal("finding", payload["uid"], f"its fields do not pass the checks: {problems}")
            )
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
        nonce=payload["nonce"],
        settles=list(payload.get("settles", [])),
        verdict=Verdict(payload["verdict"]) if "verdict" in payload else None,
    )


def _mark(
    session: LibrarySession,
    incoming: PackMark,
    keys: dict[str, int],
    local: dict[str, int],
    merged: Merged,
) -> None:
    """A reviewer's reviewed mark: the newer revision wins, like a finding's."""
    payload = incoming.payload
    reviewer_id = keys.get(payload["reviewer"])
    where = f"{payload['reviewer']} on {payload['article']}"
    if reviewer_id is None:
        merged.refused.append(_untrusted("mark", where, payload["reviewer"]))
        return
    article_id = local[payload["article"]]
    held = session.library.marks.get(article_id, reviewer_id)
    if held is not None and held.signed is not None and not newer(payload, json.loads(held.signed)):
        return
    session.library.marks.put(
        article_id,
        reviewer_id,
        payload["done"],
        payload["updated_at"],
        payload["revision"],
        canonical_json(payload).decode(),
        incoming.signature,
    )
    merged.marks_changed += 1
    merged.article_ids.add(article_id)
