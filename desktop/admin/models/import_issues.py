"""The import screen's tables: the problems of a checked file (row as Excel shows it, column, value,
code, severity, message) and the file's columns with the field each was matched to (editable)."""

from __future__ import annotations

from typing import Any

from desktop import i18n
from desktop.i18n import tr
from desktop.qt import QT_TR_NOOP, QAbstractTableModel, QColor, QModelIndex, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1

ISSUE_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("row", QT_TR_NOOP("行")), ("column", QT_TR_NOOP("列")), ("value", QT_TR_NOOP("值")),
    ("severity", QT_TR_NOOP("级别")), ("code", QT_TR_NOOP("代码")), ("message", QT_TR_NOOP("问题")),
)
SEVERITIES: dict[str, Any] = {"error": QT_TR_NOOP("错误"), "warning": QT_TR_NOOP("警告")}
HOW: dict[str, Any] = {"name": QT_TR_NOOP("字段名"), "label": QT_TR_NOOP("标签"), "synonym": QT_TR_NOOP("同义词"),
                       "saved": QT_TR_NOOP("已存映射"), "ignored": QT_TR_NOOP("忽略"), "": QT_TR_NOOP("未对应")}


class IssuesModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ISSUE_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(str(ISSUE_COLUMNS[section][1]))
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        key = ISSUE_COLUMNS[index.column()][0]
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "severity":
                return tr(str(SEVERITIES.get(str(item.get("severity")), item.get("severity"))))
            if key == "row":
                return int(item.get("row") or 0)
            if key == "message" and i18n.language().startswith("en"):  # the English interface: English message
                return str(item.get("message_en") or item.get("message") or "")
            value = item.get(key)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and key == "severity" and item.get("severity") == "error":
            return QColor("#b00020")
        return None


class ColumnsModel(QAbstractTableModel):
    """The file's columns: header, the field it fills (editable: a field name, empty to leave it out)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.items = [dict(i) for i in items]
        self.endResetModel()

    def mapping(self) -> dict[str, str]:
        """header -> field, as matched and as edited (for a re-check or a saved mapping)."""
        return {str(i["header"]): str(i.get("field") or "") for i in self.items if i.get("header")}

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (tr("文件中的列"), tr("对应字段"), tr("匹配方式"))[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == 0:
                return str(item.get("header") or "")
            if index.column() == 1:
                return str(item.get("field") or "")
            return tr(str(HOW.get(str(item.get("how") or ""), item.get("how"))))
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1 and not item.get("field"):
            return QColor("#b00020")
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 1 or role != Qt.ItemDataRole.EditRole:
            return False
        item = self.items[index.row()]
        item["field"] = str(value or "").strip() or None
        item["how"] = "saved" if item["field"] else "ignored"
        self.dataChanged.emit(self.index(index.row(), 1), self.index(index.row(), 2))
        return True
