"""The club's terminal contract: whoami, collection, edit that keeps fields, pack export and
import, club sync; names of commands, options and JSON keys are promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp.cli import main
from tests.terminal import Person

QUOTE = "it occurred in 23.3% (14/60) of patients during alemtuzumab"


def test_whoami(ana: Person, monkeypatch: pytest.MonkeyPatch) -> None:
    me = ana.json("whoami")
    assert set(me) == {"uid", "name", "initials", "colour", "fingerprint", "public_key"}
    assert (me["name"], me["initials"]) == ("Ana Ruiz", "AR")
    assert ana.json("whoami") == me  # kept, not made again
    code, out, _err = ana("whoami")
    assert code == 0 and me["fingerprint"] in out
    assert not ana.library.exists()  # whoami needs no library
    monkeypatch.delenv("REVIEWAPP_REVIEWER")
    assert main(["whoami"]) == 1


def test_collections_from_the_terminal(ana: Person, ben: Person, articles: dict[str, int]) -> None:
    made = ana.json("collection", "create", "Relapsed SCLC", "--question", "After platinum?")
    assert set(made) == {"id", "uid", "name", "question"}
    added = ana.json(
        "collection",
        "add",
        "relapsed sclc",
        str(articles["alveltamig"]),
        str(articles["fictional"]),
    )
    assert added == {
        "collection": "relapsed sclc",
        "changed": [articles["alveltamig"], articles["fictional"]],
    }
    assert ana.json("collection", "remove", "Relapsed SCLC", str(articles["fictional"]))[
        "changed"
    ] == [articles["fictional"]]
    [listed] = ana.json("collection", "list")
    assert set(listed) == {
        "id",
        "uid",
        "name",
        "question",
        "articles",
        "moderator",
        "blind",
        "revealed_by",
        "revealed_at",
    }
    assert (listed["name"], listed["articles"]) == ("Relapsed SCLC", 1)
    assert listed["moderator"] == ana.json("whoami")["uid"]
    code, _out, err = ana("collection", "add", "No such question", "1")
    assert code == 1 and "no collection called 'No such question'" in err
    code, _out, err = ana("collection", "add", "Relapsed SCLC", "999")
    assert code == 1 and "no article 999" in err
    # Ben works in Ana's library file (a shared laptop): the collection is still Ana's.
    ben.library = ana.library
    code, _out, err = ben("collection", "add", "Relapsed SCLC", str(articles["fictional"]))
    assert code == 1 and "only Ana Ruiz" in err and "moderates it" in err


def test_edit_changes_only_the_fields_it_names(ana: Person, articles: dict[str, int]) -> None:
    finding = ana.json(
        "tag",
        str(articles["alemtuzumab"]),
        "--category",
        "toxicity",
        "--quote",
        QUOTE,
        "--field",
        "event=CMV viremia",
        "--field",
        "n=14",
        "--field",
        "N=60",
        "--field",
        "incidence_pct=23.3",
    )
    assert finding["revision"] == 1 and finding["anchored"] is True
    edited = ana.json("edit", finding["uid"], "--field", "grade=3")
    assert edited["fields"] == {
        "event": "CMV viremia",
        "n": 14,
        "N": 60,
        "incidence_pct": 23.3,
        "grade": "3",
    }
    assert edited["revision"] == 2
    cleared = ana.json("edit", finding["uid"], "--clear-field", "incidence_pct")
    assert "incidence_pct" not in cleared["fields"] and cleared["fields"]["grade"] == "3"
    code, _out, err = ana("edit", finding["uid"], "--clear-field", "event")
    assert code == 1 and "event: required" in err


def test_pack_export_import_and_club_sync(
    ana: Person, ben: Person, articles: dict[str, int], tmp_path: Path
) -> None:
    ana.json("collection", "create", "Q")
    ana.json("collection", "add", "Q", str(articles["alemtuzumab"]))
    ana.json(
        "tag",
        str(articles["alemtuzumab"]),
        "--category",
        "toxicity",
        "--quote",
        QUOTE,
        "--field",
        "event=CMV viremia",
    )
    pack = tmp_path / "q.rvpack"
    exported = ana.json("pack", "export", "--out", str(pack), "--collection", "Q")
    assert set(exported) == {
        "path",
        "articles",
        "findings",
        "collections",
        "reviewers",
        "bytes",
        "unsigned_skipped",
    }
    assert (exported["articles"], exported["findings"], exported["collections"]) == (1, 1, 1)
    [report] = ben.json("pack", "import", str(pack))
    assert set(report) == {
        "file",
        "status",
        "message",
        "made_by",
        "made_by_initials",
        "articles_new",
        "articles_matched",
        "findings_new",
        "findings_updated",
        "findings_unchanged",
        "findings_deleted",
        "collections_new",
        "collections_updated",
        "marks_changed",
        "refused",
    }
    assert (report["status"], report["findings_new"], report["made_by"]) == (
        "merged",
        1,
        "Ana Ruiz",
    )
    broken = tmp_path / "broken.rvpack"
    broken.write_bytes(pack.read_bytes()[:100])
    code, out, err = ben("pack", "import", str(broken))
    assert code == 1 and err.startswith("reviewapp: broken.rvpack is not a complete review pack")
    assert err.count("\n") == 1

    folder = tmp_path / "club"
    folder.mkdir()
    synced = ana.json("club", "sync", str(folder))
    assert set(synced) == {"folder", "own_file", "written", "files"}
    assert synced["written"] and Path(synced["own_file"]).name.startswith("ana-ruiz-")
    synced = ben.json("club", "sync", str(folder), "--collection", "Q")
    assert [(f["status"], f["articles_new"]) for f in synced["files"]] == [("merged", 2)]
    assert Path(synced["own_file"]).name.startswith("ben-okafor-")
    code, out, _err = ana("club", "sync", str(folder))
    assert code == 0 and "your pack ana-ruiz-" in out
    code, _out, err = ana("club", "sync", str(tmp_path / "missing"))
    assert code == 1 and "does not exist" in err
