"""Collections (review questions) and their articles; saved searches."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from reviewapp.core.models import new_uid, utc_now
from reviewapp.core.rows import CollectionRow, SavedSearch


class CollectionRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def create(self, name: str, question: str = "") -> int:
        now = utc_now()
        cursor = self.db.execute(
            "INSERT INTO collections (uid, name, question, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [new_uid(), name, question, now, now],
        )
        return int(cursor.lastrowid or 0)

    def by_name(self, name: str) -> CollectionRow | None:
        return next((c for c in self.all() if c.name.lower() == name.strip().lower()), None)

    def get(self, collection_id: int) -> CollectionRow | None:
        return next((c for c in self.all() if c.id == collection_id), None)

    def all(self) -> list[CollectionRow]:
        rows = self.db.execute(
            """SELECT c.id, c.uid, c.name, c.question,
                      (SELECT COUNT(*) FROM collection_articles ca WHERE ca.collection_id = c.id)
               FROM collections c ORDER BY c.name COLLATE NOCASE"""
        ).fetchall()
        return [CollectionRow(int(r[0]), r[1], r[2], r[3], int(r[4])) for r in rows]

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
