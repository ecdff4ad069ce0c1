"""What a hostile club member (or a stranger who knows someone's public key) can put in a
pack, and that none of it gets through: each case from a review of the pack code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewapp.core import signing
from reviewapp.services import reading
from reviewapp.services.briefs import build_brief
from reviewapp.services.club import club_sync
from reviewapp.services.findings import create_finding
from reviewapp.services.identity import current_identity
from reviewapp.services.importing import import_paths
from reviewapp.services.organise import add_to_collection, create_collection, delete_collection
from reviewapp.services.packs import export_pack, import_pack
from tests.club import ARTICLE_TEXT, Member, write_article
from tests.hostile import (
    Person,
    article,
    dump,
    finding_payload,
    raw_pack,
    signed,
)

ARTICLE = "22222222-2222-4222-8222-222222222222"


@pytest.fixture
def me(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Member:
    return Member(tmp_path, "Dana Okafor", monkeypatch)


@pytest.fixture
def mallory() -> Person:
    return Person("Mallory", "MA")


def _refused_finding(me: Member, pack: Path, reason: str) -> None:
    with me.acting() as session:
        report = import_pack(session, pack)
    assert report.status != "merged" or report.findings_new == 0, report
    reasons = [r.reason for r in report.refused] + [report.message]
    assert any(reason in r for r in reasons), reasons


def test_numbers_json_cannot_carry_are_refused_not_a_crash(
    me: Member, mallory: Person, tmp_path: Path
) -> None:
    payload = finding_payload(mallory, ARTICLE)
    entry = signed(mallory, payload, [0, 28])
    findings = dump([entry]).replace(b'"n": 12', b'"n": 1e999')
    pack = raw_pack(
        tmp_path / "inf.rvpack",
        mallory,
        [mallory.reviewer()],
        [article(ARTICLE)],
        replace={"findings.json": findings},
    )
    with me.acting() as session:
        report = import_pack(session, pack)
    assert report.status == "refused" and "not a number JSON allows" in report.message


@pytest.mark.parametrize("where", ["note", "title"])
def test_an_unpaired_surrogate_is_refused_not_a_crash(
    me: Member, mallory: Person, tmp_path: Path, where: str
) -> None:
    payload = finding_payload(mallory, ARTICLE, note="x")
    findings = dump([signed(mallory, payload, [0, 28])])
    articles = dump([article(ARTICLE, title="Neutropenia x")])
    if where == "note":
        findings = findings.replace(b'"note": "x"', b'"note": "\\ud800"')
    else:
        articles = articles.replace(b"Neutropenia x", b"Neutropenia \\udc00")
    pack = raw_pack(
        tmp_path / "surrogate.rvpack",
        mallory,
        [mallory.reviewer()],
        [],
        replace={"findings.json": findings, "articles.json": articles},
    )
    with me.acting():
        before = me.findings_table()
    with me.acting() as session:
        report = import_pack(session, pack)
    assert report.status == "refused" and "not UTF-8" in report.message
    assert me.findings_table() == before


def test_a_bad_file_in_the_club_folder_never_stops_the_sync(
    me: Member, mallory: Person, tmp_path: Path
) -> None:
    folder = tmp_path / "club"
    folder.mkdir()
    findings = dump([signed(mallory, finding_payload(mallory, ARTICLE), [0, 28])])
    raw_pack(
        folder / "mallory.rvpack",
        mallory,
        [mallory.reviewer()],
        [article(ARTICLE)],
        replace={"findings.json": findings.replace(b'"n": 12', b'"n": 1e999')},
    )
    with me.acting() as session:
        write_article(tmp_path / "mine", "paper.txt", ARTICLE_TEXT)
        import_paths(session, [tmp_path / "mine"])
        first = club_sync(session, folder)
        again = club_sync(session, folder)
    assert first.written and [r.status for r in first.files] == ["skipped"]
    # Refused once, the unchanged file is not read again: only named.
    assert [r.status for r in again.files] == ["skipped"]
    assert "not a number JSON allows" in again.files[0].message


def test_reviewers_of_one_name_never_clash(me: Member, tmp_path: Path) -> None:
    ben = Person("Ben", "BE", uid="abcdabcd-0000-4000-8000-000000000001")
    other = Person("Ben (BE abcdabcd)", "BE", uid="abcdabcd-0000-4000-8000-000000000002")
    third = Person("Ben", "BE", uid="abcdabcd-0000-4000-8000-000000000003")
    with me.acting() as session:
        for person in (ben, other, third):
            pack = raw_pack(
                tmp_path / f"{person.uid}.rvpack",
                person,
                [person.reviewer()],
                [article(ARTICLE)],
                [signed(person, finding_payload(person, ARTICLE), [0, 28])],
            )
            assert import_pack(session, pack).findings_new == 1
        names = sorted(r.name for r in reading.reviewers(session))
    assert len(set(names)) == len(names) == 4  # the three Bens and Dana


def test_nobody_can_take_the_local_users_uid(me: Member, mallory: Person, tmp_path: Path) -> None:
    """A pack that gives Dana's uid another key (and a finding "by Dana") is refused in
    that part, and Dana still tags and exports afterwards, even in a new library."""
    with me.acting():
        dana = current_identity()
    impostor = Person("Dana Okafor", "DO", uid=dana.uid)
    pack = raw_pack(
        tmp_path / "poison.rvpack",
        mallory,
        [mallory.reviewer(), impostor.reviewer()],
        [article(ARTICLE)],
        [signed(impostor, finding_payload(impostor, ARTICLE), [0, 28])],
    )
    with me.acting() as session:
        report = import_pack(session, pack)
        assert report.findings_new == 0 and len(report.refused) == 1
        [row] = [r for r in reading.reviewers(session) if r.uid == dana.uid]
        assert row.public_key == dana.public_key
        local = session.library.articles.by_uid(ARTICLE)
        assert local is not None
        create_finding(session, local, "toxicity", quote="Grade 3", fields={"event": "x"})
        export_pack(session, tmp_path / "mine.rvpack")


def test_a_pack_signed_by_someone_else_than_its_maker_is_refused_whole(
    me: Member, mallory: Person, tmp_path: Path
) -> None:
    ben = Person("Ben", "BE")
    with me.acting() as session:
        honest = raw_pack(tmp_path / "ben.rvpack", ben, [ben.reviewer()], [article(ARTICLE)])
        import_pack(session, honest)
    forged = raw_pack(
        tmp_path / "forged.rvpack",
        ben,
        [ben.reviewer(name="Mallory was here")],
        [article(ARTICLE)],
        seal_key=mallory.key,
    )
    with me.acting() as session:
        report = import_pack(session, forged)
        names = [r.name for r in reading.reviewers(session)]
    assert report.status == "refused" and "another key than the one it gives" in report.message
    assert "Ben" in names and "Mallory was here" not in names


def test_a_quote_that_repeats_is_anchored_in_linear_time(
    me: Member, mallory: Person, tmp_path: Path
) -> None:
    """Runs of 2,000 "a" and a quote of 2,001: each place almost matches (a regex took
    tens of seconds on a 4 KB pack); str.find takes milliseconds."""
    text = ("a" * 2000 + " ") * 100
    quote = "a" * 2001
    payload = finding_payload(mallory, ARTICLE, quote=quote, before="", after="")
    pack = raw_pack(
        tmp_path / "slow.rvpack",
        mallory,
        [mallory.reviewer()],
        [article(ARTICLE, text=text)],
        [signed(mallory, payload, None)],
    )
    with me.acting() as session:
        report = import_pack(session, pack)
        [held] = session.library.findings.list()
    assert report.findings_new == 1 and not held.anchored


def test_fields_that_do_not_pass_the_checks_are_refused(
    me: Member, mallory: Person, tmp_path: Path
) -> None:
    bad = finding_payload(mallory, ARTICLE, fields={"event": "x", "n": "twelve", "N": 5})
    pack = raw_pack(
        tmp_path / "bad.rvpack",
        mallory,
        [mallory.reviewer()],
        [article(ARTICLE)],
        [signed(mallory, bad, [0, 28])],
    )
    _refused_finding(me, pack, "do not pass the checks")
    with me.acting() as session:
        build_brief(session, tmp_path / "brief.pdf")  # the library still makes a brief


def test_a_uid_taken_from_someone_elses_finding_is_refused(
    me: Member, mallory: Person, tmp_path: Path
) -> None:
    ann = Person("Ann", "AN")
    real = finding_payload(ann, ARTICLE)
    squat = finding_payload(mallory, ARTICLE) | {"uid": real["uid"]}
    pack = raw_pack(
        tmp_path / "squat.rvpack",
        mallory,
        [mallory.reviewer()],
        [article(ARTICLE)],
        [signed(mallory, squat, [0, 28])],
    )
    _refused_finding(me, pack, "not its author's")


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
def test_copies_naming_one_work_by_different_identifiers_become_one(
    me: Member, mallory: Person, tmp_path: Path, order: tuple[int, int, int]
) -> None:
    copies = [
        article("11111111-1111-4111-8111-000000000001", doi="10.1000/one"),
        article("11111111-1111-4111-8111-000000000002", pmid="12345678"),
        article("11111111-1111-4111-8111-000000000003", doi="10.1000/one", pmid="12345678"),
    ]
    packs = [
        raw_pack(tmp_path / f"copy{i}.rvpack", mallory, [mallory.reviewer()], [copy])
        for i, copy in enumerate(copies)
    ]
    with me.acting() as session:
        for i in order:
            import_pack(session, packs[i])
        rows = reading.summaries(session)
        aliases = session.library.articles.aliases(rows[0]["id"])
    assert len(rows) == 1
    assert rows[0]["uid"] == "11111111-1111-4111-8111-000000000001"
    assert len(aliases) == 2


def _collection_pack(path: Path, creator: Person, name: str) -> Path:
    from reviewapp.core.exchange import collection_payload, new_nonce, owned_uid

    nonce = new_nonce()
    state = collection_payload(
        owned_uid(creator.uid, nonce),
        name,
        "",
        [ARTICLE],
        creator.uid,
        TIME,
        TIME,
        1,
        nonce=nonce,
    )
    return raw_pack(
        path,
        creator,
        [creator.reviewer()],
        [article(ARTICLE)],
        collections=[{"state": state, "signature": signing.sign(creator.key, state)}],
    )


TIME = "2026-12-06T10:00:00.000+00:00"


def test_collections_of_one_name_are_named_alike_in_every_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = Person("Ann", "AN"), Person("Bob", "BO")
    packs = [
        _collection_pack(tmp_path / "ann.rvpack", ann, "Journal club"),
        _collection_pack(tmp_path / "bob.rvpack", bob, "Journal club"),
    ]
    names = []
    for order, person in (((0, 1), "Eve"), ((1, 0), "Fay")):
        member = Member(tmp_path, person, monkeypatch)
        with member.acting() as session:
            for i in order:
                import_pack(session, packs[i])
            names.append(sorted(c.name for c in reading.collections(session)))
    assert names[0] == names[1] and len(set(names[0])) == 2
    assert all(name.startswith("Journal club (") for name in names[0])


def test_a_deleted_shared_collection_does_not_come_back(
    me: Member, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article(tmp_path / "p", "paper.txt", ARTICLE_TEXT)
    with me.acting() as session:
        import_paths(session, [tmp_path / "p"])
        week = create_collection(session, "Week 1")
        add_to_collection(session, week.id, session.library.articles.ids())
        export_pack(session, tmp_path / "old.rvpack")
        delete_collection(session, week.id)
        export_pack(session, tmp_path / "new.rvpack")
        assert reading.collections(session) == []
        import_pack(session, tmp_path / "old.rvpack")  # a member relays the old state
        assert reading.collections(session) == []
    member = Member(tmp_path, "Eve", monkeypatch)
    with member.acting() as session:
        import_pack(session, tmp_path / "old.rvpack")
        assert [c.name for c in reading.collections(session)] == ["Week 1"]
        import_pack(session, tmp_path / "new.rvpack")
        assert reading.collections(session) == []
        # Eve deletes someone else's collection: hidden here only.
    shutil.rmtree(tmp_path / "p")
