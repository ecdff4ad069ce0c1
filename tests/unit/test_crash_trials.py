"""The crash trials' short version: `reviewapp import` of a folder and a run of tag and edit
commands, each killed with SIGKILL at a random moment, three times, and everything a
clinician relies on checked after each kill (benchmarks/crash_trials.py says what; the full
run, every kind a hundred times, takes most of an hour)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL and process groups as on Linux")
def test_killed_imports_and_tagging_lose_nothing_and_the_index_heals_itself() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.crash_trials",
            *("--kinds", "import,tag", "--trials", "3"),
            *("--records", "1000", "--files", "2", "--tag-seconds", "5"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "import: 3 trials, 3 held" in done.stdout
    assert "tag: 3 trials, 3 held" in done.stdout
