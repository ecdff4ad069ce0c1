"""Collections (review questions) and their articles; saved searches."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from reviewapp.core.models import new_uid, utc_now
from reviewapp.core.rows import CollectionRow, SavedSearch


class CollectionRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def create(
        self,
        name: str,
        question: str = "",
        creator_uid: str | None = None,
        uid: str | None = None,
        created_at: str | None = None,
        nonce: str = "",
    ) -> int:
        now = utc_now()
        cursor = self.db.execute(
            "INSERT INTO collections (uid, name, question, created_at, updated_at, creator_uid, "
            "nonce) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [uid or new_uid(), name, question, created_at or now, now, creator_uid, nonce],
        )
        return int(cursor.lastrowid or 0)

    def nonce(self, collection_id: int) -> str:
        row = self.db.execute(
            "SELECT nonce FROM collections WHERE id = ?", [collection_id]
        ).fetchone()
        return str(row[0]) if row else ""

    def bind_uid(self, collection_id: int, uid: str, nonce: str, creator_uid: str) -> None:
        """Give a collection never shared yet the uid bound to its creator."""
        self.db.execute(
            "UPDATE collections SET uid = ?, nonce = ?, creator_uid = ? WHERE id = ?",
            [uid, nonce, creator_uid, collection_id],
        )

    def by_uid(self, uid: str) -> CollectionRow | None:
        """The collection ``uid``, even a deleted or hidden one (what merging needs)."""
        return next((c for c in self._rows(shown_only=False) if c.uid == uid), None)

    def set_deleted(self, collection_id: int) -> None:
        """Its creator deleted it: a tombstone (kept, so an older state never returns)."""
        self.db.execute("UPDATE collections SET deleted = 1 WHERE id = ?", [collection_id])
        self.db.execute("DELETE FROM collection_articles WHERE collection_id = ?", [collection_id])

    def tombstones(self) -> list[CollectionRow]:
        """Shared collections their moderator deleted (kept so they never come back)."""
        return [c for c in self._rows(shown_only=False) if c.deleted]

    def hide(self, collection_id: int) -> None:
        """Someone else's collection, no longer wanted here (not shown, not un-hidden)."""
        self.db.execute("UPDATE collections SET hidden = 1 WHERE id = ?", [collection_id])

    def signed_state(self, collection_id: int) -> tuple[str, str] | None:
        """The signed state held (canonical JSON) and its signature."""
        row = self.db.execute(
            "SELECT signed, signature FROM collections WHERE id = ? AND signature IS NOT NULL",
            [collection_id],
        ).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def times(self, collection_id: int) -> tuple[str, str]:
        row = self.db.execute(
            "SELECT created_at, updated_at FROM collections WHERE id = ?", [collection_id]
        ).fetchone()
        return str(row[0]), str(row[1])

    def record_state(
        self,
        collection_id: int,
        creator_uid: str,
        revision: int,
        signed: str,
        signature: str,
        name: str | None = None,
        question: str | None = None,
    ) -> None:
        """Keep a signed state (the creator's own, or one received) as the collection's."""
        self.db.execute(
            "UPDATE collections SET creator_uid = ?, revision = ?, signed = ?, signature = ?, "
            "name = COALESCE(?, name), question = COALESCE(?, question) WHERE id = ?",
            [creator_uid, revision, signed, signature, name, question, collection_id],
        )

    def set_members(self, collection_id: int, article_ids: Iterable[int]) -> bool:
        """Make the collection hold exactly these articles; returns whether it changed."""
        wanted = set(article_ids)
        held = set(self.article_ids(collection_id))
        removed = self.remove(collection_id, sorted(held - wanted))
        added = self.add(collection_id, sorted(wanted - held))
        return bool(removed or added)

    def by_name(self, name: str) -> CollectionRow | None:
        return next((c for c in self.all() if c.name.lower() == name.strip().lower()), None)

    def get(self, collection_id: int) -> CollectionRow | None:
        return next((c for c in self._rows(shown_only=False) if c.id == collection_id), None)

    def all(self) -> list[CollectionRow]:
        """The collections shown (deleted and hidden ones left out), by name."""
        return self._rows(shown_only=True)

    def _rows(self, shown_only: bool) -> list[CollectionRow]:
        where = "WHERE c.deleted = 0 AND c.hidden = 0" if shown_only else ""
        rows = self.db.execute(
            f"""SELECT c.id, c.uid, c.name, c.question,
                      (SELECT COUNT(*) FROM collection_articles ca WHERE ca.collection_id = c.id),
                      c.creator_uid, c.revision, c.blind, c.revealed_by, c.revealed_at,
                      c.deleted
               FROM collections c {where} ORDER BY c.name COLLATE NOCASE"""
        ).fetchall()
        return [
            CollectionRow(
                int(r[0]),
                r[1],
                r[2],
                r[3],
                int(r[4]),
                r[5],
                int(r[6]),
                bool(r[7]),
                r[8],
                r[9],
                bool(r[10]),
            )
            for r in rows
        ]

    def set_blind(
        self,
        collection_id: int,
        blind: bool,
        revealed_by: str | None = None,
        revealed_at: str | None = None,
    ) -> None:
        self.db.execute(
            "UPDATE collections SET blind = ?, revealed_by = ?, revealed_at = ? WHERE id = ?",
            [int(blind), revealed_by, revealed_at, collection_id],
        )

    def rename(self, collection_id: int, name: str, question: str | None = None) -> None:
        self.db.execute(
            "UPDATE collections SET name = ?, question = COALESCE(?, question), updated_at = ? "
            "WHERE id = ?",
            [name, question, utc_now(), collection_id],
        )

    def delete(self, collection_id: int) -> None:
        self.db.execute("DELETE FROM collections WHERE id = ?", [collection_id])

    def add(self, collection_id: int, article_ids: Iterable[int]) -> list[int]:
        """Add articles; returns those that were not already in the collection."""
        added = []
        now = utc_now()
        for article_id in article_ids:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO collection_articles (collection_id, article_id, added_at) "
                "VALUES (?, ?, ?)",
                [collection_id, article_id, now],
            )
            if cursor.rowcount:
                added.append(article_id)
        return added

    def remove(self, collection_id: int, article_ids: Iterable[int]) -> list[int]:
        removed = []
        for article_id in article_ids:
            cursor = self.db.execute(
                "DELETE FROM collection_articles WHERE collection_id = ? AND article_id = ?",
                [collection_id, article_id],
            )
            if cursor.rowcount:
                removed.append(article_id)
        return removed

    def article_ids(self, collection_id: int) -> list[int]:
        return [
            int(r[0])
            for r in self.db.execute(
                "SELECT article_id FROM collection_articles WHERE collection_id = ? "
                "ORDER BY added_at, article_id",
                [collection_id],
            )
        ]


class SavedSearchRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def save(self, name: str, query: str) -> int:
        """Save (or replace, by name) a search."""
        self.db.execute(
            "INSERT INTO saved_searches (name, query, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET query = excluded.query",
            [name, query, utc_now()],
        )
        row = self.db.execute("SELECT id FROM saved_searches WHERE name = ?", [name]).fetchone()
        return int(row[0])

    def delete(self, search_id: int) -> None:
        self.db.execute("DELETE FROM saved_searches WHERE id = ?", [search_id])

    def all(self) -> list[SavedSearch]:
        return [
            SavedSearch(int(r[0]), r[1], r[2])
            for r in self.db.execute(
                "SELECT id, name, query FROM saved_searches ORDER BY name COLLATE NOCASE"
            )
        ]
