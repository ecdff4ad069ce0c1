"""What every importer shares: the failure types, limits, and what a parsed file holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from reviewapp.core.models import Article

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# Files above these sizes are refused before they are read.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TEXT_BYTES = 32 * 1024 * 1024
# A PDF's text layer is read from at most this many pages.
MAX_PDF_PAGES = 500


# Records handed on as they are read (see ``handing_on``), this many at a time.
PART_RECORDS = 250
# Where the records being read are handed on in parts, or None (all at the end).
_HAND_ON: ContextVar[Callable[[list[ParsedRecord]], None] | None] = ContextVar(
    "reviewapp_hand_on", default=None
)


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
    """What an importer made of one file. While the file is read in parts
    (``handing_on``), ``records`` holds only those not yet handed on, and ``handed`` counts
    the others."""

    records: list[ParsedRecord] = field(default_factory=list)
    format: str = ""
    handed: int = 0

    @property
    def articles(self) -> list[Article]:
        return [r.article for r in self.records if r.article is not None]

    @property
    def problems(self) -> list[ParsedRecord]:
        return [r for r in self.records if r.article is None]


@contextmanager
def handing_on(hand_on: Callable[[list[ParsedRecord]], None]) -> Iterator[None]:
    """While inside, a record file's parts of PART_RECORDS records are handed to
    ``hand_on`` as soon as they are read (``hand_over``), so that a file's first records
    can be stored while the rest are still being read (``isolation``'s child sends them)."""
    token = _HAND_ON.set(hand_on)
    try:
        yield
    finally:
        _HAND_ON.reset(token)


def hand_over(parsed: ParsedFile) -> None:
    """Hand on ``parsed``'s records once they make a part, where they are wanted in parts
    (``handing_on``); else keep them."""
    hand_on = _HAND_ON.get()
    if hand_on is not None and len(parsed.records) >= PART_RECORDS:
        records, parsed.records = parsed.records, []
        parsed.handed += len(records)
        hand_on(records)
