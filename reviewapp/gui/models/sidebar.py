"""The sidebar: the library, collections (drop articles on them), tags and saved searches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from reviewapp.core.rows import CollectionRow, SavedSearch
from reviewapp.gui.models.article_table import ARTICLE_IDS_MIME, article_ids_from_mime

_Index = QModelIndex | QPersistentModelIndex

LIBRARY, COLLECTIONS, TAGS, SEARCHES = "library", "collections", "tags", "searches"


@dataclass
class Node:
    kind: str  # library | collections | tags | searches | collection | tag | search
    label: str
    key: Any = None  # collection id, tag name, saved query
    count: int | None = None
    blind: bool = False  # a collection in blind review
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)


class SidebarModel(QAbstractItemModel):
    articles_dropped = Signal(int, list)  # collection id, article ids

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._roots: list[Node] = []
        self.populate(0, [], [], [])

    def populate(
        self,
        library_count: int,
        collections: Sequence[CollectionRow],
        tags: Sequence[tuple[str, int]],
        searches: Sequence[SavedSearch],
    ) -> None:
        self.beginResetModel()
        library = Node(LIBRARY, self.tr("Library"), count=library_count)
        sections = [
            (
                Node(COLLECTIONS, self.tr("Collections")),
                [Node("collection", c.name, c.id, c.article_count, c.blind) for c in collections],
            ),
            (Node(TAGS, self.tr("Tags")), [Node("tag", name, name, n) for name, n in tags]),
            (
                Node(SEARCHES, self.tr("Saved searches")),
                [Node("search", s.name, s.query) for s in searches],
            ),
        ]
        self._roots = [library]
        for section, children in sections:
            for child in children:
                child.parent = section
            section.children = children
            self._roots.append(section)
        self.endResetModel()

    def node(self, index: _Index) -> Node | None:
        if not index.isValid():
            return None
        parent = index.internalPointer()
        if isinstance(parent, Node):
            return parent.children[index.row()] if index.row() < len(parent.children) else None
        return self._roots[index.row()] if index.row() < len(self._roots) else None

    def index_of(self, kind: str, key: Any = None) -> QModelIndex:
        for row, root in enumerate(self._roots):
            if root.kind == kind:
                return self.index(row, 0)
            for child_row, child in enumerate(root.children):
                if child.kind == kind and child.key == key:
                    return self.index(child_row, 0, self.index(row, 0))
        return QModelIndex()

    # -- model API ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, None) if row < len(self._roots) else QModelIndex()
        node = self.node(parent)
        if node is None or node.parent is not None or row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        owner = index.internalPointer()
        if not isinstance(owner, Node):
            return QModelIndex()
        return self.createIndex(self._roots.index(owner), 0, None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._roots)
        node = self.node(parent)
        return len(node.children) if node is not None and node.parent is None else 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = f"{node.label}  ({node.count})" if node.count is not None else node.label
            return text + self.tr("  · blind") if node.blind else text
        if role == Qt.ItemDataRole.ToolTipRole and node.kind == "search":
            return str(node.key)
        if role == Qt.ItemDataRole.ToolTipRole and node.blind:
            return self.tr(
                "Blind review: each reviewer sees only their own findings on these articles "
                "until the moderator reveals the collection"
            )
        if role == Qt.ItemDataRole.ForegroundRole and node.blind:
            return QColor("#6E40C9")
        if role == Qt.ItemDataRole.FontRole and node.parent is None:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        node = self.node(index)
        if node is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled
        if node.kind not in (COLLECTIONS, TAGS, SEARCHES):
            flags |= Qt.ItemFlag.ItemIsSelectable
        if node.kind == "collection":
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # -- drops -------------------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [ARTICLE_IDS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        node = self.node(parent)
        return node is not None and node.kind == "collection" and data.hasFormat(ARTICLE_IDS_MIME)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        node = self.node(parent)
        ids = article_ids_from_mime(data)
        if node is None or node.kind != "collection" or not ids:
            return False
        self.articles_dropped.emit(int(node.key), ids)
        return False  # the collection is changed through an undoable command, not here
