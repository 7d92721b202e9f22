"""One page of the audit log as a table: time, who, action in words, what about, detail, where from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from desktop import i18n
from desktop.i18n import tr
from desktop.qt import QT_TR_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from sync.client import audit_text

Index = QModelIndex | QPersistentModelIndex

#: (key, Chinese header)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("at", QT_TR_NOOP("时间")),
    ("who", QT_TR_NOOP("操作人")),
    ("action", QT_TR_NOOP("操作")),
    ("subject", QT_TR_NOOP("对象")),
    ("detail", QT_TR_NOOP("详情")),
    ("source", QT_TR_NOOP("来源")),
)


def _action(entry: dict[str, Any]) -> str:
    if i18n.language() == "en":
        return str(entry.get("action_en") or entry.get("action") or "")
    return str(entry.get("action_zh") or entry.get("action") or "")


def _source(entry: dict[str, Any]) -> str:
    origin = tr("设备") if entry.get("origin") == "device" else tr("平台")
    device = entry.get("device_id") or ""
    return f"{origin} {device}".strip()


CELLS: dict[str, Callable[[dict[str, Any]], str]] = {
    "at": lambda e: audit_text.local_time(str(e.get("at") or "")),
    "who": lambda e: str(e.get("actor_name") or ""),
    "action": _action,
    "subject": audit_text.subject,
    "detail": lambda e: audit_text.detail_summary(e.get("detail")),
    "source": _source,
}


class AuditModel(QAbstractTableModel):
    """``set_entries(items)`` shows a page; ``entry(row)`` is the raw entry (for the tooltip and tests)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[dict[str, Any]] = []

    def set_entries(self, entries: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> dict[str, Any]:
        return self.entries[row]

    def column_key(self, column: int) -> str:
        return COLUMNS[column][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return CELLS[key](entry)
        if role == Qt.ItemDataRole.ToolTipRole and key == "detail":
            return audit_text.detail_summary(entry.get("detail"), 2000)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return tr(COLUMNS[section][1])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.entries) - 1, len(COLUMNS) - 1))
