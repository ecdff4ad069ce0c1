"""Organising the library: collections (review questions), tags and saved searches."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from reviewapp.core.rows import CollectionRow, SavedSearch
from reviewapp.services.library import LibrarySession, ServiceError


def _clean_name(name: str, what: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ServiceError(f"a {what} needs a name")
    if len(cleaned) > 200:
        raise ServiceError(f"a {what} name must be at most 200 characters")
    return cleaned


def create_collection(session: LibrarySession, name: str, question: str = "") -> CollectionRow:
    lib = session.library
    cleaned = _clean_name(name, "collection")
    if lib.collections.by_name(cleaned) is not None:
        raise ServiceError(f"there is already a collection called {cleaned!r}")
    with lib.transaction():
        collection_id = lib.collections.create(cleaned, question.strip())
    row = lib.collections.get(collection_id)
    assert row is not None
    return row


def rename_collection(
    session: LibrarySession, collection_id: int, name: str, question: str | None = None
) -> CollectionRow:
    lib = session.library
    cleaned = _clean_name(name, "collection")
    other = lib.collections.by_name(cleaned)
    if other is not None and other.id != collection_id:
        raise ServiceError(f"there is already a collection called {cleaned!r}")
    with lib.transaction():
        lib.collections.rename(collection_id, cleaned, question)
    row = lib.collections.get(collection_id)
    if row is None:
        raise ServiceError(f"no collection {collection_id}")
    return row


def delete_collection(session: LibrarySession, collection_id: int) -> list[int]:
    """Delete a collection (its articles stay in the library); returns its article ids."""
    lib = session.library
    ids = lib.collections.article_ids(collection_id)
    with lib.transaction():
        lib.collections.delete(collection_id)
    return ids


def add_to_collection(
    session: LibrarySession, collection_id: int, article_ids: Iterable[int]
) -> list[int]:
    """Add articles to a collection; returns the ids that were newly added."""
    lib = session.library
    if lib.collections.get(collection_id) is None:
        raise ServiceError(f"no collection {collection_id}")
    try:
        with lib.transaction():
            return lib.collections.add(collection_id, article_ids)
    except sqlite3.IntegrityError as exc:
        raise ServiceError(f"cannot add to the collection: {exc}") from exc


def remove_from_collection(
    session: LibrarySession, collection_id: int, article_ids: Iterable[int]
) -> list[int]:
    lib = session.library
    with lib.transaction():
        return lib.collections.remove(collection_id, article_ids)


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
