"""账号清查: accounts to look at (never or long not logged in, areas but no activity, several devices,
past their end date or left), with check boxes and one click to disable the checked ones."""

from __future__ import annotations

from typing import Any

from desktop.admin.models.users import role_name, state_text
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.i18n import tr
from desktop.qt import (
    QT_TR_NOOP,
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStandardItem,
    QStandardItemModel,
    Qt,
    QTableView,
    QVBoxLayout,
)

FINDING_NAMES = {"never_logged_in": QT_TR_NOOP("从未登录"), "idle": QT_TR_NOOP("长期未登录"),
                 "no_activity": QT_TR_NOOP("有区划无任何工作"), "many_devices": QT_TR_NOOP("多台设备"),
                 "left": QT_TR_NOOP("已到期或离职")}
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def finding_name(code: str) -> str:
    return tr(str(FINDING_NAMES[code])) if code in FINDING_NAMES else code


class AccountsReviewScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminAccountReview")
        self.result: dict[str, Any] | None = None
        self.days = QSpinBox()
        self.days.setObjectName("idleDays")
        self.days.setRange(1, 3650)
        self.days.setValue(90)
        self.days.setSuffix(tr(" 天"))
        self.find_button = QPushButton(tr("查找"))
        self.find_button.setObjectName("reviewFind")
        self.find_button.clicked.connect(self.refresh)
        self.model = QStandardItemModel(0, 6)
        self.table = QTableView()
        self.table.setObjectName("reviewFindings")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setObjectName("reviewSummary")
        self.summary.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("reviewReason")
        self.reason.setPlaceholderText(tr("停用原因（如 账号清查、离职）"))
        self.disable = QPushButton(tr("停用勾选的账号"))
        self.disable.setObjectName("reviewDisable")
        self.disable.clicked.connect(self.disable_checked)
        self.select_all = QPushButton(tr("全选"))
        self.select_all.clicked.connect(lambda: self.set_all(True))
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("未登录天数")))
        top.addWidget(self.days)
        top.addWidget(self.find_button)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.select_all)
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.disable)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def activated(self) -> None:
        if self.result is None:
            self.refresh()

    def refresh(self) -> None:
        api, days = self.api, self.days.value()
        self.call(lambda: api.get_dict("/users/review", {"idle_days": days}), self._loaded)

    def _loaded(self, result: Any) -> None:
        self.result = result
        self.model.clear()
        self.model.setHorizontalHeaderLabels([tr("用户名"), tr("姓名"), tr("角色"), tr("状态"), tr("发现"),
                                              tr("最近登录")])
        for user in result.get("items") or []:
            first = QStandardItem(str(user["username"]))
            first.setData(user["id"], ID_ROLE)
            first.setCheckable(bool(user.get("active")))
            first.setCheckState(Qt.CheckState.Unchecked)
            cells = [first, QStandardItem(str(user.get("display_name") or "")),
                     QStandardItem(role_name(str(user.get("role") or ""))), QStandardItem(state_text(user)),
                     QStandardItem("、".join(finding_name(f) for f in user.get("findings") or [])),
                     QStandardItem(str(user.get("last_login_at") or tr("从未"))[:16].replace("T", " "))]
            self.model.appendRow(cells)
        counts = result.get("counts") or {}
        self.summary.setText(tr("{users} 个用户中：", users=result.get("users", 0)) + "；".join(
            f"{finding_name(k)} {n}" for k, n in counts.items()))

    def row_of(self, username: str) -> int:
        for row in range(self.model.rowCount()):
            if self.model.item(row, 0).text().lower() == username.lower():
                return row
        return -1

    def set_checked(self, username: str, on: bool = True) -> None:
        item = self.model.item(self.row_of(username), 0)
        if item.isCheckable():
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def set_all(self, on: bool) -> None:
        for row in range(self.model.rowCount()):
            item = self.model.item(row, 0)
            if item.isCheckable():
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def checked_ids(self) -> list[str]:
        out = []
        for row in range(self.model.rowCount()):
            item = self.model.item(row, 0)
            if item.isCheckable() and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(ID_ROLE)))
        return out

    def disable_checked(self) -> None:
        ids = self.checked_ids()
        if not ids:
            self.show_error(tr("请先勾选要停用的账号"))
            return
        reason = self.reason.text().strip() or tr("账号清查")
        api = self.api
        self.call(lambda: api.post("/users/disable", {"ids": ids, "reason": reason}), self._disabled)

    def _disabled(self, result: Any) -> None:
        self.ctx.status(tr("已停用 {n} 个账号", n=len(result.get("changed") or [])))
        self.refresh()
