"""Reviewed marks: a reviewer's word that they finished (or reopened) an article, one per
article and reviewer, each change the next revision, signed by the reviewer."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils


@dataclass(frozen=True)
class Mark:
    article_id: int
    reviewer_id: int
    reviewer_uid: str
    reviewer_name: str
    initials: str
    done: bool
    revision: int
    signed: str | None
    signature: str | None


_SELECT = """
SELECT m.article_id, m.reviewer_id, r.uid, r.name, r.initials, m.done, m.revision, m.signed,
       m.signature
FROM reviewed_marks m JOIN reviewers r ON r.id = m.reviewer_id
"""


def _mark(row: Any) -> Mark:
    return Mark(
        int(row[0]), int(row[1]), row[2], row[3], row[4], bool(row[5]), int(row[6]), row[7], row[8]
    )


class MarkRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get(self, article_id: int, reviewer_id: int) -> Mark | None:
        row = self.db.execute(
            _SELECT + " WHERE m.article_id = ? AND m.reviewer_id = ?", [article_id, reviewer_id]
        ).fetchone()
        return _mark(row) if row else None

    def put(
        self,
        article_id: int,
        reviewer_id: int,
        done: bool,
        updated_at: str,
        revision: int,
        signed: str,
        signature: str,
    ) -> None:
        """Hold this revision of the reviewer's mark on the article."""
        self.db.execute(
            "INSERT INTO reviewed_marks (article_id, reviewer_id, done, updated_at, revision, "
            "signed, signature) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (article_id, reviewer_id) DO UPDATE SET done = excluded.done, "
            "updated_at = excluded.updated_at, revision = excluded.revision, "
            "signed = excluded.signed, signature = excluded.signature",
            [article_id, reviewer_id, int(done), updated_at, revision, signed, signature],
        )

    def for_articles(self, article_ids: Iterable[int], done_only: bool = False) -> list[Mark]:
        sql = _SELECT + " WHERE m.article_id IN (SELECT value FROM json_each(?))"
        if done_only:
            sql += " AND m.done = 1"
        sql += " ORDER BY m.article_id, r.name"
        rows = self.db.execute(sql, [json.dumps(list(article_ids))]).fetchall()
        return [_mark(row) for row in rows]

    def done_by(self, article_ids: Iterable[int]) -> dict[int, list[str]]:
        """For each article, the initials of the reviewers who marked it reviewed."""
        found: dict[int, list[str]] = {}
        for mark in self.for_articles(article_ids, done_only=True):
            found.setdefault(mark.article_id, []).append(mark.initials)
        return found

    def state(self) -> tuple[int, int, str]:
        """How many marks, their revisions summed and the latest change: moves with any
        mark made, taken back or received."""
        row = self.db.execute(
            "SELECT count(*), coalesce(sum(revision), 0), coalesce(max(updated_at), '') "
            "FROM reviewed_marks"
        ).fetchone()
        return int(row[0]), int(row[1]), str(row[2])
