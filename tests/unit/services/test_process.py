"""The process-wide switches the entry points set: each does what it says, once."""

from __future__ import annotations

import json
import subprocess
import sys

_SWITCHES = """
import gc, json, sys
from reviewapp.services import process

before = [sys.getswitchinterval(), gc.get_freeze_count()]
process.keep_freed_memory()
process.keep_freed_memory()  # a second call does nothing more
process.prefer_gui_responsiveness()
objects = [object() for _ in range(1000)]
process.freeze_startup_objects()
print(json.dumps({
    "before": before,
    "after": [sys.getswitchinterval(), gc.get_freeze_count()],
    "allocator calls": process.keep_freed_memory.cache_info().misses,
    "qt": sorted(m for m in sys.modules if m.startswith("PySide6")),
}))
"""


def test_the_switches_change_the_process_they_run_in() -> None:
    # In a process of its own: the switches are process-wide.
    done = subprocess.run(
        [sys.executable, "-c", _SWITCHES], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    interval, frozen = report["before"]
    assert interval == 0.005  # Python's own
    assert report["after"][0] == 0.001
    assert report["after"][1] > frozen + 1000
    assert report["allocator calls"] == 1
    assert report["qt"] == []
