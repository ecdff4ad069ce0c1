"""Review packs between real libraries: export, import, merge by revision, authorship, texts
that differ, and every kind of bad pack refused with the library unchanged."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from reviewapp.core import signing
from reviewapp.core.exchange import finding_payload, new_nonce, owned_uid
from reviewapp.packs.format import PackArticle, PackFinding, PackReviewer
from reviewapp.packs.writer import Signer, write_pack
from reviewapp.services import reading
from reviewapp.services.findings import create_finding, delete_finding, update_finding
from reviewapp.services.identity import current_identity
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.organise import add_to_collection, create_collection
from reviewapp.services.packs import export_pack, import_pack
from tests.club import ARTICLE_TEXT, SECOND_TEXT, Member, write_article

QUOTE = "The objective response rate was 40% (40/100) with tarlatamab 10 mg."


@pytest.fixture
def moderator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Member:
    return Member(tmp_path, "Ana Ruiz", monkeypatch)


@pytest.fixture
def member(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Member:
    return Member(tmp_path, "Ben Okafor", monkeypatch)


def _club_question(moderator: Member, tmp_path: Path) -> tuple[Path, str]:
    """The moderator imports two articles, makes a collection, tags a finding, exports."""
    with moderator.acting() as session:
        folder = tmp_path / "incoming"
        write_article(folder, "tarlatamab.txt", ARTICLE_TEXT)
        write_article(folder, "alemtuzumab.txt", SECOND_TEXT)
        ids = [r.article_ids[0] for r in import_paths(session, [folder])]
        question = create_collection(session, "Relapsed SCLC", "What after platinum?")
        add_to_collection(session, question.id, ids)
        finding = create_finding(
            session,
            session.library.articles.by_uid(_article_uid(session, "tarlatamab")) or 0,
            "efficacy",
            quote=QUOTE,
            fields={"endpoint": "ORR", "measure": "rate", "value": "40", "unit": "%"},
        )
        pack = tmp_path / "question.rvpack"
        report = export_pack(session, pack, collection="Relapsed SCLC")
    assert (report.articles, report.findings, report.collections) == (2, 1, 1)
    return pack, finding.uid


def test_a_collection_travels_with_its_articles_and_signed_findings(
    moderator: Member, member: Member, tmp_path: Path
) -> None:
    pack, finding_uid = _club_question(moderator, tmp_path)
    with member.acting() as session:
        report = import_pack(session, pack)
        assert report.status == "merged"
        assert (report.articles_new, report.findings_new, report.collections_new) == (2, 1, 1)
        collections = reading.collections(session)
        assert [(c.name, c.article_count) for c in collections] == [("Relapsed SCLC", 2)]
        found = session.library.findings.list()
        assert [f.uid for f in found] == [finding_uid]
        assert found[0].reviewer == "Ana Ruiz" and found[0].signed and found[0].anchored
        assert session.search("tarlatamab")  # the index took the new articles
        again = import_pack(session, pack)
    assert again.status == "unchanged" and again.findings_unchanged == 1
    assert member.exchange_state() == moderator.exchange_state()


def test_only_the_author_changes_a_finding_and_the_newer_revision_wins(
    moderator: Member, member: Member, tmp_path: Path
) -> None:
    pack, finding_uid = _club_question(moderator, tmp_path)
    with member.acting() as session:
        import_pack(session, pack)
        with pytest.raises(ServiceError, match="only Ana Ruiz can change"):
            update_finding(session, finding_uid, note="mine now")
        with pytest.raises(ServiceError, match="only Ana Ruiz can change"):
            delete_finding(session, finding_uid)
    with moderator.acting() as session:
        update_finding(session, finding_uid, note="confirmed in table 2")
        newer = tmp_path / "newer.rvpack"
        export_pack(session, newer, collection="Relapsed SCLC")
        delete_finding(session, finding_uid)
        deleted = tmp_path / "deleted.rvpack"
        export_pack(session, deleted, collection="Relapsed SCLC")
    with member.acting() as session:
        assert import_pack(session, deleted).findings_deleted == 1
        assert import_pack(session, newer).findings_unchanged == 1  # older: no way back
        assert import_pack(session, pack).findings_unchanged == 1
        held = session.library.findings.list(include_deleted=True)
    assert held[0].deleted_at is not None and held[0].revision == 3
    assert member.exchange_state() == moderator.exchange_state()


def test_findings_relayed_by_a_third_library_still_check(
    moderator: Member, member: Member, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack, _uid = _club_question(moderator, tmp_path)
    with member.acting() as session:
        import_pack(session, pack)
        relayed = tmp_path / "relayed.rvpack"
        export_pack(session, relayed)  # the whole library: Ana's findings, Ben's signature
    third = Member(tmp_path, "Carla Mendes", monkeypatch)
    with third.acting() as session:
        report = import_pack(session, relayed)
    assert report.findings_new == 1 and not report.refused
    assert third.exchange_state() == moderator.exchange_state()


def test_a_copy_with_other_text_reanchors_the_quote_or_keeps_it_unanchored(
    moderator: Member, member: Member, tmp_path: Path
) -> None:
    pack, _finding_uid = _club_question(moderator, tmp_path)
    with member.acting() as session:
        # The member's copy of the tarlatamab paper: the same DOI, other text around it,
        # and the alemtuzumab paper as an abstract lacking the moderator's later quote.
        copy = "Tarlatamab after platinum in small cell lung cancer: a phase 2 cohort\n\n"
        copy += "Abstract. A single-arm cohort. " + QUOTE + "\nDOI 10.1000/club.0001\n"
        write_article(tmp_path / "mine", "tarlatamab-abstract.txt", copy)
        import_paths(session, [tmp_path / "mine"])
        report = import_pack(session, pack)
        assert report.articles_matched == 1 and report.articles_new == 1
        [finding] = session.library.findings.list()
        text = session.library.articles.text(finding.article_id) or ""
        assert finding.anchored and text[finding.anchor.start : finding.anchor.end] == QUOTE
        assert finding.anchor.start == copy.index(QUOTE)
    with moderator.acting() as session:
        second = session.library.articles.by_uid(_article_uid(session, "alemtuzumab"))
        assert second is not None
        create_finding(
            session,
            second,
            "toxicity",
            quote="CMV viremia occurred in 14 of 60 patients (23.3%) during treatment",
            fields={"event": "CMV viremia", "n": "14", "N": "60", "incidence_pct": "23.3"},
        )
        export_pack(session, tmp_path / "more.rvpack", collection="Relapsed SCLC")
    with member.acting() as session:
        # The member's copy of the second article loses that sentence (another version).
        alemtuzumab = session.library.articles.by_uid(_article_uid(session, "alemtuzumab"))
        assert alemtuzumab is not None
        with session.library.transaction():
            session.library.db.execute(
                "UPDATE articles SET full_text = ? WHERE id = ?",
                [SECOND_TEXT.replace("CMV viremia occurred", "Viremia was seen"), alemtuzumab],
            )
        import_pack(session, tmp_path / "more.rvpack")
        unanchored = [f for f in session.library.findings.list() if not f.anchored]
    assert [f.fields["event"] for f in unanchored] == ["CMV viremia"]  # kept, not dropped


def _article_uid(session: LibrarySession, word: str) -> str:
    for row in reading.summaries(session):
        if word in row["title"].lower():
            return str(row["uid"])
    raise AssertionError(word)


def test_every_library_names_a_work_by_the_same_uid(
    moderator: Member, member: Member, tmp_path: Path
) -> None:
    """Both imported the paper on their own (two uids); after exchanging packs in either
    order, both call it by the least of the two."""
    for person in (moderator, member):
        with person.acting() as session:
            write_article(tmp_path / person.name, "paper.txt", ARTICLE_TEXT)
            import_paths(session, [tmp_path / person.name])
            export_pack(session, tmp_path / f"{person.name}.rvpack")
    uids = set()
    for person, other in ((moderator, member), (member, moderator)):
        with person.acting() as session:
            import_pack(session, tmp_path / f"{other.name}.rvpack")
            [row] = reading.summaries(session)
            uids.add(row["uid"])
            assert len(session.library.articles.aliases(row["id"])) == 1
    assert len(uids) == 1


# -- bad packs ---------------------------------------------------------------------------------


def _rezip(source: Path, target: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change.get(info.filename, old.read(info.filename)))


def _refused(member: Member, pack: Path, reason: str) -> None:
    before = member.findings_table()
    with member.acting() as session:
        report = import_pack(session, pack)
    assert report.status == "refused", report
    assert reason in report.message, report.message
    assert member.findings_table() == before


@pytest.fixture
def receiving(member: Member, moderator: Member, tmp_path: Path) -> Member:
    """The member's library, holding a finding of their own already."""
    with member.acting() as session:
        write_article(tmp_path / "own", "own.txt", SECOND_TEXT)
        [report] = import_paths(session, [tmp_path / "own"])
        create_finding(
            session,
            report.article_ids[0],
            "toxicity",
            quote="19 of 65",
            fields={"event": "CMV viremia", "n": "19", "N": "65"},
        )
    return member


