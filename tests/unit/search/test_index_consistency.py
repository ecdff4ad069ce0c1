"""The index stays in step with the store: long-lived sessions, restored backups, stale
contents, several processes writing at once, a busy index, racing migrations."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reviewapp.core.models import Category
from reviewapp.search.index import Health
from reviewapp.services.findings import create_finding, delete_finding
from reviewapp.services.library import LibrarySession
from reviewapp.services.organise import tag_articles, untag_articles
from reviewapp.store import open_library

QUOTE = "CMV viremia was the adverse event that stood out"


def _ids(session: LibrarySession, query: str) -> list[int]:
    return [r.article_id for r in session.search(query)]


def test_a_long_lived_session_stops_finding_deleted_findings_and_removed_tags(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    article = fixture_ids["alemtuzumab"]
    finding = create_finding(
        session,
        article,
        Category.TOXICITY,
        quote=QUOTE,
        fields={"event": "CMV viremia"},
        note="zzqnote",
        reviewer="A B",
    )
    assert _ids(session, "zzqnote") == [article]
    delete_finding(session, finding.id or 0)
    assert _ids(session, "zzqnote") == []
    tag_articles(session, [article], "journal club")
    assert _ids(session, 'tag:"journal club"') == [article]
    untag_articles(session, [article], "journal club")
    assert _ids(session, 'tag:"journal club"') == []
    assert _ids(session, "alemtuzumab").count(article) == 1


def test_an_index_ahead_of_a_restored_library_is_rebuilt(
    session: LibrarySession, fixture_ids: dict[str, int], library_path: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.sqlite"
    session.library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(library_path, backup)
    for i in range(3):
        create_finding(
            session,
            fixture_ids["alemtuzumab"],
            Category.TOXICITY,
            quote=QUOTE,
            fields={"event": "x"},
            note=f"note{i}",
            reviewer="A B",
        )
    session.close()
    shutil.copy(backup, library_path)
    for suffix in ("-wal", "-shm"):
        Path(str(library_path) + suffix).unlink(missing_ok=True)
    with LibrarySession.open(library_path, sync_index=False) as restored:
        assert restored.index_status().health is Health.OUTDATED
        restored.ensure_index()
        assert _ids(restored, "note1") == []
        create_finding(
            restored,
            fixture_ids["alveltamig"],
            Category.MECHANISM,
            quote="Alveltamig binds DLL3",
            fields={"agent": "zebrafishmab"},
            reviewer="A B",
        )
        assert _ids(restored, "zebrafishmab") == [fixture_ids["alveltamig"]]
        assert restored.index_status(thorough=True).health is Health.OK


def test_a_thorough_check_notices_contents_the_index_never_saw(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    assert session.index_status(thorough=True).health is Health.OK
    # A write that bypassed the change log (a tool editing the file directly).
    db = session.library.db
    seq = session.library.last_change()
    db.execute("UPDATE articles SET title = 'Renamed' WHERE id = ?", [fixture_ids["kras"]])
    db.execute("DELETE FROM changes WHERE seq > ?", [seq])
    db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'changes'", [seq])
    status = session.index_status(thorough=True)
    assert status.health is Health.INCONSISTENT
    assert "1 out of date" in status.message


def _finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    """Wait for each process; its exit code and stderr (pipes read and closed)."""
    results = []
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        results.append((proc.returncode, err))
    return results


def _cli(library: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reviewapp", "--library", str(library), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_several_processes_tagging_at_once_all_succeed(
    fixture_ids: dict[str, int], session: LibrarySession, library_path: Path
) -> None:
    session.close()
    procs = [
        _cli(
            library_path,
            "tag",
            str(fixture_ids["alemtuzumab"]),
            "--category",
            "reference",
            "--quote",
            "Cancer. 2025",
            "--field",
            f"citation=parallel {i}",
            "--reviewer",
            "P Q",
        )
        for i in range(8)
    ]
    results = _finish(procs)
    assert [code for code, _err in results] == [0] * 8, results
    with LibrarySession.open(library_path) as after:
        assert after.library.findings.count() == 8
        assert after.index_status(thorough=True).health is Health.OK
        assert len(after.search('"parallel"')) == 1


def test_a_busy_index_does_not_fail_a_saved_write(
    fixture_ids: dict[str, int], session: LibrarySession, library_path: Path
) -> None:
    session.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import sys
        from whoosh.util.filelock import FileLock
        lock = FileLock({str(library_path.with_name(library_path.stem + ".index.lock"))!r})
        assert lock.acquire(blocking=False)
        print("locked", flush=True)
        sys.stdin.readline()  # held until the test is done: the write cannot wait it out
    """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        tag = _cli(
            library_path,
            "tag",
            str(fixture_ids["alveltamig"]),
            "--category",
            "mechanism",
            "--quote",
            "Alveltamig binds DLL3",
            "--field",
            "agent=alveltamig",
            "--reviewer",
            "P Q",
        )
        [(code, err)] = _finish([tag])
        assert code == 0, err
        assert "catch up" in err and "Traceback" not in err
        assert holder.poll() is None  # the lock was held all along: the write did not wait
    finally:
        holder.kill()
        holder.communicate()
    with LibrarySession.open(library_path) as after:
        assert after.library.findings.count() == 1  # saved once, not lost, not doubled
        assert after.index_status(thorough=True).health is Health.OK


def test_processes_importing_into_a_new_library_at_once_migrate_it_once(
    tmp_path: Path, articles_dir: Path
) -> None:
    library = tmp_path / "fresh.sqlite"
    article = articles_dir / "alveltamig_sclc.txt"
    procs = [_cli(library, "import", str(article)) for _ in range(4)]
    results = _finish(procs)
    assert [code for code, _err in results] == [0] * 4, results
    lib = open_library(library, create=False)
    assert lib.articles.count() == 1  # one import, three duplicates: never two copies
    lib.close()


@pytest.fixture(autouse=True)
def _fast_lock_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the busy-index wait short in these tests (the CLI reads this variable)."""
    monkeypatch.setenv("REVIEWAPP_INDEX_LOCK_TIMEOUT", "3")
