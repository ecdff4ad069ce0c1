"""Organising from the window: collections (review questions), tags, saved searches, and
the table's and sidebar's context menus. Membership and tags change through undoable
commands; the rest through the writer thread."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from reviewapp.gui.commands import CollectionMembership, TagArticles
from reviewapp.services.library import LibrarySession
from reviewapp.services.organise import (
    create_collection,
    delete_collection,
    rename_collection,
    save_search,
)

if TYPE_CHECKING:
    from reviewapp.gui.mainwindow import MainWindow


class Organiser:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def save_search(self) -> None:
        query = self.window.search_field.text().strip()
        if not query:
            self.window.statusBar().showMessage(
                self.window.tr("Type a search first, then save it."), 4000
            )
            return
        name, ok = QInputDialog.getText(
            self.window, self.window.tr("Save search"), self.window.tr("Name:"), text=query[:60]
        )
        if ok and name.strip():
            self.write(lambda s: save_search(s, name, query))

    def write(self, fn: Callable[[LibrarySession], Any]) -> Any:
        """A small organising write (collections, saved searches): on the writer thread, then
        the sidebar reloads."""
        self.window.write(fn, lambda _result: self.window.reload_sidebar())

    def current_collection(self) -> tuple[int, str] | None:
        node = self.window.sidebar_model.node(self.window.sidebar.currentIndex())
        if node is not None and node.kind == "collection":
            return int(node.key), node.label
        return None

    def new_collection(self) -> None:
        name, ok = QInputDialog.getText(
            self.window,
            self.window.tr("New collection"),
            self.window.tr("Name of the review question:"),
        )
        if ok and name.strip():
            ids = self.window.selected_article_ids()

            def task(session: LibrarySession) -> int:
                collection = create_collection(session, name)
                return collection.id

            def done(collection_id: int) -> None:
                self.window.reload_sidebar()
                if ids:
                    self.window.undo_stack.push(
                        CollectionMembership(self.window.context, collection_id, ids, True, name)
                    )

            self.window.write(task, done)

    def rename_collection(self) -> None:
        current = self.current_collection()
        if current is None:
            return
        name, ok = QInputDialog.getText(
            self.window,
            self.window.tr("Rename collection"),
            self.window.tr("Name:"),
            text=current[1],
        )
        if ok and name.strip():
            self.write(lambda s: rename_collection(s, current[0], name))

    def delete_collection(self) -> None:
        current = self.current_collection()
        if current is None:
            return
        answer = QMessageBox.question(
            self.window,
            self.window.tr("Delete collection"),
            self.window.tr(
                "Delete the collection “{name}”? Its articles stay in the library."
            ).format(name=current[1]),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.write(lambda s: delete_collection(s, current[0]))
            self.window.show_library()

    def on_articles_dropped(self, collection_id: int, ids: list[int]) -> None:
        self.change_membership(collection_id, ids, True)

    def add_tag(self) -> None:
        ids = self.window.selected_article_ids()
        if not ids:
            self.window.statusBar().showMessage(
                self.window.tr("Select articles to tag first."), 4000
            )
            return
        name, ok = QInputDialog.getText(
            self.window,
            self.window.tr("Add tag"),
            self.window.tr("Tag for {n} articles:").format(n=len(ids)),
        )
        if ok and name.strip():
            self.change_tag(ids, name.strip(), True)

    def sidebar_menu(self, point: QPoint) -> None:
        node = self.window.sidebar_model.node(self.window.sidebar.indexAt(point))
        menu = QMenu(self.window)
        menu.addAction(self.window.action("actionNewCollection"))
        if node is not None and node.kind == "collection":
            menu.addAction(self.window.action("actionRenameCollection"))
            menu.addAction(self.window.action("actionDeleteCollection"))
        menu.exec(self.window.sidebar.viewport().mapToGlobal(point))

    def table_menu(self, point: QPoint) -> None:
        ids = self.window.selected_article_ids()
        if not ids:
            return
        menu = QMenu(self.window)
        add_menu = menu.addMenu(self.window.tr("Add to collection"))
        for collection in self.window.session.library.collections.all():
            add_menu.addAction(
                collection.name, partial(self.change_membership, collection.id, ids, True)
            )
        add_menu.addSeparator()
        add_menu.addAction(self.window.action("actionNewCollection"))
        if self.window.current_view()[0] == "collection":
            collection_id = int(self.window.current_view()[1])
            menu.addAction(
                self.window.tr("Remove from this collection"),
                partial(self.change_membership, collection_id, ids, False),
            )
        menu.addAction(self.window.action("actionAddTag"))
        tags = sorted({t for i in ids for t in (self._row_tags(i))})
        if tags:
            remove_menu = menu.addMenu(self.window.tr("Remove tag"))
            for tag in tags:
                remove_menu.addAction(tag, partial(self.change_tag, ids, tag, False))
        menu.addSeparator()
        menu.addAction(self.window.action("actionExportBrief"))
        menu.exec(self.window.table.viewport().mapToGlobal(point))

    def change_membership(self, collection_id: int, ids: list[int], add: bool) -> None:
        collection = self.window.session.library.collections.get(collection_id)
        name = collection.name if collection else ""
        self.window.undo_stack.push(
            CollectionMembership(self.window.context, collection_id, ids, add, name)
        )

    def change_tag(self, ids: list[int], name: str, add: bool) -> None:
        self.window.undo_stack.push(TagArticles(self.window.context, ids, name, add))

    def _row_tags(self, article_id: int) -> list[str]:
        rows = self.window.session.library.articles.summaries([article_id])
        return list(rows[0]["tags"]) if rows else []
