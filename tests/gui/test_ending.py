"""However the window ends, nothing of it is left running: SIGTERM (logout, shutdown) and
SIGINT close it as Quit does; after a SIGKILL its helper processes (the index process, the
file reader, multiprocessing's resource tracker) end by themselves. The real program, in a
process of its own, as a user starts it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui


def _children() -> dict[int, int]:
    """Every process's parent, by pid."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if fields[0] != "Z":  # a zombie has ended; only its parent's wait is due
                parents[int(entry.name)] = int(fields[1])
    return parents


def _descendants(pid: int) -> set[int]:
    parents = _children()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    return pids & set(_children())


def _until(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def window(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "trial.txt").write_text(
        "An invented trial of alveltamig\n\nNeutropenia occurred in 14 of 60 patients.\n"
    )
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "REVIEWAPP_CONFIG_DIR": str(tmp_path / "settings"),
        "REVIEWAPP_REVIEWER": "Ana Reviewer",
    }
    library = str(tmp_path / "library.sqlite")
    command = [sys.executable, "-m", "reviewapp", "--library", library]
    subprocess.run([*command, "import", str(tmp_path / "papers")], env=env, check=True)
    log = (tmp_path / "window.log").open("wb")
    started = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    # The window starts its helpers once the index is checked.
    assert _until(lambda: len(_descendants(started.pid)) >= 2, 60), "no helpers started"
    time.sleep(0.5)
    yield started
    if started.poll() is None:
        started.kill()
        started.wait()
    log.close()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_terminated_window_closes_as_quit_does_and_leaves_nothing(
    window: subprocess.Popen[bytes], number: signal.Signals
) -> None:
    helpers = _descendants(window.pid)
    window.send_signal(number)
    assert window.wait(timeout=30) == 0
    assert _until(lambda: not _alive(helpers), 10), f"still running: {_alive(helpers)}"


def test_a_killed_windows_helpers_end_by_themselves(window: subprocess.Popen[bytes]) -> None:
    helpers = _descendants(window.pid)
    window.kill()
    window.wait(timeout=10)
    assert _until(lambda: not _alive(helpers), 10), f"still running: {_alive(helpers)}"


def test_a_second_window_on_the_library_is_refused_until_the_first_is_gone(
    window: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    from reviewapp.gui.app import claim_library

    library = tmp_path / "library.sqlite"
    lock, refusal = claim_library(library)
    assert lock is None
    assert "already open on this library" in refusal and f"process {window.pid}" in refusal
    window.kill()  # a window that dies leaves its lock behind: it is taken over
    window.wait(timeout=10)
    lock, refusal = claim_library(library)
    assert lock is not None and refusal == ""
    lock.unlock()


def test_a_first_run_claims_a_library_whose_folder_is_not_made_yet(tmp_path: Path) -> None:
    from reviewapp.gui.app import claim_library

    lock, refusal = claim_library(tmp_path / "data" / "reviewapp" / "library.sqlite")
    assert lock is not None and refusal == ""
    lock.unlock()


def test_one_library_by_two_names_is_one_window(tmp_path: Path) -> None:
    from reviewapp.gui.app import claim_library

    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    first, _ = claim_library(tmp_path / "real" / "library.sqlite")
    assert first is not None
    second, refusal = claim_library(tmp_path / "link" / "library.sqlite")
    assert second is None and "already open" in refusal
    first.unlock()
