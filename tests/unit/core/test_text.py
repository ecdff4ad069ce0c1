"""Small text helpers: title keys, content hashes and initials."""

from __future__ import annotations

from reviewapp.core.text import content_hash, initials_of, title_key


def test_title_key_folds_accents_case_punctuation_and_spacing() -> None:
    assert title_key("Anti-CD52  Alemtuzumab: Phase 1/2 Résults!") == (
        "anti cd52 alemtuzumab phase 1 2 results"
    )
    assert title_key("ANTI CD52 alemtuzumab — phase 1 2 results") == title_key(
        "Anti-CD52 Alemtuzumab: Phase 1/2 Résults!"
    )


def test_content_hash_ignores_white_space_only() -> None:
    assert content_hash("CMV viremia\r\n  was  common") == content_hash("CMV viremia was common")
    assert content_hash("CMV viremia was common") != content_hash("CMV viremia was rare")


def test_initials() -> None:
    assert initials_of("Maria R. Luskin") == "MRL"
    assert initials_of("Dana Okafor") == "DO"
    assert initials_of("Jean-Luc Anne Marie Picard") == "JLA"
