"""Crash trials: reviewapp killed with SIGKILL at random moments, then checked.

    .venv/bin/python -m benchmarks.crash_trials [--trials 100] [--kinds import,tag,...]
        [--records 1000] [--seed N] [--keep DIR]

Each trial starts one piece of work as a user starts it (the terminal command as typed, or
the window with its index process, offscreen), kills the program with SIGKILL after a random
delay (between nothing and the time the work took unkilled), and then checks what a
clinician relies on:

- `PRAGMA integrity_check` is ok, and every kept backup is too;
- every write the program had reported done is there: a command that exited 0, a row the
  window's table had shown;
- no file is half-imported: each import file is in the library whole or not at all, and the
  files in it are the first ones of the folder in name order;
- a pack merge is all or nothing; no half-written pack, brief or export sits under its
  final name (each one found there reads whole);
- the program's children (the parser process, the index process, the forked index writers)
  end with it;
- the next ordinary command (a search) brings the index back in step by itself, and
  `reviewapp check` then passes, with no `reindex` by hand.

Kinds: import (a folder of RIS exports, through the bulk index writer), tag (tag and edit
commands one after another), window (the window imports a folder while its index process
catches up), index (a catch-up of thousands of changes, `reindex` and `optimize`), pack
(`pack import` and `pack export`), club (`club sync` both ways), brief (`brief` and
`export`).

Prints per kind the trials run and the trials that held, and each failure's reasons; exits 1
if any trial did not hold.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.record_corpus import make_scale_records, write_ris
from reviewapp.store.backup import backups_dir

KINDS = ("import", "tag", "window", "index", "pack", "club", "brief")
REVIEWER = "Trial Reviewer"
OTHER = "Other Reviewer"
QUOTE_WORD = "patients"
TOXICITY = ("--category", "toxicity", "--quote", QUOTE_WORD, "--field", "event=neutropenia")


@dataclass
class Run:
    """One command's end: its exit code (None when killed) and output."""

    code: int | None
    out: str
    err: str
    seconds: float


@dataclass
class Setup:
    """The files every trial of a run starts from, made once."""

    root: Path
    exports: Path  # a folder of RIS exports
    export_counts: dict[str, int]
    library: Path  # a library holding the exports, its index in step
    lagging: Path  # a folder: that library with its change log whole, and its index as it
    # was after the first export only (a catch-up of the other exports' changes to make)
    pack: Path  # another reviewer's pack of findings on the same articles
    pack_findings: int
    club: Path  # a club folder holding the other reviewer's pack
    durations: dict[str, float] = field(default_factory=dict)


def env_for(config: Path, reviewer: str = REVIEWER) -> dict[str, str]:
    env = dict(os.environ)
    env["REVIEWAPP_CONFIG_DIR"] = str(config)
    env["REVIEWAPP_REVIEWER"] = reviewer
    env.pop("REVIEWAPP_LIBRARY", None)
    return env


def command(library: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "reviewapp", "--library", str(library), *args]


def run(args: list[str], env: dict[str, str]) -> Run:
    """Run ``args`` to its end."""
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    return Run(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)


