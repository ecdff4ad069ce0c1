"""Plain rows that lists show: an article in the library table, a collection, a saved search.

The store fills them from SQLite and the services hand them on; the window and the terminal
show them without knowing where they came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class ListRow(NamedTuple):
    """An article as the library table shows it (a tuple: a large table holds thousands)."""

    id: int
    title: str
    first_author: str | None
    year: int | None
    journal: str | None
    finding_count: int
    tags: str | None  # comma-separated
    reviewed_by: str | None = None  # initials of those who marked it reviewed


@dataclass(frozen=True)
class CollectionRow:
    id: int
    uid: str
    name: str
    question: str
    article_count: int
    creator_uid: str | None = None  # its moderator: only they change a shared collection
    revision: int = 0  # of its signed state (0: never signed, never shared)
    blind: bool = False  # each reviewer sees only their own findings on its articles
    revealed_by: str | None = None  # who revealed it (a reviewer uid), and when
    revealed_at: str | None = None
    deleted: bool = False  # its moderator deleted it (kept as a tombstone, not shown)


@dataclass(frozen=True)
class SavedSearch:
    id: int
    name: str
    query: str
