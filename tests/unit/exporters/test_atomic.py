"""Export files are written whole or not at all, beside their place and then renamed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from reviewapp.exporters.atomic import atomic_text, write_text


def test_the_file_appears_only_when_the_block_ends(tmp_path: Path) -> None:
    out = tmp_path / "tables" / "evidence.csv"
    with atomic_text(out, newline="") as handle:
        handle.write("event,grade,n/N\r\nCMV viremia,≥3,14/60\r\n")
        assert not out.exists()  # nobody opens half a table
        [part] = list(out.parent.iterdir())
        assert part.name.startswith(".evidence.csv.") and part.suffix == ".part"
    assert out.read_bytes() == "event,grade,n/N\r\nCMV viremia,≥3,14/60\r\n".encode()
    assert list(out.parent.iterdir()) == [out]


def test_an_error_leaves_the_earlier_file_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "refs.ris"
    write_text(out, "TY  - JOUR\nER  - \n")
    with pytest.raises(OSError, match="No space"), atomic_text(out) as handle:
        handle.write("TY  - JOUR\n")
        raise OSError(28, "No space left on device")
    assert out.read_text(encoding="utf-8") == "TY  - JOUR\nER  - \n"
    assert list(tmp_path.iterdir()) == [out]


def test_a_file_is_replaced_whole_with_the_usual_permissions(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    write_text(out, "# Old\n")
    write_text(out, "# New: α-toxicity ≤ 5%\n", encoding="utf-8")
    assert out.read_text(encoding="utf-8") == "# New: α-toxicity ≤ 5%\n"
    usual = tmp_path / "made-the-usual-way.md"
    usual.write_text("", encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE(usual.stat().st_mode)


def test_a_long_name_still_fits_the_folder(tmp_path: Path) -> None:
    out = tmp_path / ("Relapsed small cell lung cancer " * 7 + ".csv")
    assert len(out.name) > 200
    write_text(out, "x\n")
    assert out.read_text(encoding="utf-8") == "x\n"
