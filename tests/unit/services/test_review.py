"""Three reviewers through one club folder: a blind collection hides the others' findings
in every view (lists, counts, search, exports, the brief) until its moderator reveals it;
then disagreements, agreement and a consensus brief with its appendix."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pypdf import PdfReader

from reviewapp.core.models import Status, Verdict
from reviewapp.services import reading
from reviewapp.services.briefs import build_brief
from reviewapp.services.club import club_sync
from reviewapp.services.exports import export
from reviewapp.services.findings import create_finding, list_findings, update_finding
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.organise import add_to_collection, create_collection
from reviewapp.services.packs import export_pack, import_pack
from reviewapp.services.review import (
    agreement,
    consensus,
    consensus_none,
    group_json,
    groups,
    mark_reviewed,
    review_data,
    set_blind,
)
from tests.club import ARTICLE_TEXT, SECOND_TEXT, Member, write_article
from tests.pdf_reading import pdf_text

CMV = "CMV viremia occurred in 14 of 60 patients (23.3%)"
CRS = "Cytokine release syndrome occurred in 51 of\n100 patients (51%)"
ORR = "The objective response rate was 40% (40/100)"


def _article(session: LibrarySession, word: str) -> int:
    return next(
        int(r["id"]) for r in reading.summaries(session) if word.lower() in r["title"].lower()
    )


def _sync(members: list[Member], folder: Path) -> None:
    for person in members:
        with person.acting() as session:
            club_sync(session, folder)


@pytest.fixture
def club(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Member], Path]:
    ana, ben, carla = (Member(tmp_path, n, monkeypatch) for n in ("Ana Ruiz", "Ben O", "Carla M"))
    folder = tmp_path / "club"
    folder.mkdir()
    with ana.acting() as session:
        write_article(tmp_path / "papers", "tarlatamab.txt", ARTICLE_TEXT)
        write_article(tmp_path / "papers", "alemtuzumab.txt", SECOND_TEXT)
        import_paths(session, [tmp_path / "papers"])
        question = create_collection(session, "Relapsed disease")
        add_to_collection(session, question.id, session.library.articles.ids())
        set_blind(session, "Relapsed disease", True)
        export_pack(session, tmp_path / "question.rvpack", collection="Relapsed disease")
    plans = {
        ana: [("alemtuzumab", "toxicity", CMV, {"event": "CMV viremia", "n": "14", "N": "60"})],
        ben: [
            ("alemtuzumab", "toxicity", CMV, {"event": "CMV viremia", "n": "14", "N": "65"}),
            ("Tarlatamab", "toxicity", CRS, {"event": "CRS", "n": "51", "N": "100"}),
        ],
        carla: [
            ("alemtuzumab", "toxicity", CMV, {"event": "CMV viremia", "n": "14", "N": "60"}),
            ("Tarlatamab", "efficacy", ORR, {"endpoint": "ORR", "value": "40", "unit": "%"}),
        ],
    }
    for person, findings in plans.items():
        with person.acting() as session:
            if person is not ana:
                import_pack(session, tmp_path / "question.rvpack")
            for word, category, quote, fields in findings:
                create_finding(
                    session,
                    _article(session, word),
                    category,
                    quote=quote,
                    fields=fields,
                    note=f"{person.name} read this twice",
                )
            mark_reviewed(session, session.library.articles.ids())
    _sync([ana, ben, carla, ana, ben, carla], folder)
    return [ana, ben, carla], folder


def test_while_blind_each_reviewer_sees_only_their_own_findings_everywhere(
    club: tuple[list[Member], Path], tmp_path: Path
) -> None:
    (ana, ben, carla), _folder = club
    # Everyone's findings are received and stored (5 in all)...
    assert len(ben.exchange_state()) == 5
    with ben.acting() as session:
        mine = list_findings(session)
        assert {f.reviewer for f in mine} == {"Ben O"} and len(mine) == 2
        article = _article(session, "alemtuzumab")
        _a, shown = reading.article_with_findings(session, article)
        assert [f.reviewer for f in shown] == ["Ben O"]
        assert reading.counts(session).findings == 2
        assert sum(row.finding_count for row in reading.table_rows(session, [article])) == 1
        for query in ("reviewer:carla", "category:efficacy", "Carla", "twice reviewer:ana"):
            assert session.search(query) == [], query
        assert session.search("reviewer:ben")
        build_brief(session, tmp_path / "ben.pdf", collection="Relapsed disease")
        export(session, "csv", tmp_path / "ben.csv", None, "Relapsed disease")
        with pytest.raises(ServiceError, match="is blind"):
            review_data(session, "Relapsed disease")
        with pytest.raises(ServiceError, match="only Ana Ruiz"):
            set_blind(session, "Relapsed disease", False)
    text = pdf_text(PdfReader(tmp_path / "ben.pdf"))
    assert "Ben O read this twice" in text and "Carla M" not in text and "Ana Ruiz" not in text
    with (tmp_path / "ben.csv").open(encoding="utf-8") as handle:
        assert {row["reviewer"] for row in csv.DictReader(handle)} == {"Ben O"}
    with ana.acting() as session:  # the moderator too
        assert {f.reviewer for f in list_findings(session)} == {"Ana Ruiz"}
    with carla.acting() as session:
        assert {f.reviewer for f in list_findings(session)} == {"Carla M"}


def test_after_the_reveal_disagreements_agreement_and_a_consensus_brief(
    club: tuple[list[Member], Path], tmp_path: Path
) -> None:
    (ana, ben, carla), folder = club
    with ana.acting() as session:
        revealed = set_blind(session, "Relapsed disease", False)
        assert revealed.revealed_by is not None and revealed.revealed_at is not None
    _sync([ana, ben, carla], folder)
    with ben.acting() as session:
        assert {f.reviewer for f in list_findings(session)} == {"Ana Ruiz", "Ben O", "Carla M"}
        assert session.search("reviewer:carla")
    with ana.acting() as session:
        data = review_data(session, "Relapsed disease")
        open_groups = groups(data)
        assert sorted(g.category for g in open_groups) == ["efficacy", "toxicity", "toxicity"]
        found = {
            ("cmv" if "CMV" in g.sentence else "crs" if "Cytokine" in g.sentence else "orr"): g
            for g in open_groups
        }
        described = {key: group_json(g, data) for key, g in found.items()}
        assert described["cmv"]["differing_fields"] == ["N"]
        assert described["cmv"]["missing_reviewers"] == []
        assert described["crs"]["missing_reviewers"] == ["Ana Ruiz", "Carla M"]
        assert described["orr"]["missing_reviewers"] == ["Ana Ruiz", "Ben O"]
        assert len(groups(data, disagreements_only=False)) == 3  # nothing agreed outright
        figures = agreement(session, "Relapsed disease").to_json()
        toxicity = figures["categories"]["toxicity"]
        assert toxicity["units"] > 10 and len(toxicity["pairs"]) == 3
        assert set(toxicity["pairs"][0]) == {
            "a",
            "b",
            "units",
            "cohen_kappa",
            "ci95",
            "positive_agreement",
        }
        assert figures["categories"]["mechanism"]["krippendorff_alpha"] is None
        assert figures["disagreements"]["open"] == 3
        cmv_ben = next(f["uid"] for f in described["cmv"]["findings"] if f["reviewer"] == "Ben O")
        settled = consensus(session, cmv_ben, {"N": "60"}, note="60 in table 2")
        assert settled.status is Status.CONSENSUS and settled.verdict is Verdict.AGREED
        assert settled.reviewer == "Ana Ruiz" and settled.fields["N"] == 60
        assert len(settled.settles) == 3
        consensus_none(session, [found["orr"].id])
        consensus(session, described["crs"]["findings"][0]["uid"])
        assert agreement(session, "Relapsed disease").to_json()["disagreements"] == {
            "settled": 3,
            "open": 0,
        }
        report = build_brief(
            session,
            tmp_path / "consensus.pdf",
            collection="Relapsed disease",
            scope="consensus",
            audience="journal-club",
        )
    assert report.findings == 2  # the agreed ones; "nothing there" is a line, not a finding
    text = pdf_text(PdfReader(tmp_path / "consensus.pdf"))
    for expected in (
        "Agreement appendix",
        "Ana Ruiz, Ben O, Carla M",
        "Cohen's κ",
        "Disagreements: 3 settled",
        "settled: every disagreement has the club's consensus",
        "The club found nothing here",
        "60 in table 2",
    ):
        assert expected in text, expected
    with ben.acting() as session:  # the consensus travels to the members too
        club_sync(session, folder)
    _sync([ana, ben], folder)
    with ben.acting() as session:
        agreed = [f for f in list_findings(session) if f.status is Status.CONSENSUS]
        assert len(agreed) == 3


def test_reviewed_marks_are_signed_and_travel(club: tuple[list[Member], Path]) -> None:
    (ana, ben, _carla), folder = club
    with ben.acting() as session:
        article = _article(session, "Tarlatamab")
        assert mark_reviewed(session, [article], done=False) == [article]
        assert mark_reviewed(session, [article], done=False) == []
    _sync([ben, ana], folder)
    with ana.acting() as session:
        done = reading.table_rows(session, [_article(session, "Tarlatamab")])[0].reviewed_by
    assert done is not None and "BO" not in done.split()


def test_a_consensus_counts_only_from_the_collections_moderator(
    club: tuple[list[Member], Path],
) -> None:
    """Ben cannot settle Ana's question by making a collection of his own."""
    (ana, ben, _carla), folder = club
    with ana.acting() as session:
        set_blind(session, "Relapsed disease", False)
    _sync([ana, ben], folder)
    with ben.acting() as session:
        with pytest.raises(ServiceError, match=r"only the collection's moderator \(Ana Ruiz\)"):
            consensus(session, _cmv_of(session, "Ben O"))
        mine = create_collection(session, "Ben's reading")
        add_to_collection(session, mine.id, [_article(session, "alemtuzumab")])
        consensus(session, _cmv_of(session, "Ben O"))  # his own question: he moderates it
    _sync([ben, ana], folder)
    with ana.acting() as session:
        question = review_data(session, "Relapsed disease")
        cmv = next(g for g in groups(question) if "CMV" in g.sentence)
        assert cmv.settled_by is None  # still open in Ana's question
        assert next(g for g in groups(review_data(session, "Ben's reading"))).settled_by
        settled = consensus(session, _cmv_of(session, "Ana Ruiz"))
        assert settled.status is Status.CONSENSUS


def test_a_rejected_finding_is_not_rated_nor_grouped(club: tuple[list[Member], Path]) -> None:
    (ana, ben, carla), folder = club
    with ana.acting() as session:
        set_blind(session, "Relapsed disease", False)
        before = agreement(session, "Relapsed disease").to_json()
    _sync([ana, ben, carla], folder)
    with carla.acting() as session:
        orr = next(f for f in list_findings(session) if f.category.value == "efficacy")
        update_finding(session, orr.id or 0, status=Status.REJECTED)
    _sync([carla, ana], folder)
    with ana.acting() as session:
        after = agreement(session, "Relapsed disease").to_json()
        assert after["disagreements"]["open"] == before["disagreements"]["open"] - 1
        assert all(g.category != "efficacy" for g in groups(review_data(session)))


def _cmv_of(session: LibrarySession, reviewer: str) -> str:
    return next(
        f.uid for f in list_findings(session) if f.reviewer == reviewer and "CMV" in f.quote
    )
