"""The schema, as an ordered list of migrations; ``PRAGMA user_version`` records the last run.

Each migration runs in its own transaction with the version bump, so a library is never
left half-migrated. Never edit a released migration: add the next one.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from reviewapp.core.models import new_uid, utc_now
from reviewapp.core.text import title_blocks

_V1_TABLES = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    journal TEXT,
    year INTEGER,
    doi TEXT,
    dois TEXT NOT NULL DEFAULT '[]',
    pmid TEXT,
    pmcid TEXT,
    nct_ids TEXT NOT NULL DEFAULT '[]',
    abstract TEXT,
    full_text TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '[]',
    source_file TEXT,
    source_format TEXT,
    content_hash TEXT,
    title_key TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX articles_doi ON articles(doi);
CREATE INDEX articles_pmid ON articles(pmid);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_title_key ON articles(title_key, year);
CREATE INDEX articles_year ON articles(year);
CREATE TABLE reviewers (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    initials TEXT NOT NULL,
    colour TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    quote TEXT NOT NULL,
    anchor_start INTEGER NOT NULL,
    anchor_end INTEGER NOT NULL,
    anchor_before TEXT NOT NULL DEFAULT '',
    anchor_after TEXT NOT NULL DEFAULT '',
    fields TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'accepted', 'rejected')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    CHECK (anchor_start >= 0 AND anchor_end > anchor_start)
);
CREATE INDEX findings_article ON findings(article_id);
CREATE INDEX findings_reviewer ON findings(reviewer_id);
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags(tag_id);
CREATE TABLE collections (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    question TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE collection_articles (
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    PRIMARY KEY (collection_id, article_id)
);
CREATE INDEX collection_articles_article ON collection_articles(article_id);
"""

# Every change that the search index reflects is logged by a trigger, so the index can
# catch up from the log whatever code path (or tool) changed the library.
_V1_CHANGE_LOG = """
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL
);
CREATE TRIGGER articles_logged_insert AFTER INSERT ON articles
    BEGIN INSERT INTO changes(article_id) VALUES (NEW.id); END;
CREATE TRIGGER articles_logged_update AFTER UPDATE ON articles
    BEGIN INSERT INTO changes(article_id) VALUES (NEW.id); END;
CREATE TRIGGER articles_logged_delete AFTER DELETE ON articles
    BEGIN INSERT INTO changes(article_id) VALUES (OLD.id); END;
CREATE TRIGGER findings_logged_insert AFTER INSERT ON findings
    BEGIN INSERT INTO changes(article_id) VALUES (NEW.article_id); END;
CREATE TRIGGER findings_logged_update AFTER UPDATE ON findings
    BEGIN INSERT INTO changes(article_id) VALUES (NEW.article_id); END;
CREATE TRIGGER findings_logged_delete AFTER DELETE ON findings
    BEGIN INSERT INTO changes(article_id) VALUES (OLD.article_id); END;
CREATE TRIGGER article_tags_logged_insert AFTER INSERT ON article_tags
    BEGIN INSERT INTO changes(article_id) VALUES (NEW.article_id); END;
CREATE TRIGGER article_tags_logged_delete AFTER DELETE ON article_tags
    BEGIN INSERT INTO changes(article_id) VALUES (OLD.article_id); END;
CREATE TRIGGER tags_logged_rename AFTER UPDATE OF name ON tags
    BEGIN INSERT INTO changes(article_id)
          SELECT article_id FROM article_tags WHERE tag_id = NEW.id; END;
CREATE TRIGGER reviewers_logged_rename AFTER UPDATE OF name ON reviewers
    BEGIN INSERT INTO changes(article_id)
          SELECT DISTINCT article_id FROM findings WHERE reviewer_id = NEW.id; END;
"""


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.strip().splitlines():
        current.append(line)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and (
            not joined.upper().startswith("CREATE TRIGGER") or joined.upper().endswith("END;")
        ):
            statements.append(joined)
            current = []
    return statements


def _v1_initial(db: sqlite_utils.Database) -> None:
    for statement in _statements(_V1_TABLES) + _statements(_V1_CHANGE_LOG):
        db.execute(statement)
    db.execute("INSERT INTO meta(key, value) VALUES ('library_uid', ?)", [new_uid()])
    db.execute("INSERT INTO meta(key, value) VALUES ('created_at', ?)", [utc_now()])
    db.execute("INSERT INTO meta(key, value) VALUES ('changes_compacted_through', '0')")


def _v2_saved_searches(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            query TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )


