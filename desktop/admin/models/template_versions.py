"""The published template versions (``GET /templates``) as a table: form, version, area, published
at/by, state (in force, superseded, withdrawn)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from desktop.i18n import tr
from desktop.qt import QT_TR_NOOP, QAbstractTableModel, QColor, QModelIndex, QPersistentModelIndex, Qt

STATES = {"in_force": QT_TR_NOOP("在用"), "superseded": QT_TR_NOOP("已被新版本取代"),
          "withdrawn": QT_TR_NOOP("已撤回")}
COLUMNS = (("form_id", QT_TR_NOOP("表单")), ("title", QT_TR_NOOP("名称")), ("version", QT_TR_NOOP("版本")),
           ("area", QT_TR_NOOP("区域")), ("published_at", QT_TR_NOOP("发布时间")),
           ("published_by", QT_TR_NOOP("发布人")), ("state", QT_TR_NOOP("状态")))

Index = QModelIndex | QPersistentModelIndex


class TemplateVersionsModel(QAbstractTableModel):
    """``area_name(code)`` names an area (the code itself when unknown; "" is every area)."""

    def __init__(self, area_name: Callable[[str], str]) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.area_name = area_name

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(str(COLUMNS[section][1]))
        return None

    def text(self, row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        if key == "state":
            return tr(str(STATES.get(str(value), str(value or ""))))
        if key == "area":
            return tr("全部区域") if not value else f"{self.area_name(str(value))}（{value}）"
        if key == "published_at":
            return str(value or "").replace("T", " ")[:16]
        return "" if value is None else str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and row.get("state") == "withdrawn":
            return QColor("#888888")
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def row(self, index: int) -> dict[str, Any] | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None
