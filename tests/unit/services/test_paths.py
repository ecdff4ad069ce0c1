"""Where things live: the settings folder, the default library and the shipped resources."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reviewapp.services import paths


def test_the_environment_overrides_the_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWAPP_CONFIG_DIR", str(tmp_path / "settings"))
    monkeypatch.setenv("REVIEWAPP_LIBRARY", "~/reviews/lung.sqlite")
    assert paths.config_dir() == tmp_path / "settings"
    assert paths.default_library_path() == Path.home() / "reviews" / "lung.sqlite"


def test_without_overrides_the_platform_folders_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVIEWAPP_CONFIG_DIR")
    monkeypatch.delenv("REVIEWAPP_LIBRARY")
    assert paths.config_dir().name == paths.APP_NAME
    assert paths.default_library_path().name == "library.sqlite"
    assert paths.default_library_path().parent.name == paths.APP_NAME


def test_resources_are_found_in_the_checkout() -> None:
    assert paths.resource("synonyms.txt").is_file()
    assert paths.resource("demo", "findings.json").is_file()
    assert paths.resources_dir() == Path(__file__).resolve().parents[3] / "resources"


def test_resources_are_found_in_a_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "resources").mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    # A folder of that name that is not ours (no synonyms file) is passed over.
    assert paths.resources_dir() != tmp_path / "resources"
    (tmp_path / "resources" / "synonyms.txt").write_text("# ours\n", encoding="utf-8")
    assert paths.resources_dir() == tmp_path / "resources"


def test_the_users_synonyms_come_before_the_shipped_ones(tmp_path: Path) -> None:
    own, shipped = paths.synonym_files()
    assert own == tmp_path / "config" / "synonyms.txt"
    assert shipped == paths.resource("synonyms.txt")


def test_the_brief_s_fonts_are_shipped_with_their_licence() -> None:
    from reviewapp.exporters.fonts import FontPair, find_font

    fonts = paths.fonts_dir()
    assert (fonts / "LICENSE").read_text(encoding="utf-8").count("Bitstream") >= 1
    # Found before any font of the system's, so a brief looks the same everywhere.
    assert find_font([fonts]) == FontPair(fonts / "DejaVuSans.ttf", fonts / "DejaVuSans-Bold.ttf")
