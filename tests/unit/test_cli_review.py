"""The dual-review terminal contract: review done/undone, collection blind/reveal,
disagreements, agreement and consensus; names of commands, options and JSON keys are
promises (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terminal import Person
from tests.unit.test_cli_club import QUOTE

WATCHED = "with particular attention to cytomegalovirus (CMV) viremia"


@pytest.fixture
def carla(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Person:
    return Person(tmp_path, "Carla Mendes", capsys, monkeypatch)


def _tag(person: Person, article: int, quote: str, **fields: str) -> str:
    options = [x for k, v in fields.items() for x in ("--field", f"{k}={v}")]
    made = person.json("tag", str(article), "--category", "toxicity", "--quote", quote, *options)
    return str(made["uid"])


def _blind_round(ana: Person, ben: Person, one: int, folder: Path) -> str:
    """Ana makes the collection blind; each tags and finishes on their own, seeing only
    their own findings; returns Ben's finding on the during-treatment sentence."""
    ana.json("collection", "create", "CMV")
    ana.json("collection", "add", "CMV", str(one))
    blind = ana.json("collection", "blind", "CMV")
    assert blind["blind"] is True and blind["revealed_by"] is None
    _tag(ana, one, QUOTE, event="CMV viremia", n="14", N="60")
    _tag(ana, one, WATCHED, event="CMV viremia")
    assert ana.json("review", "done", str(one)) == {"changed": [one], "done": True}
    assert ana.json("review", "done", str(one))["changed"] == []  # already done
    ana.json("club", "sync", str(folder), "--collection", "CMV")

    ben.json("club", "sync", str(folder))
    code, _out, err = ben("collection", "reveal", "CMV")
    assert code == 1 and "Ana Ruiz" in err  # only the moderator reveals
    ben_article = ben.json("findings")  # Ana's findings arrived, but are not Ben's to see
    assert ben_article == []
    ben_cmv = _tag(ben, _only_article(ben), QUOTE, event="CMV viremia", n="14", N="65")
    ben.json("review", "done", str(_only_article(ben)))
    assert [f["reviewer"] for f in ben.json("findings")] == ["Ben Okafor"]
    assert ben.json("search", "reviewer:ana") == []
    assert ben.json("search", "viremia")  # his own finding's article is found
    shown = ben.json("show", str(_only_article(ben)))
    assert {f["reviewer"] for f in shown["findings"]} == {"Ben Okafor"}
    ben.json("club", "sync", str(folder))
    ana.json("club", "sync", str(folder))
    assert {f["reviewer"] for f in ana.json("findings")} == {"Ana Ruiz"}
    assert ana.json("disagreements") == []  # nothing to compare while blind
    code, _out, err = ana("consensus", ben_cmv)  # his finding is stored here, but hidden
    assert code == 1 and "blind collection" in err
    return ben_cmv


def test_blind_dual_review_from_the_terminal(
    ana: Person,
    ben: Person,
    articles: dict[str, int],
    tmp_path: Path,
) -> None:
    folder = tmp_path / "club"
    folder.mkdir()
    ben_cmv = _blind_round(ana, ben, articles["alemtuzumab"], folder)
    revealed = ana.json("collection", "reveal", "CMV")
    assert revealed["blind"] is False and revealed["revealed_by"] == ana.json("whoami")["uid"]
    ana.json("club", "sync", str(folder))
    ben.json("club", "sync", str(folder))
    assert {f["reviewer"] for f in ben.json("findings")} == {"Ana Ruiz", "Ben Okafor"}

    found = ana.json("disagreements", "--collection", "CMV")
    assert len(found) == 2
    for group in found:
        assert set(group) == {
            "group",
            "article_id",
            "article",
            "category",
            "sentence",
            "findings",
            "differing_fields",
            "missing_reviewers",
            "settled_by",
        }
        assert all(
            set(f) == {"reviewer", "uid", "quote", "fields", "note"} for f in group["findings"]
        )
    during, watched = sorted(found, key=lambda g: "attention" in g["sentence"])
    assert during["differing_fields"] == ["N"] and during["missing_reviewers"] == []
    assert watched["missing_reviewers"] == ["Ben Okafor"]
    assert [f["reviewer"] for f in during["findings"]] == ["Ana Ruiz", "Ben Okafor"]

    figures = ana.json("agreement", "--collection", "CMV")
    toxicity = figures["categories"]["toxicity"]
    assert toxicity["units"] > 5
    [pair] = toxicity["pairs"]
    assert (pair["a"], pair["b"]) == ("Ana Ruiz", "Ben Okafor")
    assert set(pair) >= {"a", "b", "cohen_kappa", "ci95", "positive_agreement"}
    assert pair["positive_agreement"] == pytest.approx(2 * 1 / (2 + 1), abs=1e-4)
    assert len(pair["ci95"]) == 2 and pair["ci95"][0] <= pair["cohen_kappa"] <= pair["ci95"][1]
    assert set(toxicity) >= {"units", "pairs", "fleiss_kappa", "krippendorff_alpha"}
    assert figures["categories"]["mechanism"]["krippendorff_alpha"] is None
    assert figures["disagreements"] == {"settled": 0, "open": 2}
    code, out, _err = ana("agreement")
    assert code == 0 and "Cohen's κ" in out and "2 open" in out

    code, _out, err = ben("consensus", ben_cmv)
    assert code == 1 and "only the collection's moderator (Ana Ruiz)" in err
    code, _out, err = ana("consensus", ben_cmv, "--field", "N=sixty")
    assert code == 1 and "N" in err
    [settled] = ana.json("consensus", ben_cmv, "--field", "N=60", "--note", "table 2 says 60")
    assert settled["status"] == "consensus" and settled["fields"]["N"] == 60
    assert settled["reviewer"] == "Ana Ruiz" and len(settled["settles"]) == 2
    code, _out, err = ana("consensus", ben_cmv)  # settled once is enough
    assert code == 1 and "you settled that group already" in err
    code, _out, err = ana("consensus", "--none", "G999")
    assert code == 1 and "no group G999" in err
    [nothing] = ana.json("consensus", "--none", watched["group"])
    assert nothing["status"] == "consensus"
    assert ana.json("disagreements", "--open") == []
    assert len(ana.json("disagreements")) == 2  # settled, still listed with their consensus
    assert ana.json("agreement")["disagreements"] == {"settled": 2, "open": 0}

    brief = tmp_path / "brief.pdf"
    code, _out, err = ana(
        "brief", "--out", str(brief), "--collection", "CMV", "--findings", "consensus"
    )
    assert code == 0, err
    assert brief.read_bytes().startswith(b"%PDF")


def test_review_marks_take_back_and_refuse_unknown_articles(
    ana: Person,
    articles: dict[str, int],
) -> None:
    ids = sorted(articles.values())
    assert ana.json("review", "done", *map(str, ids))["changed"] == ids
    assert ana.json("review", "undone", str(ids[0])) == {"changed": [ids[0]], "done": False}
    code, out, _err = ana("review", "undone", str(ids[0]))
    assert code == 0 and "0 articles marked not reviewed" in out
    code, _out, err = ana("review", "done", "999")
    assert code == 1 and "no article 999" in err
    code, _out, err = ana("collection", "blind", "Nothing by that name")
    assert code == 1 and "no collection called 'Nothing by that name'" in err


def _only_article(person: Person) -> int:
    [row] = person.json("list")
    return int(row["id"])
