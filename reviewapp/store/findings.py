"""The findings table. Deleting keeps a tombstone (``deleted_at``) rather than the row going."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from reviewapp.core.categories import in_schema_order
from reviewapp.core.models import Anchor, Category, Finding, Status, Verdict, utc_now
from reviewapp.store.articles import is_row_id

# What is shown reads ``visible_findings`` (a blind collection's articles show only the
# viewer's own findings); what is exchanged and changed reads every finding.
_COLUMNS = """
SELECT f.*, r.name AS reviewer, r.initials AS reviewer_initials, r.colour AS reviewer_colour,
       r.uid AS author_uid
"""
_SELECT = _COLUMNS + " FROM visible_findings f JOIN reviewers r ON r.id = f.reviewer_id"
_SELECT_EVERY = _COLUMNS + " FROM findings f JOIN reviewers r ON r.id = f.reviewer_id"


# A live finding as dual review reads it: article id, uid, author uid, category, anchor
# start and end, anchored, fields (stored JSON), quote, status, settles (JSON), verdict, note.
# article id, uid, reviewer id, category, anchor start and end, anchored, fields, quote, note
ReviewRow = tuple[int, str, int, str, int, int, int, str, str, str]
# article id, uid, reviewer id, settles, verdict
SettlingRow = tuple[int, str, int, str, str | None]


@dataclass(frozen=True)
class SignedState:
    """A finding's current revision as exchanged: its author's signed payload (canonical
    JSON) and signature, with where it rests locally."""

    id: int
    article_id: int
    reviewer_id: int
    revision: int
    signed: str | None
    signature: str | None


def _finding(row: dict[str, Any]) -> Finding:
    category = Category(row["category"])
    return Finding(
        id=row["id"],
        uid=row["uid"],
        article_id=row["article_id"],
        category=category,
        anchor=Anchor(
            row["anchor_start"],
            row["anchor_end"],
            row["quote"],
            row["anchor_before"],
            row["anchor_after"],
        ),
        fields=in_schema_order(category, json.loads(row["fields"])),
        note=row["note"],
        reviewer=row["reviewer"],
        reviewer_colour=row["reviewer_colour"],
        status=Status(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
        author_uid=row["author_uid"],
        revision=row["revision"],
        anchored=bool(row["anchored"]),
        signed=row["signature"] is not None,
        nonce=row["nonce"],
        settles=json.loads(row["settles"]),
        verdict=Verdict(row["verdict"]) if row["verdict"] else None,
    )


class FindingRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def insert(
        self,
        finding: Finding,
        reviewer_id: int,
        signed: str | None = None,
        signature: str | None = None,
    ) -> int:
        """Store a new finding (its ``updated_at`` is now unless it has one: a received
        finding keeps its author's times, and ``signed``/``signature`` its revision)."""
        now = utc_now()
        anchor = finding.anchor
        cursor = self.db.execute(
            """INSERT INTO findings (uid, article_id, category, quote, anchor_start, anchor_end,
                   anchor_before, anchor_after, fields, note, reviewer_id, status,
                   created_at, updated_at, deleted_at, anchored, revision, signed, signature,
                   settles, verdict, nonce)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                finding.uid,
                finding.article_id,
                finding.category.value,
                anchor.quote,
                anchor.start,
                anchor.end,
                anchor.before,
                anchor.after,
                json.dumps(finding.fields, ensure_ascii=False),
                finding.note,
                reviewer_id,
                finding.status.value,
                finding.created_at or now,
                finding.updated_at or now,
                finding.deleted_at,
                int(finding.anchored),
                finding.revision,
                signed,
                signature,
                json.dumps(sorted(finding.settles)),
                finding.verdict.value if finding.verdict else None,
                finding.nonce,
            ],
        )
        finding.id = int(cursor.lastrowid or 0)
        return finding.id

    def state(self, uid: str) -> SignedState | None:
        """The revision held of the finding ``uid``, if any."""
        row = self.db.execute(
            "SELECT id, article_id, reviewer_id, revision, signed, signature FROM findings "
            "WHERE uid = ?",
            [uid],
        ).fetchone()
        return SignedState(*row) if row else None

    def signed_payload(self, finding_id: int) -> tuple[str, str] | None:
        """The signed payload (canonical JSON) and signature of the revision held."""
        row = self.db.execute(
            "SELECT signed, signature FROM findings WHERE id = ? AND signature IS NOT NULL",
            [finding_id],
        ).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def move(self, finding_id: int, article_id: int, anchor: Anchor, anchored: bool) -> None:
        """The finding rests on another copy of its work now (two joined into one): its
        place in that copy, found again (not a new revision: nothing of it changed)."""
        self.db.execute(
            """UPDATE findings SET article_id = ?, anchor_start = ?, anchor_end = ?,
                   anchor_before = ?, anchor_after = ?, anchored = ? WHERE id = ?""",
            [
                article_id,
                anchor.start,
                anchor.end,
                anchor.before,
                anchor.after,
                int(anchored),
                finding_id,
            ],
        )

    def bind_uid(self, finding_id: int, uid: str, nonce: str) -> None:
        """Give a finding never shared yet the uid bound to its author (before signing)."""
        self.db.execute(
            "UPDATE findings SET uid = ?, nonce = ? WHERE id = ?", [uid, nonce, finding_id]
        )

    def record_signature(self, finding_id: int, signed: str, signature: str) -> None:
        """Keep the author's signature over the revision just written."""
        self.db.execute(
            "UPDATE findings SET signed = ?, signature = ? WHERE id = ?",
            [signed, signature, finding_id],
        )

    def replace(
        self,
        finding_id: int,
        finding: Finding,
        signed: str,
        signature: str,
    ) -> None:
        """Put a received revision in place of the one held (same uid and author)."""
        anchor = finding.anchor
        self.db.execute(
            """UPDATE findings SET article_id = ?, category = ?, quote = ?, anchor_start = ?,
                   anchor_end = ?, anchor_before = ?, anchor_after = ?, anchored = ?,
                   fields = ?, note = ?, status = ?, created_at = ?, updated_at = ?,
                   deleted_at = ?, revision = ?, signed = ?, signature = ?, settles = ?,
                   verdict = ?
               WHERE id = ?""",
            [
                finding.article_id,
                finding.category.value,
                anchor.quote,
                anchor.start,
                anchor.end,
                anchor.before,
                anchor.after,
                int(finding.anchored),
                json.dumps(finding.fields, ensure_ascii=False),
                finding.note,
                finding.status.value,
                finding.created_at,
                finding.updated_at,
                finding.deleted_at,
                finding.revision,
                signed,
                signature,
                json.dumps(sorted(finding.settles)),
                finding.verdict.value if finding.verdict else None,
                finding_id,
            ],
        )

    def for_articles(self, article_ids: Iterable[int]) -> list[Finding]:
        """Every finding on these articles, deleted ones (tombstones) and hidden ones (a
        blind collection's, of other reviewers) included: what is exchanged."""
        sql = _SELECT_EVERY + " WHERE f.article_id IN (SELECT value FROM json_each(?))"
        sql += " ORDER BY f.article_id, f.anchor_start, f.id"
        return [_finding(row) for row in self.db.query(sql, [json.dumps(list(article_ids))])]

    def for_review(self, article_ids: Iterable[int]) -> list[ReviewRow]:
        """The live reviewers' findings of these articles, article by article (neither
        deleted, nor rejected by their reviewer, nor consensus) with only what dual review
        compares, read as
        plain rows (a tenth of the time of whole findings at 100,000), the reviewer as
        its row id (a join for its uid made every row carry a 36-character string)."""
        sql = (
            "SELECT article_id, uid, reviewer_id, category, anchor_start, anchor_end, "
            "anchored, fields, quote, note FROM findings "
            "WHERE deleted_at IS NULL AND status NOT IN ('rejected', 'consensus') "
            "AND article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id"
        )  # by article, as the index gives them (free); sorting 100,000 rows by more took 0.2 s
        rows: list[ReviewRow] = self.db.conn.execute(
            sql, [json.dumps(list(article_ids))]
        ).fetchall()  # plain tuples, in ReviewRow's order: no object made per row
        return rows

    def settling(self, article_ids: Iterable[int]) -> list[SettlingRow]:
        """The live consensus findings of these articles: what each settles."""
        sql = (
            "SELECT article_id, uid, reviewer_id, settles, verdict FROM findings "
            "WHERE deleted_at IS NULL AND status = 'consensus' "
            "AND article_id IN (SELECT value FROM json_each(?))"
        )
        rows: list[SettlingRow] = self.db.conn.execute(
            sql, [json.dumps(list(article_ids))]
        ).fetchall()
        return rows

    def resolve(self, ref: str | int) -> int | None:
        text = str(ref).strip()
        column = "id" if is_row_id(text) else "uid"
        row = self.db.execute(f"SELECT id FROM findings WHERE {column} = ?", [text]).fetchone()
        return int(row[0]) if row else None

    def get(self, finding_id: int, every: bool = False) -> Finding | None:
        """The finding, if it is shown (``every``: even if a blind collection hides it)."""
        rows = list(
            self.db.query((_SELECT_EVERY if every else _SELECT) + " WHERE f.id = ?", [finding_id])
        )
        return _finding(rows[0]) if rows else None

    def list(
        self,
        article_id: int | None = None,
        category: Category | None = None,
        include_deleted: bool = False,
    ) -> list[Finding]:
        where: list[str] = []
        params: list[Any] = []
        if article_id is not None:
            where.append("f.article_id = ?")
            params.append(article_id)
        if category is not None:
            where.append("f.category = ?")
            params.append(category.value)
        if not include_deleted:
            where.append("f.deleted_at IS NULL")
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY f.article_id, f.anchor_start, f.id"
        return [_finding(row) for row in self.db.query(sql, params)]

    def update(
        self,
        finding_id: int,
        *,
        fields: dict[str, Any] | None = None,
        note: str | None = None,
        status: Status | None = None,
        anchor: Anchor | None = None,
    ) -> None:
        updates: dict[str, Any] = {}
        if fields is not None:
            updates["fields"] = json.dumps(fields, ensure_ascii=False)
        if note is not None:
            updates["note"] = note
        if status is not None:
            updates["status"] = status.value
        if anchor is not None:
            updates.update(
                quote=anchor.quote,
                anchor_start=anchor.start,
                anchor_end=anchor.end,
                anchor_before=anchor.before,
                anchor_after=anchor.after,
            )
        if not updates:
            return
        assignments = ", ".join(f"{column} = ?" for column in updates)
        # Every change is the finding's next revision; its signature is for the last one.
        self.db.execute(
            f"UPDATE findings SET {assignments}, updated_at = ?, revision = revision + 1, "
            "signed = NULL, signature = NULL WHERE id = ?",
            [*updates.values(), utc_now(), finding_id],
        )

    def set_deleted(self, finding_id: int, deleted: bool) -> None:
        """Tombstone a finding (or bring it back, for undo): its next revision."""
        now = utc_now()
        self.db.execute(
            "UPDATE findings SET deleted_at = ?, updated_at = ?, revision = revision + 1, "
            "signed = NULL, signature = NULL WHERE id = ?",
            [now if deleted else None, now, finding_id],
        )

    def count(self) -> int:
        return int(
            self.db.execute(
                "SELECT COUNT(*) FROM visible_findings WHERE deleted_at IS NULL"
            ).fetchone()[0]
        )

    def exist_for(self, article_id: int) -> bool:
        """Whether any finding, live or deleted (undo can bring it back), rests on the article."""
        row = self.db.execute(
            "SELECT 1 FROM findings WHERE article_id = ? LIMIT 1", [article_id]
        ).fetchone()
        return row is not None
