"""Which articles a brief or an export is about: named ids, a collection, or the library."""

from __future__ import annotations

from dataclasses import dataclass

from reviewapp.services.library import LibrarySession, ServiceError


@dataclass(frozen=True)
class Selection:
    ids: list[int]
    collection: str | None = None  # the collection's name as stored
    question: str = ""  # the collection's review question


def select_articles(
    session: LibrarySession,
    article_refs: list[str] | None,
    collection: str | None,
    purpose: str = "use",
) -> Selection:
    """The named articles, then the collection's (their union, in that order); the whole
    library when neither is given. ServiceError names what is unknown or empty."""
    lib = session.library
    ids: list[int] = []
    for ref in article_refs or []:
        article_id = lib.articles.resolve(ref)
        if article_id is None:
            raise ServiceError(f"no article {ref} in this library")
        if article_id not in ids:
            ids.append(article_id)
    if collection is None:
        if not ids:
            ids = lib.articles.ids()
        if not ids:
            raise ServiceError(f"the library has no articles to {purpose}")
        return Selection(ids)
    row = lib.collections.by_name(collection)
    if row is None:
        names = ", ".join(c.name for c in lib.collections.all()) or "none yet"
        raise ServiceError(
            f"no collection called {collection.strip()!r} in this library (collections: {names})"
        )
    ids.extend(i for i in lib.collections.article_ids(row.id) if i not in ids)
    if not ids:
        raise ServiceError(f"the collection {row.name!r} has no articles to {purpose}")
    return Selection(ids, row.name, row.question)
