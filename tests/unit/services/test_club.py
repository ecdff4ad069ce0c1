"""Three reviewers on one machine (three settings folders, three libraries, one shared club
folder) reach the same findings whatever order they sync in; files still arriving are
skipped and taken later; conflict copies change nothing; a second sync changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewapp.services import reading
from reviewapp.services.club import club_paths, club_sync, link_folder, own_pack_name
from reviewapp.services.findings import create_finding, delete_finding, update_finding
from reviewapp.services.identity import Identity, current_identity
from reviewapp.services.importing import import_paths
from reviewapp.services.library import ServiceError
from reviewapp.services.organise import add_to_collection, create_collection
from reviewapp.services.packs import export_pack, import_pack
from tests.club import ARTICLE_TEXT, SECOND_TEXT, Member, write_article


@pytest.fixture
def club(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Member], Path, Path]:
    """Ana moderates a question and exports it; Ben and Carla import it and get to work."""
    ana, ben, carla = (Member(tmp_path, n, monkeypatch) for n in ("Ana Ruiz", "Ben O", "Carla M"))
    folder = tmp_path / "Club (Dropbox)"
    folder.mkdir()
    with ana.acting() as session:
        write_article(tmp_path / "papers", "tarlatamab.txt", ARTICLE_TEXT)
        write_article(tmp_path / "papers", "alemtuzumab.txt", SECOND_TEXT)
        ids = [r.article_ids[0] for r in import_paths(session, [tmp_path / "papers"])]
        question = create_collection(session, "Relapsed SCLC", "Options after platinum?")
        add_to_collection(session, question.id, ids)
        pack = tmp_path / "question.rvpack"
        export_pack(session, pack, collection="Relapsed SCLC")
    for person, quote, fields in (
        (ben, "40% (40/100)", {"endpoint": "ORR", "value": "40", "unit": "%"}),
        (carla, "12 of 100", {"event": "neutropenia", "grade": "≥3", "n": "12", "N": "100"}),
    ):
        with person.acting() as session:
            import_pack(session, pack)
            [article] = [
                row["id"] for row in reading.summaries(session) if "Tarlatamab" in row["title"]
            ]
            category = "efficacy" if "endpoint" in fields else "toxicity"
            kept = create_finding(session, article, category, quote=quote, fields=fields)
            gone = create_finding(
                session, article, "mechanism", quote="tarlatamab", fields={"agent": "tarlatamab"}
            )
            update_finding(session, kept.uid, note=f"{person.name} checked it")
            delete_finding(session, gone.uid)
    return [ana, ben, carla], folder, pack


def _sync_round(members: list[Member], folder: Path) -> list[bool]:
    written = []
    for person in members:
        with person.acting() as session:
            written.append(club_sync(session, folder).written)
    return written


def test_three_reviewers_reach_the_same_findings_in_any_order(
    club: tuple[list[Member], Path, Path],
) -> None:
    (ana, ben, carla), folder, _pack = club
    _sync_round([ben, ana, carla], folder)
    _sync_round([carla, ana, ben], folder)
    states = [person.exchange_state() for person in (ana, ben, carla)]
    assert states[0] == states[1] == states[2]
    assert len(states[0]) == 4  # two findings each, one of them a tombstone
    assert sum(1 for row in states[0].values() if row[2] is not None) == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        own_pack_name(_identity(p)) for p in (ana, ben, carla)
    )
    tables = [person.findings_table() for person in (ana, ben, carla)]
    assert _sync_round([ana, carla, ben], folder) == [False, False, False]
    assert [person.findings_table() for person in (ana, ben, carla)] == tables
    for person in (ana, ben, carla):  # and nothing is even read again
        with person.acting() as session:
            result = club_sync(session, folder)
        assert not result.written
        assert {report.message for report in result.files} == {"unchanged since the last sync"}


def _identity(person: Member) -> Identity:
    with person.acting():
        return current_identity()


def test_a_file_still_arriving_is_skipped_and_taken_when_whole(
    club: tuple[list[Member], Path, Path],
) -> None:
    (ana, ben, _carla), folder, _pack = club
    _sync_round([ben], folder)
    [bens] = list(folder.iterdir())
    whole = bens.read_bytes()
    bens.write_bytes(whole[: len(whole) // 3])  # the sync client is still copying it
    with ana.acting() as session:
        result = club_sync(session, folder)
    [report] = result.files
    assert report.status == "skipped" and "read again once it changes" in report.message
    assert bens.name in report.file
    bens.write_bytes(whole)
    with ana.acting() as session:
        [report, *_] = club_sync(session, folder).files
    assert report.status == "merged" and report.findings_new == 2


def test_a_conflict_copy_merges_harmlessly(club: tuple[list[Member], Path, Path]) -> None:
    (ana, ben, _carla), folder, _pack = club
    _sync_round([ben, ana], folder)
    [bens] = [p for p in folder.iterdir() if p.name.startswith("ben")]
    shutil.copy(bens, folder / (bens.stem + " (conflicted copy 2026-12-06).rvpack"))
    before = ana.findings_table()
    with ana.acting() as session:
        result = club_sync(session, folder)
    statuses = {Path(r.file).name: r.status for r in result.files}
    assert statuses[bens.stem + " (conflicted copy 2026-12-06).rvpack"] == "unchanged"
    assert ana.findings_table() == before


def test_a_club_folder_must_exist(club: tuple[list[Member], Path, Path], tmp_path: Path) -> None:
    (ana, _ben, _carla), _folder, _pack = club
    with ana.acting() as session, pytest.raises(ServiceError, match="does not exist"):
        club_sync(session, tmp_path / "nowhere")


def test_two_collections_shared_through_one_folder_travel_in_one_pack(
    club: tuple[list[Member], Path, Path], tmp_path: Path
) -> None:
    (ana, ben, _carla), folder, _pack = club
    with ana.acting() as session:
        week2 = create_collection(session, "Week 2")
        add_to_collection(session, week2.id, session.library.articles.ids()[:1])
        first = club_sync(session, folder, ["Relapsed SCLC", "Week 2"])
        again = club_sync(session, folder, ["Week 2", "Relapsed SCLC"])
    assert first.written and not again.written  # the same two, in any order: no rewrite
    with ben.acting() as session:
        club_sync(session, folder)
        names = sorted(c.name for c in reading.collections(session))
    assert names == ["Relapsed SCLC", "Week 2"]


def test_the_window_watches_linked_folders_and_their_whole_packs(
    club: tuple[list[Member], Path, Path], tmp_path: Path
) -> None:
    (ana, _ben, _carla), folder, _pack = club
    gone = tmp_path / "unplugged drive"
    with ana.acting() as session:
        linked = {c.name: c.id for c in reading.collections(session)}
        link_folder(session, linked["Relapsed SCLC"], folder)
        assert club_paths(session) == [folder]
        club_sync(session, folder)
        (folder / ".ben-1234.rvpack.part").write_bytes(b"arriving")
        (folder / "notes.txt").write_text("agenda", encoding="utf-8")
        watched = club_paths(session)
        own = folder / own_pack_name(current_identity())
        week2 = create_collection(session, "Week 2")
        gone.mkdir()
        link_folder(session, week2.id, gone)
        gone.rmdir()
        after = club_paths(session)
    assert watched == [folder, own]
    assert after == watched  # a linked folder no longer there is not watched
