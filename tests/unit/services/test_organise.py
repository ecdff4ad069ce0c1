"""Organising through the service: collections, tags (the index follows) and saved searches,
with a one-line reason for each refusal."""

from __future__ import annotations

import pytest

from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.organise import (
    add_to_collection,
    create_collection,
    delete_collection,
    delete_saved_search,
    remove_from_collection,
    rename_collection,
    save_search,
    tag_articles,
    untag_articles,
)


def test_a_collection_is_made_renamed_filled_and_deleted(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    sclc = create_collection(session, "  Relapsed   SCLC ", "  What after tarlatamab?  ")
    assert (sclc.name, sclc.question, sclc.article_count) == (
        "Relapsed SCLC",
        "What after tarlatamab?",
        0,
    )
    ids = [fixture_ids["alveltamig"], fixture_ids["kras"]]
    assert add_to_collection(session, sclc.id, ids) == ids
    assert add_to_collection(session, sclc.id, ids) == []  # already in
    renamed = rename_collection(session, sclc.id, "DLL3 in relapsed SCLC")
    assert (renamed.name, renamed.question, renamed.article_count) == (
        "DLL3 in relapsed SCLC",
        "What after tarlatamab?",
        2,
    )
    assert remove_from_collection(session, sclc.id, [fixture_ids["kras"]]) == [fixture_ids["kras"]]
    assert delete_collection(session, sclc.id) == [fixture_ids["alveltamig"]]
    assert session.library.collections.all() == []
    assert session.library.articles.count() == 3  # the articles stay


def test_collection_names_are_refused_with_a_reason(session: LibrarySession) -> None:
    first = create_collection(session, "CD52")
    with pytest.raises(ServiceError, match="already a collection called 'cd52'"):
        create_collection(session, "cd52")
    other = create_collection(session, "CD19")
    with pytest.raises(ServiceError, match="already a collection"):
        rename_collection(session, other.id, "CD52")
    assert rename_collection(session, first.id, "cd52").name == "cd52"  # its own name
    with pytest.raises(ServiceError, match="needs a name"):
        create_collection(session, "   ")
    with pytest.raises(ServiceError, match="at most 200 characters"):
        create_collection(session, "x" * 201)
    with pytest.raises(ServiceError, match="no collection 999"):
        add_to_collection(session, 999, [1])
    with pytest.raises(ServiceError, match="no collection 999"):
        rename_collection(session, 999, "Elsewhere")


def test_adding_an_article_that_is_not_there_changes_nothing(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    collection = create_collection(session, "ALL")
    with pytest.raises(ServiceError, match="cannot add to the collection"):
        add_to_collection(session, collection.id, [fixture_ids["alemtuzumab"], 999])
    assert session.library.collections.article_ids(collection.id) == []


def test_tags_are_searchable_at_once_and_untagging_is_too(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    ids = [fixture_ids["alemtuzumab"], fixture_ids["kras"]]
    assert tag_articles(session, ids, " journal   club ") == ids
    assert tag_articles(session, ids, "journal club") == []
    assert sorted(session.search_ids('tag:"journal club"')[0]) == sorted(ids)
    assert untag_articles(session, [fixture_ids["kras"]], "journal club") == [fixture_ids["kras"]]
    assert session.search_ids('tag:"journal club"')[0] == [fixture_ids["alemtuzumab"]]
    with pytest.raises(ServiceError, match="a tag needs a name"):
        tag_articles(session, ids, "  ")


def test_a_saved_search_is_replaced_by_its_name_and_deleted(session: LibrarySession) -> None:
    first = save_search(session, " CMV ", "  CMV viremia ")
    assert (first.name, first.query) == ("CMV", "CMV viremia")
    again = save_search(session, "CMV", "CMV OR cytomegalovirus")
    assert again.id == first.id and again.query == "CMV OR cytomegalovirus"
    with pytest.raises(ServiceError, match="no search to save"):
        save_search(session, "empty", "   ")
    delete_saved_search(session, first.id)
    assert session.library.saved_searches.all() == []
