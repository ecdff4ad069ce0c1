"""Opening a library file: pragmas, migrations, transactions and the repositories."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from reviewapp.store.articles import ArticleRepo
from reviewapp.store.backup import backup_name, copy_database
from reviewapp.store.club import ClubFileRepo
from reviewapp.store.collections import CollectionRepo, SavedSearchRepo
from reviewapp.store.findings import FindingRepo
from reviewapp.store.marks import MarkRepo
from reviewapp.store.migrations import LATEST_VERSION, migrate, schema_version
from reviewapp.store.reviewers import ReviewerRepo
from reviewapp.store.tags import TagRepo


class LibraryError(Exception):
    """A library file that cannot be opened or used, with a message for the user."""


class LibraryReadOnly(LibraryError):
    """A write to a library opened read-only (on a read-only medium or in a folder this
    user cannot write): nothing was changed."""


class LibraryFull(LibraryError):
    """A write the disk had no room for (or a file-size limit stopped): none of it was
    saved, and what was saved before is intact."""


def _storage_failure(exc: BaseException) -> LibraryFull | None:
    """The message for a write SQLite could not make for want of space, if that was it."""
    text = str(exc)
    if isinstance(exc, sqlite3.OperationalError) and "database or disk is full" in text:
        return LibraryFull(
            "the disk holding the library is full: nothing of this change was saved (what "
            "was saved before is intact); free some space and try again"
        )
    if isinstance(exc, sqlite3.OperationalError) and "disk I/O error" in text:
        return LibraryFull(
            "the library could not be written (a disk I/O error: a full or failing disk): "
            "nothing of this change was saved (what was saved before is intact)"
        )
    return None


class Library:
    """One open SQLite library file. Use from one thread; open another for another thread."""

    def __init__(self, path: Path, db: sqlite_utils.Database, read_only: bool = False) -> None:
        self.path = path
        self.db = db
        # On a read-only medium (a CD, a write-protected stick, a folder of another user's):
        # read and searched, never written (``transaction`` refuses).
        self.read_only = read_only
        self.articles = ArticleRepo(db)
        self.findings = FindingRepo(db)
        self.reviewers = ReviewerRepo(db)
        self.tags = TagRepo(db)
        self.collections = CollectionRepo(db)
        self.saved_searches = SavedSearchRepo(db)
        self.club_files = ClubFileRepo(db)
        self.marks = MarkRepo(db)

    @property
    def index_dir(self) -> Path:
        """The folder beside the library file that holds its derived search index."""
        return self.path.with_name(self.path.stem + ".index")

    def check_writable(self) -> None:
        """Raise LibraryReadOnly, saying what to do, if the library can only be read."""
        if self.read_only:
            raise LibraryReadOnly(
                f"the library {self.path.name} is read-only (it sits on a read-only medium or "
                "in a folder you cannot write to): it can be read and searched; to change it, "
                "copy it to a writable folder and open the copy"
            )

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction; nested calls become savepoints inside the outer one.

        The outer transaction starts with BEGIN IMMEDIATE so that two processes writing the
        same library (the window and a terminal) wait for each other instead of failing.
        """
        self.check_writable()
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                if self.db.conn.in_transaction:  # a failed COMMIT may leave it open
                    self.db.rollback()
            failure = _storage_failure(exc)
            if failure is not None:
                raise failure from exc
            raise

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    @property
    def uid(self) -> str:
        return self.meta("library_uid") or ""

    def last_change(self) -> int:
        """The sequence number of the newest logged change (0 for none)."""
        row = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()
        return int(row[0]) if row else 0

    def pending_changes(self, seq: int) -> int:
        """How many logged changes come after ``seq``."""
        return int(
            self.db.execute("SELECT COUNT(*) FROM changes WHERE seq > ?", [seq]).fetchone()[0]
        )

    def changed_articles_since(self, seq: int, limit: int | None = None) -> tuple[set[int], int]:
        """The ids of articles changed after ``seq`` (the first ``limit`` changes, if given),
        and the newest sequence number among them."""
        rows = self.db.execute(
            "SELECT article_id, seq FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
            [seq, -1 if limit is None else limit],
        ).fetchall()
        newest = rows[-1][1] if rows else seq
        return {int(row[0]) for row in rows}, int(newest)

    def compacted_through(self) -> int:
        return int(self.meta("changes_compacted_through") or 0)

    def compact_changes(self, through: int) -> None:
        """Forget logged changes up to ``through`` once the index has taken them in (kept
        in a read-only library)."""
        if self.read_only:
            return
        through = min(through, self.last_change())  # never past the library's own log
        with self.transaction():
            self.db.execute("DELETE FROM changes WHERE seq <= ?", [through])
            if through > self.compacted_through():
                self.set_meta("changes_compacted_through", str(through))

    def show_findings_of(self, viewer_uid: str) -> None:
        """Which reviewer's view the library's reads show (``visible_findings``: on blind
        collections' articles, only that reviewer's findings). Kept in the library (the
        ``viewer_uid`` meta key); a read-only library keeps it in this connection only, as
        a temporary view that stands in for the library's own."""
        if not self.read_only:
            if self.meta("viewer_uid") != viewer_uid:
                with self.transaction():
                    self.set_meta("viewer_uid", viewer_uid)
            return
        literal = "'" + viewer_uid.replace("'", "''") + "'"
        self.db.execute("DROP VIEW IF EXISTS temp.visible_findings")
        self.db.execute(
            "CREATE TEMP VIEW visible_findings AS SELECT f.* FROM main.findings f "
            "WHERE f.article_id NOT IN (SELECT article_id FROM main.blind_articles) "
            "OR f.reviewer_id IN (SELECT r.id FROM main.reviewers r WHERE r.uid = "
            f"{literal})"
        )

    def close(self) -> None:
        self.db.close()


