"""The area tree: 区 → 街道 → 社区 → 网格 → 小区 → 楼栋 → 单元 → 室, children fetched when a node opens.

``AreaTreeModel(children)``: ``children(node | None) -> list[AreaNode]`` gives the children of a node
(None: the top). Each node carries the list filter it stands for (``node.filters``), which the main
window applies to the person and house lists when it is selected. Nothing below a node is read until
the node is expanded (``canFetchMore`` / ``fetchMore``), so a district with 400,000 houses opens at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.i18n import tr
from desktop.qt import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex

#: Level -> Chinese name (translated when shown), top to bottom.
LEVELS: dict[str, str] = {
    "district": "区",
    "street": "街道",
    "community": "社区",
    "grid": "网格",
    "estate": "小区",
    "building": "楼栋",
    "unit": "单元",
    "room": "室",
}
FILTER_ROLE = Qt.ItemDataRole.UserRole + 10
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 11


@dataclass(frozen=True)
class AreaNode:
    key: str
    name: str
    level: str
    #: Filters this node means for the lists (e.g. ``{"area": "330102001"}``, or grid + estate + building).
    filters: Mapping[str, Any]
    has_children: bool = True
    count: int | None = None


@dataclass
class _Item:
    node: AreaNode | None
    parent: _Item | None
    row: int
    children: list[_Item] = field(default_factory=list)
    fetched: bool = False


class AreaTreeModel(QAbstractItemModel):
    def __init__(self, children: Callable[[AreaNode | None], list[AreaNode]]) -> None:
        super().__init__()
        self._children_of = children
        self._root = _Item(None, None, 0)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._root = _Item(None, None, 0)
        self._root.children = [_Item(n, self._root, i) for i, n in enumerate(self._children_of(None))]
        self._root.fetched = True
        self.endResetModel()

    def _item(self, index: AnyIndex) -> _Item:
        if index.isValid():
            item = index.internalPointer()
            assert isinstance(item, _Item)
            return item
        return self._root

    def node(self, index: AnyIndex) -> AreaNode | None:
        return self._item(index).node if index.isValid() else None

    # -- Qt model API -----------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        item = self._item(parent)
        if column != 0 or not 0 <= row < len(item.children):
            return QModelIndex()
        return self.createIndex(row, 0, item.children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        item = self._item(index)
        up = item.parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._item(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        item = self._item(parent)
        if item.fetched:
            return bool(item.children)
        return item.node is None or item.node.has_children

    def canFetchMore(self, parent: AnyIndex) -> bool:
        item = self._item(parent)
        return not item.fetched and (item.node is None or item.node.has_children)

    def fetchMore(self, parent: AnyIndex) -> None:
        item = self._item(parent)
        if item.fetched:
            return
        item.fetched = True
        nodes = self._children_of(item.node)
        if not nodes:
            return
        self.beginInsertRows(parent, 0, len(nodes) - 1)
        item.children = [_Item(n, item, i) for i, n in enumerate(nodes)]
        self.endInsertRows()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            count = f"（{node.count}）" if node.count is not None else ""
            return f"{node.name}{count}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{tr(LEVELS.get(node.level, node.level))}：{node.name}"
        if role == FILTER_ROLE:
            return dict(node.filters)
        if role == LEVEL_ROLE:
            return node.level
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and section == 0:
            return tr("区域")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def find(self, key: str) -> QModelIndex:
        """Index of an already fetched node by key (breadth first), or an invalid index."""
        queue: list[_Item] = list(self._root.children)
        while queue:
            item = queue.pop(0)
            if item.node is not None and item.node.key == key:
                return self.createIndex(item.row, 0, item)
            queue.extend(item.children)
        return QModelIndex()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 0)
