"""Parsing files in a child process that can be stopped.

A parser may meet a file that makes it run for minutes or eat memory (a pathological PDF, a
huge XML tree). A Python thread cannot be stopped from outside, a process can: files are
parsed in one long-lived child process, each with a time limit that grows with its size, and
the child runs under a memory ceiling. When a file overruns, the child is killed (and a new
one started for the next file), and the file is reported as stopped. Cancelling an import
stops the file being read at once, the same way.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import multiprocessing
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from reviewapp.importers.base import (
    PART_RECORDS,
    Cancelled,
    ImportFailure,
    ParsedFile,
    ParsedRecord,
)

log = logging.getLogger(__name__)

BASE_SECONDS = 60.0  # every file gets this long,
SECONDS_PER_MB = 1.0  # and this much more per megabyte
MEMORY_LIMIT_BYTES = 4 * 1024**3  # address space of the parsing process (POSIX only)
_POLL_SECONDS = 0.05


class ParserProcess:
    """A child process that parses one file at a time; restarted after a kill."""

    def __init__(
        self, base_seconds: float = BASE_SECONDS, seconds_per_mb: float = SECONDS_PER_MB
    ) -> None:
        self.base_seconds = base_seconds
        self.seconds_per_mb = seconds_per_mb
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def time_limit(self, size: int) -> float:
        return self.base_seconds + self.seconds_per_mb * size / 2**20

    def parse(
        self,
        path: Path,
        cancelled: Cancelled | None = None,
        parts: Callable[[list[ParsedRecord]], None] | None = None,
    ) -> ParsedFile:
        """Parse ``path`` in the child. Raises ImportFailure for anything that does not come in.

        With ``parts``, a record file's records are handed to it in parts as the child reads
        them (the file returned holds none), so that they can be stored meanwhile; an
        ImportFailure may then come after some parts."""
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        limit = self.time_limit(size)
        records: list[ParsedRecord] = []
        with self._lock:
            conn = self._connection()
            deadline = time.monotonic() + limit  # the file's own time: not the wait for the lock
            conn.send((str(path), parts is not None))
            try:
                kind, payload = self._receive(conn, cancelled, deadline, limit)
                while kind == "records":  # a large result comes in parts, see _serve
                    if parts is None:
                        records.extend(payload)
                    else:
                        parts(payload)
                    kind, payload = self._receive(conn, cancelled, deadline, limit)
            except (EOFError, OSError):
                self._kill()
                raise ImportFailure(
                    "the file reader stopped unexpectedly while reading this file (it may be "
                    "too large or damaged); nothing was imported from it"
                ) from None
            except BaseException:
                # Whatever stopped the exchange midway (``parts`` failing, say), the child may
                # still be sending this file: the next file must not read the rest of it.
                self._kill()
                raise
        if kind == "ok":
            return ParsedFile(records, str(payload))
        if kind == "failure":
            raise ImportFailure(str(payload))
        raise ImportFailure(
            f"could not be read: reviewapp's reader failed on this file ({payload}); "
            "nothing was imported from it"
        )

    def _receive(
        self, conn: Connection, cancelled: Cancelled | None, deadline: float, limit: float
    ) -> tuple[str, Any]:
        """The child's next message, unless the import is cancelled or the file's time runs
        out first (the child is then killed): asked before each message, as a child that
        keeps sending parts may be one that never ends."""
        while True:
            if cancelled is not None and cancelled():
                self._kill()
                raise ImportFailure("the import was cancelled while this file was being read")
            if time.monotonic() >= deadline:
                self._kill()
                shown = f"{limit:.0f}" if limit >= 1 else f"{limit:.1f}"
                unit = "second" if shown == "1" else "seconds"
                raise ImportFailure(
                    f"reading the file took longer than {shown} {unit}, so it was "
                    "stopped; the file may be damaged or unusually complex"
                )
            if conn.poll(_POLL_SECONDS):
                message: tuple[str, Any] = conn.recv()
                return message

    def warm(self) -> None:
        """Start the child now, so that the first file read does not wait for it."""
        with self._lock:
            self._connection()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError, ValueError):
                    self._conn.send(None)
            if self._process is not None:
                self._process.join(timeout=2)
            self._kill()

    def _connection(self) -> Connection:
        if self._process is not None and not self._process.is_alive():
            self._kill()
        if self._conn is None:
            # "spawn": a forked copy of a process running Qt or whoosh threads is not safe.
            context = multiprocessing.get_context("spawn")
            parent, child = context.Pipe()
            process = context.Process(
                target=_serve, args=(child,), name="reviewapp-parser", daemon=True
            )
            process.start()
            child.close()
            self._process, self._conn = process, parent
        return self._conn

    def _kill(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn = None, None


def _serve(conn: Connection) -> None:
    """The child: parse each path it is sent and send back the result, until told to stop."""
    _limit_memory()
    from reviewapp.importers import parse_file

    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        path, in_parts = request

        def send(records: list[ParsedRecord]) -> None:
            conn.send(("records", records))

        try:
            # Parts are sent as they are read when asked for, so that they can be stored
            # meanwhile; the rest, or all, after. Always in parts: unpickling 10,000
            # articles at once holds the interpreter lock of the receiving process for a
            # third of a second, which froze the window's drawing.
            parsed = parse_file(Path(path), send if in_parts else None)
            for start in range(0, len(parsed.records), PART_RECORDS):
                send(parsed.records[start : start + PART_RECORDS])
            result: tuple[str, object] = ("ok", parsed.format)
        except ImportFailure as exc:
            result = ("failure", str(exc))
        except MemoryError:
            result = ("failure", "the file needs more memory to read than allowed")
        except Exception as exc:  # a parser bug becomes a message for this file only
            log.debug("parser error on %s", request, exc_info=True)
            result = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(result)
        except (OSError, ValueError):
            return


def _limit_memory() -> None:
    if sys.platform == "win32":
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > MEMORY_LIMIT_BYTES:
        ceiling = (
            MEMORY_LIMIT_BYTES if hard == resource.RLIM_INFINITY else min(hard, MEMORY_LIMIT_BYTES)
        )
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


@functools.cache
def shared_parser() -> ParserProcess:
    """The process's parser child, started on first use and stopped at exit.

    Starting a child costs a few hundred milliseconds, so consecutive imports reuse one.
    """
    parser = ParserProcess()
    atexit.register(parser.close)
    return parser
