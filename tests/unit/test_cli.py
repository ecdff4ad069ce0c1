"""The command line, in-process (reviewapp.cli.main) and through ``python -m reviewapp``."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reviewapp.cli import library as cli_library
from reviewapp.cli import main
from tests.segmented import split_index

QUOTE = "it occurred in 23.3% (14/60) of patients during alemtuzumab"
REPO = Path(__file__).resolve().parents[2]


class Cli:
    """Runs ``reviewapp`` in-process against one library and captures what it prints."""

    def __init__(self, library: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.library = library
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--library", str(self.library), *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> Any:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        assert err == ""
        return json.loads(out)


@pytest.fixture
def cli(library_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(library_path, capsys)


@pytest.fixture
def imported(cli: Cli, articles_dir: Path) -> dict[str, int]:
    reports = cli.json("import", str(articles_dir))
    return {Path(r["file"]).stem.split("_")[0]: r["article_ids"][0] for r in reports}


def _subprocess(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewapp", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


# -- import, list, show ----------------------------------------------------------------------


def test_import_json_shape(cli: Cli, articles_dir: Path) -> None:
    reports = cli.json("import", str(articles_dir))
    assert len(reports) == 3
    for report in reports:
        assert set(report) == {
            "file",
            "status",
            "imported",
            "duplicates",
            "failed",
            "article_ids",
            "message",
        }
        assert report["status"] == "imported"
        assert (report["imported"], report["duplicates"], report["failed"]) == (1, 0, 0)
        assert len(report["article_ids"]) == 1
    again = cli.json("import", str(articles_dir))
    assert [r["status"] for r in again] == ["duplicate"] * 3


def test_import_human_output_and_exit_code_when_everything_fails(
    cli: Cli, articles_dir: Path, tmp_path: Path
) -> None:
    code, out, err = cli("import", str(articles_dir))
    assert code == 0
    *_files, summary, times = out.splitlines()
    assert summary == "3 imported, 0 duplicates, 0 failed"
    # How long until searchable, and where the time went.
    seconds = re.fullmatch(
        r"searchable after ([\d.]+) s: storing ([\d.]+) s, indexing ([\d.]+) s, "
        r"waiting for files to be read ([\d.]+) s",
        times,
    )
    assert seconds is not None, times
    total, *parts = (float(x) for x in seconds.groups())
    assert abs(total - sum(parts)) <= 0.15  # tenths of a second, each rounded
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.5 not text")
    code, out, err = cli("import", str(bad))
    assert code == 1
    assert "failed" in out
    assert "the PDF is damaged and cannot be read" in out
    empty_folder = tmp_path / "nothing-here"
    empty_folder.mkdir()
    code, out, err = cli("import", str(empty_folder))
    assert code == 1
    assert err.count("\n") == 1
    assert "no files found" in err


def test_list_json(cli: Cli, imported: dict[str, int]) -> None:
    rows = cli.json("list")
    assert len(rows) == 3
    for row in rows:
        assert {
            "id",
            "uid",
            "title",
            "authors",
            "year",
            "journal",
            "doi",
            "pmid",
            "nct_ids",
            "finding_count",
        } <= set(row)
    alemtuzumab = next(r for r in rows if r["id"] == imported["alemtuzumab"])
    assert alemtuzumab["authors"] == ["Luskin MR", "Yin J", "Lozanski G"]
    assert (alemtuzumab["year"], alemtuzumab["journal"]) == (2025, "Cancer")
    assert alemtuzumab["doi"] == "10.1002/cncr.35750"
    assert alemtuzumab["finding_count"] == 0
    assert len(cli.json("list", "--limit", "2")) == 2


def test_list_human(cli: Cli, imported: dict[str, int]) -> None:
    code, out, _err = cli("list")
    assert code == 0
    assert "Anti-CD52 Alemtuzumab" in out
    assert out.splitlines()[-1] == "3 articles"


def test_show_by_id_and_by_uid(cli: Cli, imported: dict[str, int]) -> None:
    by_id = cli.json("show", str(imported["alveltamig"]))
    by_uid = cli.json("show", by_id["uid"])
    assert by_uid == by_id
    assert by_id["title"] == "First U.S. Patient Treated With Alveltamig for Small Cell Lung Cancer"
    assert by_id["nct_ids"] == ["NCT09999901"]
    assert "ZG006" in by_id["text"]
    assert by_id["findings"] == []
    alemtuzumab = cli.json("show", str(imported["alemtuzumab"]))
    assert {"doi": "10.1002/cncr.35803", "relation": "correction"} in alemtuzumab["dois"]


def test_show_human_and_unknown_article(cli: Cli, imported: dict[str, int]) -> None:
    code, out, _err = cli("show", str(imported["alemtuzumab"]))
    assert code == 0
    assert "DOI: 10.1002/cncr.35750" in out
    assert "Other DOIs: 10.1002/cncr.35803 (correction)" in out
    assert "Findings (0):" in out
    code, out, err = cli("show", "424242")
    assert code == 1
    assert out == ""
    assert err == "reviewapp: no article 424242 in this library\n"


# -- search -----------------------------------------------------------------------------------


def test_search_json(cli: Cli, imported: dict[str, int]) -> None:
    results = cli.json("search", "CMV viremia")
    assert results
    for result in results:
        assert set(result) == {"article_id", "title", "score", "snippet"}
    assert results[0]["article_id"] == imported["alemtuzumab"]
    assert "<b>CMV</b>" in results[0]["snippet"]
    assert [r["article_id"] for r in cli.json("search", "SCLC")] == [imported["alveltamig"]]
    assert cli.json("search", "nothingmatchesthis") == []


def test_search_human_marks_matches_with_stars(cli: Cli, imported: dict[str, int]) -> None:
    code, out, _err = cli("search", "ZG006")
    assert code == 0
    assert "*ZG006*" in out
    assert "<b>" not in out
    assert out.splitlines()[-1] == "1 results"


def test_search_refusals(cli: Cli, imported: dict[str, int]) -> None:
    code, _out, err = cli("search", "foo:bar")
    assert code == 1
    assert err.startswith("reviewapp: unknown field foo")
    assert err.count("\n") == 1
    code, _out, err = cli("search")
    assert code == 1
    assert "needs a QUERY" in err
    code, _out, err = cli("search", "x", "--limit", "0")
    assert code == 1
    assert "--limit" in err


def test_search_stdin_answers_each_line_with_one_json_line(
    cli: Cli, imported: dict[str, int], library_path: Path
) -> None:
    completed = _subprocess(
        "--library", str(library_path), "search", "--stdin", "--json", stdin="CMV viremia\nZG006\n"
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first[0]["article_id"] == imported["alemtuzumab"]
    assert set(first[0]) == {"article_id", "title", "score", "snippet"}
    assert [r["article_id"] for r in second] == [imported["alveltamig"]]


def test_search_stdin_in_process_reports_errors_per_line(
    cli: Cli, imported: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("foo:bar\n\nZG006\n"))
    code, out, _err = cli("search", "--stdin")
    assert code == 0
    error, blank, hit = (json.loads(line) for line in out.splitlines())
    assert "unknown field foo" in error["error"]
    assert blank == []
    assert hit[0]["article_id"] == imported["alveltamig"]


# -- findings ---------------------------------------------------------------------------------


def _tag_args(article_id: int, n_total: str = "60") -> list[str]:
    return [
        "tag",
        str(article_id),
        "--category",
        "toxicity",
        "--quote",
        QUOTE,
        "--field",
        "event=CMV viremia",
        "--field",
        "incidence_pct=23.3",
        "--field",
        "n=14",
        "--field",
        f"N={n_total}",
        "--reviewer",
        "Dana Okafor",
    ]


def test_tag_json_then_findings_edit_and_untag(cli: Cli, imported: dict[str, int]) -> None:
    finding = cli.json(*_tag_args(imported["alemtuzumab"]), "--note", "prophylaxis")
    assert isinstance(finding["id"], int)
    assert len(finding["uid"]) == 36
    assert finding["article_id"] == imported["alemtuzumab"]
    assert finding["fields"] == {"event": "CMV viremia", "incidence_pct": 23.3, "n": 14, "N": 60}
    assert finding["anchor"]["quote"] == QUOTE
    assert finding["reviewer"] == "Dana Okafor"
    assert finding["status"] == "draft"

    mechanism = cli.json(
        "tag",
        str(imported["alveltamig"]),
        "--category",
        "mechanism",
        "--quote",
        "trispecific T-cell engager",
        "--field",
        "agent=alveltamig",
        "--reviewer",
        "Dana Okafor",
        "--status",
        "accepted",
    )
    assert mechanism["status"] == "accepted"

    toxicity = cli.json("findings", "--category", "toxicity")
    assert [f["id"] for f in toxicity] == [finding["id"]]
    mine = cli.json("findings", str(imported["alveltamig"]))
    assert [f["id"] for f in mine] == [mechanism["id"]]
    assert len(cli.json("findings")) == 2
    assert cli.json("list")[0]["finding_count"] == 1

    edited = cli.json("edit", finding["uid"], "--note", "valganciclovir", "--status", "accepted")
    assert (edited["note"], edited["status"]) == ("valganciclovir", "accepted")
    assert edited["fields"] == finding["fields"]
    assert [r["article_id"] for r in cli.json("search", "valganciclovir")] == [
        imported["alemtuzumab"]
    ]

    removed = cli.json("untag", str(finding["id"]))
    assert removed["deleted_at"]
    assert cli.json("findings", "--category", "toxicity") == []
    assert cli.json("search", "valganciclovir") == []


def test_tag_human_output(cli: Cli, imported: dict[str, int]) -> None:
    code, out, err = cli(*_tag_args(imported["alemtuzumab"]))
    assert code == 0, err
    assert out.startswith("finding 1 saved\n")
    assert "“" + QUOTE + "”" in out
    code, out, _err = cli("findings")
    assert out.splitlines()[-1] == "1 findings"


def test_refused_tag_is_one_line_naming_the_fields(cli: Cli, imported: dict[str, int]) -> None:
    code, out, err = cli(*_tag_args(imported["alemtuzumab"], n_total="70"))
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("reviewapp: finding refused: incidence_pct, n, N: ")
    assert "Traceback" not in err
    assert cli.json("findings") == []


def test_other_tag_refusals_are_one_line(cli: Cli, imported: dict[str, int]) -> None:
    base = ["tag", str(imported["alemtuzumab"]), "--category", "toxicity", "--reviewer", "X"]
    for extra, expected in (
        (["--quote", "not in the text at all", "--field", "event=x"], "does not occur"),
        (["--quote", QUOTE, "--field", "incidence"], "KEY=VALUE"),
        (["--quote", QUOTE, "--field", "colour=red", "--field", "event=x"], "colour"),
    ):
        code, _out, err = cli(*base, *extra)
        assert code == 1
        assert err.count("\n") == 1, err
        assert expected in err
        assert "Traceback" not in err


def test_refused_tag_through_the_real_entry_point(
    cli: Cli, imported: dict[str, int], library_path: Path
) -> None:
    completed = _subprocess(
        "--library", str(library_path), *_tag_args(imported["alemtuzumab"], n_total="70")
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    [line] = completed.stderr.splitlines()
    assert line.startswith("reviewapp: finding refused: incidence_pct, n, N")
    assert "Traceback" not in completed.stderr


def test_tag_needs_a_reviewer(cli: Cli, imported: dict[str, int]) -> None:
    args = _tag_args(imported["alemtuzumab"])
    code, _out, err = cli(*args[: args.index("--reviewer")])
    assert code == 1
    assert "no reviewer" in err


def test_tag_uses_the_environment_reviewer(
    cli: Cli, imported: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWAPP_REVIEWER", "Env Reviewer")
    args = _tag_args(imported["alemtuzumab"])
    finding = cli.json(*args[: args.index("--reviewer")])
    assert finding["reviewer"] == "Env Reviewer"


# -- brief, check, reindex --------------------------------------------------------------------


def test_brief_out(cli: Cli, imported: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    report = cli.json(
        "brief",
        "--out",
        str(out),
        "--title",
        "CMV brief",
        "--article",
        str(imported["alemtuzumab"]),
    )
    assert report == {"path": str(out), "pages": report["pages"], "articles": 1, "findings": 0}
    assert out.read_bytes().startswith(b"%PDF")
    code, _out, err = cli("brief", "--out", str(tmp_path / "brief.txt"))
    assert code == 1
    assert ".pdf" in err


def test_check_missing_index_then_rebuilt_by_the_next_command(
    cli: Cli, imported: dict[str, int], library_path: Path
) -> None:
    code, out, err = cli("check")
    assert code == 0
    assert out.startswith("ok: ")
    assert err == ""
    status = cli.json("check")
    assert status == {
        "ok": True,
        "index": "ok",
        "message": status["message"],
        "articles": 3,
        "findings": 0,
    }

    shutil.rmtree(library_path.with_name(library_path.stem + ".index"))
    code, out, err = cli("check")
    assert code != 0
    assert "missing" in out
    assert "missing" in err
    assert err.count("\n") == 1
    code, out, _err = cli("check", "--json")
    assert code != 0
    assert json.loads(out)["index"] == "missing"

    assert len(cli.json("list")) == 3
    code, out, _err = cli("check")
    assert code == 0


def test_check_reports_stray_title_keys_and_reindex_mends_them(
    cli: Cli, imported: dict[str, int], library_path: Path
) -> None:
    with sqlite3.connect(library_path) as conn:
        conn.execute("DELETE FROM title_blocks")
    conn.close()
    code, out, err = cli("check")
    assert code != 0
    assert (
        out == "problem: the duplicate-title keys of 2 articles are out of step with their titles\n"
    )
    assert "reindex" in err
    assert cli.json("reindex") == {"indexed": 3}
    assert cli.json("check")["ok"] is True


def test_reindex(cli: Cli, imported: dict[str, int], library_path: Path) -> None:
    shutil.rmtree(library_path.with_name(library_path.stem + ".index"))
    assert cli.json("reindex") == {"indexed": 3}
    code, out, _err = cli("reindex")
    assert code == 0
    assert out == "indexed 3 articles\n"
    assert cli.json("check")["ok"] is True


def test_optimize_merges_the_search_index_into_one_segment(
    cli: Cli, imported: dict[str, int], library_path: Path
) -> None:
    before = split_index(library_path)
    assert before >= 3
    found = {q: [r["article_id"] for r in cli.json("search", q)] for q in ("CMV", "SCLC")}
    report = cli.json("optimize")
    assert report == {
        "segments_before": before,
        "segments_after": 1,
        "stopped": False,
        "seconds": report["seconds"],
    }
    assert cli.json("check")["ok"] is True
    assert {q: [r["article_id"] for r in cli.json("search", q)] for q in found} == found
    code, out, _err = cli("optimize")
    assert code == 0
    assert out.startswith("search index: 1 segment before, 1 after (")


def test_an_import_that_leaves_many_segments_suggests_optimize(
    cli: Cli,
    imported: dict[str, int],
    library_path: Path,
    articles_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli_library, "_SEGMENTS_WORTH_MERGING", 2)
    code, _out, err = cli("import", str(articles_dir))  # all duplicates
    assert code == 0 and "optimize" not in err  # the index in one segment or two
    segments = split_index(library_path)
    assert segments > 2
    code, _out, err = cli("import", str(articles_dir))
    assert code == 0
    assert f"tip: 'reviewapp optimize' merges the search index's {segments} segments" in err
    assert cli.json("import", str(articles_dir))  # --json: nothing on stderr (checked)
    cli.json("optimize")
    code, _out, err = cli("import", str(articles_dir))
    assert "optimize" not in err


# -- arguments --------------------------------------------------------------------------------


def test_library_option_after_the_command(
    capsys: pytest.CaptureFixture[str], articles_dir: Path, tmp_path: Path
) -> None:
    before = tmp_path / "before.sqlite"
    after = tmp_path / "after.sqlite"
    assert main(["--library", str(before), "import", str(articles_dir)]) == 0
    assert main(["import", str(articles_dir), "--library", str(after), "--json"]) == 0
    capsys.readouterr()
    assert main(["list", "--library", str(after), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert main(["--json", "--library", str(before), "list"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert not (tmp_path / "default-library.sqlite").exists()


def test_default_library_comes_from_the_environment(
    capsys: pytest.CaptureFixture[str], articles_dir: Path, tmp_path: Path
) -> None:
    assert main(["import", str(articles_dir)]) == 0
    assert (tmp_path / "default-library.sqlite").is_file()


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["tag", "1"],
        ["search", "--limit", "many", "x"],
        ["list", "--bogus"],
        ["tag", "1", "--category", "toxicity", "--quote", "q", "--status", "final"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("reviewapp: ")
    assert "see reviewapp --help" in err


def test_no_command_without_a_window_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert capsys.readouterr().err == "reviewapp: no command given (see reviewapp --help)\n"


def test_no_command_opens_the_window_with_the_library(tmp_path: Path) -> None:
    opened: list[tuple[Path, bool, list[Path]]] = []

    def window(library: Path, demo: bool, files: list[Path]) -> int:
        opened.append((library, demo, files))
        return 0

    assert main([], open_window=window) == 0
    assert main(["--library", str(tmp_path / "x.sqlite")], open_window=window) == 0
    assert opened == [
        (tmp_path / "default-library.sqlite", True, []),
        (tmp_path / "x.sqlite", False, []),
    ]


def test_files_without_a_command_open_the_window_to_import_them(tmp_path: Path) -> None:
    """A double-clicked pack: the desktop runs ``reviewapp FILE`` (Exec=reviewapp %F)."""
    pack, folder = tmp_path / "club.rvpack", tmp_path / "articles"
    pack.write_bytes(b"PK")
    folder.mkdir()
    opened: list[tuple[Path, bool, list[Path]]] = []

    def window(library: Path, demo: bool, files: list[Path]) -> int:
        opened.append((library, demo, files))
        return 0

    other = tmp_path / "more.ris"
    other.write_text("TY  - JOUR\nER  - \n", encoding="utf-8")
    assert main([str(pack)], open_window=window) == 0
    assert main(["--library", str(tmp_path / "x.sqlite"), str(pack), str(other)], window) == 0
    assert opened == [
        (tmp_path / "default-library.sqlite", True, [pack]),
        (tmp_path / "x.sqlite", False, [pack, other]),
    ]
    # A folder is not opened so: a mistyped command may name one ("reviewapp docs").
    with pytest.raises(SystemExit) as raised:
        main([str(folder)], open_window=window)
    assert raised.value.code == 2
    # Nor is an option left without its value taken for the default library.
    with pytest.raises(SystemExit) as raised:
        main([str(pack), "--library"], open_window=window)
    assert raised.value.code == 2
    assert len(opened) == 2


def test_a_missing_file_without_a_command_is_an_unknown_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main([str(tmp_path / "nothing.rvpack")], open_window=lambda *_: 0)
    assert raised.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.startswith("reviewapp 0.1.0")


def test_a_file_that_is_not_a_library_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("not a database", encoding="utf-8")
    assert main(["--library", str(notes), "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "not an SQLite file" in err


def test_a_file_name_that_is_not_utf8_is_reported_in_json(tmp_path: Path) -> None:
    # As typed, in a process of its own: the name reaches the report as lone surrogates.
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "Invented trial.txt").write_text("An invented trial of alveltamig\n\nText.\n")
    os.close(os.open(os.fsencode(folder) + b"/bad\xff.txt", os.O_CREAT | os.O_WRONLY))
    done = subprocess.run(
        [sys.executable, "-m", "reviewapp", "--library", str(tmp_path / "l.sqlite"), "import",
         str(folder), "--json"],
        capture_output=True, check=False,
    )  # fmt: skip
    reports = json.loads(done.stdout)
    assert done.returncode == 0, done.stderr
    bad = next(r for r in reports if "bad" in r["file"])
    assert bad["file"].endswith("bad\udcff.txt") and bad["status"] == "failed"
