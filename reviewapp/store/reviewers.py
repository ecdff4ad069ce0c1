"""Reviewers: who made each finding, with initials and a colour to tell them apart."""

from __future__ import annotations

import sqlite_utils

from reviewapp.core.models import Reviewer, new_uid, utc_now
from reviewapp.core.text import initials_of

# Distinguishable on light and dark backgrounds and for the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#7F7F7F")


class ReviewerRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get_by_name(self, name: str) -> Reviewer | None:
        row = self.db.execute(
            "SELECT id, uid, name, initials, colour FROM reviewers WHERE name = ?", [name.strip()]
        ).fetchone()
        if row is None:
            return None
        return Reviewer(id=row[0], uid=row[1], name=row[2], initials=row[3], colour=row[4])

    def ensure(self, name: str, initials: str | None = None) -> Reviewer:
        """The reviewer called ``name``, created with initials and the next colour if new."""
        name = name.strip()
        if not name:
            raise ValueError("a reviewer needs a name")
        existing = self.get_by_name(name)
        if existing is not None:
            return existing
        count = int(self.db.execute("SELECT COUNT(*) FROM reviewers").fetchone()[0])
        reviewer = Reviewer(
            name=name,
            initials=(initials or initials_of(name)).strip()[:4],
            colour=PALETTE[count % len(PALETTE)],
            uid=new_uid(),
        )
        cursor = self.db.execute(
            "INSERT INTO reviewers (uid, name, initials, colour, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [reviewer.uid, reviewer.name, reviewer.initials, reviewer.colour, utc_now()],
        )
        reviewer.id = int(cursor.lastrowid or 0)
        return reviewer

    def list(self) -> list[Reviewer]:
        return [
            Reviewer(id=r[0], uid=r[1], name=r[2], initials=r[3], colour=r[4])
            for r in self.db.execute(
                "SELECT id, uid, name, initials, colour FROM reviewers ORDER BY name"
            )
        ]
