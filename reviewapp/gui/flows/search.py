"""What the library table lists: the library, a collection, a tag, or a search as you type.

A search runs on a reader thread and shows its best rows first (``FIRST_ROWS``), then the
rest after them, up to ``SEARCH_ROWS``, once typing has paused (``REST_AFTER_MS``). Every
keystroke starts a new generation; rows that come back for an older one are dropped. The
status line says how many articles and findings the library holds and how many match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView

from reviewapp.core.rows import ListRow
from reviewapp.gui.changes import Changed
from reviewapp.gui.models.article_table import ArticleTableModel
from reviewapp.gui.models.sidebar import Node
from reviewapp.gui.workers.pool import SessionPool
from reviewapp.services import reading
from reviewapp.services.library import IndexCoverage, LibrarySession, Marks

# Libraries larger than this are listed off the GUI thread.
LARGE_LIBRARY = 20_000
SEARCH_DELAY_MS = 25  # keystrokes closer together than this are one search
# A search shows its best rows first (a screenful and more), then the rest: ranking 5,000
# results costs a phrase or synonym search some 25-45 ms at 100,000 articles (each
# result's positions are checked, in the arrays kept beside the index; 0.3-0.5 s in
# whoosh's own positions, as in an index from before them), the first rows less.
FIRST_ROWS = 40
SEARCH_ROWS = 5000
# The rest is asked for once typing has paused this long: ranked while the next query is
# typed, it holds the interpreter against that query's search.
REST_AFTER_MS = 120

View = tuple[str, Any]  # ("library", None), ("collection", id), ("tag", name), ("search", q)
SearchFound = tuple[list[int], frozenset[str], IndexCoverage, tuple[str, bool] | None]


class SearchFlow(QObject):
    terms_changed = Signal(object)  # Marks: the index terms the shown rows matched, the query
    article_chosen = Signal(object)  # int | None: the article the table's selection shows

    def __init__(
        self,
        session: LibrarySession,
        readers: SessionPool,
        model: ArticleTableModel,
        table: QTableView,
        search_field: QLineEdit,
        empty_label: QLabel,
        status_label: QLabel,
        say: Callable[[str, int], None],
    ) -> None:
        super().__init__(table)
        self._session, self._readers, self.model, self.table = session, readers, model, table
        self.search_field, self._empty_label, self._status_label = (
            search_field,
            empty_label,
            status_label,
        )
        self._say = say
        self.view: View = ("library", None)
        self.search_terms: frozenset[str] = frozenset()
        self._generation = 0
        self.search_complete = True  # False while a search's further rows are coming
        self._coverage: IndexCoverage | None = None
        # The whole library's ids as last read, with the library's version then: clearing
        # the search field shows them again without reading 100,000 ids anew (60-180 ms on
        # a reader thread, which the next query typed then waited behind).
        self._library_ids: tuple[int, list[int]] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        search_field.textChanged.connect(lambda _text: self._timer.start())
        search_field.returnPressed.connect(self.run_search)
        table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

    # -- what the table lists ------------------------------------------------------------------

    def show_library(self) -> None:
        self.view = ("library", None)
        if reading.counts(self._session).articles <= LARGE_LIBRARY:
            self.model.set_ids(reading.library_ids(self._session), whole_library=True)
            self._after_table_change()
            return
        # Listing 100,000 ids took 60–80 ms: read them on a reader thread, unless the
        # library is as it was when they were last read. A search typed meanwhile
        # supersedes them (the same generation count as searches).
        self._generation += 1
        generation = self._generation
        version = reading.library_version(self._session)
        if self._library_ids is not None and self._library_ids[0] == version:
            self._on_library_ids(generation, self._library_ids[1])
            return

        def listed(ids: list[int]) -> None:
            self._library_ids = (version, ids)  # read after ``version``: never older
            self._on_library_ids(generation, ids)

        self._readers.run(
            lambda session, _p, _c: reading.library_ids(session), listed, self.on_reader_failed
        )

    def forget_library_ids(self) -> None:
        """Drop the kept ids (the library was replaced: a restored backup can reach the same
        version number with other articles)."""
        self._library_ids = None

    def _on_library_ids(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation or self.view != ("library", None):
            return
        self.model.set_ids(ids, whole_library=True)  # the model keeps a copy
        self._after_table_change()

    def show_node(self, node: Node) -> None:
        """Show what a sidebar item stands for."""
        if node.kind == "library":
            self.search_field.clear()
            self.show_library()
        elif node.kind == "collection":
            self.search_field.blockSignals(True)
            self.search_field.clear()
            self.search_field.blockSignals(False)
            self._set_terms(frozenset())
            self.show_ids(
                "collection", node.key, reading.collection_ids(self._session, int(node.key))
            )
        elif node.kind == "tag":
            self.show_ids("tag", node.key, reading.tag_ids(self._session, str(node.key)))
        elif node.kind == "search":
            self.search_field.setText(str(node.key))
            self.run_search()

    def show_ids(
        self, kind: str, key: Any, ids: Sequence[int], sorted_by: tuple[str, bool] | None = None
    ) -> None:
        if kind != "search":  # a search still running must not fill this list
            self._generation += 1
            self.search_complete = True
        self.view = (kind, key)
        self.model.set_ids(ids, sorted_by=sorted_by)
        self._after_table_change()

    def show_arrivals(self, rows: Sequence[ListRow]) -> bool:
        """New articles (an import) join the table when it lists the whole library; returns
        whether they were shown."""
        if not rows or self.view[0] != "library" or self.search_field.text():
            return False
        self.model.append_rows(rows)
        self._empty_label.hide()
        return True

    def selected_article_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [i for i in (self.model.article_id(r) for r in rows) if i is not None]

    def _on_table_selection_changed(self, _s: QItemSelection, _d: QItemSelection) -> None:
        index = self.table.selectionModel().currentIndex()
        ids = self.selected_article_ids()
        article_id = self.model.article_id(index.row()) if index.isValid() else None
        if article_id not in ids:
            article_id = ids[0] if ids else None
        self.article_chosen.emit(article_id)

    def on_changed(self, change: Changed) -> None:
        """A write finished: re-read the rows it names, and the list if it changed it."""
        self.model.refresh(change.article_ids)
        kind, key = self.view
        if change.kind == "library":  # packs merged: new articles, collections changed
            self._after_merge(kind, key)
        if kind == "tag" and change.kind in ("tags", "collection"):
            self.model.set_ids(reading.tag_ids(self._session, str(key)))
        if kind == "collection" and change.kind == "collection":
            self.model.set_ids(reading.collection_ids(self._session, int(key)))
        self.update_status()

    def _after_merge(self, kind: str, key: Any) -> None:
        if kind == "library":
            shown = set(self.model.ids())
            new = [i for i in reading.library_ids(self._session) if i not in shown]
            if new and not self.search_field.text():
                self.show_arrivals(reading.table_rows(self._session, new))
        elif kind == "collection":
            ids = reading.collection_ids(self._session, int(key))
            if set(ids) != set(self.model.ids()):
                self.model.set_ids(ids)

    def _after_table_change(self) -> None:
        query = self.search_field.text().strip()
        if self.model.rowCount() == 0:
            if query:
                text = self.tr(
                    "No articles match “{q}”.\nTry fewer words, a prefix like "
                    "viremi*, or a fuzzy term like alemtuzumb~."
                ).format(q=query)
            elif self.view[0] == "library":
                text = self.tr(
                    "Your library is empty.\nImport articles (Ctrl+O) or drop "
                    "files and folders here."
                )
            else:
                text = self.tr(
                    "Nothing here yet. Drag articles onto a collection in the sidebar to add them."
                )
            self._empty_label.setText(text)
            self._empty_label.resize(self.table.viewport().size())
            self._empty_label.show()
        else:
            self._empty_label.hide()
        self.update_status()

    def update_status(self) -> None:
        counts = reading.counts(self._session)
        model = self.model
        shown = model.rowCount() if not model.canFetchMore() else len(model.ids())
        text = self.tr("{a} articles · {f} findings").format(
            a=f"{counts.articles:,}", f=f"{counts.findings:,}"
        )
        if self.search_field.text().strip():
            if self.search_complete and shown >= SEARCH_ROWS:  # the table holds the best
                text += " · " + self.tr("at least {n} matching; the best {n} shown").format(
                    n=f"{shown:,}"
                )
            elif self.search_complete:
                text += " · " + self.tr("{n} matching").format(n=f"{shown:,}")
            else:
                text += " · " + self.tr("{n} matching so far…").format(n=f"{shown:,}")
            coverage = self._coverage
            if coverage is not None:
                text += " · " + self.tr(
                    "partial: the index holds {i} of {t} articles so far"
                ).format(i=f"{coverage.indexed:,}", t=f"{coverage.total:,}")
        self._status_label.setText(text)

    # -- searching -----------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _set_terms(self, terms: frozenset[str], query: str = "") -> None:
        self.search_terms = terms
        self.terms_changed.emit(Marks(terms, query))

    def run_search(self) -> None:
        self._timer.stop()
        query = self.search_field.text().strip()
        self._generation += 1
        generation = self._generation
        if not query:
            self.search_terms = frozenset()
            self.show_library()
            self.terms_changed.emit(Marks())
            return
        sort = self.model.sort_order
        # Sorted by a column, the whole result is needed before the first row is known.
        limit = SEARCH_ROWS if sort is not None else min(FIRST_ROWS, SEARCH_ROWS)

        def search(session: LibrarySession, _p: object, _c: object) -> SearchFound:
            ids, terms = session.search_ids(query, limit)
            if sort is not None and ids:  # sorted here, not on the GUI thread
                ids = reading.ordered_ids(session, sort[0], sort[1], ids)
            return ids, terms, session.index_coverage(), sort

        self._readers.run(
            search,
            lambda found: self._on_search_done(generation, query, limit, *found),
            lambda exc: self._on_search_failed(generation, exc),
        )

    def _on_search_done(
        self,
        generation: int,
        query: str,
        limit: int,
        ids: list[int],
        terms: frozenset[str],
        coverage: IndexCoverage,
        sorted_by: tuple[str, bool] | None = None,
    ) -> None:
        """Show a search's rows; if they are only its first ``limit``, fetch the rest."""
        if generation != self._generation:
            return  # a newer keystroke has superseded this search
        more = limit < SEARCH_ROWS and len(ids) == limit
        self.search_complete = not more
        self.search_terms = terms
        self._coverage = coverage if coverage.partial else None
        self.show_ids("search", query, ids, sorted_by)
        self.terms_changed.emit(Marks(terms, query))
        if more:
            QTimer.singleShot(REST_AFTER_MS, self, lambda: self._search_rest(generation, query))

    def _search_rest(self, generation: int, query: str) -> None:
        """The rows ranked below the first ones shown, added after them as they come."""
        if generation != self._generation:  # typed on (or cleared) meanwhile
            return

        def rest(
            session: LibrarySession, _p: object, _c: object
        ) -> tuple[list[int], frozenset[str]] | None:
            if generation != self._generation:  # typed on: not wanted any more
                return None
            return session.search_ids(query, SEARCH_ROWS)

        def add(found: tuple[list[int], frozenset[str]] | None) -> None:
            if found is None or generation != self._generation or self.view != ("search", query):
                return
            ids, terms = found
            self.search_complete = True
            if self.model.sort_order is None:
                self.model.extend_ids(ids)
            else:  # a column was sorted meanwhile: the whole result, sorted
                self.model.set_ids(ids)
            self.update_status()
            if terms != self.search_terms:  # words only the further rows hold
                self._set_terms(terms, query)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self.search_complete = True  # the rows shown are all there will be
                self.update_status()
            self._on_search_failed(generation, exc)

        self._readers.run(rest, add, failed)

    def on_reader_failed(self, exc: Exception) -> None:
        self._say(str(exc), 6000)

    def _on_search_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.on_reader_failed(exc)
