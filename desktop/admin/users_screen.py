"""用户: the users in the admin's scope — create, edit, disable / enable with a reason, reset a
password (shown once), bulk import from .xlsx."""

from __future__ import annotations

from typing import Any

from desktop.admin.api import quote_id
from desktop.admin.import_dialog import ImportDialog
from desktop.admin.models.users import UsersModel
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.admin.secret_dialog import SecretDialog
from desktop.admin.user_dialog import UserDialog
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)


class UsersScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminUsers")
        self.model = UsersModel()
        self.areas: list[dict[str, Any]] = []
        self.dialog: QDialog | None = None
        self.filter = QLineEdit()
        self.filter.setObjectName("usersFilter")
        self.filter.setPlaceholderText(tr("按用户名、姓名、区划筛选"))
        self.filter.textChanged.connect(self.model.set_filter)
        self.table = QTableView()
        self.table.setObjectName("usersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.count = QLabel()
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        for key, text, act in (("create", tr("新建…"), self.create_user), ("edit", tr("编辑…"), self.edit_selected),
                               ("disable", tr("停用…"), self.disable_selected),
                               ("enable", tr("启用"), self.enable_selected),
                               ("reset", tr("重置密码"), self.reset_selected),
                               ("import", tr("批量导入…"), self.import_users),
                               ("refresh", tr("刷新"), self.refresh)):
            button = QPushButton(text)
            button.setObjectName(f"users_{key}")
            button.clicked.connect(act)
            self.buttons[key] = button
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.loaded = False

    def activated(self) -> None:
        if not self.loaded:
            self.refresh()

    def refresh(self) -> None:
        api = self.api
        self.call(lambda: (api.items("/users"), api.items("/areas")), self._loaded)

    def _loaded(self, result: Any) -> None:
        users, areas = result
        self.areas = areas
        names = {str(a["code"]): str(a["name"]) for a in areas}
        self.model.set_users(users, names)
        self.table.resizeColumnsToContents()  # names, areas and times whole, not cut to …
        self.loaded = True
        self.count.setText(tr("共 {n} 个用户", n=len(users)))

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.user(rows[0].row()) if rows else None

    def select(self, username: str) -> None:
        row = self.model.row_of(username)
        if row >= 0:
            self.table.selectRow(row)

    def _open(self, dialog: QDialog, done: Any) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda result: done() if result == QDialog.DialogCode.Accepted else None)
        dialog.open()

    def create_user(self) -> None:
        dialog = UserDialog(self.areas, None, self)
        api = self.api

        def done() -> None:
            body = dialog.values()
            self.call(lambda: api.post("/users", body), self._created)

        self._open(dialog, done)

    def _created(self, user: Any) -> None:
        self.refresh()
        if isinstance(user, dict) and user.get("password"):
            self._open(SecretDialog(str(user["username"]), str(user["password"]), self), lambda: None)
        self.ctx.status(tr("已创建用户 {name}", name=user.get("username", "") if isinstance(user, dict) else ""))

    def edit_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = UserDialog(self.areas, user, self)
        api = self.api

        def done() -> None:
            body = dialog.values()
            self.call(lambda: api.patch(f"/users/{quote_id(user['id'])}", body), lambda _r: self.refresh())

        self._open(dialog, done)

    def disable_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("disableReason")
        dialog.setWindowTitle(tr("停用用户"))
        dialog.setLabelText(tr("停用 {name} 的原因（如 离职、调岗）：", name=user["display_name"]))
        api = self.api

        def done() -> None:
            reason = dialog.textValue().strip()
            self.call(lambda: api.post(f"/users/{quote_id(user['id'])}/disable", {"reason": reason}),
                      lambda _r: self.refresh())

        self._open(dialog, done)

    def enable_selected(self) -> None:
        user = self.selected()
        if user is not None:
            api = self.api
            self.call(lambda: api.post(f"/users/{quote_id(user['id'])}/enable", {}), lambda _r: self.refresh())

    def reset_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        api = self.api
        self.call(lambda: api.post(f"/users/{quote_id(user['id'])}/reset-password", {}), self._reset_done)

    def _reset_done(self, result: Any) -> None:
        self.refresh()
        self._open(SecretDialog(str(result["user"]["username"]), str(result["password"]), self), lambda: None)

    def import_users(self) -> None:
        dialog = ImportDialog(self.api, self)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.open()
