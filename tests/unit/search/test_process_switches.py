"""The search package changes no process-wide switch: building a SearchIndex or a Ranker,
searching and indexing a large batch with two processes leave the multiprocessing start
method, the switch interval and the collector as they were. Those belong to the program
that owns the process (reviewapp.services.process, called from the entry points)."""

from __future__ import annotations

import gc
import json
import multiprocessing
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reviewapp.search.index import SearchIndex
from reviewapp.search.ranking import Ranker


def _switches() -> list[Any]:
    return [
        multiprocessing.get_start_method(allow_none=True),
        sys.getswitchinterval(),
        gc.get_freeze_count(),
        gc.isenabled(),
        list(gc.get_threshold()),
    ]


def test_searching_leaves_the_process_switches_alone(tmp_path: Path) -> None:
    before = _switches()
    index = SearchIndex(tmp_path / "index")
    docs = [{"id": n, "title": f"Neutropenia study {n}"} for n in range(1, 30)]
    index.rebuild("uid", 1, docs, len(docs))
    assert index.search("neutropenia", limit=5)
    Ranker(index.searcher()).prepare(["title"])
    index.close()
    assert _switches() == before


_BULK = """
import gc, json, multiprocessing, sys
from pathlib import Path

def switches():
    return [multiprocessing.get_start_method(allow_none=True), sys.getswitchinterval(),
            gc.get_freeze_count(), gc.isenabled(), list(gc.get_threshold())]

if __name__ == "__main__":
    if sys.argv[2] != "none":  # as the program that owns this process may have chosen
        multiprocessing.set_start_method(sys.argv[2])
    before = switches()
    from reviewapp.search import bulk
    from reviewapp.search.index import SearchIndex

    bulk.BULK_DOCS = 100
    index = SearchIndex(Path(sys.argv[1]))
    seen = set()

    def docs():  # what the start method is while the workers run
        for n in range(1, 301):
            seen.add(multiprocessing.get_start_method(allow_none=True))
            yield {"id": n, "title": f"Neutropenia study {n}"}

    assert bulk.bulk_writer_options(300), "two processes should be used here"
    index.rebuild("uid", 1, docs(), 300)
    segments = len(index.searcher().leaf_searchers())
    more = [{"id": n, "title": f"Neutropenia trial {n}"} for n in range(301, 451)]
    index.apply("uid", 2, more, [], expected=len(more))
    print(json.dumps({
        "before": before,
        "after": switches(),
        "during": sorted(seen, key=str),
        "segments": segments,
        "hits": len(index.search("neutropenia", limit=1000)),
        "workers left": len(multiprocessing.active_children()),
        "allocator module": "reviewapp.services.process" in sys.modules,
    }))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="two-process indexing is for Linux only")
@pytest.mark.parametrize("start_method", ["none", "spawn", "forkserver"])
def test_indexing_with_two_processes_leaves_the_start_method_alone(
    tmp_path: Path, start_method: str
) -> None:
    # In a process of its own, as the terminal commands and the window's index process
    # (whose start method is "spawn") index; "forkserver" is the default from Python 3.14.
    script = tmp_path / "bulk.py"
    script.write_text(_BULK, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "index"), start_method],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["after"] == report["before"]
    assert report["during"] == [report["before"][0]]
    assert report["before"][0] == (None if start_method == "none" else start_method)
    assert report["segments"] >= 2  # two forked workers, each writing its own segment
    assert report["hits"] == 450
    assert report["workers left"] == 0
    assert not report["allocator module"]
