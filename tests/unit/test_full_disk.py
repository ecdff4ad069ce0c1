"""A full disk loses nothing: the terminal commands, as typed, on a library on a small
filesystem (a 16 MB tmpfs where this machine lets the test mount one, as CI does as root;
else a file-size limit, RLIMIT_FSIZE, in the command's process: the test says which it
used). Filled during an import and during tagging: the user is told, the library stays
whole and holds all it held, and work goes on once there is room again."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.media import mount_tmpfs

TEXT = (
    "An invented trial of alveltamig in relapsed disease\n\n"
    "Cytokine release syndrome occurred in 14 of 60 patients.\n"
)


def _records(count: int) -> str:
    lines = []
    for n in range(count):
        words = " ".join(f"word{(n * 7 + k) % 997}" for k in range(120))
        lines += ["TY  - JOUR", f"TI  - Invented record {n} on neutropenia", f"AB  - {words}"]
        lines += [f"PY  - {2000 + n % 25}", "ER  - ", ""]
    return "\n".join(lines)


@contextlib.contextmanager
def _small_filesystem(tmp_path: Path) -> Iterator[tuple[Path, str, Callable[[bool], None]]]:
    """A folder on a small filesystem, how it is small, and a way to fill or free it."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = mount_tmpfs(folder, "16m")
    filler = folder / "filler"

    def fill(full: bool) -> None:
        if not full:
            filler.unlink(missing_ok=True)
            return
        if mounted:  # every byte there is
            with contextlib.suppress(OSError), filler.open("ab") as out:
                while True:
                    out.write(b"\0" * 4096)
                    out.flush()

    try:
        yield folder, "a 16 MB tmpfs" if mounted else "RLIMIT_FSIZE", fill
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def _limited(limit: int | None) -> Callable[[], None] | None:
    if limit is None:
        return None

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past it fails, not the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_loses_nothing_and_work_resumes(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "trial.txt").write_text(TEXT)
    (tmp_path / "export.ris").write_text(_records(1000))
    env = os.environ | {
        "REVIEWAPP_CONFIG_DIR": str(tmp_path / "settings"),
        "REVIEWAPP_REVIEWER": "Ana Reviewer",
    }
    with _small_filesystem(tmp_path) as (folder, how, fill):
        record_property("small filesystem", how)  # in the run's report (--junitxml)
        library = folder / "library.sqlite"
        limit: int | None = None

        def reviewapp(*args: str) -> subprocess.CompletedProcess[str]:
            command = [sys.executable, "-m", "reviewapp", "--library", str(library), *args]
            return subprocess.run(
                command, env=env, capture_output=True, text=True, check=False,
                preexec_fn=_limited(limit),
            )  # fmt: skip

        assert reviewapp("import", str(papers)).returncode == 0
        tag = ["tag", "1", "--category", "toxicity", "--quote", "Cytokine release syndrome"]
        tag += ["--field", "event=cytokine release syndrome", "--field", "n=14", "--field", "N=60"]
        assert reviewapp(*tag).returncode == 0
        saved = library.read_bytes() if how == "RLIMIT_FSIZE" else None
        # The disk fills.
        fill(True)
        if how == "RLIMIT_FSIZE":
            limit = len(saved or b"") + 16 * 1024
        imported = reviewapp("import", str(tmp_path / "export.ris"))
        assert imported.returncode != 0
        assert "full" in imported.stdout + imported.stderr, (how, imported.stdout, imported.stderr)
        # The room the failed import's write-ahead log kept is handed back, then filled.
        fill(False)
        with sqlite3.connect(library) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fill(True)
        if how == "RLIMIT_FSIZE":
            limit = 1024  # no file may grow: the log's first page is past it
        tagged = reviewapp(*tag[:-6], "--field", "event=CRS")
        assert tagged.returncode != 0
        assert "full" in tagged.stderr and "unexpected" not in tagged.stderr, (how, tagged.stderr)
        # Nothing that was saved is lost; the file is whole.
        with sqlite3.connect(library) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
            assert db.execute("SELECT count(*) FROM findings").fetchone()[0] == 1
        # There is room again: work goes on, and the index catches up by itself.
        fill(False)
        limit = None
        again = reviewapp("import", str(tmp_path / "export.ris"), "--json")
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)[0]["imported"] == 1000
        assert reviewapp(*tag[:-6], "--field", "event=CRS").returncode == 0
        found = reviewapp("search", '"cytokine release"', "--json")
        assert found.returncode == 0 and len(json.loads(found.stdout)) == 1
        checked = reviewapp("check")
        assert checked.returncode == 0, (how, checked.stdout, checked.stderr)
