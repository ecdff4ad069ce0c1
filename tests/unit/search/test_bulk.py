"""A large batch indexed with two processes ends complete and consistent with the store."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from whoosh import index as whoosh_index

from reviewapp.search import bulk


def _records(count: int) -> str:
    return "".join(
        f"TY  - JOUR\nTI  - Pegfilgrastim timing study number {n} in lymphoma\nPY  - 2022\n"
        f"DO  - 10.5555/bulk.{n}\nAB  - Febrile neutropenia occurred in {n} of 200 patients.\n"
        "ER  - \n"
        for n in range(1, count + 1)
    )


def test_a_large_batch_is_indexed_completely(tmp_path: Path) -> None:
    # In a process of its own, as a terminal command runs: the test process has Qt threads
    # left by other tests, beside which forking is not attempted.
    path = tmp_path / "export.ris"
    path.write_text(_records(bulk.BULK_DOCS + 50), encoding="utf-8")
    library = tmp_path / "bulk.sqlite"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reviewapp", "--library", str(library), *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    imported = cli("import", str(path), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)[0]["imported"] == bulk.BULK_DOCS + 50
    segments = whoosh_index.open_dir(str(tmp_path / "bulk.index"))._segments()
    assert len(segments) >= 2  # two workers, each writing its own segment
    assert cli("check").returncode == 0
    found = cli("search", '"number 77"', "--json")
    assert [hit["title"] for hit in json.loads(found.stdout)] == [
        "Pegfilgrastim timing study number 77 in lymphoma"
    ]


def test_small_batches_and_threaded_processes_use_one_writer() -> None:
    options = bulk.bulk_writer_options(bulk.BULK_DOCS - 1)
    assert options == {}
    started = threading.Event()
    release = threading.Event()

    def wait() -> None:
        started.set()
        release.wait(5)

    worker = threading.Thread(target=wait)
    worker.start()
    try:
        started.wait(5)
        options = bulk.bulk_writer_options(bulk.BULK_DOCS * 10)
        assert options == {}  # forking beside another thread is not safe
    finally:
        release.set()
        worker.join()


_MIDWAY = """
import multiprocessing, sys
from whoosh import index
from reviewapp.search import bulk
from reviewapp.search.index import _write_batch
from reviewapp.search.schema import build_schema, to_document

def documents():
    for n in range(50):
        yield to_document({"id": n, "title": f"Neutropenia study {n}"})
    raise RuntimeError("the store went away")

if __name__ == "__main__":
    ix = index.create_in(sys.argv[1], build_schema())
    options = bulk.bulk_writer_options(bulk.BULK_DOCS)
    assert options, "two processes should be used here"
    try:
        _write_batch(ix, documents(), [], options)
    except RuntimeError as exc:
        print("raised:", exc)
    print("workers left:", len(multiprocessing.active_children()))
    print("documents:", ix.doc_count())
"""


def test_a_bulk_batch_that_fails_midway_leaves_no_workers_behind(tmp_path: Path) -> None:
    script = tmp_path / "midway.py"
    script.write_text(_MIDWAY, encoding="utf-8")
    (tmp_path / "index").mkdir()
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "index")],
        capture_output=True,
        text=True,
        timeout=60,  # whoosh's own cancel left the workers waiting and the process hung
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "raised: the store went away",
        "workers left: 0",
        "documents: 0",
    ]


def test_a_helper_watching_its_parent_still_indexes_with_two_processes() -> None:
    # The window's index process runs a thread that watches for the window's end; it holds
    # no lock, so the process still forks its writers (as a terminal command does).
    probe = (
        "from reviewapp.services.process import end_with_parent\n"
        "end_with_parent()\n"
        "import threading\n"
        "from reviewapp.search.bulk import bulk_writer_options\n"
        "print(threading.active_count(), bulk_writer_options(5000).get('procs', 1))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["2", "2"], done.stdout


_LOST = """
import os, sys
from pathlib import Path
from reviewapp.search import bulk, segments
from reviewapp.search.index import SearchIndex

class Dying(segments.SegmentBuilder):
    added = 0

    def add_document(self, fields):
        Dying.added += 1
        if Dying.added == 300:
            try:  # the first of the two workers to get this far dies
                os.close(os.open(sys.argv[1] + ".died", os.O_CREAT | os.O_EXCL))
                os._exit(1)
            except FileExistsError:
                pass
        super().add_document(fields)

bulk.SegmentBuilder = Dying
index = SearchIndex(Path(sys.argv[1]))
index.rebuild("uid", 0, [], 0)
articles = [{"id": n, "title": f"Neutropenia study {n}", "findings": []} for n in range(1200)]
index.apply("uid", 1, articles, [], expected=len(articles))
print("documents:", index.searcher().doc_count())
print("found:", [hit.article_id for hit in index.search('"study 777"')])
"""


def test_a_worker_lost_midway_leaves_a_complete_index(tmp_path: Path) -> None:
    script = tmp_path / "lost.py"
    script.write_text(_LOST, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "index")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["documents: 1200", "found: [777]"]
    assert "were lost by a worker; indexing them again" in done.stderr
