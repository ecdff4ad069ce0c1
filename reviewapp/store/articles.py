"""The articles table: insert, look up, find duplicates, merge, list."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import sqlite_utils

from reviewapp.core.models import Article, DoiRef, DoiRelation, utc_now
from reviewapp.core.rows import ListRow
from reviewapp.core.text import title_blocks, title_key
from reviewapp.store.duplicates import Duplicate, DuplicateFinder

# Columns a duplicate may fill in when the existing article lacks them.
_MERGEABLE = ("journal", "year", "doi", "pmid", "pmcid", "abstract")

_SUMMARY_SQL = """
SELECT a.id, a.uid, a.title, a.authors, a.year, a.journal, a.doi, a.dois, a.pmid, a.nct_ids,
       a.imported_at,
       (SELECT COUNT(*) FROM visible_findings f
         WHERE f.article_id = a.id AND f.deleted_at IS NULL) AS finding_count,
       (SELECT group_concat(t.name, ', ') FROM article_tags at JOIN tags t ON t.id = at.tag_id
         WHERE at.article_id = a.id) AS tags
FROM articles a
"""


_ORDER_KEYS = {
    "id": "a.id",
    "title": "a.title COLLATE NOCASE",
    "first_author": "json_extract(a.authors, '$[0]') COLLATE NOCASE",
    "year": "a.year",
    "journal": "a.journal COLLATE NOCASE",
    "imported_at": "a.imported_at",
    "finding_count": "(SELECT COUNT(*) FROM visible_findings f WHERE f.article_id = a.id "
    "AND f.deleted_at IS NULL)",
    "tags": "(SELECT group_concat(t.name) FROM article_tags at JOIN tags t ON t.id = at.tag_id "
    "WHERE at.article_id = a.id)",
    "reviewed_by": "(SELECT COUNT(*) FROM reviewed_marks m WHERE m.article_id = a.id "
    "AND m.done = 1)",
}


def is_row_id(text: str) -> bool:
    """Whether ``text`` is an integer id SQLite can hold (ASCII digits, at most 18)."""
    return text.isascii() and text.isdecimal() and len(text) <= 18


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["authors"] = json.loads(row["authors"])
    row["nct_ids"] = json.loads(row["nct_ids"])
    row["dois"] = [d["doi"] for d in json.loads(row["dois"])]
    row["tags"] = row["tags"].split(", ") if row.get("tags") else []
    return row


class ArticleRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def insert(self, article: Article) -> int:
        now = utc_now()
        cursor = self.db.execute(
            """INSERT INTO articles (uid, title, authors, journal, year, doi, dois, pmid, pmcid,
                   nct_ids, abstract, full_text, keywords, source_file, source_format,
                   content_hash, title_key, imported_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                article.uid,
                article.title,
                _dump(article.authors),
                article.journal,
                article.year,
                article.doi,
                _dump([{"doi": d.doi, "relation": d.relation.value} for d in article.dois]),
                article.pmid,
                article.pmcid,
                _dump(article.nct_ids),
                article.abstract,
                article.text,
                _dump(article.keywords),
                article.source_file,
                article.source_format,
                article.content_hash,
                title_key(article.title),
                article.imported_at or now,
                now,
            ],
        )
        article_id = int(cursor.lastrowid or 0)
        article.id = article_id
        self._add_title_blocks(article_id, article.year, article.title)
        return article_id

    def _expected_title_blocks(self) -> set[tuple[int, int, str, str]]:
        rows = self.db.execute(
            "SELECT id, year, title_key FROM articles WHERE year IS NOT NULL"
        ).fetchall()
        return {
            (int(i), int(year), block, key)
            for i, year, key in rows
            for block in title_blocks(key or "")
        }

    def title_block_problems(self) -> int:
        """How many articles' near-title blocking keys (a derived table) are not what their
        titles and years give: ``check`` reports them, ``rebuild_title_blocks`` mends them."""
        stored = {
            (int(i), int(year), block, key)
            for i, year, block, key in self.db.execute(
                "SELECT article_id, year, block, title_key FROM title_blocks"
            )
        }
        return len({row[0] for row in stored ^ self._expected_title_blocks()})

    def rebuild_title_blocks(self) -> None:
        with self.db.conn:
            self.db.execute("DELETE FROM title_blocks")
            self.db.conn.executemany(
                "INSERT INTO title_blocks(article_id, year, block, title_key) VALUES (?, ?, ?, ?)",
                sorted(self._expected_title_blocks()),
            )

    def _add_title_blocks(self, article_id: int, year: int | None, title: str) -> None:
        if year is None:
            return
        key = title_key(title)
        self.db.conn.executemany(
            "INSERT INTO title_blocks(article_id, year, block, title_key) VALUES (?, ?, ?, ?)",
            [(article_id, year, block, key) for block in title_blocks(key)],
        )

    def resolve(self, ref: str | int) -> int | None:
        """The id of the article named by its integer id or its uid."""
        text = str(ref).strip()
        if is_row_id(text):
            row = self.db.execute("SELECT id FROM articles WHERE id = ?", [int(text)]).fetchone()
            return int(row[0]) if row else None
        return self.by_uid(text)

    def by_uid(self, uid: str) -> int | None:
        """The article known by ``uid``: its own, or one another library gave the same work."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE uid = ? "
            "UNION ALL SELECT article_id FROM article_aliases WHERE uid = ? LIMIT 1",
            [uid, uid],
        ).fetchone()
        return int(row[0]) if row else None

    def with_identifiers(self, doi: str | None, pmid: str | None) -> list[int]:
        """The articles whose DOI or PMID is one of these."""
        found: list[int] = []
        for column, value in (("doi", doi), ("pmid", pmid)):
            if value:
                found += [
                    int(r[0])
                    for r in self.db.execute(f"SELECT id FROM articles WHERE {column} = ?", [value])
                ]
        return found

    def absorb(self, survivor: int, absorbed: int) -> None:
        """Make ``absorbed`` part of ``survivor`` (its findings and marks moved already):
        its collections, tags and uids become the survivor's, and it goes."""
        uid = self.uid_of(absorbed)
        self.db.execute(
            "INSERT OR IGNORE INTO collection_articles (collection_id, article_id, added_at) "
            "SELECT collection_id, ?, added_at FROM collection_articles WHERE article_id = ?",
            [survivor, absorbed],
        )
        self.db.execute(
            "INSERT OR IGNORE INTO article_tags (article_id, tag_id) "
            "SELECT ?, tag_id FROM article_tags WHERE article_id = ?",
            [survivor, absorbed],
        )
        self.db.execute(
            "UPDATE article_aliases SET article_id = ? WHERE article_id = ?", [survivor, absorbed]
        )
        self.db.execute("DELETE FROM articles WHERE id = ?", [absorbed])
        if uid is not None:
            self.db.execute(
                "INSERT OR IGNORE INTO article_aliases (uid, article_id) VALUES (?, ?)",
                [uid, survivor],
            )

    def alias_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM article_aliases").fetchone()[0])

    def aliases(self, article_id: int) -> list[str]:
        """The other uids the article is known by, sorted."""
        return [
            str(r[0])
            for r in self.db.execute(
                "SELECT uid FROM article_aliases WHERE article_id = ? ORDER BY uid", [article_id]
            )
        ]

    def add_aliases(self, article_id: int, uids: Iterable[str]) -> None:
        """Remember that the article is also known by ``uids`` (a uid already taken by
        another article stays with it)."""
        own = self.uid_of(article_id)
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO article_aliases (uid, article_id) "
            "SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM articles WHERE uid = ?)",
            [(uid, article_id, uid) for uid in sorted(set(uids)) if uid != own],
        )

    def settle_uid(self, article_id: int) -> str:
        """Give the article the least of all its uids as its own (the others stay aliases),
        so every library that has met the same uids calls the work the same."""
        own = self.uid_of(article_id)
        assert own is not None
        least = min([own, *self.aliases(article_id)])
        if least != own:
            self.db.execute("DELETE FROM article_aliases WHERE uid = ?", [least])
            self.db.execute(
                "UPDATE articles SET uid = ?, updated_at = ? WHERE id = ?",
                [least, utc_now(), article_id],
            )
            self.db.execute(
                "INSERT INTO article_aliases (uid, article_id) VALUES (?, ?)", [own, article_id]
            )
        return least

    def get(self, article_id: int) -> Article | None:
        rows = list(self.db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        if not rows:
            return None
        row = rows[0]
        return Article(
            id=row["id"],
            uid=row["uid"],
            title=row["title"],
            text=row["full_text"],
            authors=json.loads(row["authors"]),
            journal=row["journal"],
            year=row["year"],
            doi=row["doi"],
            dois=[DoiRef(d["doi"], DoiRelation(d["relation"])) for d in json.loads(row["dois"])],
            pmid=row["pmid"],
            pmcid=row["pmcid"],
            nct_ids=json.loads(row["nct_ids"]),
            abstract=row["abstract"],
            keywords=json.loads(row["keywords"]),
            source_file=row["source_file"],
            source_format=row["source_format"],
            content_hash=row["content_hash"],
            imported_at=row["imported_at"],
            tags=self._tags(article_id),
        )

    def uid_of(self, article_id: int) -> str | None:
        row = self.db.execute("SELECT uid FROM articles WHERE id = ?", [article_id]).fetchone()
        return None if row is None else str(row[0])

    def titles_and_texts(self, article_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """Each article's title and full text, read in one query (dual review reads both
        for every article at once)."""
        rows = self.db.execute(
            "SELECT id, title, full_text FROM articles "
            "WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(article_ids))],
        ).fetchall()
        return {int(i): (str(title or ""), str(text or "")) for i, title, text in rows}

    def text(self, article_id: int) -> str | None:
        row = self.db.execute(
            "SELECT full_text FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        return None if row is None else str(row[0])

    def _tags(self, article_id: int) -> list[str]:
        return [
            str(r[0])
            for r in self.db.execute(
                "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id "
                "WHERE at.article_id = ? ORDER BY t.name",
                [article_id],
            )
        ]

    def find_duplicate(self, article: Article) -> Duplicate | None:
        """An existing article that ``article`` duplicates (see store.duplicates)."""
        return DuplicateFinder(self.db).find(article)

    def merge_missing(
        self,
        article_id: int,
        incoming: Article,
        identifiers: bool = True,
        replace_text: bool = False,
    ) -> list[str]:
        """Fill the existing article's empty fields from ``incoming``; returns what was filled.

        ``identifiers=False`` leaves the DOI and NCT lists alone: a match on one cited DOI
        must not hand another article's trial ids to this one. ``replace_text`` puts the
        incoming full text in place of a reference record's title-and-abstract text (the
        caller checks that no finding rests on the old text).
        """
        current = self.get(article_id)
        if current is None:
            return []
        updates: dict[str, Any] = {}
        for column in _MERGEABLE:
            if getattr(current, column) in (None, "") and getattr(incoming, column) not in (
                None,
                "",
            ):
                updates[column] = getattr(incoming, column)
        if not current.authors and incoming.authors:
            updates["authors"] = _dump(incoming.authors)
        if (not current.text or replace_text) and incoming.text and incoming.text != current.text:
            updates["full_text"] = incoming.text
            updates["content_hash"] = incoming.content_hash
            updates["source_format"] = incoming.source_format
            updates["source_file"] = incoming.source_file
        new_ncts = [n for n in incoming.nct_ids if n not in current.nct_ids] if identifiers else []
        if new_ncts:
            updates["nct_ids"] = _dump(current.nct_ids + new_ncts)
        known = {d.doi for d in current.dois}
        new_dois = [d for d in incoming.dois if d.doi not in known] if identifiers else []
        if new_dois:
            updates["dois"] = _dump(
                [{"doi": d.doi, "relation": d.relation.value} for d in current.dois + new_dois]
            )
        if "year" in updates:
            self._add_title_blocks(article_id, updates["year"], current.title)
        if updates:
            assignments = ", ".join(f"{column} = ?" for column in updates)
            self.db.execute(
                f"UPDATE articles SET {assignments}, updated_at = ? WHERE id = ?",
                [*updates.values(), utc_now(), article_id],
            )
        return sorted(updates)

    def ordered_ids(
        self, key: str = "id", descending: bool = False, ids: Iterable[int] | None = None
    ) -> list[int]:
        """Article ids sorted in SQLite by a table column (title, first_author, year, …)."""
        expression = _ORDER_KEYS.get(key)
        if expression is None:
            raise ValueError(f"cannot sort articles by {key!r}")
        direction = "DESC" if descending else "ASC"
        sql = "SELECT a.id FROM articles a"
        params: list[Any] = []
        if ids is not None:
            id_list = list(ids)
            if not id_list:
                return []
            sql += " WHERE a.id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(id_list))
        # NULLs (no year, no journal) sort last in either direction.
        sql += f" ORDER BY ({expression}) IS NULL, {expression} {direction}, a.id {direction}"
        return [int(r[0]) for r in self.db.execute(sql, params)]

    def existing_ids(self, ids: Iterable[int]) -> set[int]:
        """Those of ``ids`` that are articles now (one query, however many)."""
        return {
            int(r[0])
            for r in self.db.execute(
                "SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(list(ids))],
            )
        }

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def ids(self) -> list[int]:
        return [int(r[0]) for r in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def summaries(
        self, ids: Iterable[int] | None = None, limit: int | None = None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Rows for lists and tables: id, uid, title, authors, year, journal, doi, dois, pmid,
        nct_ids, imported_at, finding_count, tags."""
        params: list[Any] = []
        sql = _SUMMARY_SQL
        if ids is not None:
            id_list = list(ids)
            if not id_list:
                return []
            sql += f" WHERE a.id IN ({', '.join('?' * len(id_list))})"
            params.extend(id_list)
        sql += " ORDER BY a.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params.extend([limit, offset])
        return [_summary(row) for row in self.db.query(sql, params)]

    def list_rows(self, ids: Iterable[int]) -> list[ListRow]:
        """What a list of articles shows of each (the window's table), straight from SQLite
        as tuples: a table scrolled fast asks for thousands at once."""
        id_list = list(ids)
        if not id_list:
            return []
        rows = self.db.execute(
            """SELECT a.id, a.title, json_extract(a.authors, '$[0]'), a.year, a.journal,
                      (SELECT COUNT(*) FROM visible_findings f
                        WHERE f.article_id = a.id AND f.deleted_at IS NULL),
                      (SELECT group_concat(t.name, ', ') FROM article_tags at
                         JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id),
                      (SELECT group_concat(r.initials, ' ') FROM reviewed_marks m
                         JOIN reviewers r ON r.id = m.reviewer_id
                        WHERE m.article_id = a.id AND m.done = 1)
               FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))""",
            [json.dumps(id_list)],
        ).fetchall()
        return [ListRow(*row) for row in rows]

    def index_documents(self, ids: Iterable[int]) -> Iterator[dict[str, Any]]:
        """What the search index needs of each article, with its tags and live findings."""
        id_list = list(ids)
        for start in range(0, len(id_list), 500):
            chunk = id_list[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            findings: dict[int, list[dict[str, Any]]] = {}
            for row in self.db.query(
                f"""SELECT f.article_id, f.category, f.quote, f.note, f.fields, r.name AS reviewer
                    FROM visible_findings f JOIN reviewers r ON r.id = f.reviewer_id
                    WHERE f.deleted_at IS NULL AND f.article_id IN ({marks})""",
                chunk,
            ):
                findings.setdefault(row["article_id"], []).append(row)
            tags: dict[int, list[str]] = {}
            for row in self.db.query(
                f"""SELECT at.article_id, t.name FROM article_tags at
                    JOIN tags t ON t.id = at.tag_id WHERE at.article_id IN ({marks})""",
                chunk,
            ):
                tags.setdefault(row["article_id"], []).append(row["name"])
            for row in self.db.query(
                f"""SELECT id, title, authors, journal, year, doi, dois, pmid, nct_ids,
                           abstract, full_text, keywords
                    FROM articles WHERE id IN ({marks})""",
                chunk,
            ):
                doc = dict(row)
                doc["authors"] = json.loads(row["authors"])
                doc["dois"] = [d["doi"] for d in json.loads(row["dois"])]
                doc["nct_ids"] = json.loads(row["nct_ids"])
                doc["keywords"] = json.loads(row["keywords"])
                doc["tags"] = tags.get(row["id"], [])
                doc["findings"] = findings.get(row["id"], [])
                yield doc
