"""What every importer shares: the failure type, limits, and the progress/cancel callables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reviewapp.core.models import Article

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# Files above these sizes are refused before they are read.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TEXT_BYTES = 32 * 1024 * 1024


class ImportFailure(Exception):
    """A file (or record) that cannot be imported, with a reason a clinician understands."""


@dataclass
class ParsedFile:
    """What an importer made of one file: good articles and per-record problems."""

    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    format: str = ""
