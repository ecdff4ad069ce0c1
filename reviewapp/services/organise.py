"""Organising the library: collections (review questions), tags and saved searches."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from reviewapp.core.rows import CollectionRow, SavedSearch
from reviewapp.services.identity import Identity, current_identity, reviewer_of
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.signing import collection_editor, sign_collection


def _clean_name(name: str, what: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ServiceError(f"a {what} needs a name")
    if len(cleaned) > 200:
        raise ServiceError(f"a {what} name must be at most 200 characters")
    return cleaned


def create_collection(
    session: LibrarySession, name: str, question: str = "", reviewer: str | None = None
) -> CollectionRow:
    """A new collection (review question). The reviewer who creates it, when one is set,
    moderates it: only they change it once it is shared."""
    lib = session.library
    cleaned = _clean_name(name, "collection")
    if lib.collections.by_name(cleaned) is not None:
        raise ServiceError(f"there is already a collection called {cleaned!r}")
    creator = _creator(reviewer)
    with lib.transaction():
        collection_id = lib.collections.create(
            cleaned, question.strip(), creator.uid if creator else None
        )
        if creator is not None:
            reviewer_of(session, creator)
            sign_collection(session, collection_id, creator)
    row = lib.collections.get(collection_id)
    assert row is not None
    return row


def _creator(reviewer: str | None) -> Identity | None:
    try:
        return current_identity(reviewer)
    except ServiceError:  # no reviewer set: the collection is claimed when first shared
        return None


def _editable(session: LibrarySession, collection_id: int, reviewer: str | None) -> Identity | None:
    row = session.library.collections.get(collection_id)
    if row is None:
        raise ServiceError(f"no collection {collection_id}")
    return collection_editor(session, row, reviewer)


def rename_collection(
    session: LibrarySession,
    collection_id: int,
    name: str,
    question: str | None = None,
    reviewer: str | None = None,
) -> CollectionRow:
    lib = session.library
    cleaned = _clean_name(name, "collection")
    other = lib.collections.by_name(cleaned)
    if other is not None and other.id != collection_id:
        raise ServiceError(f"there is already a collection called {cleaned!r}")
    editor = _editable(session, collection_id, reviewer)
    with lib.transaction():
        lib.collections.rename(collection_id, cleaned, question)
        if editor is not None:
            sign_collection(session, collection_id, editor)
    row = lib.collections.get(collection_id)
    if row is None:
        raise ServiceError(f"no collection {collection_id}")
    return row


def delete_collection(
    session: LibrarySession, collection_id: int, reviewer: str | None = None
) -> list[int]:
    """Delete a collection (its articles stay in the library); returns its article ids.

    A collection never shared goes; a shared one its moderator deletes stays as a signed
    tombstone, so that no older copy in someone's pack brings it back; someone else's is
    only hidden here."""
    lib = session.library
    row = lib.collections.get(collection_id)
    if row is None:
        raise ServiceError(f"no collection {collection_id}")
    ids = lib.collections.article_ids(collection_id)
    shared = lib.collections.signed_state(collection_id) is not None
    with lib.transaction():
        if not shared:
            lib.collections.delete(collection_id)
        elif (editor := _moderating(session, row, reviewer)) is not None:
            lib.collections.set_deleted(collection_id)
            sign_collection(session, collection_id, editor)
        else:
            lib.collections.hide(collection_id)
    return ids


def _moderating(
    session: LibrarySession, row: CollectionRow, reviewer: str | None
) -> Identity | None:
    """The reviewer at work, if they moderate ``row`` (None when someone else does)."""
    try:
        return collection_editor(session, row, reviewer)
    except ServiceError:
        return None


def add_to_collection(
    session: LibrarySession,
    collection_id: int,
    article_ids: Iterable[int],
    reviewer: str | None = None,
) -> list[int]:
    """Add articles to a collection; returns the ids that were newly added."""
    lib = session.library
    editor = _editable(session, collection_id, reviewer)
    try:
        with lib.transaction():
            added = lib.collections.add(collection_id, article_ids)
            if editor is not None:
                sign_collection(session, collection_id, editor)
            return added
    except sqlite3.IntegrityError as exc:
        raise ServiceError(f"cannot add to the collection: {exc}") from exc


def remove_from_collection(
    session: LibrarySession,
    collection_id: int,
    article_ids: Iterable[int],
    reviewer: str | None = None,
) -> list[int]:
    lib = session.library
    editor = _editable(session, collection_id, reviewer)
    with lib.transaction():
        removed = lib.collections.remove(collection_id, article_ids)
        if editor is not None:
            sign_collection(session, collection_id, editor)
        return removed


def tag_articles(session: LibrarySession, article_ids: Iterable[int], name: str) -> list[int]:
    """Tag articles; returns the ids that did not have the tag yet. The index follows."""
    return _retag(session, article_ids, name, add=True)


def untag_articles(session: LibrarySession, article_ids: Iterable[int], name: str) -> list[int]:
    """Remove a tag; returns the ids that had it. The index follows."""
    return _retag(session, article_ids, name, add=False)


def _retag(session: LibrarySession, article_ids: Iterable[int], name: str, add: bool) -> list[int]:
    lib = session.library
    cleaned = _clean_name(name, "tag")
    change = lib.tags.add if add else lib.tags.remove
    with lib.transaction():
        changed = [i for i in article_ids if change(i, cleaned)]
    session.index_after_write()
    return changed


def save_search(session: LibrarySession, name: str, query: str) -> SavedSearch:
    lib = session.library
    if not query.strip():
        raise ServiceError("there is no search to save")
    cleaned = _clean_name(name, "saved search")
    with lib.transaction():
        search_id = lib.saved_searches.save(cleaned, query.strip())
    return next(s for s in lib.saved_searches.all() if s.id == search_id)


def delete_saved_search(session: LibrarySession, search_id: int) -> None:
    with session.library.transaction():
        session.library.saved_searches.delete(search_id)
