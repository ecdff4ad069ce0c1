"""Every failure exits non-zero with exactly one line on stderr; no library appears from a
mistyped path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewapp.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("ref", ["99999999999999999999999", "²", "no-such-uid"])
def test_odd_article_ids_are_a_one_line_error(
    capsys: pytest.CaptureFixture[str], library_path: Path, articles_dir: Path, ref: str
) -> None:
    assert _run(capsys, "--library", str(library_path), "import", str(articles_dir))[0] == 0
    code, _out, err = _run(capsys, "--library", str(library_path), "show", ref)
    assert code == 1
    assert err.count("\n") == 1 and "no article" in err


def test_a_mistyped_library_path_is_refused_not_created(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    typo = tmp_path / "librray.sqlite"
    code, _out, err = _run(capsys, "--library", str(typo), "list")
    assert code == 1 and "no library at" in err and err.count("\n") == 1
    assert not typo.exists()


def test_an_import_where_nothing_comes_in_says_so_on_stderr(
    capsys: pytest.CaptureFixture[str], library_path: Path, tmp_path: Path
) -> None:
    code, _out, err = _run(
        capsys, "--library", str(library_path), "import", str(tmp_path / "missing.txt")
    )
    assert code == 1 and err.count("\n") == 1 and "does not exist" in err


def test_a_failing_check_speaks_on_stderr_even_with_json(
    capsys: pytest.CaptureFixture[str], library_path: Path, articles_dir: Path
) -> None:
    _run(capsys, "--library", str(library_path), "import", str(articles_dir))
    index = library_path.with_name(library_path.stem + ".index")
    (index / "state.json").unlink()
    code, out, err = _run(capsys, "--library", str(library_path), "check", "--json")
    assert code == 1 and json.loads(out)["ok"] is False
    assert err.count("\n") == 1 and "missing" in err


def test_a_library_in_a_synced_folder_is_warned_of_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, articles_dir: Path
) -> None:
    synced = tmp_path / "Dropbox" / "club"
    synced.mkdir(parents=True)
    (tmp_path / "Dropbox" / ".dropbox").write_text("{}")
    library = synced / "library.sqlite"
    code, out, err = _run(capsys, "--library", str(library), "import", str(articles_dir), "--json")
    assert code == 0 and json.loads(out)  # the output is untouched
    assert "warning" in err and "Dropbox" in err and "club folder" in err
