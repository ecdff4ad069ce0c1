"""Preferences, the reviewer and where files live."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewapp.services import paths
from reviewapp.services.preferences import (
    Preferences,
    current_reviewer,
    load_preferences,
    preferences_file,
    save_preferences,
)


def test_preferences_live_in_the_isolated_settings_folder(tmp_path: Path) -> None:
    assert paths.config_dir() == tmp_path / "config"
    assert preferences_file() == tmp_path / "config" / "preferences.json"
    assert paths.default_library_path() == tmp_path / "default-library.sqlite"
    assert paths.synonym_files()[0] == tmp_path / "config" / "synonyms.txt"
    assert paths.synonym_files()[1].is_file()


def test_defaults_when_nothing_was_saved() -> None:
    assert load_preferences() == Preferences()


def test_save_and_load_round_trip() -> None:
    prefs = Preferences(
        reviewer_name="Dana Okafor",
        reviewer_initials="DO",
        library_path="/data/lib.sqlite",
        reader_font_size=14,
    )
    save_preferences(prefs)
    assert load_preferences() == prefs
    assert not preferences_file().with_suffix(".tmp").exists()


def test_unreadable_or_unknown_preferences_fall_back(caplog: pytest.LogCaptureFixture) -> None:
    preferences_file().parent.mkdir(parents=True)
    preferences_file().write_text("{broken", encoding="utf-8")
    assert load_preferences() == Preferences()
    assert "unreadable" in caplog.text
    preferences_file().write_text(
        json.dumps({"reviewer_name": "X", "future_option": 1}), encoding="utf-8"
    )
    assert load_preferences() == Preferences(reviewer_name="X")


def test_current_reviewer_order(monkeypatch: pytest.MonkeyPatch) -> None:
    assert current_reviewer() is None
    save_preferences(Preferences(reviewer_name="  From Prefs "))
    assert current_reviewer() == "From Prefs"
    monkeypatch.setenv("REVIEWAPP_REVIEWER", "From Env")
    assert current_reviewer() == "From Env"
    assert current_reviewer("  Named ") == "Named"
    assert current_reviewer("   ") == "From Env"
