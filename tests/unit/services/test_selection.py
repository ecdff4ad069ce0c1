"""Which articles a brief or an export covers: named ones, a collection's, or the library."""

from __future__ import annotations

import pytest

from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.organise import add_to_collection, create_collection
from reviewapp.services.selection import Selection, select_articles


def test_nothing_named_is_the_whole_library(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    chosen = select_articles(session, None, None)
    assert sorted(chosen.ids) == sorted(fixture_ids.values())
    assert (chosen.collection, chosen.question) == (None, "")


def test_named_articles_by_id_or_uid_once_each_in_the_order_named(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    kras = session.library.articles.get(fixture_ids["kras"])
    assert kras is not None
    refs = [str(fixture_ids["kras"]), str(fixture_ids["alemtuzumab"]), kras.uid]
    assert select_articles(session, refs, None) == Selection(
        [fixture_ids["kras"], fixture_ids["alemtuzumab"]]
    )


def test_a_collection_adds_its_articles_after_the_named_ones(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    collection = create_collection(session, "Relapsed SCLC", "What after tarlatamab?")
    add_to_collection(session, collection.id, [fixture_ids["alveltamig"], fixture_ids["kras"]])
    chosen = select_articles(session, [str(fixture_ids["kras"])], "relapsed sclc")
    assert chosen == Selection(
        [fixture_ids["kras"], fixture_ids["alveltamig"]],
        "Relapsed SCLC",
        "What after tarlatamab?",
    )


def test_what_is_unknown_or_empty_is_named(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    with pytest.raises(ServiceError, match="no article 999 in this library"):
        select_articles(session, ["999"], None)
    create_collection(session, "Empty question")
    with pytest.raises(
        ServiceError, match=r"no collection called 'ALL' in this library \(collections: Empty"
    ):
        select_articles(session, None, "ALL")
    with pytest.raises(ServiceError, match="'Empty question' has no articles to export"):
        select_articles(session, None, "empty question", "export")


def test_an_empty_library_has_nothing_to_select(session: LibrarySession) -> None:
    with pytest.raises(ServiceError, match="the library has no articles to put in a brief"):
        select_articles(session, None, None, "put in a brief")
    with pytest.raises(ServiceError, match=r"collections: none yet"):
        select_articles(session, None, "Anything")