def _v3_title_blocks(db: sqlite_utils.Database) -> None:
    """Blocking keys for near-identical titles, so duplicate detection asks an index rather
    than comparing every title of the year (see core.text.title_blocks)."""
    db.execute(
        """CREATE TABLE title_blocks (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            year INTEGER NOT NULL,
            block TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX title_blocks_lookup ON title_blocks(year, block)")
    db.execute("CREATE INDEX title_blocks_article ON title_blocks(article_id)")
    rows = db.execute("SELECT id, year, title_key FROM articles WHERE year IS NOT NULL")
    db.conn.executemany(
        "INSERT INTO title_blocks(article_id, year, block) VALUES (?, ?, ?)",
        [(i, year, block) for i, year, key in rows.fetchall() for block in title_blocks(key)],
    )


def _v4_title_keys_in_blocks(db: sqlite_utils.Database) -> None:
    """Each block row carries its article's folded title, and the lookup index covers it:
    near-title candidates are read from the index alone, without visiting article rows
    (each a page or more of abstract). Titles do not change once stored."""
    db.execute("ALTER TABLE title_blocks ADD COLUMN title_key TEXT NOT NULL DEFAULT ''")
    db.execute(
        """UPDATE title_blocks SET title_key =
               (SELECT a.title_key FROM articles a WHERE a.id = title_blocks.article_id)"""
    )
    db.execute("DROP INDEX title_blocks_lookup")
    db.execute(
        "CREATE INDEX title_blocks_lookup ON title_blocks(year, block, article_id, title_key)"
    )


def _v5_id_order_index(db: sqlite_utils.Database) -> None:
    """An index of article ids alone. Listing every id in order (the window's whole-library
    table) otherwise walks the table itself, a page or two per article for the abstracts:
    70–110 ms at 100,000 articles, against 24 ms through this index."""
    db.execute("CREATE INDEX articles_id_order ON articles(id)")


_V6_FINDINGS = """
CREATE TABLE findings_v6 (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    quote TEXT NOT NULL,
    anchor_start INTEGER NOT NULL,
    anchor_end INTEGER NOT NULL,
    anchor_before TEXT NOT NULL DEFAULT '',
    anchor_after TEXT NOT NULL DEFAULT '',
    anchored INTEGER NOT NULL DEFAULT 1,
    fields TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'accepted', 'rejected', 'consensus')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    revision INTEGER NOT NULL DEFAULT 1,
    signed TEXT,
    signature TEXT,
    CHECK (anchor_start >= 0 AND anchor_end > anchor_start)
);
INSERT INTO findings_v6 (id, uid, article_id, category, quote, anchor_start, anchor_end,
        anchor_before, anchor_after, fields, note, reviewer_id, status, created_at,
        updated_at, deleted_at)
    SELECT id, uid, article_id, category, quote, anchor_start, anchor_end, anchor_before,
        anchor_after, fields, note, reviewer_id, status, created_at, updated_at, deleted_at
    FROM findings;
DROP TRIGGER reviewers_logged_rename;
DROP TABLE findings;
ALTER TABLE findings_v6 RENAME TO findings;
CREATE INDEX findings_article ON findings(article_id);
CREATE INDEX findings_reviewer ON findings(reviewer_id);
CREATE TRIGGER findings_logged_insert AFTER INSERT ON findings
    BEGIN INSERT INTO changes(article_id) VALUES (NEW.article_id); END;
CREATE TRIGGER findings_logged_update AFTER UPDATE ON findings
    BEGIN INSERT INTO changes(article_id) VALUES (NEW.article_id); END;
CREATE TRIGGER findings_logged_delete AFTER DELETE ON findings
    BEGIN INSERT INTO changes(article_id) VALUES (OLD.article_id); END;
CREATE TRIGGER reviewers_logged_rename AFTER UPDATE OF name ON reviewers
    BEGIN INSERT INTO changes(article_id)
          SELECT DISTINCT article_id FROM findings WHERE reviewer_id = NEW.id; END;
