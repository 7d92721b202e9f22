"""The devices table of the admin's devices screen: one row per (user, device) pair of ``GET /devices``."""

from __future__ import annotations

from typing import Any

from desktop.i18n import tr
from desktop.qt import QT_TR_NOOP, QAbstractTableModel, QColor, QModelIndex, QPersistentModelIndex, Qt
from desktop.review.queue_model import local_time  # the review queue's: local time of an ISO moment

AnyIndex = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1

#: (key, Chinese header) in display order
COLUMNS: tuple[tuple[str, Any], ...] = (
    ("username", QT_TR_NOOP("用户")),
    ("display_name", QT_TR_NOOP("姓名")),
    ("device_id", QT_TR_NOOP("设备标识")),
    ("first_seen", QT_TR_NOOP("首次登录")),
    ("last_seen", QT_TR_NOOP("最近联系")),
    ("app_version", QT_TR_NOOP("版本")),
    ("state", QT_TR_NOOP("状态")),
)
STATES: dict[str, Any] = {"active": QT_TR_NOOP("在用"), "revoked": QT_TR_NOOP("已吊销，待清除"), "wiped": QT_TR_NOOP("已清除")}
_STATE_COLOURS = {"revoked": "#b00020", "wiped": "#777777"}


class DevicesModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item(self, row: int) -> dict[str, Any]:
        return self.items[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(str(COLUMNS[section][1]))
        return None

    def text(self, row: int, key: str) -> str:
        item = self.items[row]
        value = item.get(key)
        if key in ("first_seen", "last_seen"):
            return local_time(value)
        if key == "state":
            return tr(str(STATES.get(str(value), value)))
        return "" if value is None else str(value)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = COLUMNS[index.column()][0]
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), key)
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.ToolTipRole and key == "state" and item.get("revoke_reason"):
            return tr("原因：{reason}", reason=item["revoke_reason"])
        if role == Qt.ItemDataRole.ForegroundRole and key == "state" and item.get("state") in _STATE_COLOURS:
            return QColor(_STATE_COLOURS[str(item["state"])])
        return None
