"""Free tags on articles ("relapsed SCLC", "journal club 12 March")."""

from __future__ import annotations

import sqlite_utils


class TagRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def ensure(self, name: str) -> int:
        name = " ".join(name.split())
        if not name:
            raise ValueError("a tag needs a name")
        row = self.db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()
        if row:
            return int(row[0])
        return int(self.db.execute("INSERT INTO tags(name) VALUES (?)", [name]).lastrowid or 0)

    def add(self, article_id: int, name: str) -> bool:
        """Tag an article; returns False when it already had the tag."""
        tag_id = self.ensure(name)
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO article_tags(article_id, tag_id) VALUES (?, ?)",
            [article_id, tag_id],
        )
        return cursor.rowcount > 0

    def remove(self, article_id: int, name: str) -> bool:
        cursor = self.db.execute(
            "DELETE FROM article_tags WHERE article_id = ? "
            "AND tag_id = (SELECT id FROM tags WHERE name = ?)",
            [article_id, name],
        )
        return cursor.rowcount > 0

    def article_ids(self, name: str) -> list[int]:
        return [
            int(r[0])
            for r in self.db.execute(
                "SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id "
                "WHERE t.name = ? ORDER BY at.article_id",
                [name],
            )
        ]

    def counts(self) -> list[tuple[str, int]]:
        """Every tag in use, with how many articles carry it."""
        return [
            (str(r[0]), int(r[1]))
            for r in self.db.execute(
                "SELECT t.name, COUNT(at.article_id) FROM tags t "
                "JOIN article_tags at ON at.tag_id = t.id GROUP BY t.id ORDER BY t.name"
            )
        ]

    def names(self) -> list[str]:
        return [str(r[0]) for r in self.db.execute("SELECT name FROM tags ORDER BY name")]
