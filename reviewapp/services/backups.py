"""Backups of a library: consistent copies made while it is in use, kept rotating beside it,
and restored without ever leaving a library that mixes two states.

A backup is made: on demand (``reviewapp backup``); by the window when the newest is older
than a day; by the store before every schema migration; before every restore; before a pack
merge when the newest is older than an hour. Each is a whole SQLite file with a note beside
it (``<name>.json``: when, why, the schema and the counts; a backup without one is known by
its name). Kept: the newest three, those made on the user's word (or before a restore or a
migration) in the last week, and the newest of each of the last 7 days and 4 weeks.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reviewapp.search.index import IndexBusy
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.placement import window_holding
from reviewapp.services.preferences import load_preferences
from reviewapp.store.backup import backup_name, backups_dir, copy_database, read_backup_name
from reviewapp.store.migrations import LATEST_VERSION, migrate

DAILY = 7
WEEKLY = 4


@dataclass(frozen=True)
class Backup:
    path: Path
    time: str  # ISO 8601, UTC
    reason: str
    schema: int
    articles: int
    findings: int

    def to_json(self) -> dict[str, object]:
        return asdict(self) | {"path": str(self.path)}


def make_backup(
    session: LibrarySession,
    reason: str = "manual",
    out: Path | None = None,
    rotating: bool = True,
) -> Backup:
    """A consistent copy of the library now (at ``out``, or among its backups, which are
    then rotated unless told not to)."""
    lib = session.library
    when = datetime.now(UTC)
    version = int(lib.db.execute("PRAGMA user_version").fetchone()[0])
    if out is not None:
        _refuse_target(lib.path, out)
    elif lib.read_only:
        raise ServiceError(
            f"{lib.path.name} is read-only: its backups cannot be kept beside it; write one "
            "elsewhere with `reviewapp backup --out FILE`"
        )
    target = out if out is not None else backup_name(lib.path, version, reason, when)
    articles = lib.articles.count()  # read before the copy: no write comes between
    findings = int(
        lib.db.execute("SELECT count(*) FROM findings WHERE deleted_at IS NULL").fetchone()[0]
    )
    try:
        copy_database(lib.db.conn, target)
        backup = Backup(
            target, when.isoformat(timespec="seconds"), reason, version, articles, findings
        )
        note = {key: value for key, value in backup.to_json().items() if key != "path"}
        _note_path(target).write_text(json.dumps(note, indent=2), encoding="utf-8")
    except (OSError, sqlite3.Error) as exc:
        raise ServiceError(f"the backup could not be written to {target}: {exc}") from exc
    if out is None and rotating:
        rotate_as_preferred(lib.path)
    return backup


def _refuse_target(library: Path, out: Path) -> None:
    """A backup is never written over the library, its log, or any file already there."""
    live = library.resolve()
    mine = {live, Path(f"{live}-wal"), Path(f"{live}-shm"), Path(f"{live}-journal")}
    if out.resolve() in mine:
        raise ServiceError(f"{out} is the library itself: write the backup somewhere else")
    if out.exists():
        raise ServiceError(f"{out} already exists: choose another name for the backup")
    if out.name.endswith(".json"):
        raise ServiceError(f"{out}: a backup is an SQLite file (.sqlite); its note is .json")


def _note_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def list_backups(library: Path) -> list[Backup]:
    """The library's kept backups, newest first."""
    found = []
    for path in backups_dir(library).glob(f"{library.stem}-*.sqlite"):
        backup = _read_note(path)
        if backup is not None:
            found.append(backup)
    return sorted(found, key=lambda b: (_moment(b.time), b.path.name), reverse=True)


