"""The findings table: tombstones, updates, listing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewapp.core.anchoring import locate_quote
from reviewapp.core.models import Anchor, Article, Category, Finding, Status
from reviewapp.store import Library, open_library

TEXT = "Grade 3 rash occurred in 4 patients. CMV viremia occurred in 14 of 60 patients."


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    opened = open_library(tmp_path / "library.sqlite")
    yield opened
    opened.close()


def _anchor(quote: str) -> Anchor:
    anchor = locate_quote(TEXT, quote)
    assert anchor is not None
    return anchor


def _add(lib: Library, article_id: int, category: Category, quote: str) -> int:
    reviewer = lib.reviewers.ensure("Dana Okafor")
    finding = Finding(
        article_id=article_id,
        category=category,
        anchor=_anchor(quote),
        fields={"event": quote},
        note="n",
    )
    return lib.findings.insert(finding, reviewer.id or 0)


@pytest.fixture
def article_id(lib: Library) -> int:
    return lib.articles.insert(Article(title="Rash and viremia", text=TEXT))


def test_insert_and_get(lib: Library, article_id: int) -> None:
    finding_id = _add(lib, article_id, Category.TOXICITY, "CMV viremia")
    got = lib.findings.get(finding_id)
    assert got is not None
    assert got.quote == "CMV viremia"
    assert got.anchor == _anchor("CMV viremia")
    assert got.reviewer == "Dana Okafor"
    assert got.status is Status.DRAFT
    assert got.fields == {"event": "CMV viremia"}
    assert got.created_at == got.updated_at
    assert got.deleted_at is None
    assert lib.findings.resolve(got.uid) == finding_id
    assert lib.findings.resolve(str(finding_id)) == finding_id
    assert lib.findings.resolve("nope") is None


def test_tombstone_hides_from_list_but_keeps_the_row(lib: Library, article_id: int) -> None:
    finding_id = _add(lib, article_id, Category.TOXICITY, "CMV viremia")
    lib.findings.set_deleted(finding_id, True)
    assert lib.findings.list() == []
    assert lib.findings.count() == 0
    [kept] = lib.findings.list(include_deleted=True)
    assert kept.id == finding_id
    assert kept.deleted_at is not None
    assert lib.db.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == 1
    assert lib.articles.summaries()[0]["finding_count"] == 0
    lib.findings.set_deleted(finding_id, False)
    assert [f.id for f in lib.findings.list()] == [finding_id]
    assert lib.findings.get(finding_id).deleted_at is None  # type: ignore[union-attr]


def test_list_filters_and_orders_by_position(lib: Library, article_id: int) -> None:
    other = lib.articles.insert(Article(title="Other", text=TEXT + " again"))
    late = _add(lib, article_id, Category.TOXICITY, "CMV viremia")
    early = _add(lib, article_id, Category.TOXICITY, "Grade 3 rash")
    mech = _add(lib, article_id, Category.MECHANISM, "occurred in 4")
    elsewhere = _add(lib, other, Category.TOXICITY, "CMV viremia")
    assert [f.id for f in lib.findings.list(article_id=article_id)] == [early, mech, late]
    assert [f.id for f in lib.findings.list(category=Category.TOXICITY)] == [early, late, elsewhere]
    assert [f.id for f in lib.findings.list(article_id=other, category=Category.MECHANISM)] == []


def test_update_changes_only_what_is_given(lib: Library, article_id: int) -> None:
    finding_id = _add(lib, article_id, Category.TOXICITY, "CMV viremia")
    before = lib.findings.get(finding_id)
    assert before is not None
    lib.findings.update(finding_id)
    lib.findings.update(finding_id, note="checked against table 2", status=Status.ACCEPTED)
    after = lib.findings.get(finding_id)
    assert after is not None
    assert after.note == "checked against table 2"
    assert after.status is Status.ACCEPTED
    assert after.fields == before.fields
    assert after.anchor == before.anchor
    lib.findings.update(
        finding_id, fields={"event": "CMV reactivation"}, anchor=_anchor("Grade 3 rash")
    )
    moved = lib.findings.get(finding_id)
    assert moved is not None
    assert moved.fields == {"event": "CMV reactivation"}
    assert moved.quote == "Grade 3 rash"
    assert moved.note == "checked against table 2"


def test_schema_refuses_an_empty_anchor_and_unknown_article(lib: Library, article_id: int) -> None:
    reviewer = lib.reviewers.ensure("Dana Okafor")
    empty = Finding(
        article_id=article_id,
        category=Category.TOXICITY,
        anchor=Anchor(start=5, end=5, quote="", before="", after=""),
    )
    with pytest.raises(sqlite3.IntegrityError):
        lib.findings.insert(empty, reviewer.id or 0)
    orphan = Finding(
        article_id=article_id + 100, category=Category.TOXICITY, anchor=_anchor("CMV viremia")
    )
    with pytest.raises(sqlite3.IntegrityError):
        lib.findings.insert(orphan, reviewer.id or 0)
    assert lib.findings.list(include_deleted=True) == []
