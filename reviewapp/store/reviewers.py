"""Reviewers: who made each finding, with initials, a colour and, once known, their public
key (trust on first use: the first key seen for a reviewer uid is the one kept)."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from reviewapp.core.models import Reviewer, new_uid, utc_now
from reviewapp.core.text import initials_of

# Distinguishable on light and dark backgrounds and for the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#7F7F7F")

_COLUMNS = "id, uid, name, initials, colour, public_key, key_confirmed"


def _reviewer(row: Any) -> Reviewer:
    return Reviewer(
        id=row[0],
        uid=row[1],
        name=row[2],
        initials=row[3],
        colour=row[4],
        public_key=row[5],
        key_confirmed=bool(row[6]),
    )


class ReviewerRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def _one(self, where: str, params: list[Any]) -> Reviewer | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM reviewers WHERE {where}", params).fetchone()
        return _reviewer(row) if row else None

    def get_by_name(self, name: str) -> Reviewer | None:
        return self._one("name = ?", [name.strip()])

    def get_by_uid(self, uid: str) -> Reviewer | None:
        return self._one("uid = ?", [uid])

    def get(self, reviewer_id: int) -> Reviewer | None:
        return self._one("id = ?", [reviewer_id])

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
        return self._insert(reviewer)

    def _insert(self, reviewer: Reviewer) -> Reviewer:
        cursor = self.db.execute(
            "INSERT INTO reviewers (uid, name, initials, colour, created_at, public_key) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                reviewer.uid,
                reviewer.name,
                reviewer.initials,
                reviewer.colour,
                utc_now(),
                reviewer.public_key,
            ],
        )
        reviewer.id = int(cursor.lastrowid or 0)
        return reviewer

    def _free_name(self, name: str, initials: str, uid: str) -> str:
        """``name``, or, when another reviewer of this library has it, the name with the
        newcomer's initials and uid prefix (and a number, if even that is taken): names
        stay unique (filters, ``reviewer:``)."""
        candidates = [name, f"{name} ({initials} {uid[:8]})"]
        candidates += [f"{name} ({initials} {uid[:8]} {n})" for n in range(2, 1000)]
        for candidate in candidates:
            taken = self.get_by_name(candidate)
            if taken is None or taken.uid == uid:
                return candidate
        return f"{name} ({uid})"

    def ensure_keyed(self, incoming: Reviewer, claim_by_name: bool = False) -> Reviewer:
        """The reviewer with ``incoming``'s uid, added (with its key) if new.

        A known reviewer keeps the key first seen for it (the caller compares keys). With
        ``claim_by_name`` (the local user's own identity), a reviewer of the same name that
        has no key yet, made before reviewers had keys, becomes this one: its uid and key
        are set, so the findings tagged under that name are the user's own.
        """
        known = self.get_by_uid(incoming.uid)
        if known is not None:
            if known.public_key is None and incoming.public_key is not None:
                self.db.execute(
                    "UPDATE reviewers SET public_key = ? WHERE id = ?",
                    [incoming.public_key, known.id],
                )
                known.public_key = incoming.public_key
            return known
        if claim_by_name:
            legacy = self.get_by_name(incoming.name)
            if legacy is not None and legacy.public_key is None:
                self.db.execute(
                    "UPDATE reviewers SET uid = ?, public_key = ?, colour = ? WHERE id = ?",
                    [incoming.uid, incoming.public_key, incoming.colour, legacy.id],
                )
                return self.get(legacy.id or 0) or legacy
        fresh = Reviewer(
            name=self._free_name(incoming.name, incoming.initials, incoming.uid),
            initials=incoming.initials[:4],
            colour=incoming.colour,
            uid=incoming.uid,
            public_key=incoming.public_key,
        )
        return self._insert(fresh)

    def describe(self, reviewer_id: int, name: str, initials: str, colour: str) -> None:
        """Take a reviewer's own name, initials and colour (from their own identity or a
        pack they made)."""
        name = self._free_name(name.strip(), initials, self._uid(reviewer_id))
        self.db.execute(
            "UPDATE reviewers SET name = ?, initials = ?, colour = ? WHERE id = ? "
            "AND (name IS NOT ? OR initials IS NOT ? OR colour IS NOT ?)",
            [name, initials[:4], colour, reviewer_id, name, initials[:4], colour],
        )

    def _uid(self, reviewer_id: int) -> str:
        row = self.db.execute("SELECT uid FROM reviewers WHERE id = ?", [reviewer_id]).fetchone()
        return str(row[0]) if row else ""

    def confirm_key(self, reviewer_id: int, confirmed: bool = True) -> None:
        self.db.execute(
            "UPDATE reviewers SET key_confirmed = ? WHERE id = ?", [int(confirmed), reviewer_id]
        )

    def list(self) -> list[Reviewer]:
        return [
            _reviewer(r) for r in self.db.execute(f"SELECT {_COLUMNS} FROM reviewers ORDER BY name")
        ]