def _moment(time: str) -> datetime:
    """A note's time as an aware datetime (a time without an offset is UTC; an unreadable
    one sorts first, so it is the first to go)."""
    try:
        moment = datetime.fromisoformat(time)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _read_note(path: Path) -> Backup | None:
    """A backup's note, or what its name says of it (a backup made before a migration, or
    one whose note was never written or was damaged); None for a name not of a backup."""
    try:
        note = json.loads(_note_path(path).read_text(encoding="utf-8"))
        return Backup(
            path,
            _moment(str(note["time"])).isoformat(timespec="seconds"),
            str(note["reason"]),
            int(note["schema"]),
            int(note["articles"]),
            int(note["findings"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        pass
    named = read_backup_name(path)
    if named is None:
        return None
    when, version, reason = named
    unknown = -1  # the counts, unknown without opening it
    return Backup(path, when.isoformat(timespec="seconds"), reason, version, unknown, unknown)


# Backups made on the user's word (or before a restore or a migration), kept a week
# whatever the rotation; the automatic ones rotate.
_KEPT_A_WEEK = frozenset({"manual", "before-restore", "before-migration"})
_NEWEST = 3  # the newest few, whatever they are


def rotate(
    library: Path, daily: int = DAILY, weekly: int = WEEKLY, keep_also: Path | None = None
) -> list[Path]:
    """Keep the newest few backups, those made on the user's word (or before a restore or
    a migration) in the last week, and the newest of each of the last ``daily`` days that
    have one and of each of the last ``weekly`` weeks; remove the rest. Returns what was
    removed."""
    backups = list_backups(library)
    if not backups:
        return []
    week_ago = _moment(backups[0].time) - timedelta(days=7)
    keep = {b.path for b in backups[:_NEWEST]}
    keep |= {b.path for b in backups if b.reason in _KEPT_A_WEEK and _moment(b.time) > week_ago}
    days: dict[str, Path] = {}
    weeks: dict[tuple[int, int], Path] = {}
    for backup in backups:  # newest first: the first seen of a day or week is its newest
        moment = _moment(backup.time)
        days.setdefault(moment.date().isoformat(), backup.path)
        weeks.setdefault(moment.isocalendar()[:2], backup.path)
    keep.update(list(days.values())[:daily])
    keep.update(list(weeks.values())[:weekly])
    spared = {keep_also.resolve()} if keep_also is not None else set()
    removed = []
    for backup in backups:
        if backup.path not in keep and backup.path.resolve() not in spared:
            backup.path.unlink(missing_ok=True)
            _note_path(backup.path).unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


def rotate_as_preferred(library: Path, keep: Path | None = None) -> list[Path]:
    """``rotate`` keeping as many daily and weekly backups as the preferences say (and
    ``keep``, the backup just restored from, whatever its age)."""
    prefs = load_preferences()
    daily, weekly = max(1, prefs.backups_daily), max(1, prefs.backups_weekly)
    return rotate(library, daily, weekly, keep)


def backup_if_due(session: LibrarySession, older_than: timedelta, reason: str) -> Backup | None:
    """A backup unless the newest is younger than ``older_than`` (none of a read-only
    library: nothing changes it)."""
    if session.read_only:
        return None
    newest = next(iter(list_backups(session.library.path)), None)
    if newest is not None:
        age = datetime.now(UTC) - _moment(newest.time)
        if age < older_than:
            return None
    return make_backup(session, reason)


@dataclass(frozen=True)
class Restored:
    restored: Backup
    kept: Backup  # the library as it was just before


def check_backup(path: Path) -> Backup:
    """What a backup file holds, after checking it whole (refused: damaged, not a
    library, or from a newer reviewapp)."""
    if not path.is_file():
        raise ServiceError(f"no backup at {path}")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ServiceError(f"{path} cannot be read: {exc}") from exc
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise ServiceError(f"{path} is damaged ({integrity}); it is not restored")
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version == 0 or version > LATEST_VERSION:
            what = "not a reviewapp library" if version == 0 else "from a newer reviewapp"
            raise ServiceError(f"{path} is {what} (schema {version}); it is not restored")
        articles = int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
        findings = int(
            db.execute("SELECT count(*) FROM findings WHERE deleted_at IS NULL").fetchone()[0]
        )
    except sqlite3.DatabaseError as exc:
        raise ServiceError(
            f"{path} is not a reviewapp library ({exc}); it is not restored"
        ) from exc
    finally:
        db.close()
    note = _read_note(path)
    return Backup(
        path, note.time if note else "", note.reason if note else "", version, articles, findings
    )


def _library_uid(path: Path) -> str:
    """The library uid a (checked) backup records; "" if it records none."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'library_uid'").fetchone()
    except sqlite3.DatabaseError:
        return ""
    finally:
        db.close()
    return str(row[0]) if row and row[0] else ""


def restore(session: LibrarySession, path: Path, rebuild_index: bool = True) -> Restored:
    """Put a backup's content in place of the library's: checked first, the library as it
    is kept as a backup, then copied in through SQLite's backup API (the library file is
    never replaced while open, so its write-ahead log cannot mix the two), migrated if it
    is older, and its index rebuilt (or, with ``rebuild_index`` false, marked for a rebuild
    that the window's index process makes). Refused while another process's window has the
    library open; the window itself restores through here."""
    if path.resolve() == session.library.path.resolve():
        raise ServiceError(f"{path} is the library itself: choose one of its backups")
    session.library.check_writable()
    chosen = check_backup(path)
    theirs = _library_uid(path)
    if theirs and session.library.uid and theirs != session.library.uid:
        raise ServiceError(
            f"{path} is a backup of another library, not of {session.library.path.name}: it "
            f"is not restored over it (to open it as it is: --library {path})"
        )
    holder = window_holding(session.library.path)
    if holder is not None and holder != os.getpid():
        who = f"the window (process {holder})" if holder else "a window"
        raise ServiceError(f"{who} has this library open: close it, then restore")
    lib = session.library
    # The index's lock held throughout: no catch-up (the window's index process) is
    # part-way through when the content changes under it, to finish (its change-log
    # compaction) on the restored library; and a busy index refuses before anything changes.
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(session.index.exclusive())
        except IndexBusy as exc:
            raise ServiceError(f"{exc}; nothing was restored") from exc
        kept = make_backup(session, "before-restore", rotating=False)  # (the chosen one stays)
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(lib.db.conn)
        finally:
            source.close()
        migrate(lib.db)  # an older backup's schema brought up to date
        if rebuild_index:
            session.rebuild_index()
        else:
            session.index.forget()
    rotate_as_preferred(lib.path, keep=path)
    return Restored(chosen, kept)
