"""The parser child process: it reads files under a memory ceiling, and a file that needs
more memory than that fails alone, with a reason, while this process and the child go on."""

from __future__ import annotations

import multiprocessing
import multiprocessing.spawn
import os
import stat
import sys
from collections.abc import Iterator
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest

from reviewapp.importers.base import MAX_FILE_BYTES, ImportFailure
from reviewapp.importers.isolation import MEMORY_LIMIT_BYTES, ParserProcess

RIS = Path(__file__).parents[2] / "fixtures" / "imports" / "ris" / "canonical.ris"

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the child's limits from Linux's /proc"
)

if sys.platform != "win32":
    import resource


def _new_child(parser: ParserProcess) -> BaseProcess:
    """Start ``parser``'s child and read one file with it (it sets its ceiling first)."""
    before = set(multiprocessing.active_children())
    assert len(parser.parse(RIS).articles) == 3
    [child] = [p for p in multiprocessing.active_children() if p not in before]
    assert child.name == "reviewapp-parser"
    return child


def _address_space_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmSize in /proc")


@pytest.fixture
def parser() -> Iterator[ParserProcess]:
    started = ParserProcess()
    yield started
    started.close()


@linux_only
def test_the_child_reads_under_the_ceiling_and_this_process_does_not(
    parser: ParserProcess,
) -> None:
    own_before = resource.getrlimit(resource.RLIMIT_AS)
    child = _new_child(parser)
    assert child.pid is not None
    soft, hard = resource.prlimit(child.pid, resource.RLIMIT_AS)
    # The ceiling, or a lower limit the child was started under already.
    finite = [v for v in own_before if v != resource.RLIM_INFINITY]
    assert soft == min([MEMORY_LIMIT_BYTES, *finite])
    assert hard == own_before[1]
    assert resource.getrlimit(resource.RLIMIT_AS) == own_before


@pytest.fixture
def lowered_ceiling(tmp_path: Path, parser: ParserProcess) -> Iterator[int]:
    """Children spawned in this test start under a ceiling 64 MB above what a child uses
    once it has read a file (measured on ``parser``'s child), as a machine with little
    memory would give them. The ceiling is set by a launcher that execs Python under it."""
    ceiling = _address_space_bytes(_new_child(parser).pid or 0) + 64 * 2**20
    launcher = tmp_path / "python-under-ceiling"
    launcher.write_text(
        f"#!{sys.executable}\n"
        "import os, resource, sys\n"
        "_soft, hard = resource.getrlimit(resource.RLIMIT_AS)\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({ceiling}, hard))\n"
        f"os.execv({sys.executable!r}, [{sys.executable!r}, *sys.argv[1:]])\n",
        encoding="utf-8",
    )
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
    spawn = multiprocessing.get_context("spawn")
    executable = multiprocessing.spawn.get_executable()
    spawn.set_executable(str(launcher))
    try:
        yield ceiling
    finally:
        spawn.set_executable(os.fsdecode(executable))


@linux_only
def test_a_file_that_needs_more_memory_than_the_ceiling_fails_alone(
    tmp_path: Path, lowered_ceiling: int
) -> None:
    # An export just under the size limit: reading it in takes more than the 64 MB the
    # child has to spare. (Sparse: only the first record is on disk.)
    big = tmp_path / "whole-database.ris"
    with big.open("wb") as handle:
        handle.write(RIS.read_bytes())
        handle.truncate(MAX_FILE_BYTES - 2**20)
    assert big.stat().st_size > 64 * 2**20
    limited = ParserProcess()
    try:
        child = _new_child(limited)  # a file reads as usual under the lowered ceiling
        assert child.pid is not None
        assert resource.prlimit(child.pid, resource.RLIMIT_AS)[0] == lowered_ceiling
        with pytest.raises(ImportFailure) as failure:
            limited.parse(big)
        assert str(failure.value) == "the file needs more memory to read than allowed"
        # The same child goes on and reads the next file; this process was never touched.
        assert child.is_alive()
        assert len(limited.parse(RIS).articles) == 3
        assert child.is_alive()
    finally:
        limited.close()