def read_only_place(path: Path) -> bool:
    """Whether the library file at ``path`` can only be read: on a file system mounted
    read-only, or a file (or its folder, where SQLite keeps its write-ahead log) this user
    cannot write."""
    return _read_only_mount(path) or (
        not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
    )


def _read_only_mount(path: Path) -> bool:
    with contextlib.suppress(OSError, AttributeError):  # (no statvfs on Windows)
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    return False


def _open_read_only(path: Path) -> Library:
    """A library that can only be read, opened for reading. SQLite needs the write-ahead
    log's index (``-shm``) beside a WAL library even to read it. Where that cannot be made,
    the file is opened as immutable only on a read-only mount (no one can change it there)
    with no write-ahead log beside it holding changes (which an immutable file ignores);
    anything else is refused with what to do."""
    uri = path.resolve().as_uri() + "?mode=ro"
    wal = path.with_name(path.name + "-wal")
    immutable_is_safe = _read_only_mount(path) and not (wal.exists() and wal.stat().st_size)
    conn = None
    for suffix in ("", "&immutable=1") if immutable_is_safe else ("",):
        try:
            conn = sqlite3.connect(uri + suffix, uri=True, timeout=10.0, check_same_thread=False)
            conn.execute("PRAGMA schema_version").fetchone()
            break
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
                conn = None
            if "not a database" in str(exc):
                message = f"{path} is not a reviewapp library (not an SQLite file)"
                raise LibraryError(message) from exc
            last = exc
    if conn is None:
        raise LibraryError(
            f"cannot open library {path}: it can only be read where it is, and SQLite needs "
            f"to write beside it to read it ({last}); copy it (with its -wal file, if there "
            "is one beside it) to a writable folder and open the copy"
        ) from last
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    version = schema_version(db)
    if version == 0:
        conn.close()
        raise LibraryError(f"{path} is not a reviewapp library")
    if version != LATEST_VERSION:
        conn.close()
        newer = version > LATEST_VERSION
        raise LibraryError(
            f"{path} was written by a newer reviewapp (schema {version}, this one knows up to "
            f"{LATEST_VERSION}); update reviewapp to open it"
            if newer
            else f"{path} was made by an older reviewapp (schema {version}) and needs a "
            "one-time update, which cannot be written where it is (read-only): copy it to a "
            "writable folder and open the copy"
        )
    return Library(path, db, read_only=True)


def open_library(path: Path | str, create: bool = True) -> Library:
    """Open (and if needed create and migrate) the library at ``path``.

    Raises LibraryError with a message for the user when the file is not a reviewapp
    library, is damaged, or was written by a newer reviewapp.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise LibraryError(f"{path} is a folder; a library is a single .sqlite file")
    # Never open the file with anything but SQLite: closing any other descriptor on it would
    # drop the POSIX locks that this process's SQLite connections hold, and another process
    # writing meanwhile could corrupt the library. SQLite itself says when it is not a database.
    exists = path.exists() and path.stat().st_size > 0
    if exists and read_only_place(path):
        return _open_read_only(path)
    if not exists and not create:
        raise LibraryError(
            f"no library at {path} (check the path, or import articles to create one)"
        )
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), timeout=10.0, check_same_thread=False)
    except sqlite3.DatabaseError as exc:
        raise LibraryError(f"cannot open library {path}: {exc}") from exc
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc):
            raise LibraryError(f"{path} is not a reviewapp library (not an SQLite file)") from exc
        raise LibraryError(f"cannot open library {path}: {exc}") from exc
    try:
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        version = schema_version(db)
        if version > LATEST_VERSION:
            conn.close()
            raise LibraryError(
                f"{path} was written by a newer reviewapp (schema {version}, this one "
                f"knows up to {LATEST_VERSION}); update reviewapp to open it"
            )
        if exists and version == 0 and db.table_names():
            conn.close()
            raise LibraryError(f"{path} is an SQLite file but not a reviewapp library")
        if exists and 0 < version < LATEST_VERSION:  # a copy as it was, before it changes
            try:
                copy_database(conn, backup_name(path, version, "before-migration"))
            except (OSError, sqlite3.Error) as exc:
                conn.close()
                raise LibraryError(
                    f"{path} needs a one-time update (schema {version} to {LATEST_VERSION}), "
                    f"and a backup of it first, which could not be written ({exc}): free "
                    "some space beside it and open it again; it was not changed"
                ) from exc
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise LibraryError(f"cannot open library {path}: {exc}") from exc
    return Library(path, db)
