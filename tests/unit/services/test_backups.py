"""Backups: consistent copies of a library in use, kept rotating beside it, and restored
without ever leaving a library that mixes two states. Real SQLite files throughout."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reviewapp.services import backups
from reviewapp.services.findings import create_finding
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.store.backup import backup_name, backups_dir

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "libraries"


def _session(tmp_path: Path, articles_dir: Path) -> LibrarySession:
    from reviewapp.services.importing import import_paths

    session = LibrarySession.open(tmp_path / "library.sqlite")
    import_paths(session, [articles_dir])
    return session


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_backup_is_a_whole_library_with_its_note(tmp_path: Path, articles_dir: Path) -> None:
    with _session(tmp_path, articles_dir) as session:
        made = backups.make_backup(session)
        assert made.path.parent == backups_dir(session.path)
        assert (made.articles, made.findings, made.reason) == (3, 0, "manual")
        with sqlite3.connect(made.path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert backups.list_backups(session.path) == [made]
        assert not list(made.path.parent.glob(".*"))  # no temporary copy left behind


def test_rotation_keeps_the_newest_a_day_for_7_days_and_a_week_for_4_weeks(
    tmp_path: Path,
) -> None:
    library = tmp_path / "library.sqlite"
    folder = backups_dir(library)
    folder.mkdir()
    start = datetime(2026, 10, 1, 9, tzinfo=UTC)
    made = []
    for hours in range(0, 60 * 24, 12):  # two a day for 60 days, one by hand at noon
        when = start + timedelta(hours=hours)
        reason = "manual" if when.hour == 21 else "daily"
        path = backup_name(library, 7, reason, when)
        path.write_bytes(b"")
        note = {"time": when.isoformat(), "reason": reason, "schema": 7}
        path.with_name(path.name + ".json").write_text(
            json.dumps(note | {"articles": 1, "findings": 0})
        )
        made.append((when, reason))
    backups.rotate(library)
    kept = {datetime.fromisoformat(b.time) for b in backups.list_backups(library)}
    newest = made[-1][0]
    expected = {when for when, _ in made[-3:]}  # the newest three
    expected |= {w for w, r in made if r == "manual" and w > newest - timedelta(days=7)}
    by_day: dict[object, datetime] = {}
    by_week: dict[object, datetime] = {}
    for when, _reason in sorted(made, reverse=True):
        by_day.setdefault(when.date(), when)
        by_week.setdefault(when.isocalendar()[:2], when)
    expected |= set(list(by_day.values())[:7]) | set(list(by_week.values())[:4])
    assert kept == expected
    assert len(list(folder.glob("*.sqlite"))) == len(list(folder.glob("*.json"))) == len(kept)


def test_a_backup_without_its_note_is_known_by_its_name(tmp_path: Path) -> None:
    library = tmp_path / "library.sqlite"
    path = backup_name(library, 6, "before-migration", datetime(2026, 11, 2, 8, tzinfo=UTC))
    path.parent.mkdir()
    path.write_bytes(b"")
    [backup] = backups.list_backups(library)
    assert (backup.reason, backup.schema, backup.time) == (
        "before-migration",
        6,
        "2026-11-02T08:00:00+00:00",
    )


def test_a_backup_is_never_written_over_the_library_or_another_file(
    tmp_path: Path, articles_dir: Path
) -> None:
    with _session(tmp_path, articles_dir) as session:
        before = session.path.read_bytes()
        taken = tmp_path / "taken.sqlite"
        taken.write_text("mine")
        for out, says in (
            (session.path, "the library itself"),
            (Path(f"{session.path}-wal"), "the library itself"),
            (taken, "already exists"),
            (tmp_path / "copy.json", "an SQLite file"),
        ):
            with pytest.raises(ServiceError, match=says):
                backups.make_backup(session, out=out)
        assert taken.read_text() == "mine" and session.path.read_bytes() == before
        with pytest.raises(ServiceError, match="the library itself"):
            backups.restore(session, session.path)


def test_restore_puts_the_backup_back_and_keeps_the_library_as_it_was(
    tmp_path: Path, articles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWAPP_REVIEWER", "Ana Reviewer")
    with _session(tmp_path, articles_dir) as session:
        before = backups.make_backup(session)
        text = session.library.articles.text(1) or ""
        create_finding(session, 1, "mechanism", text[:20].strip(), {"agent": "alemtuzumab"})
        assert _count(session.path, "findings") == 1
        done = backups.restore(session, before.path)
        assert done.restored.findings == 0 and done.kept.findings == 1
        assert session.library.findings.list() == []  # the open session sees the backup
        assert session.index_is_current()
        assert [r.article_id for r in session.search("alemtuzumab")]
    # The library as it was before the restore is itself restorable.
    with LibrarySession.open(tmp_path / "library.sqlite") as session:
        backups.restore(session, done.kept.path)
        assert len(session.library.findings.list()) == 1


def test_a_damaged_or_foreign_or_newer_backup_is_refused_and_nothing_changes(
    tmp_path: Path, articles_dir: Path
) -> None:
    damaged = tmp_path / "damaged.sqlite"
    newer = tmp_path / "newer.sqlite"
    with _session(tmp_path, articles_dir) as session:
        good = backups.make_backup(session)
        data = bytearray(good.path.read_bytes())
        data[5000:9000] = b"\xff" * 4000
        damaged.write_bytes(bytes(data))
        shutil.copyfile(good.path, newer)
        with sqlite3.connect(newer) as db:
            db.execute("PRAGMA user_version = 999")
        (tmp_path / "notes.txt").write_text("not a library")
        before = session.path.read_bytes()
        for path, says in (
            (damaged, r"damaged|not a reviewapp library"),
            (newer, "newer reviewapp"),
            (tmp_path / "notes.txt", "not a reviewapp library"),
            (tmp_path / "none.sqlite", "no backup"),
        ):
            with pytest.raises(ServiceError, match=says):
                backups.restore(session, path)
        assert session.path.read_bytes() == before
        assert len(backups.list_backups(session.path)) == 1  # no 'before restore' made


def test_an_old_library_is_backed_up_before_its_schema_changes(tmp_path: Path) -> None:
    library = tmp_path / "library.sqlite"
    shutil.copyfile(FIXTURES / "v6.sqlite", library)
    with LibrarySession.open(library, sync_index=False):
        pass
    [copy] = backups_dir(library).glob("library-*-v6-before-migration.sqlite")
    [listed] = backups.list_backups(library)  # listed and rotated like any other
    assert (listed.path, listed.reason, listed.schema) == (copy, "before-migration", 6)
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 6
        assert db.execute("SELECT count(*) FROM findings").fetchone()[0] == 2


def test_backup_backups_and_restore_as_typed(tmp_path: Path, articles_dir: Path) -> None:
    library = tmp_path / "library.sqlite"

    def reviewapp(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "reviewapp", "--library", str(library), *args]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    assert reviewapp("import", str(articles_dir)).returncode == 0
    out = tmp_path / "copy.sqlite"
    made = reviewapp("backup", "--out", str(out), "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["articles"] == 3 and out.is_file()
    assert reviewapp("backup").returncode == 0
    listed = json.loads(reviewapp("backups", "--json").stdout)
    assert [b["reason"] for b in listed] == ["manual"]
    restored = reviewapp("restore", str(out), "--json")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["restored"]["articles"] == 3
    refused = reviewapp("restore", str(tmp_path / "nothing.sqlite"))
    assert refused.returncode == 1 and "no backup" in refused.stderr
    assert reviewapp("check").returncode == 0


def test_no_room_for_the_backup_before_an_update_leaves_the_old_library_as_it_was(
    tmp_path: Path,
) -> None:
    library = tmp_path / "library.sqlite"
    shutil.copyfile(FIXTURES / "v6.sqlite", library)
    before = library.read_bytes()

    def small_files() -> None:  # room to open it (its 32 KB index of the log), not to copy it
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    done = subprocess.run(
        [sys.executable, "-m", "reviewapp", "--library", str(library), "list"],
        capture_output=True, text=True, check=False, preexec_fn=small_files,
    )  # fmt: skip
    assert done.returncode == 1
    assert "one-time update" in done.stderr and "backup" in done.stderr, done.stderr
    assert library.read_bytes() == before
    assert not list(backups_dir(library).glob("*.sqlite*"))  # nothing half written left


def test_rotation_keeps_as_many_days_and_weeks_as_the_preferences_say(tmp_path: Path) -> None:
    from reviewapp.services.preferences import Preferences, save_preferences

    library = tmp_path / "library.sqlite"
    backups_dir(library).mkdir()
    start = datetime(2026, 10, 1, 9, tzinfo=UTC)
    for day in range(30):
        when = start + timedelta(days=day)
        path = backup_name(library, 7, "daily", when)
        path.write_bytes(b"")
        note = {"time": when.isoformat(), "reason": "daily", "schema": 7}
        path.with_name(path.name + ".json").write_text(
            json.dumps(note | {"articles": 1, "findings": 0})
        )
    save_preferences(Preferences(backups_daily=2, backups_weekly=1))
    backups.rotate_as_preferred(library)
    kept = sorted(datetime.fromisoformat(b.time).date().day for b in backups.list_backups(library))
    assert kept == [28, 29, 30]  # the newest three, which hold the newest 2 days and week
    save_preferences(Preferences(backups_daily=7, backups_weekly=4))
    assert backups.rotate_as_preferred(library) == []  # more kept than there are: none go


def test_restore_is_refused_while_another_programs_window_holds_the_library(
    tmp_path: Path, articles_dir: Path
) -> None:
    from reviewapp.services.placement import window_lock

    with _session(tmp_path, articles_dir) as session:
        made = backups.make_backup(session)
        other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        try:
            lock = window_lock(session.path)
            lock.parent.mkdir(parents=True, exist_ok=True)
            lock.write_text(f"{other.pid}\nreviewapp\nhost\n", encoding="utf-8")
            with pytest.raises(ServiceError, match=f"process {other.pid}.*close it"):
                backups.restore(session, made.path)
            assert len(backups.list_backups(session.path)) == 1  # nothing made or changed
            # The window's own process restores through the same door.
            lock.write_text(f"{os.getpid()}\nreviewapp\nhost\n", encoding="utf-8")
            assert backups.restore(session, made.path).restored.articles == 3
        finally:
            other.kill()
            other.wait()


def test_a_backup_of_another_library_is_not_restored_over_this_one(
    tmp_path: Path, articles_dir: Path
) -> None:
    with _session(tmp_path / "one", articles_dir) as one:
        theirs = backups.make_backup(one)
    with _session(tmp_path / "two", articles_dir) as two:
        with pytest.raises(ServiceError, match="a backup of another library"):
            backups.restore(two, theirs.path)
        assert backups.list_backups(two.path) == []  # nothing made, nothing changed


def test_a_restore_while_the_index_is_being_updated_is_refused_before_anything_changes(
    tmp_path: Path, articles_dir: Path
) -> None:
    # Another process (the window's index process, in a catch-up) holds the index: the
    # restore must not copy the backup in under it, nor say it failed after doing so.
    with _session(tmp_path, articles_dir) as session:
        made = backups.make_backup(session)
        text = session.library.articles.text(1) or ""
        create_finding(
            session, 1, "mechanism", text[:20].strip(), {"agent": "alemtuzumab"}, reviewer="Ana"
        )
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import fcntl, sys, time; f = open(sys.argv[1], 'a');"
                "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
                str(session.library.index_dir) + ".lock",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            session.index.lock_timeout = 0.2
            with pytest.raises(ServiceError, match="nothing was restored"):
                backups.restore(session, made.path)
            assert _count(session.path, "findings") == 1  # as it was
            assert len(backups.list_backups(session.path)) == 1  # no before-restore copy
        finally:
            holder.kill()
            holder.communicate()
        assert backups.restore(session, made.path).restored.findings == 0
