"""The admin's area tree (街道 → 社区 → 网格) as a Qt item model: name, code, houses, persons, workers.

``load(items, show_retired)`` takes the items of ``GET /areas?counts=true&retired=true`` (each with
``code, name, level, parent, retired, houses, households, persons`` and, for grids, ``workers``) and
builds the tree from the parent links; retired areas are left out unless asked for. ``area(index)``
is the item of a row (None for none).
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import tr
from desktop.qt import QStandardItem, QStandardItemModel, Qt

CODE_ROLE = Qt.ItemDataRole.UserRole + 20
COLUMNS = ("名称", "代码", "房屋", "人口", "网格员")
LEVEL_NAMES = {"district": "区", "street": "街道", "community": "社区", "grid": "网格"}


def workers_text(area: dict[str, Any]) -> str:
    return "、".join(f"{w.get('display_name') or ''}（{w.get('username') or ''}）" for w in area.get("workers") or [])


class AreasModel(QStandardItemModel):
    def __init__(self) -> None:
        super().__init__()
        self.by_code: dict[str, dict[str, Any]] = {}
        self._rows: dict[str, QStandardItem] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])

    def load(self, items: list[dict[str, Any]], show_retired: bool = False) -> None:
        self.removeRows(0, self.rowCount())
        self.by_code = {str(a["code"]): a for a in items}
        self._rows = {}
        for area in sorted(items, key=lambda a: str(a["code"])):
            if area.get("retired") and not show_retired:
                continue
            parent = self._rows.get(str(area.get("parent") or ""))
            row = self._row(area)
            (parent if parent is not None else self.invisibleRootItem()).appendRow(row)
            self._rows[str(area["code"])] = row[0]

    def _row(self, area: dict[str, Any]) -> list[QStandardItem]:
        name = str(area["name"])
        if area.get("retired"):
            name = tr("{name}（已撤销）", name=name)
        cells = [name, str(area["code"]), str(area.get("houses", "")), str(area.get("persons", "")),
                 workers_text(area) if area.get("level") == "grid" else ""]
        out = []
        for text in cells:
            item = QStandardItem(text)
            item.setEditable(False)
            item.setData(str(area["code"]), CODE_ROLE)
            if area.get("retired"):
                item.setForeground(Qt.GlobalColor.gray)
            out.append(item)
        out[0].setToolTip(tr(LEVEL_NAMES.get(str(area.get("level")), str(area.get("level")))))
        return out

    def area(self, index: Any) -> dict[str, Any] | None:
        if index is None or not index.isValid():
            return None
        code = index.data(CODE_ROLE)
        return self.by_code.get(str(code)) if code else None

    def index_of(self, code: str) -> Any:
        item = self._rows.get(code)
        return item.index() if item is not None else None

    def active(self, level: str) -> list[dict[str, Any]]:
        """Areas of ``level`` that are not retired, by code."""
        return [a for code, a in sorted(self.by_code.items()) if a.get("level") == level and not a.get("retired")]

    def next_code(self, parent: dict[str, Any]) -> str:
        """A code for a new child of ``parent`` never used before (retired codes count as used)."""
        code = str(parent["code"])
        used = [int(c[len(code):]) for c in self.by_code if c.startswith(code) and len(c) == len(code) + 3
                and c[len(code):].isdigit()]
        return code + f"{max(used, default=0) + 1:03d}"
