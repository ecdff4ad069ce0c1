"""What every importer shares: the failure types, limits, and what a parsed file holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reviewapp.core.models import Article

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# Files above these sizes are refused before they are read.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TEXT_BYTES = 32 * 1024 * 1024
# A PDF's text layer is read from at most this many pages.
MAX_PDF_PAGES = 500


class ImportFailure(Exception):
    """A file that cannot be imported, with a reason a clinician understands."""


class RecordError(Exception):
    """One record of a multi-record file that cannot be imported; the rest still come in."""


@dataclass
class ParsedRecord:
    """One record of a file, in file order: an article, or the reason it could not be read.

    ``label`` says where the record is, as a user would look for it: "record 3 (line 41)",
    "entry smith2021", "row 12".
    """

    label: str
    article: Article | None = None
    problem: str | None = None


@dataclass
class ParsedFile:
    """What an importer made of one file."""

    records: list[ParsedRecord] = field(default_factory=list)
    format: str = ""

    @property
    def articles(self) -> list[Article]:
        return [r.article for r in self.records if r.article is not None]

    @property
    def problems(self) -> list[ParsedRecord]:
        return [r for r in self.records if r.article is None]
