"""The suggester's vocabulary, read from its user-editable files, and suggestions made with it.

The adverse-event terms (``adverse_events.txt``) and the drug names of the synonym file
(``synonyms.txt``) are each read from the user's settings folder when a copy is there, else
from the files shipped with reviewapp, like the search's synonyms. The window reads them
once (``load_vocabulary``) and hands the result to its tagging flow.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from reviewapp.core.models import Category
from reviewapp.core.suggest import suggest_fields
from reviewapp.core.vocabulary import Vocabulary
from reviewapp.services.paths import adverse_event_files, synonym_files

log = logging.getLogger(__name__)

__all__ = ["Vocabulary", "load_vocabulary", "suggest"]


def _first_readable(paths: Iterable[Path]) -> list[str]:
    """The lines of the first of ``paths`` that exists and reads (the user's copy first)."""
    for path in paths:
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                log.info("cannot read %s: %s", path, exc)
    return []


def load_vocabulary(
    event_paths: Iterable[Path] | None = None, synonym_paths: Iterable[Path] | None = None
) -> Vocabulary:
    """The adverse-event terms and drug names, from the user's files or the shipped ones."""
    events = _first_readable(adverse_event_files() if event_paths is None else event_paths)
    synonyms = _first_readable(synonym_files() if synonym_paths is None else synonym_paths)
    return Vocabulary.from_lines(events, synonyms)


def suggest(category: Category, text: str, vocabulary: Vocabulary) -> dict[str, str]:
    """The field values ``text`` states for a new ``category`` finding."""
    return suggest_fields(category, text, vocabulary)
