"""Keeping the index in step from the window: checked at start (and repaired in the index
process), caught up after every import, and the status bar's index label saying how far it
has caught up while it catches up.

Catch-ups run in the index process while imports go on storing (a 100,000-record import
fills the table several times faster than whoosh indexes it), so the window asks now and
then, from a reader thread, how many articles the index holds and how many changes it has
yet to take, and says so until it has taken them all.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from reviewapp.gui.workers.indexer import IndexProcess
from reviewapp.gui.workers.pool import SessionPool
from reviewapp.services.importing import start_file_reader
from reviewapp.services.library import IndexAction, IndexCoverage, LibrarySession

POLL_MS = 150
RETRY_SECONDS = 5.0
# How long a reader thread's warming waits for the others' to start (a task running long on
# another thread: then it warms without waiting, and a search queued meanwhile waits no more).
WARM_TOGETHER_S = 1.0


class IndexFlow(QObject):
    coverage_changed = Signal(object)  # IndexCoverage

    def __init__(
        self,
        readers: SessionPool,
        writer: SessionPool,
        indexer: IndexProcess,
        label: QLabel,
        say: Callable[[str, int], None],
    ) -> None:
        super().__init__(label)
        self.readers = readers
        self.writer = writer
        self.indexer = indexer
        self.label = label
        self._say = say
        self.coverage: IndexCoverage | None = None
        self._asking = False
        # A poll was under way when something changed (an import stored, a catch-up was
        # asked for): its answer may predate the change. Its progress is shown, but it is
        # asked again rather than taken to say "up to date" (the label stopped following
        # once, seen in CI).
        self._stale = False
        self._retried = 0.0
        # An import's clock: when it began and when its last file was stored, until every
        # article it brought is searchable (then the status bar says how long each took).
        self._import_began: float | None = None
        self._import_stored: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def check_index(self) -> None:
        """Bring the index up to date in the background (at start): a quick check here, any
        catch-up or rebuild in the index process."""
        self.label.setText(self.tr("index: checking…"))
        indexer = self.indexer

        def task(session: LibrarySession, _p: object, _c: object) -> IndexAction:
            if session.index_is_current():
                return IndexAction.CURRENT
            return indexer.ensure()

        self.writer.run(task, self._on_index_ready, self._on_index_failed)
        self.watch()  # a long catch-up shows its progress meanwhile

    def request_catch_up(self) -> None:
        """Have the index process catch up (not waiting for it) and follow its progress."""
        self.indexer.request_catch_up()
        self.watch(catching_up=True)

    def import_began(self) -> None:
        self._import_began, self._import_stored = time.monotonic(), None

    def import_stored(self) -> None:
        if self._import_began is not None:
            self._import_stored = time.monotonic()
            self.watch()

    def _say_searchable(self) -> None:
        """Once an import's articles are all searchable: how long storing took and how long
        until searchable, as the terminal's `import` says."""
        began, stored = self._import_began, self._import_stored
        if began is None or stored is None:
            return
        self._import_began = self._import_stored = None
        self._say(
            self.tr(
                "Imported articles searchable after {total:.1f} s (storing {stored:.1f} s)"
            ).format(total=time.monotonic() - began, stored=stored - began),
            15000,
        )

    def _on_index_ready(self, action: IndexAction) -> None:
        self.watch()  # says "up to date" once it is (an import may be running)
        # Each reader thread readies its searcher for the first search; then the helper
        # processes start, in the background, rather than when the first import needs them
        # (each takes about a second of both cores to start: started at once, they held
        # the first search back by some 2 s at 100,000 articles).
        warming = self.readers.thread_count
        # Each thread has its own searcher: the tasks wait for one another so that each
        # runs on a thread of its own (a thread still listing the library's ids would
        # otherwise leave both to the other, and its first search would warm its own).
        together = threading.Barrier(warming)

        def warm(session: LibrarySession, _p: object, _c: object) -> None:
            with contextlib.suppress(threading.BrokenBarrierError):
                together.wait(timeout=WARM_TOGETHER_S)
            session.warm_search()

        def warmed(_outcome: object = None) -> None:
            nonlocal warming
            warming -= 1
            if warming == 0:
                self._start_helpers()

        for _thread in range(warming):
            self.readers.run(warm, warmed, warmed)
        if action is IndexAction.REBUILT:
            self._say(self.tr("The search index was rebuilt."), 5000)

    def _start_helpers(self) -> None:
        self.indexer.warm()
        self.indexer.merge_later()  # segments an earlier session left unmerged
        self.writer.run(lambda _session, _p, _c: start_file_reader())

    def _on_index_failed(self, exc: Exception) -> None:
        self.label.setText(self.tr("index: unavailable"))
        self._say(str(exc), 8000)

    def watch(self, catching_up: bool = False) -> None:
        """Follow the index until it has caught up; ``catching_up``: one was just asked for,
        so say so at once rather than after the first answer."""
        if catching_up and not self._timer.isActive():  # else the progress shown stays
            self.label.setText(self.tr("index: catching up…"))
        if not self._timer.isActive():
            self._timer.start()
        if self._asking:
            self._stale = True
        self._poll()

    def _poll(self) -> None:
        if self._asking:
            return
        self._asking, self._stale = True, False

        def ask(session: LibrarySession, _p: object, _c: object) -> IndexCoverage:
            return session.index_coverage()

        self.readers.run(ask, self._on_coverage, self._on_failed)

    def _on_coverage(self, coverage: IndexCoverage) -> None:
        self._asking = False
        busy = self.indexer.busy()
        if self._stale and not (coverage.partial or busy):  # asked before the latest change
            self._poll()
            return
        self.coverage = coverage
        if coverage.partial and not busy and time.monotonic() - self._retried > RETRY_SECONDS:
            # Behind with nothing running: a catch-up failed (the index was busy in another
            # reviewapp, its process died) or another reviewapp wrote. Ask again.
            self._retried = time.monotonic()
            self.indexer.request_catch_up()
            busy = True
        if coverage.partial or busy:
            total = max(coverage.total, 1)
            self.label.setText(
                self.tr("index: catching up, {n} of {t} articles ({p}%)").format(
                    n=f"{min(coverage.indexed, coverage.total):,}",
                    t=f"{coverage.total:,}",
                    p=min(99, round(100 * coverage.indexed / total)),
                )
            )
        else:
            self._timer.stop()
            self.label.setText(self.tr("index: up to date"))
            self._say_searchable()
        self.coverage_changed.emit(coverage)

    def _on_failed(self, exc: Exception) -> None:
        self._asking = False
        self._timer.stop()
        self.label.setText(self.tr("index: unavailable"))
        self.label.setToolTip(str(exc))
