"""Reviewer identities: made on first use, kept in the settings folder, one per name."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reviewapp.core import signing
from reviewapp.services.identity import (
    current_identity,
    identity_for,
    rename_identity,
    reviewer_of,
)
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.preferences import Preferences, save_preferences


def test_an_identity_is_made_once_and_kept(tmp_path: Path) -> None:
    first = identity_for("Ana Ruiz")
    again = identity_for("  ana   ruiz ")
    assert again.uid == first.uid and again.public_key == first.public_key
    assert first.initials == "AR" and first.colour.startswith("#")
    key_file = tmp_path / "config" / "identities" / f"{first.uid}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    signature = first.sign({"a": 1})
    signing.verify(first.public_key, {"a": 1}, signature)
    assert identity_for("Ben Okafor").uid != first.uid


def test_the_name_comes_from_the_option_the_environment_or_the_preferences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ServiceError, match="no reviewer"):
        current_identity()
    save_preferences(Preferences(reviewer_name="Carla Mendes", reviewer_initials="CMe"))
    assert current_identity().name == "Carla Mendes"
    assert current_identity().initials == "CMe"
    monkeypatch.setenv("REVIEWAPP_REVIEWER", "Dana Okafor")
    assert current_identity().name == "Dana Okafor"
    assert current_identity("Eve Li").name == "Eve Li"


def test_xdg_config_home_chooses_the_settings_folder_on_linux(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REVIEWAPP_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "person-a"))
    a = identity_for("Ana Ruiz")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "person-b"))
    b = identity_for("Ana Ruiz")
    assert a.uid != b.uid  # two people of one name on one machine stay two
    assert (tmp_path / "person-a" / "reviewapp" / "identities" / f"{a.uid}.json").is_file()
    assert (tmp_path / "person-b" / "reviewapp" / "identities" / f"{b.uid}.json").is_file()


def test_renaming_keeps_the_person(tmp_path: Path) -> None:
    before = identity_for("Ana Ruiz")
    rename_identity("Ana Ruiz", "Dr Ana Ruiz", "AR")
    after = identity_for("Dr Ana Ruiz")
    assert (after.uid, after.public_key) == (before.uid, before.public_key)


def test_an_unreadable_identity_file_is_passed_over(tmp_path: Path) -> None:
    good = identity_for("Ana Ruiz")
    broken = tmp_path / "config" / "identities" / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert identity_for("Ana Ruiz").uid == good.uid


def test_a_library_takes_the_identity_and_claims_its_keyless_findings(
    session: LibrarySession,
) -> None:
    lib = session.library
    with lib.transaction():
        legacy = lib.reviewers.ensure("Ana Ruiz")  # tagged before reviewers had keys
    assert legacy.public_key is None
    identity = identity_for("Ana Ruiz")
    with lib.transaction():
        mine = reviewer_of(session, identity)
    assert mine.id == legacy.id
    assert (mine.uid, mine.public_key) == (identity.uid, identity.public_key)


def test_a_library_refuses_an_identity_whose_uid_it_knows_with_another_key(
    session: LibrarySession,
) -> None:
    identity = identity_for("Ana Ruiz")
    lib = session.library
    with lib.transaction():
        reviewer_of(session, identity)
        lib.db.execute(
            "UPDATE reviewers SET public_key = ? WHERE uid = ?",
            [signing.public_key_text(signing.new_private_key()), identity.uid],
        )
    with pytest.raises(ServiceError, match="another key"), lib.transaction():
        reviewer_of(session, identity)
    assert os.environ.get("REVIEWAPP_REVIEWER") is None