def test_a_pack_changed_after_signing_is_refused_whole(
    moderator: Member, receiving: Member, tmp_path: Path
) -> None:
    pack, _uid = _club_question(moderator, tmp_path)
    with zipfile.ZipFile(pack) as archive:
        findings = archive.read("findings.json")
    at = findings.index(b'"value":40')
    tampered = findings[:at] + b'"value":50' + findings[at + len(b'"value":40') :]
    _rezip(pack, tmp_path / "tampered.rvpack", {"findings.json": tampered})
    _refused(receiving, tmp_path / "tampered.rvpack", "changed after the pack was signed")


def test_a_forged_finding_is_refused_and_named(
    moderator: Member, receiving: Member, tmp_path: Path
) -> None:
    """Ben makes a pack that carries a finding claiming to be Ana's, signed by a key that
    is not Ana's: the pack checks (Ben signed it), the finding does not."""
    pack, finding_uid = _club_question(moderator, tmp_path)
    with moderator.acting() as session:
        ana = current_identity()
        [original] = session.library.findings.list()
        article = session.library.articles.get(original.article_id)
        assert article is not None
    mallory_key = signing.new_private_key()
    nonce = new_nonce()
    forged = finding_payload(original, article.uid) | {
        "uid": owned_uid(ana.uid, nonce),
        "nonce": nonce,
        "fields": {"endpoint": "ORR", "measure": "rate", "value": 90, "unit": "%"},
    }
    with receiving.acting() as session:
        import_pack(session, pack)  # Ana's key is known to this library now
        ben = current_identity()
    write_pack(
        tmp_path / "forged.rvpack",
        Signer(ben.uid, ben.public_key, ben.sign_bytes),
        "2026-12-06T10:00:00.000+00:00",
        "articles",
        None,
        [
            PackReviewer(ben.uid, ben.name, ben.initials, ben.colour, ben.public_key),
            PackReviewer(ana.uid, ana.name, ana.initials, ana.colour, ben.public_key),
        ],
        [PackArticle(article)],
        [],
        [PackFinding(forged, signing.sign(mallory_key, forged), None)],
    )
    before = receiving.findings_table()
    with receiving.acting() as session:
        report = import_pack(session, tmp_path / "forged.rvpack")
    assert report.findings_new == 0
    assert [r.uid for r in report.refused] == [forged["uid"]]
    assert "signature does not check" in report.refused[0].reason
    assert receiving.findings_table() == before
    assert finding_uid != forged["uid"]