def _kill(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


def children_left(pgid: int, wait: float = 10.0) -> bool:
    """Whether processes of the group ``pgid`` (not zombies, which are gone but for their
    parent's reaping) outlive its leader ``wait`` seconds; any left are killed."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not _living_in_group(pgid):
            return False
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    return True


def _living_in_group(pgid: int) -> list[int]:
    living = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            living.append(int(stat.parent.name))
    return living


def run_killed(args: list[str], env: dict[str, str], kill_after: float) -> tuple[Run, list[str]]:
    """``run`` with a kill, and the problem of children outliving the program, if any."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        args,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    timer = threading.Timer(kill_after, lambda: _kill(proc))
    timer.start()
    out, err = proc.communicate()
    timer.cancel()
    code = proc.returncode
    problems = []
    if code == -signal.SIGKILL and children_left(proc.pid):
        problems.append("processes it started outlived it")
    result = Run(None if code == -signal.SIGKILL else code, out, err, time.perf_counter() - start)
    return result, problems


# ---- checks -------------------------------------------------------------------------------


def integrity(path: Path) -> list[str]:
    if not path.exists():
        return []
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            result = db.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as exc:
        return [f"{path.name} cannot be opened: {exc}"]
    if result != [("ok",)]:
        return [f"{path.name}: integrity_check says {result[:3]}"]
    return []


def backups_whole(library: Path) -> list[str]:
    folder = backups_dir(library)
    problems: list[str] = []
    if folder.is_dir():
        for backup in folder.glob("*.sqlite"):
            problems += integrity(backup)
    return problems


def ordinary_command_heals(library: Path, env: dict[str, str]) -> list[str]:
    """A search (the next ordinary command) brings the index in step; `check` then passes."""
    problems = []
    searched = run(command(library, "search", "neutropenia", "--json"), env)
    if searched.code != 0:
        problems.append(f"the next search failed ({searched.code}): {searched.err.strip()[-300:]}")
    checked = run(command(library, "check"), env)
    if checked.code != 0:
        said = (checked.out + checked.err).strip()[-400:]
        problems.append(f"check failed after the search: {said}")
    return problems


def articles_by_file(library: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(library)) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
            return {}  # killed before the library's tables were made
        rows = db.execute("SELECT source_file, count(*) FROM articles GROUP BY source_file")
        return {Path(name).name: count for name, count in rows if name}


def files_whole(library: Path, counts: dict[str, int], all_reported: bool) -> list[str]:
    """Each export whole or absent, the present ones a prefix of the folder's names."""
    if not library.exists():
        return ["the import reported done but there is no library"] if all_reported else []
    stored = articles_by_file(library)
    problems = []
    for name, count in stored.items():
        if name in counts and count != counts[name]:
            problems.append(f"{name} is half-imported: {count} of {counts[name]} records")
    names = sorted(counts)
    present = [n for n in names if n in stored]
    if present != names[: len(present)]:
        problems.append(f"the imported files are not the folder's first ones: {present}")
    if all_reported and len(present) != len(names):
        problems.append(f"the import reported done but only {len(present)} files are stored")
    return problems


def notes_held(library: Path, notes: dict[str, set[str]]) -> list[str]:
    """Each finding is there with one of the notes it may hold."""
    with contextlib.closing(sqlite3.connect(library)) as db:
        held = dict(
            db.execute("SELECT CAST(id AS TEXT), note FROM findings WHERE deleted_at IS NULL")
        )
    lost = [finding for finding, allowed in notes.items() if held.get(finding) not in allowed]
    return [f"{len(lost)} saved writes lost, e.g. finding {lost[0]}"] if lost else []


def final_file_whole(path: Path, reader: Callable[[Path], None]) -> list[str]:
    if not path.exists():
        return []
    try:
        reader(path)
    except Exception as exc:
        return [f"{path.name} sits under its final name but does not read whole: {exc}"]
    return []


def read_pdf(path: Path) -> None:
    from pypdf import PdfReader

    pages = PdfReader(path, strict=True).pages
    if not pages or not pages[-1].extract_text():
        raise ValueError("no text on its last page")


def read_pack(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        bad = archive.testzip()
        if bad is not None:
            raise ValueError(f"member {bad} is damaged")
        json.loads(archive.read("manifest.json"))


def same_as(expected: bytes) -> Callable[[Path], None]:
    def read(path: Path) -> None:
        if path.read_bytes() != expected:
            raise ValueError("its content differs from the same export made unkilled")

    return read


def findings_of(library: Path, reviewer: str) -> int:
    with contextlib.closing(sqlite3.connect(library)) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM findings f JOIN reviewers r ON r.id = f.reviewer_id "
            "WHERE r.name = ?",
            (reviewer,),
        ).fetchone()
        return int(count)


# ---- set-up --------------------------------------------------------------------------------


def make_setup(root: Path, records: int, files: int, kinds: list[str]) -> Setup:
    """The exports and a library holding them, and what the ``kinds`` asked for need."""
    exports = root / "exports"
    exports.mkdir(parents=True)
    made = make_scale_records(records * files)
    counts = {}
    for i in range(files):
        name = f"export_{i:03d}.ris"
        write_ris(exports / name, made[i * records : (i + 1) * records])
        counts[name] = records
    library = root / "library.sqlite"
    env = env_for(root / "cfg")
    first = root / "first"
    first.mkdir()
    shutil.copy(exports / "export_000.ris", first)
    done = run(command(library, "import", str(first)), env)
    assert done.code == 0, done.err
    lagging = root / "lagging"
    lagging.mkdir()
    shutil.copytree(library.with_name("library.index"), lagging / "library.index")
    # The rest imported while the index is held (as by another reviewapp), so that the
    # change log keeps every change for a catch-up to take: the lagging library.
    lock = os.open(str(library.with_name("library.index")) + ".lock", os.O_CREAT | os.O_WRONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        held = dict(env, REVIEWAPP_INDEX_LOCK_TIMEOUT="0")
        done = run(command(library, "import", str(exports)), held)
        assert done.code == 0, done.err
        shutil.copy(library, lagging / library.name)
    finally:
        os.close(lock)
    done = run(command(library, "search", "neutropenia"), env)  # now in step
    assert done.code == 0, done.err
    setup = Setup(root, exports, counts, library, lagging, root / "other.rvpack", 0, root / "club")
    if "brief" in kinds:  # findings for the brief
        for number in range(1, 11):
            tagged = run(command(library, "tag", str(number), *TOXICITY), env)
            assert tagged.code == 0, tagged.err
    if "pack" in kinds or "club" in kinds:
        _other_reviewers_pack(setup)
    return setup


def _other_reviewers_pack(setup: Setup) -> None:
    """Another reviewer with findings on the same articles, as a pack and in a club folder."""
    other_config, other_library = setup.root / "other-cfg", setup.root / "other.sqlite"
    shutil.copy(setup.library, other_library)
    other = env_for(other_config, OTHER)
    for number in range(1, 41):
        tagged = run(
            command(
                other_library,
                *("tag", str(number), "--category", "efficacy", "--quote", QUOTE_WORD),
                *("--field", "endpoint=OS", "--note", f"other-{number}"),
            ),
            other,
        )
        assert tagged.code == 0, tagged.err
    done = run(command(other_library, "pack", "export", "--out", str(setup.pack)), other)
    assert done.code == 0, done.err
    setup.club.mkdir()
    shutil.copy(setup.pack, setup.club / "other.rvpack")
    setup.pack_findings = findings_of(other_library, OTHER)


class Trial:
    """A fresh copy of the set-up's library (and its settings) for one trial."""

    def __init__(self, setup: Setup, folder: Path, with_library: bool = True) -> None:
        self.setup, self.folder = setup, folder
        folder.mkdir()
        self.library = folder / "library.sqlite"
        self.config = folder / "cfg"
        if (setup.root / "cfg").is_dir():  # the reviewer's key, made by a first finding
            shutil.copytree(setup.root / "cfg", self.config)
        if with_library:
            shutil.copy(setup.library, self.library)
            shutil.copytree(setup.library.with_name("library.index"), folder / "library.index")
        self.env = env_for(self.config)

    def cmd(self, *args: str) -> list[str]:
        return command(self.library, *args)

    def common_checks(self) -> list[str]:
        problems = integrity(self.library) + backups_whole(self.library)
        if self.library.exists():
            problems += ordinary_command_heals(self.library, self.env)
        return problems


def delay(setup: Setup, kind: str, rng: random.Random) -> float:
    return rng.uniform(0.0, setup.durations[kind] * 1.05)


# ---- the kinds -----------------------------------------------------------------------------


def trial_import(setup: Setup, trial: Trial, rng: random.Random) -> list[str]:
    trial.library.unlink()
    shutil.rmtree(trial.folder / "library.index")
    done, problems = run_killed(
        trial.cmd("import", str(setup.exports)), trial.env, delay(setup, "import", rng)
    )
    problems += integrity(trial.library)
    problems += files_whole(trial.library, setup.export_counts, done.code == 0)
    return problems + trial.common_checks()


def trial_tag(setup: Setup, trial: Trial, rng: random.Random) -> list[str]:
    """Tags and edits one after another; the kill lands in one of them. Each finding's
    note must be the last one a command reported saved, or, for the command killed, that
    or its own (a write may commit just before the kill)."""
    notes: dict[str, set[str]] = {}  # finding id → the notes it may hold
    deadline = time.perf_counter() + delay(setup, "tag", rng)
    problems: list[str] = []
    last_id = ""
    for number in range(1, 1000):
        note = f"trial-{number}"
        tagging = number % 2 == 1
        if tagging:
            args = trial.cmd("tag", str(number), *TOXICITY, "--note", note, "--json")
        else:
            args = trial.cmd("edit", last_id, "--note", note, "--json")
        left = deadline - time.perf_counter()
        if left <= 0:
            break
        done, killed = run_killed(args, trial.env, left)
        problems += killed
        if done.code is None:
            if not tagging:
                notes[last_id].add(note)
            break
        if done.code != 0:
            problems.append(f"a command failed unkilled: {done.err.strip()[-200:]}")
            break
        if tagging:
            last_id = str(json.loads(done.out)["id"])
        notes[last_id] = {note}
    intact = integrity(trial.library)
    problems += intact
    if not intact:
        problems += notes_held(trial.library, notes)
    return problems + trial.common_checks()


_WINDOW_DRIVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from reviewapp.gui.app import create_main_window
    from reviewapp.services import process

    app = QApplication(sys.argv[:1])
    process.configure_window_process()
    window = create_main_window(Path(sys.argv[1]))
    window.show()
    shown = [-1]

    def report():
        rows = window.model.rowCount()
        if rows != shown[0]:
            shown[0] = rows
            print(rows, flush=True)

    timer = QTimer()
    timer.timeout.connect(report)
    timer.start(10)
    handle = window.flows.importer.start([Path(sys.argv[2])])

    def finish():
        if handle.done:
            report()
            print("done", flush=True)
            window.close()
            app.quit()

    done = QTimer()
    done.timeout.connect(finish)
    done.start(50)
    app.exec()
    """
)


def trial_window(setup: Setup, trial: Trial, rng: random.Random) -> list[str]:
    """The window imports the folder into an empty library; its table's rows are what it
    reported saved."""
    trial.library.unlink()
    shutil.rmtree(trial.folder / "library.index")
    env = dict(trial.env, QT_QPA_PLATFORM="offscreen")
    args = [sys.executable, "-c", _WINDOW_DRIVER, str(trial.library), str(setup.exports)]
    done, problems = run_killed(args, env, delay(setup, "window", rng))
    shown = [int(line) for line in done.out.split() if line.isdigit()]
    problems += integrity(trial.library)
    problems += files_whole(trial.library, setup.export_counts, "done" in done.out.split())
    if shown and shown[-1] > 0:
        stored = sum(articles_by_file(trial.library).values()) if trial.library.exists() else 0
        if stored < shown[-1]:
            problems.append(f"the table showed {shown[-1]} articles, the library holds {stored}")
    return problems + trial.common_checks()


def lag_behind(setup: Setup, trial: Trial) -> None:
    """The trial's library replaced by the lagging one: its index behind its change log."""
    shutil.rmtree(trial.folder / "library.index")
    shutil.copytree(setup.lagging / "library.index", trial.folder / "library.index")
    shutil.copy(setup.lagging / trial.library.name, trial.library)


def trial_index(setup: Setup, trial: Trial, rng: random.Random) -> list[str]:
    """A third of the trials: a search whose index must catch up on thousands of changes; a
    third: a rebuild; a third: `optimize` (the index's segments merged into one, all or
    nothing)."""
    kind = rng.choice(["index-catch-up", "index-rebuild", "index-optimize"])
    if kind == "index-catch-up":
        lag_behind(setup, trial)
        args = trial.cmd("search", "neutropenia")
    else:
        args = trial.cmd("reindex" if kind == "index-rebuild" else "optimize")
    optimizing = kind == "index-optimize"
    before = index_segments(trial.folder / "library.index") if optimizing else 0
    done, problems = run_killed(args, trial.env, delay(setup, kind, rng))
    if optimizing:
        after = index_segments(trial.folder / "library.index")
        if after not in (before, 1) or (done.code == 0 and after != 1):
            problems.append(f"optimize left {after} segments of {before} (exit {done.code})")
    return problems + trial.common_checks()


def index_segments(folder: Path) -> int | str:
    """The segments of the index in ``folder`` (what went wrong, if it cannot be read)."""
    from reviewapp.search.index import SearchIndex

    index = SearchIndex(folder)
    try:
        return len(index.segment_sizes())
    except Exception as exc:  # a killed run's index that cannot be read: a trial's failure
        return f"an index that cannot be read ({exc!r})"
    finally:
        index.close()


def merged_whole(setup: Setup, trial: Trial, done: Run, what: str) -> list[str]:
    """The other reviewer's pack merged all or nothing, and all if ``what`` said done."""
    problems = integrity(trial.library)
    if not problems:
        merged = findings_of(trial.library, OTHER)
        if merged not in (0, setup.pack_findings):
            problems.append(f"half a pack merged: {merged} of {setup.pack_findings} findings")
        if done.code == 0 and merged != setup.pack_findings:
            problems.append(f"the {what} reported done but the findings are not there")
    return problems


def trial_pack(setup: Setup, trial: Trial, rng: random.Random) -> list[str]:
    """Half the trials: `pack import` (all or nothing); half: `pack export` (whole or
    absent)."""
    if rng.random() < 0.5:
        done, problems = run_killed(
            trial.cmd("pack", "import", str(setup.pack)),
            trial.env,
            delay(setup, "pack-import", rng),
        )
        problems += merged_whole(setup, trial, done, "pack import")
    else:
        out = trial.folder / "mine.rvpack"
        done, problems = run_killed(
            trial.cmd("pack", "export", "--out", str(out)),
            trial.env,
            delay(setup, "pack-export", rng),
        )
        problems += final_file_whole(out, read_pack)
        if done.code == 0 and not out.exists():
            problems.append("the pack export reported done but wrote no file")
    return problems + trial.common_checks()


def trial_club(setup: Setup, trial: Trial, rng: random.Random) -> list[str]:
    club = trial.folder / "club"
    shutil.copytree(setup.club, club)
    done, problems = run_killed(
        trial.cmd("club", "sync", str(club)), trial.env, delay(setup, "club", rng)
    )
    problems += merged_whole(setup, trial, done, "club sync")
    for pack in club.glob("*.rvpack"):
        problems += final_file_whole(pack, read_pack)
    return problems + trial.common_checks()


def trial_brief(setup: Setup, trial: Trial, rng: random.Random) -> list[str]:
    reader: Callable[[Path], None]
    if rng.random() < 0.5:
        out = trial.folder / "brief.pdf"
        args = trial.cmd("brief", "--out", str(out), *_brief_articles())
        kind, reader = "brief", read_pdf
    else:
        out = trial.folder / "table.csv"
        args = trial.cmd("export", "--format", "csv", "--out", str(out))
        kind, reader = "export", same_as((setup.root / "table.csv").read_bytes())
    done, problems = run_killed(args, trial.env, delay(setup, kind, rng))
    problems += final_file_whole(out, reader)
    if done.code == 0 and not out.exists():
        problems.append(f"the {kind} reported done but wrote no file")
    return problems + trial.common_checks()


def _brief_articles() -> list[str]:
    return [arg for n in range(1, 41) for arg in ("--article", str(n))]


TRIALS: dict[str, Callable[[Setup, Trial, random.Random], list[str]]] = {
    "import": trial_import,
    "tag": trial_tag,
    "window": trial_window,
    "index": trial_index,
    "pack": trial_pack,
    "club": trial_club,
    "brief": trial_brief,
}


def measure_durations(setup: Setup, kinds: list[str], tag_seconds: float) -> None:
    """How long each piece of work takes unkilled: the kills fall within it."""
    scratch = setup.root / "timing"
    scratch.mkdir()

    def timed(name: str, make: Callable[[Trial], list[str]], empty: bool = False) -> None:
        trial = Trial(setup, scratch / name)
        if empty:
            trial.library.unlink()
            shutil.rmtree(trial.folder / "library.index")
        args = make(trial)
        env = trial.env
        if args[:2] == [sys.executable, "-c"]:
            env = dict(env, QT_QPA_PLATFORM="offscreen")
        done = run(args, env)
        if done.code != 0:
            raise SystemExit(f"{name} failed unkilled: {done.err.strip()[-500:]}")
        setup.durations[name] = done.seconds
        if name == "export":
            shutil.copy(trial.folder / "table.csv", setup.root / "table.csv")

    exports = str(setup.exports)
    if "import" in kinds:
        timed("import", lambda t: t.cmd("import", exports), empty=True)
    if "tag" in kinds:
        setup.durations["tag"] = tag_seconds  # tags and edits, one after another
    if "window" in kinds:
        timed(
            "window",
            lambda t: [sys.executable, "-c", _WINDOW_DRIVER, str(t.library), exports],
            empty=True,
        )
    if "index" in kinds:

        def lagging(t: Trial) -> list[str]:
            lag_behind(setup, t)
            return t.cmd("search", "neutropenia")

        timed("index-catch-up", lagging)
        timed("index-rebuild", lambda t: t.cmd("reindex"))
        timed("index-optimize", lambda t: t.cmd("optimize"))
    if "pack" in kinds:
        timed("pack-import", lambda t: t.cmd("pack", "import", str(setup.pack)))
        timed("pack-export", lambda t: t.cmd("pack", "export", "--out", str(t.folder / "p.rvpack")))
    if "club" in kinds:

        def club(t: Trial) -> list[str]:
            shutil.copytree(setup.club, t.folder / "club")
            return t.cmd("club", "sync", str(t.folder / "club"))

        timed("club", club)
    if "brief" in kinds:
        timed(
            "brief", lambda t: t.cmd("brief", "--out", str(t.folder / "b.pdf"), *_brief_articles())
        )
        timed(
            "export",
            lambda t: t.cmd("export", "--format", "csv", "--out", str(t.folder / "table.csv")),
        )
    shutil.rmtree(scratch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100, help="trials per kind")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--records", type=int, default=1000, help="records per export file")
    parser.add_argument("--files", type=int, default=3, help="export files in the folder")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument(
        "--tag-seconds", type=float, default=12.0, help="how long tagging runs before its kill"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep failed trials' folders here")
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        parser.error(f"unknown kinds: {', '.join(unknown)} (known: {', '.join(KINDS)})")
    rng = random.Random(args.seed)
    failed_any = False
    with tempfile.TemporaryDirectory(prefix="reviewapp-crash-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        setup = make_setup(root / "setup", args.records, args.files, kinds)
        measure_durations(setup, kinds, args.tag_seconds)
        timings = ", ".join(f"{k} {v:.1f} s" for k, v in setup.durations.items())
        print(f"set up in {time.perf_counter() - started:.0f} s; unkilled: {timings}", flush=True)
        for kind in kinds:
            held = 0
            for number in range(1, args.trials + 1):
                folder = root / f"{kind}-{number}"
                problems = TRIALS[kind](setup, Trial(setup, folder), rng)
                if problems:
                    failed_any = True
                    print(f"  {kind} trial {number} did not hold:", flush=True)
                    for problem in problems:
                        print(f"    - {problem}", flush=True)
                    if args.keep is not None:
                        shutil.copytree(folder, args.keep / folder.name, dirs_exist_ok=True)
                else:
                    held += 1
                shutil.rmtree(folder, ignore_errors=True)
            print(f"{kind}: {args.trials} trials, {held} held", flush=True)
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main())
