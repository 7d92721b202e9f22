"""Which nodes of the area tree are open: opened down to the grids at start, kept across a reload.

The tree's model reads children lazily (``fetchMore``), so a node's children are read before it is
opened; a node is known by its filters (area code, estate, building…), which a reload keeps.
"""

from __future__ import annotations

from typing import Any

from desktop.models.area_tree import FILTER_ROLE, LEVEL_ROLE
from desktop.qt import QModelIndex

Key = tuple[tuple[str, str], ...]


class TreeState:
    def __init__(self, tree: Any, model: Any, default_levels: tuple[str, ...]) -> None:
        self.tree = tree
        self.model = model
        self.default_levels = default_levels

    @staticmethod
    def key(index: QModelIndex) -> Key:
        filters = index.data(FILTER_ROLE) or {}
        return tuple(sorted((str(k), str(v)) for k, v in dict(filters).items()))

    def _open(self, index: QModelIndex) -> None:
        if self.model.canFetchMore(index):  # children are read lazily: read them now
            self.model.fetchMore(index)
        self.tree.expand(index)

    def open_default(self, parent: QModelIndex | None = None) -> None:
        parent = parent if parent is not None else QModelIndex()
        for row in range(self.model.rowCount(parent)):
            child = self.model.index(row, 0, parent)
            if child.data(LEVEL_ROLE) in self.default_levels:
                self._open(child)
                self.open_default(child)

    def opened(self, parent: QModelIndex | None = None) -> set[Key]:
        found: set[Key] = set()
        parent = parent if parent is not None else QModelIndex()
        for row in range(self.model.rowCount(parent)):
            child = self.model.index(row, 0, parent)
            if self.tree.isExpanded(child):
                found.add(self.key(child))
                found |= self.opened(child)
        return found

    def reopen(self, keys: set[Key], parent: QModelIndex | None = None) -> None:
        if not keys:
            return
        parent = parent if parent is not None else QModelIndex()
        for row in range(self.model.rowCount(parent)):
            child = self.model.index(row, 0, parent)
            if self.key(child) in keys:
                self._open(child)
                self.reopen(keys, child)
