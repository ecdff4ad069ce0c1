"""Organising: the sidebar's collections (review questions), tags and saved searches, and the
table's and sidebar's context menus. Membership and tags change through undoable
commands; the rest through the writer thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPoint, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QMessageBox, QTableView, QTreeView

from reviewapp.gui.changes import Changed
from reviewapp.gui.commands import CollectionMembership, Context, TagArticles
from reviewapp.gui.models.sidebar import Node, SidebarModel
from reviewapp.gui.workers.tasks import TaskRunner
from reviewapp.services import reading
from reviewapp.services.library import LibrarySession
from reviewapp.services.organise import (
    create_collection,
    delete_collection,
    rename_collection,
    save_search,
)

View = tuple[str, Any]


class Organiser(QObject):
    node_chosen = Signal(object)  # Node: the sidebar item to show in the table
    library_requested = Signal()  # the collection shown was deleted
    sidebar_reloaded = Signal()
    link_requested = Signal(int, str)  # collection id, name: link it to a club folder
    unlink_requested = Signal(int)  # collection id
    blind_requested = Signal(int, str, bool)  # collection id, name, blind (False: reveal)

    def __init__(
        self,
        session: LibrarySession,
        sidebar: QTreeView,
        sidebar_model: SidebarModel,
        table: QTableView,
        search_field: QLineEdit,
        undo_stack: QUndoStack,
        context: Context,
        tasks: TaskRunner,
        selected_ids: Callable[[], list[int]],
        current_view: Callable[[], View],
        actions: Mapping[str, QAction],
        say: Callable[[str, int], None],
        club_folder: Callable[[int], Path | None],
    ) -> None:
        super().__init__(sidebar)
        self._session = session
        self.sidebar, self.sidebar_model, self._table = sidebar, sidebar_model, table
        self._search_field = search_field
        self._undo_stack, self._context, self._tasks = undo_stack, context, tasks
        self._selected_ids, self._current_view = selected_ids, current_view
        self._actions, self._say = actions, say
        self._club_folder = club_folder
        sidebar.selectionModel().currentChanged.connect(self._on_sidebar_current_changed)
        sidebar.customContextMenuRequested.connect(self.sidebar_menu)
        sidebar_model.articles_dropped.connect(self.on_articles_dropped)
        table.customContextMenuRequested.connect(self.table_menu)

    def reload_sidebar(self) -> None:
        """Refill the sidebar, keeping the current item (a collection, tag or search) current."""
        current = self.sidebar_model.node(self.sidebar.currentIndex())
        key = (current.kind, current.key) if current is not None else None
        contents = reading.sidebar_contents(self._session)
        self.sidebar_model.populate(
            contents.library_count, contents.collections, contents.tags, contents.searches
        )
        self.sidebar.expandAll()
        self.sidebar_reloaded.emit()
        if key is not None:
            index = self.sidebar_model.index_of(*key)
            if index.isValid():
                self.sidebar.selectionModel().blockSignals(True)
                self.sidebar.setCurrentIndex(index)
                self.sidebar.selectionModel().blockSignals(False)

    def on_changed(self, change: Changed) -> None:
        if change.kind in ("tags", "collection", "library"):
            self.reload_sidebar()

    def link_current(self) -> None:
        """Link the collection chosen in the sidebar to a club folder."""
        current = self.current_collection()
        if current is None:
            self._say(self.tr("Choose a collection in the sidebar first."), 4000)
            return
        self.link_requested.emit(*current)

    def _on_sidebar_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.sidebar_model.node(current)
        if node is not None:
            self.node_chosen.emit(node)

    def save_search(self) -> None:
        query = self._search_field.text().strip()
        if not query:
            self._say(self.tr("Type a search first, then save it."), 4000)
            return
        name, ok = QInputDialog.getText(
            self.sidebar, self.tr("Save search"), self.tr("Name:"), text=query[:60]
        )
        if ok and name.strip():
            self.write(lambda s: save_search(s, name, query))

    def write(self, fn: Callable[[LibrarySession], Any]) -> None:
        """A small organising write (collections, saved searches): on the writer thread, then
        the sidebar reloads."""
        self._tasks.write(fn, lambda _result: self.reload_sidebar())

    def current_collection(self) -> tuple[int, str] | None:
        node = self.sidebar_model.node(self.sidebar.currentIndex())
        if node is not None and node.kind == "collection":
            return int(node.key), node.label
        return None

    def new_collection(self) -> None:
        name, ok = QInputDialog.getText(
            self.sidebar, self.tr("New collection"), self.tr("Name of the review question:")
        )
        if not (ok and name.strip()):
            return
        ids = self._selected_ids()

        def task(session: LibrarySession) -> int:
            return create_collection(session, name).id

        def done(collection_id: int) -> None:
            self.reload_sidebar()
            if ids:
                self._undo_stack.push(
                    CollectionMembership(self._context, collection_id, ids, True, name)
                )

        self._tasks.write(task, done)

    def rename_collection(self) -> None:
        current = self.current_collection()
        if current is None:
            return
        name, ok = QInputDialog.getText(
            self.sidebar, self.tr("Rename collection"), self.tr("Name:"), text=current[1]
        )
        if ok and name.strip():
            self.write(lambda s: rename_collection(s, current[0], name))

    def delete_collection(self) -> None:
        current = self.current_collection()
        if current is None:
            return
        answer = QMessageBox.question(
            self.sidebar,
            self.tr("Delete collection"),
            self.tr("Delete the collection “{name}”? Its articles stay in the library.").format(
                name=current[1]
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.write(lambda s: delete_collection(s, current[0]))
            self.library_requested.emit()

    def on_articles_dropped(self, collection_id: int, ids: list[int]) -> None:
        self.change_membership(collection_id, ids, True)

    def add_tag(self) -> None:
        ids = self._selected_ids()
        if not ids:
            self._say(self.tr("Select articles to tag first."), 4000)
            return
        name, ok = QInputDialog.getText(
            self._table, self.tr("Add tag"), self.tr("Tag for {n} articles:").format(n=len(ids))
        )
        if ok and name.strip():
            self.change_tag(ids, name.strip(), True)

    def sidebar_menu(self, point: QPoint) -> None:
        node: Node | None = self.sidebar_model.node(self.sidebar.indexAt(point))
        menu = QMenu(self.sidebar)
        menu.addAction(self._actions["actionNewCollection"])
        if node is not None and node.kind == "collection":
            menu.addAction(self._actions["actionRenameCollection"])
            menu.addAction(self._actions["actionDeleteCollection"])
            menu.addSeparator()
            collection_id, name, blind = int(node.key), node.label, node.blind
            menu.addAction(
                self.tr("Reveal to the club…") if blind else self.tr("Make blind"),
                lambda: self.blind_requested.emit(collection_id, name, not blind),
            )
            folder = self._club_folder(collection_id)
            if folder is None:
                menu.addAction(
                    self.tr("Link to a club folder…"),
                    lambda: self.link_requested.emit(collection_id, name),
                )
            else:
                menu.addAction(
                    self.tr("Unlink the club folder ({folder})").format(folder=folder.name),
                    lambda: self.unlink_requested.emit(collection_id),
                )
        menu.exec(self.sidebar.viewport().mapToGlobal(point))

    def table_menu(self, point: QPoint) -> None:
        ids = self._selected_ids()
        if not ids:
            return
        menu = QMenu(self._table)
        add_menu = menu.addMenu(self.tr("Add to collection"))
        for collection in reading.collections(self._session):
            add_menu.addAction(
                collection.name, partial(self.change_membership, collection.id, ids, True)
            )
        add_menu.addSeparator()
        add_menu.addAction(self._actions["actionNewCollection"])
        kind, key = self._current_view()
        if kind == "collection":
            menu.addAction(
                self.tr("Remove from this collection"),
                partial(self.change_membership, int(key), ids, False),
            )
        menu.addAction(self._actions["actionAddTag"])
        tags = sorted({t for i in ids for t in reading.article_tags(self._session, i)})
        if tags:
            remove_menu = menu.addMenu(self.tr("Remove tag"))
            for tag in tags:
                remove_menu.addAction(tag, partial(self.change_tag, ids, tag, False))
        menu.addSeparator()
        menu.addAction(self._actions["actionExportBrief"])
        menu.exec(self._table.viewport().mapToGlobal(point))

    def change_membership(self, collection_id: int, ids: list[int], add: bool) -> None:
        collection = reading.collection(self._session, collection_id)
        name = collection.name if collection else ""
        self._undo_stack.push(CollectionMembership(self._context, collection_id, ids, add, name))

    def change_tag(self, ids: list[int], name: str, add: bool) -> None:
        self._undo_stack.push(TagArticles(self._context, ids, name, add))