ALTER TABLE reviewers ADD COLUMN public_key TEXT;
ALTER TABLE reviewers ADD COLUMN key_confirmed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE collections ADD COLUMN creator_uid TEXT;
ALTER TABLE collections ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE collections ADD COLUMN signed TEXT;
ALTER TABLE collections ADD COLUMN signature TEXT;
CREATE TABLE article_aliases (
    uid TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX article_aliases_article ON article_aliases(article_id);
CREATE TABLE club_files (
    folder TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    PRIMARY KEY (folder, name)
);
CREATE TABLE club_links (
    collection_id INTEGER PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE,
    folder TEXT NOT NULL
);
"""


def _v6_exchange(db: sqlite_utils.Database) -> None:
    """What review packs need (journal club): findings carry a revision counter and their
    author's signature over the revision (and may rest on a quote not found in this copy of
    the article: ``anchored``; status ``consensus`` for the club's settled findings), so the
    table is rebuilt with the new columns and CHECK; reviewers keep their public keys
    (trust on first use) and whether a person confirmed them; collections keep their
    creator's signed state; articles keep the uids other libraries gave the same work;
    the club folder's files merged already, and collections linked to a folder."""
    for statement in _statements(_V6_FINDINGS):
        db.execute(statement)


_V7_REVIEW = """
ALTER TABLE collections ADD COLUMN blind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE collections ADD COLUMN revealed_by TEXT;
ALTER TABLE collections ADD COLUMN revealed_at TEXT;
ALTER TABLE findings ADD COLUMN settles TEXT NOT NULL DEFAULT '[]';
ALTER TABLE findings ADD COLUMN verdict TEXT;
ALTER TABLE club_files ADD COLUMN refused TEXT;
ALTER TABLE findings ADD COLUMN nonce TEXT NOT NULL DEFAULT '';
ALTER TABLE collections ADD COLUMN nonce TEXT NOT NULL DEFAULT '';
ALTER TABLE collections ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE collections ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
CREATE TABLE reviewed_marks (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
    done INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    signed TEXT,
    signature TEXT,
    PRIMARY KEY (article_id, reviewer_id)
);
CREATE INDEX reviewed_marks_reviewer ON reviewed_marks(reviewer_id);
CREATE VIEW blind_articles AS
    SELECT DISTINCT ca.article_id FROM collection_articles ca
    JOIN collections c ON c.id = ca.collection_id WHERE c.blind = 1;
CREATE VIEW visible_findings AS
    SELECT f.* FROM findings f
    WHERE f.article_id NOT IN (SELECT article_id FROM blind_articles)
       OR f.reviewer_id IN (SELECT r.id FROM reviewers r
                            WHERE r.uid = (SELECT value FROM meta WHERE key = 'viewer_uid'));
CREATE TRIGGER collection_articles_logged_insert AFTER INSERT ON collection_articles
    WHEN (SELECT blind FROM collections WHERE id = NEW.collection_id) = 1
    BEGIN INSERT INTO changes(article_id) VALUES (NEW.article_id); END;
CREATE TRIGGER collection_articles_logged_delete AFTER DELETE ON collection_articles
    WHEN (SELECT blind FROM collections WHERE id = OLD.collection_id) = 1
    BEGIN INSERT INTO changes(article_id) VALUES (OLD.article_id); END;
CREATE TRIGGER collections_logged_blind AFTER UPDATE OF blind ON collections
    WHEN OLD.blind != NEW.blind
    BEGIN INSERT INTO changes(article_id)
          SELECT article_id FROM collection_articles WHERE collection_id = NEW.id; END;
CREATE TRIGGER collections_logged_delete BEFORE DELETE ON collections WHEN OLD.blind = 1
    BEGIN INSERT INTO changes(article_id)
          SELECT article_id FROM collection_articles WHERE collection_id = OLD.id; END;
CREATE TRIGGER meta_logged_viewer_insert AFTER INSERT ON meta WHEN NEW.key = 'viewer_uid'
    BEGIN INSERT INTO changes(article_id) SELECT article_id FROM blind_articles; END;
CREATE TRIGGER meta_logged_viewer_update AFTER UPDATE ON meta
    WHEN NEW.key = 'viewer_uid' AND OLD.value IS NOT NEW.value
    BEGIN INSERT INTO changes(article_id) SELECT article_id FROM blind_articles; END;
"""


def _v7_review(db: sqlite_utils.Database) -> None:
    """Journal club, part 2: a collection may be blind (each reviewer sees only their own
    findings on its articles, in every view: ``visible_findings`` is what every display and
    the index read, for the reviewer named by the ``viewer_uid`` meta key) and revealed;
    reviewers mark articles reviewed (signed, exchanged); a consensus finding names the
    findings it settles and its verdict. Whatever changes what the index may show of an
    article (blindness, membership of a blind collection, the viewer) is logged for it."""
    for statement in _statements(_V7_REVIEW):
        db.execute(statement)


Migration = Callable[[sqlite_utils.Database], None]

# (version, migration), in order. The library's user_version is the last one applied.
MIGRATIONS: list[tuple[int, Migration]] = [
    (1, _v1_initial),
    (2, _v2_saved_searches),
    (3, _v3_title_blocks),
    (4, _v4_title_keys_in_blocks),
    (5, _v5_id_order_index),
    (6, _v6_exchange),
    (7, _v7_review),
]

LATEST_VERSION = MIGRATIONS[-1][0]


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    db: sqlite_utils.Database, migrations: list[tuple[int, Migration]] | None = None
) -> int:
    """Apply, in order and each in its own transaction, the migrations the library lacks.

    Returns the version the library is at afterwards.
    """
    steps = MIGRATIONS if migrations is None else migrations
    current = schema_version(db)
    for version, step in steps:
        if version <= current:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            current = schema_version(db)
            if version <= current:
                db.execute("COMMIT")
                continue
            step(db)
            db.execute(f"PRAGMA user_version = {int(version)}")
            db.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
        current = version
    return current
