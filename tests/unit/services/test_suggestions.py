"""The suggester's vocabulary: the user's copy of a file before the shipped one."""

from __future__ import annotations

from pathlib import Path

from reviewapp.core.models import Category
from reviewapp.services import paths
from reviewapp.services.suggestions import load_vocabulary, suggest

CMV = "CMV viremia was a notable adverse event."


def test_the_shipped_files_name_the_event_and_know_the_drugs() -> None:
    vocabulary = load_vocabulary()
    assert suggest(Category.TOXICITY, CMV, vocabulary) == {"event": "CMV viremia"}
    fields = suggest(Category.MECHANISM, "Imdelltra binds DLL3.", vocabulary)
    assert fields == {"agent": "tarlatamab", "aliases": "Imdelltra", "targets": "DLL3"}


def test_the_users_copy_in_the_settings_folder_is_read_instead(tmp_path: Path) -> None:
    own = paths.adverse_event_files()[0]
    assert own.parent == paths.config_dir()
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text("cytomegalovirus viremia = CMV viremia\n", encoding="utf-8")
    vocabulary = load_vocabulary()
    assert suggest(Category.TOXICITY, CMV, vocabulary) == {"event": "cytomegalovirus viremia"}
    # The shipped terms are not read beside the user's copy.
    assert suggest(Category.TOXICITY, "Neutropenia in 10%.", vocabulary) == {"incidence_pct": "10"}


def test_an_unreadable_copy_falls_back_to_the_shipped_file(tmp_path: Path) -> None:
    broken = tmp_path / "adverse_events.txt"
    broken.write_bytes(b"\xff\xfe\x00broken")
    vocabulary = load_vocabulary([broken, paths.resource("adverse_events.txt")])
    assert suggest(Category.TOXICITY, CMV, vocabulary) == {"event": "CMV viremia"}
