"""The areas of ``GET /areas`` as a tree with check boxes; only the levels the chosen role is given
can be checked (grids for a worker, a community for a supervisor, a street or district for an admin)."""

from __future__ import annotations

from typing import Any

from desktop.qt import QStandardItem, QStandardItemModel, Qt

ROLE_LEVELS = {"worker": {"grid"}, "supervisor": {"community"}, "admin": {"street", "district"}}
CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class AreaPickerModel(QStandardItemModel):
    def __init__(self, areas: list[dict[str, Any]]) -> None:
        super().__init__()
        self.items: dict[str, QStandardItem] = {}
        self.levels: dict[str, str] = {}
        for area in sorted(areas, key=lambda a: str(a["code"])):
            code = str(area["code"])
            item = QStandardItem(f"{area['name']}  {code}")
            item.setData(code, CODE_ROLE)
            item.setEditable(False)
            parent = self.items.get(str(area.get("parent") or ""))
            (parent if parent is not None else self.invisibleRootItem()).appendRow(item)
            self.items[code] = item
            self.levels[code] = str(area["level"])

    def set_role(self, role: str) -> None:
        """Make the role's levels checkable (and uncheck the others)."""
        allowed = ROLE_LEVELS.get(role, set())
        for code, item in self.items.items():
            ok = self.levels[code] in allowed
            item.setCheckable(ok)
            if not ok:
                item.setData(None, Qt.ItemDataRole.CheckStateRole)

    def set_checked(self, codes: list[str]) -> None:
        for code, item in self.items.items():
            if item.isCheckable():
                item.setCheckState(Qt.CheckState.Checked if code in codes else Qt.CheckState.Unchecked)

    def check(self, code: str, on: bool = True) -> None:
        item = self.items[code]
        if item.isCheckable():
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def checked(self) -> list[str]:
        return [code for code, item in self.items.items()
                if item.isCheckable() and item.checkState() == Qt.CheckState.Checked]
