"""Getting evidence out of the window: the PDF brief and the tables and reference files.

Both run on the window's writer thread with progress, and end with a message that offers
to open the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from reviewapp.gui.dialogs.brief_builder import BriefBuilderDialog, BriefChoices
from reviewapp.gui.workers.pool import TaskHandle
from reviewapp.gui.workers.tasks import TaskRunner
from reviewapp.services import reading
from reviewapp.services.briefs import BriefReport, build_brief
from reviewapp.services.exports import ExportReport, export
from reviewapp.services.library import LibrarySession

EXPORT_FILTERS = {
    "csv": "Evidence table, CSV (*.csv)",
    "md": "Evidence table, Markdown (*.md)",
    "ris": "References, RIS (*.ris)",
    "bibtex": "References, BibTeX (*.bib)",
}


class Publisher(QObject):
    def __init__(
        self,
        session: LibrarySession,
        tasks: TaskRunner,
        selected_ids: Callable[[], list[int]],
        listed_ids: Callable[[], list[int]],
        current_view: Callable[[], tuple[str, Any]],
        say: Callable[[str, int], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._session, self._tasks = session, tasks
        self._selected_ids, self._listed_ids = selected_ids, listed_ids
        self._current_view, self._say, self._parent = current_view, say, parent
        self.last_message: QMessageBox | None = None

    # -- brief -------------------------------------------------------------------------------

    def open_brief_builder(self) -> BriefBuilderDialog:
        collections = [(c.name, c.question) for c in reading.collections(self._session)]
        view_kind, view_key = self._current_view()
        selected = self._selected_ids()
        default = "selection" if selected else "search"
        if view_kind == "collection":
            row = reading.collection(self._session, int(view_key))
            default = f"collection:{row.name}" if row else default
        dialog = BriefBuilderDialog(
            collections, len(selected), len(self._listed_ids()), default, self._parent
        )
        dialog.accepted.connect(lambda: self.build_brief(dialog.choices()))
        dialog.open()
        return dialog

    def _ids_for(self, source: str) -> tuple[list[str], str | None]:
        if source.startswith("collection:"):
            return [], source.split(":", 1)[1]
        ids = self._selected_ids() if source == "selection" else self._listed_ids()
        return [str(i) for i in ids], None

    def build_brief(self, choices: BriefChoices) -> TaskHandle | None:
        refs, collection = self._ids_for(choices.source)
        if not refs and collection is None:
            self._say(self.tr("There are no articles to put in a brief."), 4000)
            return None

        def task(
            session: LibrarySession,
            progress: Callable[[int, int], None],
            _cancelled: Callable[[], bool],
        ) -> BriefReport:
            return build_brief(
                session,
                choices.out,
                refs,
                choices.title,
                choices.question,
                progress,
                audience=choices.audience,
                paper=choices.paper,
                bottom_line=choices.bottom_line,
                collection=collection,
                scope=choices.scope,
            )

        return self._tasks.run(
            self.tr("Writing the brief…"), task, self._brief_done, cancellable=False
        )

    def _brief_done(self, report: BriefReport) -> None:
        self._offer_to_open(
            self.tr("Brief written"),
            self.tr("Wrote {path} ({pages} pages, {n} articles, {f} findings).").format(
                path=report.path, pages=report.pages, n=report.articles, f=report.findings
            ),
            report.path,
            "briefWritten",
        )

    # -- tables and references -------------------------------------------------------------

    def ask_export(self) -> None:
        filters = ";;".join(EXPORT_FILTERS.values())
        out, chosen = QFileDialog.getSaveFileName(
            self._parent,
            self.tr("Export evidence table or references"),
            str(Path.home() / "evidence.csv"),
            filters,
        )
        if not out:
            return
        fmt = next((f for f, label in EXPORT_FILTERS.items() if label == chosen), "csv")
        ids = self._selected_ids() or self._listed_ids()
        self.export(fmt, Path(out), ids)

    def export(self, fmt: str, out: Path, ids: Sequence[int]) -> TaskHandle | None:
        refs = [str(i) for i in ids]

        def task(
            session: LibrarySession,
            progress: Callable[[int, int], None],
            _cancelled: Callable[[], bool],
        ) -> ExportReport:
            return export(session, fmt, out, refs or None, None, progress)

        return self._tasks.run(self.tr("Exporting…"), task, self._export_done, cancellable=False)

    def _export_done(self, report: ExportReport) -> None:
        kind = "findings" if report.format in ("csv", "md") else "references"
        self._offer_to_open(
            self.tr("Export written"),
            self.tr("Wrote {path} ({rows} {kind} from {n} articles).").format(
                path=report.path, rows=report.rows, kind=kind, n=report.articles
            ),
            report.path,
            "exportWritten",
        )

    def _offer_to_open(self, title: str, text: str, path: Path, name: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            title,
            text,
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
            self._parent,
        )
        box.setObjectName(name)
        box.accepted.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
        box.open()
        self.last_message = box
