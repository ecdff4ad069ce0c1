"""Merging is idempotent and order-independent: any packs, merged in any order, any number
of times, directly or relayed through a third library, give the same library state.

A small club is simulated once (real libraries, keys and packs): Ana makes a question and
tags, Ben and Carla import it, tag and relay each other's work, Ana edits and deletes, and
Ana's second laptop edits the same finding to the same revision number (a tie). Hypothesis
then merges the six packs in every order it likes, with repeats and relays.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewapp.services import reading
from reviewapp.services.findings import create_finding, delete_finding, update_finding
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession
from reviewapp.services.organise import add_to_collection, create_collection
from reviewapp.services.packs import export_pack, import_pack
from tests.club import ARTICLE_TEXT, SECOND_TEXT, Member, write_article

PACKS = 6


def _article(session: LibrarySession, title_word: str) -> int:
    for row in reading.summaries(session):
        if title_word in row["title"].lower():
            return int(row["id"])
    raise AssertionError(title_word)


@pytest.fixture(scope="module")
def club_packs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Path]]:
    root = tmp_path_factory.mktemp("club")
    with pytest.MonkeyPatch.context() as monkeypatch:
        ana, ben, carla = (Member(root, n, monkeypatch) for n in ("Ana", "Ben", "Carla"))
        packs = [root / f"p{i}.rvpack" for i in range(1, PACKS + 1)]
        with ana.acting() as session:
            write_article(root / "ana", "tarlatamab.txt", ARTICLE_TEXT)
            write_article(root / "ana", "alemtuzumab.txt", SECOND_TEXT)
            ids = [r.article_ids[0] for r in import_paths(session, [root / "ana"])]
            question = create_collection(session, "Q", "Which options?")
            add_to_collection(session, question.id, ids)
            first = _article(session, "tarlatamab")
            second = _article(session, "alemtuzumab")
            a1 = create_finding(
                session,
                first,
                "efficacy",
                quote="The objective response rate was 40% (40/100)",
                fields={"endpoint": "ORR", "value": "40", "unit": "%"},
            )
            a2 = create_finding(
                session,
                second,
                "toxicity",
                quote="CMV viremia occurred in 14 of 60 patients (23.3%)",
                fields={"event": "CMV viremia", "n": "14", "N": "60"},
            )
            export_pack(session, packs[0], collection="Q")
        laptop = root / "ana-laptop.sqlite"
        shutil.copy(ana.library, laptop)
        with ben.acting() as session:
            write_article(root / "ben", "tarlatamab.txt", ARTICLE_TEXT)  # his own copy
            import_paths(session, [root / "ben"])
            import_pack(session, packs[0])
            b1 = create_finding(
                session,
                _article(session, "tarlatamab"),
                "toxicity",
                quote="Cytokine release syndrome occurred in 51 of\n100 patients (51%)",
                fields={"event": "cytokine release syndrome", "n": "51", "N": "100"},
            )
            export_pack(session, packs[1])  # relays Ana's findings
        with ana.acting() as session:
            update_finding(session, a1.uid, note="checked against the table")
            delete_finding(session, a2.uid)
            export_pack(session, packs[2])
        monkeypatch.setattr(ana, "library", laptop)  # Ana on her second laptop
        with ana.acting() as session:
            update_finding(session, a1.uid, note="a second thought, elsewhere")
            export_pack(session, packs[3])
        with carla.acting() as session:
            import_pack(session, packs[1])
            create_finding(
                session,
                _article(session, "tarlatamab"),
                "efficacy",
                quote="Median overall\nsurvival was 14.3 months",
                fields={"endpoint": "OS", "measure": "median", "value": "14.3"},
            )
            export_pack(session, packs[4])
        with ben.acting() as session:
            update_finding(session, b1.uid, fields={"event": "CRS", "n": "51", "N": "100"})
            export_pack(session, packs[5])
        yield packs


def _state(library: Path) -> dict[str, Any]:
    with sqlite3.connect(library) as db:
        findings = db.execute(
            "SELECT f.uid, f.signed, f.signature, f.revision, f.deleted_at, f.fields, r.uid "
            "FROM findings f JOIN reviewers r ON r.id = f.reviewer_id ORDER BY f.uid"
        ).fetchall()
        articles = db.execute(
            "SELECT a.uid, (SELECT group_concat(uid) FROM (SELECT uid FROM article_aliases "
            "WHERE article_id = a.id ORDER BY uid)) FROM articles a ORDER BY a.uid"
        ).fetchall()
        collections = db.execute(
            "SELECT c.uid, c.signed, (SELECT group_concat(a.uid) FROM (SELECT a.uid FROM "
            "collection_articles ca JOIN articles a ON a.id = ca.article_id "
            "WHERE ca.collection_id = c.id ORDER BY a.uid) a) FROM collections c ORDER BY c.uid"
        ).fetchall()
        # The reviewers whose work is held (the merging person is known to their own
        # library too, whatever they merged).
        reviewers = db.execute(
            "SELECT uid, public_key FROM reviewers WHERE id IN (SELECT reviewer_id FROM "
            "findings) OR uid IN (SELECT creator_uid FROM collections) ORDER BY uid"
        ).fetchall()
    return {
        "findings": findings,
        "articles": articles,
        "collections": collections,
        "reviewers": reviewers,
    }


def _merged(folder: Path, name: str, packs: list[Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    person = Member(folder, name, monkeypatch)
    with person.acting() as session:
        for pack in packs:
            assert import_pack(session, pack).status in ("merged", "unchanged")
    return person.library


@pytest.fixture(scope="module")
def reference(club_packs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        library = _merged(tmp_path_factory.mktemp("reference"), "Dee", club_packs, monkeypatch)
        state = _state(library)
    assert len(state["findings"]) == 4 and len(state["articles"]) == 2
    assert len(state["collections"]) == 1
    return state


@st.composite
def merge_orders(draw: st.DrawFn) -> list[int]:
    """Every pack at least once, in any order, some of them again."""
    repeats = draw(st.lists(st.integers(0, PACKS - 1), max_size=4))
    return draw(st.permutations([*range(PACKS), *repeats]))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=merge_orders())
def test_any_order_with_repeats_gives_the_same_library(
    club_packs: list[Path],
    reference: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    order: list[int],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        library = _merged(Path(folder), "Eve", [club_packs[i] for i in order], monkeypatch)
        assert _state(library) == reference


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=merge_orders(), split=st.integers(1, PACKS))
def test_packs_relayed_through_a_third_library_give_the_same_library(
    club_packs: list[Path],
    reference: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    order: list[int],
    split: int,
) -> None:
    """Frank merges some packs and hands on his whole library; Gina merges his pack with the
    rest, in any order."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        frank = Member(root, "Frank", monkeypatch)
        with frank.acting() as session:
            for i in order[:split]:
                import_pack(session, club_packs[i])
            relay = root / "relay.rvpack"
            export_pack(session, relay)
        rest = [club_packs[i] for i in order[split:]]
        packs = [*rest[: len(rest) // 2], relay, *rest[len(rest) // 2 :]]
        state = _state(_merged(root, "Gina", packs, monkeypatch))
        assert state == reference
