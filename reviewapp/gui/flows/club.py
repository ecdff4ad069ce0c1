"""The journal club in the window: review packs in and out (File menu, or a pack dropped on
the window), collections linked to a club folder that is watched and synced in the
background, and the reviewers' key fingerprints.

A linked folder is synced when the window opens, when a file in it changes (debounced: a
sync client writes in bursts) and after the reviewer's own changes (debounced longer), so
a finding tagged on one laptop appears on the others without a restart. Syncs run on the
writer thread; the index catches up in the index process; what came in is said in the
status bar ("12 findings from AB").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from reviewapp.gui.changes import Changed
from reviewapp.gui.dialogs.pack_report import PackReportDialog, summary_line
from reviewapp.gui.dialogs.reviewers import ReviewersDialog
from reviewapp.gui.workers.indexer import IndexProcess
from reviewapp.gui.workers.pool import SessionPool, TaskHandle
from reviewapp.gui.workers.tasks import TaskRunner
from reviewapp.services import reading
from reviewapp.services.club import (
    ClubSync,
    club_paths,
    club_sync,
    link_folder,
    linked_folders,
)
from reviewapp.services.identity import confirm_reviewer_key, current_identity
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.packs import PackExport, PackReport, export_pack, import_pack

PACK_FILTER = "Review packs (*.rvpack)"
FOLDER_SETTLE_MS = 1500  # a sync client writes a file in bursts: sync once it settles
OWN_CHANGES_MS = 4000  # own edits come in runs: write the own pack once they pause


class ClubFlow(QObject):
    merged = Signal(object)  # Changed: what merging brought in

    def __init__(
        self,
        session: LibrarySession,
        tasks: TaskRunner,
        writer: SessionPool,
        indexer: IndexProcess,
        current_view: Callable[[], tuple[str, Any]],
        say: Callable[[str, int], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._session, self._tasks, self._writer, self._indexer = session, tasks, writer, indexer
        self._current_view, self._say, self._parent = current_view, say, parent
        self.last_report: PackReportDialog | None = None
        self.syncs = 0  # finished background syncs (for tests and the status bar)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda path: self._on_folder_changed(Path(path)))
        self._watcher.fileChanged.connect(lambda path: self._on_folder_changed(Path(path).parent))
        self._pending: set[Path] = set()
        self._syncing = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(FOLDER_SETTLE_MS)
        self._settle.timeout.connect(self._sync_pending)
        self._own = QTimer(self)
        self._own.setSingleShot(True)
        self._own.setInterval(OWN_CHANGES_MS)
        self._own.timeout.connect(self.sync_all)

    # -- single packs ------------------------------------------------------------------------

    def ask_import(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self._parent, self.tr("Import review packs"), str(Path.home()), self.tr(PACK_FILTER)
        )
        if files:
            self.import_packs([Path(f) for f in files])

    def import_packs(self, paths: Sequence[Path]) -> TaskHandle | None:
        indexer = self._indexer

        def task(
            session: LibrarySession, progress: Callable[[int, int], None], _c: object
        ) -> list[PackReport]:
            reports = []
            for done, path in enumerate(paths):
                progress(done, len(paths))
                reports.append(import_pack(session, path, indexer.request_catch_up))
            return reports

        return self._tasks.run(self.tr("Merging review packs…"), task, self._on_imported)

    def _on_imported(self, reports: list[PackReport]) -> None:
        self._tell(reports)
        self.last_report = PackReportDialog(reports, self._parent)
        self.last_report.open()

    def ask_export(self) -> None:
        kind, key = self._current_view()
        collection = reading.collection(self._session, int(key)) if kind == "collection" else None
        suggested = (collection.name if collection else "library") + ".rvpack"
        out, _filter = QFileDialog.getSaveFileName(
            self._parent,
            self.tr("Export review pack of “{what}”").format(
                what=collection.name if collection else self.tr("the whole library")
            ),
            str(Path.home() / suggested),
            self.tr(PACK_FILTER),
        )
        if out:
            path = Path(out) if out.endswith(".rvpack") else Path(out + ".rvpack")
            self.export_pack(path, collection.name if collection else None)

    def export_pack(self, out: Path, collection: str | None) -> TaskHandle | None:
        def task(
            session: LibrarySession, progress: Callable[[int, int], None], _c: object
        ) -> PackExport:
            return export_pack(session, out, collection, progress=progress)

        def done(report: PackExport) -> None:
            self._say(
                self.tr("Wrote {path}: {a} articles, {f} findings.").format(
                    path=report.path.name, a=report.articles, f=report.findings
                ),
                8000,
            )

        return self._tasks.run(self.tr("Writing the review pack…"), task, done, cancellable=False)

    # -- the club folder ---------------------------------------------------------------------

    def start(self) -> None:
        """Watch every linked folder and sync each once (the window has just opened)."""
        self._rewatch()
        self.sync_all()

    def _links(self) -> dict[int, tuple[str, Path]]:
        return linked_folders(self._session)

    def _rewatch(self) -> None:
        """Watch the linked folders and their packs, listed off the GUI thread (a synced or
        network folder can be slow to list)."""
        self._writer.run(
            lambda session, _p, _c: club_paths(session),
            self._watch,
            lambda exc: self._say(self.tr("Club folder: {error}").format(error=exc), 8000),
        )

    def _watch(self, paths: list[Path]) -> None:
        watched = self._watcher.directories() + self._watcher.files()
        if watched:
            self._watcher.removePaths(watched)
        if paths:
            self._watcher.addPaths([str(path) for path in paths])

    def link(self, collection_id: int, folder: Path | None) -> None:
        """Link (or, with None, unlink) a collection to a club folder, then sync it (a
        write: on the writer thread, like every other)."""

        def linked(_result: object) -> None:
            self._rewatch()
            if folder is not None:
                self._pending.add(folder)
                self._sync_pending()

        self._tasks.write(lambda session: link_folder(session, collection_id, folder), linked)

    def unlink(self, collection_id: int) -> None:
        self.link(collection_id, None)

    def ask_link(self, collection_id: int, name: str) -> None:
        folder = QFileDialog.getExistingDirectory(
            self._parent,
            self.tr("Club folder for “{name}” (one your club already syncs)").format(name=name),
            str(Path.home()),
        )
        if folder:
            self.link(collection_id, Path(folder))

    def folder_of(self, collection_id: int) -> Path | None:
        link = self._links().get(collection_id)
        return link[1] if link else None

    def _on_folder_changed(self, folder: Path) -> None:
        self._pending.add(folder)
        self._settle.start()

    def on_changed(self, change: Changed) -> None:
        """Own edits: write the own pack to the linked folders once they pause."""
        if change.kind != "library" and self._links():
            self._own.start()

    def sync_all(self) -> None:
        self._pending |= {folder for _name, folder in self._links().values()}
        self._sync_pending()

    def _sync_pending(self) -> None:
        if self._syncing or not self._pending:
            return
        # Every collection linked to one folder travels in one own pack there.
        by_folder: dict[Path, list[str]] = {}
        for name, folder in self._links().values():
            by_folder.setdefault(folder, []).append(name)
        pending = {p.resolve() for p in self._pending}
        wanted = [(f, names) for f, names in by_folder.items() if f.resolve() in pending]
        self._pending.clear()
        if not wanted:
            return
        self._syncing = True
        indexer = self._indexer

        def task(session: LibrarySession, _p: object, _c: object) -> list[ClubSync]:
            return [
                club_sync(session, folder, names, catch_up=indexer.request_catch_up)
                for folder, names in wanted
                if folder.is_dir()
            ]

        self._writer.run(task, self._on_synced, self._on_sync_failed)

    def _on_synced(self, results: list[ClubSync]) -> None:
        self._syncing = False
        self.syncs += 1
        reports = [report for result in results for report in result.files]
        self._tell(reports)
        self._rewatch()  # new members' files are watched from now on
        if self._pending:  # changes came in meanwhile (our own pack among them): settle
            self._settle.start()

    def _on_sync_failed(self, exc: Exception) -> None:
        self._syncing = False
        self._say(self.tr("Club folder: {error}").format(error=exc), 8000)

    def _tell(self, reports: list[PackReport]) -> None:
        """Refresh what merging changed, and say what came in, from whom."""
        ids = tuple(sorted({i for report in reports for i in report.article_ids}))
        if any(r.status == "merged" for r in reports):
            self.merged.emit(Changed("library", ids))
        came = [r for r in reports if r.findings_in]
        refused = [r for r in reports if r.status in ("refused", "skipped")]
        if came:
            self._say(
                "; ".join(
                    (
                        self.tr("1 finding from {who}")
                        if r.findings_in == 1
                        else self.tr("{n} findings from {who}")
                    ).format(n=r.findings_in, who=r.made_by_initials or r.made_by)
                    for r in came
                ),
                10000,
            )
        elif refused:
            self._say(summary_line(reports), 10000)

    # -- reviewers ---------------------------------------------------------------------------

    def show_reviewers(self) -> ReviewersDialog | None:
        try:
            own = current_identity().fingerprint
        except ServiceError:
            own = self.tr("(set your name in Preferences first)")
        dialog = ReviewersDialog(reading.reviewers(self._session), own, self._parent)
        dialog.model.confirmation_changed.connect(self._confirm)
        dialog.open()
        return dialog

    def _confirm(self, uid: str, confirmed: bool) -> None:
        self._tasks.write(lambda session: confirm_reviewer_key(session, uid, confirmed), _saved)


def _saved(_result: object) -> None:
    """Nothing to do when a confirmation is saved: the dialog already shows it."""
