"""The admin's user list as a table: one row per user of ``GET /users``, filtered by a text."""

from __future__ import annotations

from typing import Any

from desktop.i18n import tr
from desktop.qt import QT_TR_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

ROLE_NAMES = {"worker": QT_TR_NOOP("网格员"), "supervisor": QT_TR_NOOP("审核员"), "admin": QT_TR_NOOP("管理员")}
#: (key, header)
COLUMNS: tuple[tuple[str, object], ...] = (
    ("username", QT_TR_NOOP("用户名")), ("display_name", QT_TR_NOOP("姓名")), ("role", QT_TR_NOOP("角色")),
    ("areas", QT_TR_NOOP("区划")), ("state", QT_TR_NOOP("状态")), ("end_date", QT_TR_NOOP("结束日期")),
    ("third_party", QT_TR_NOOP("第三方")), ("last_login_at", QT_TR_NOOP("最近登录")),
    ("last_sync_at", QT_TR_NOOP("最近同步")), ("agreement", QT_TR_NOOP("保密协议")),
)


def role_name(role: str) -> str:
    return tr(str(ROLE_NAMES[role])) if role in ROLE_NAMES else role


def state_text(user: dict[str, Any]) -> str:
    if user.get("active"):
        return tr("需改密码") if user.get("must_change_password") else tr("启用")
    reason = user.get("disabled_reason") or ""
    if reason == "expired":
        return tr("已到期停用")
    return tr("停用：{reason}", reason=reason) if reason else tr("停用")


def _day_time(value: Any) -> str:
    return str(value or "")[:16].replace("T", " ")


def cell(user: dict[str, Any], key: str, area_names: dict[str, str]) -> str:
    if key == "role":
        return role_name(str(user.get("role") or ""))
    if key == "areas":
        return "、".join(area_names.get(c, c) for c in user.get("areas") or [])
    if key == "state":
        return state_text(user)
    if key == "third_party":
        return tr("是") if user.get("third_party") else ""
    if key in ("last_login_at", "last_sync_at"):
        return _day_time(user.get(key)) or tr("从未")
    if key == "agreement":
        accepted = user.get("agreement_accepted")
        return "" if accepted is None else (tr("已签署") if accepted else tr("未签署"))
    return str(user.get(key) or "")


class UsersModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.all: list[dict[str, Any]] = []
        self.rows: list[dict[str, Any]] = []
        self.area_names: dict[str, str] = {}
        self.filter_text = ""

    def set_users(self, users: list[dict[str, Any]], area_names: dict[str, str]) -> None:
        self.beginResetModel()
        self.all, self.area_names = users, area_names
        self.rows = self._filtered()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self.filter_text = text.strip().lower()
        self.rows = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[dict[str, Any]]:
        if not self.filter_text:
            return list(self.all)
        return [u for u in self.all
                if any(self.filter_text in cell(u, k, self.area_names).lower() for k, _h in COLUMNS)
                or any(self.filter_text in c for c in u.get("areas") or [])]

    def user(self, row: int) -> dict[str, Any] | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, username: str) -> int:
        return next((i for i, u in enumerate(self.rows) if u["username"].lower() == username.lower()), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return cell(self.rows[index.row()], COLUMNS[index.column()][0], self.area_names)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(str(COLUMNS[section][1]))
        return None