def test_a_finding_claiming_a_known_reviewer_with_another_key_is_refused(
    moderator: Member, receiving: Member, tmp_path: Path
) -> None:
    pack, _uid = _club_question(moderator, tmp_path)
    with moderator.acting() as session:
        ana = current_identity()
        [original] = session.library.findings.list()
        article = session.library.articles.get(original.article_id)
        assert article is not None
    with receiving.acting() as session:
        import_pack(session, pack)
        ben = current_identity()
    impostor = signing.new_private_key()
    nonce = new_nonce()
    claim = finding_payload(original, article.uid) | {
        "uid": owned_uid(ana.uid, nonce),
        "nonce": nonce,
    }
    write_pack(
        tmp_path / "impostor.rvpack",
        Signer(ben.uid, ben.public_key, ben.sign_bytes),
        "2026-12-06T10:00:00.000+00:00",
        "articles",
        None,
        [
            PackReviewer(ben.uid, ben.name, ben.initials, ben.colour, ben.public_key),
            PackReviewer(
                ana.uid, ana.name, ana.initials, ana.colour, signing.public_key_text(impostor)
            ),
        ],
        [PackArticle(article)],
        [],
        [PackFinding(claim, signing.sign(impostor, claim), None)],
    )
    before = receiving.findings_table()
    with receiving.acting() as session:
        report = import_pack(session, tmp_path / "impostor.rvpack")
    assert [r.uid for r in report.refused] == [claim["uid"]]
    assert "another key" in report.refused[0].reason
    assert receiving.findings_table() == before


