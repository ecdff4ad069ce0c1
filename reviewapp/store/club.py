"""The club folder as this library knows it: the members' files merged already (by size and
modification time) and the collections linked to a folder."""

from __future__ import annotations

import sqlite_utils


class ClubFileRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def seen(self, folder: str, name: str) -> tuple[int, int] | None:
        """Size and modification time of ``name`` in ``folder`` when it was last read."""
        row = self.db.execute(
            "SELECT size, mtime_ns FROM club_files WHERE folder = ? AND name = ?", [folder, name]
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def refusal(self, folder: str, name: str) -> str | None:
        """Why ``name`` was refused when last read (None: it was merged)."""
        row = self.db.execute(
            "SELECT refused FROM club_files WHERE folder = ? AND name = ?", [folder, name]
        ).fetchone()
        return None if row is None else row[0]

    def remember(
        self, folder: str, name: str, identity: tuple[int, int], refused: str | None = None
    ) -> None:
        self.db.execute(
            "INSERT INTO club_files (folder, name, size, mtime_ns, refused) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (folder, name) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, refused = excluded.refused",
            [folder, name, identity[0], identity[1], refused],
        )

    def link(self, collection_id: int, folder: str | None) -> None:
        """Link a collection to a club folder (None: unlink it)."""
        if folder is None:
            self.db.execute("DELETE FROM club_links WHERE collection_id = ?", [collection_id])
            return
        self.db.execute(
            "INSERT INTO club_links (collection_id, folder) VALUES (?, ?) "
            "ON CONFLICT (collection_id) DO UPDATE SET folder = excluded.folder",
            [collection_id, folder],
        )

    def links(self) -> dict[int, str]:
        """Each linked collection's folder, by collection id."""
        return {
            int(r[0]): str(r[1])
            for r in self.db.execute("SELECT collection_id, folder FROM club_links")
        }