def test_a_zip_with_path_names_is_refused(receiving: Member, tmp_path: Path) -> None:
    bad = tmp_path / "traversal.rvpack"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("../../etc/cron.d/evil", b"* * * * * root true\n")
        archive.writestr("manifest.json", b"{}")
    _refused(receiving, bad, "named like a path")
    assert not (tmp_path.parent / "etc").exists()


def test_a_zip_bomb_is_refused(receiving: Member, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.rvpack"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("findings.json", b"0" * (30 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    _refused(receiving, bomb, "ZIP bomb")


def test_a_truncated_pack_is_refused(moderator: Member, receiving: Member, tmp_path: Path) -> None:
    pack, _uid = _club_question(moderator, tmp_path)
    data = pack.read_bytes()
    cut = tmp_path / "half.rvpack"
    cut.write_bytes(data[: len(data) // 2])
    _refused(receiving, cut, "not a complete review pack")


def test_an_unsigned_document_fails_its_schema(
    moderator: Member, receiving: Member, tmp_path: Path
) -> None:
    """A pack whose documents do not follow the format is refused, whoever signed it: here a
    re-signed pack whose finding carries a key no finding has."""
    pack, _uid = _club_question(moderator, tmp_path)
    with zipfile.ZipFile(pack) as archive:
        findings = json.loads(archive.read("findings.json"))
        manifest = json.loads(archive.read("manifest.json"))
        seal = json.loads(archive.read("signature.json"))
    findings[0]["signed"]["sneaky"] = "<script>"
    data = json.dumps(findings).encode()
    manifest["members"]["findings.json"] = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }
    manifest_bytes = json.dumps(manifest).encode()
    with moderator.acting():
        ana = current_identity()
        seal["signature"] = ana.sign_bytes(manifest_bytes)
    out = tmp_path / "schema.rvpack"
    _rezip(
        pack,
        out,
        {
            "findings.json": data,
            "manifest.json": manifest_bytes,
            "signature.json": json.dumps(seal).encode(),
        },
    )
    _refused(receiving, out, "must not contain {'sneaky'} properties")


def test_a_pack_must_be_named_rvpack_and_not_overwrite_the_library(
    moderator: Member, tmp_path: Path
) -> None:
    with moderator.acting() as session:
        write_article(tmp_path / "a", "a.txt", ARTICLE_TEXT)
        import_paths(session, [tmp_path / "a"])
        with pytest.raises(ServiceError, match=r"ending in \.rvpack"):
            export_pack(session, tmp_path / "pack.zip")
        with pytest.raises(ServiceError, match="does not exist"):
            export_pack(session, tmp_path / "missing" / "pack.rvpack")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".zip", ".rvpack")) == []
