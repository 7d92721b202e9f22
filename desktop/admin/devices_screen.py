"""设备: every device the users of the admin's area log in from (``GET /devices``), filtered by user as
you type, and revoking one (``POST /devices/{id}/revoke``: its app wipes its local data at its next
contact, after pushing its unsent work if 「先推送再清除」 was chosen). The header also holds the
platform's minimum client version (``GET/POST /settings``): older apps must update before pushing."""

from __future__ import annotations

from typing import Any

from desktop.admin.api import quote_id
from desktop.admin.models.devices import ITEM_ROLE, DevicesModel
from desktop.admin.revoke_dialog import RevokeDialog
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSortFilterProxyModel,
    Qt,
    QTableView,
    QVBoxLayout,
)

#: Devices read at once (most recently seen first); the filter's Enter asks the platform for the rest.
LOAD_LIMIT = 1000


class DevicesScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminDevices")
        self.model = DevicesModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setObjectName("devicesFilter")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self.refresh)  # look among all devices, not only those loaded
        self.filter_label = QLabel()
        self.filter_label.setBuddy(self.filter)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("devicesRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.revoke_button = QPushButton()
        self.revoke_button.setObjectName("devicesRevoke")
        self.revoke_button.clicked.connect(self.revoke_current)
        self.min_label = QLabel()
        self.min_version = QLineEdit()
        self.min_version.setObjectName("minVersion")
        self.min_version.setMaximumWidth(110)
        self.min_label.setBuddy(self.min_version)
        self.min_save = QPushButton()
        self.min_save.setObjectName("minVersionSave")
        self.min_save.clicked.connect(self.save_min_version)
        self.table = QTableView()
        self.table.setObjectName("devicesTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.revoke_current())
        self.count = QLabel()
        self.count.setObjectName("devicesCount")

        top = QHBoxLayout()
        top.addWidget(self.filter_label)
        top.addWidget(self.filter, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.revoke_button)
        top.addSpacing(24)
        top.addWidget(self.min_label)
        top.addWidget(self.min_version)
        top.addWidget(self.min_save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.loaded = False
        self.total = 0
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.filter_label.setText(tr("筛选(&F)"))
        self.filter.setPlaceholderText(tr("用户名、姓名或设备标识"))
        self.refresh_button.setText(tr("刷新"))
        self.revoke_button.setText(tr("吊销…"))
        self.revoke_button.setToolTip(tr("吊销所选设备：其登录失效，本地数据在下次联网时清除"))
        self.min_label.setText(tr("最低客户端版本(&V)"))
        self.min_version.setPlaceholderText(tr("不限"))
        self.min_version.setToolTip(tr("低于此版本的一表通须先更新才能上传（数据保留在本机）"))
        self.min_save.setText(tr("保存"))
        self._show_count()

    def activated(self) -> None:
        self.refresh()

    # -- reading ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        api = self.api

        params = {"limit": LOAD_LIMIT, "user": self.filter.text().strip() or None}

        def job() -> tuple[dict[str, Any], dict[str, Any]]:
            return api.get_dict("/devices", params), api.get_dict("/settings")

        self.call(job, self._loaded)

    def _loaded(self, result: Any) -> None:
        body, settings = result
        items = [i for i in body.get("items") or [] if isinstance(i, dict)]
        self.total = int(body.get("total") or len(items))
        self.model.set_items(items)
        self.loaded = True
        if not self.min_version.hasFocus():
            self.min_version.setText(str(settings.get("min_client_version") or ""))
        self._show_count()
        self._update_buttons()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._show_count()

    def _show_count(self) -> None:
        shown, loaded = self.proxy.rowCount(), self.model.rowCount()
        if self.total > loaded:
            self.count.setText(tr("显示最近联系的 {shown} 台 / 共 {n} 台设备；输入用户名后按回车可在全部设备中查找",
                                  shown=shown, n=self.total))
        elif shown == loaded:
            self.count.setText(tr("共 {n} 台设备", n=loaded))
        else:
            self.count.setText(tr("显示 {shown} / 共 {n} 台设备", shown=shown, n=loaded))

    def current(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = rows[0].data(ITEM_ROLE)
        return item if isinstance(item, dict) else None

    def select_device(self, device_id: str, username: str | None = None) -> bool:
        """Select the row of ``device_id`` (of ``username``); False when it is not shown."""
        for row in range(self.proxy.rowCount()):
            item = self.proxy.index(row, 0).data(ITEM_ROLE)
            if item["device_id"] == device_id and (username is None or item["username"] == username):
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        item = self.current()
        self.revoke_button.setEnabled(item is not None and item.get("state") == "active")

    # -- acts -------------------------------------------------------------------------------------------

    def revoke_current(self) -> None:
        item = self.current()
        if item is None or item.get("state") != "active":
            return
        dialog = RevokeDialog(item, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        body = dialog.values()
        api, path = self.api, f"/devices/{quote_id(item['id'])}/revoke"
        self.call(lambda: api.post(path, body), self._revoked)

    def _revoked(self, item: Any) -> None:
        if isinstance(item, dict):
            self.ctx.status(tr("已吊销 {user} 的设备 {device}", user=item.get("username", ""),
                               device=item.get("device_id", "")))
        self.refresh()

    def save_min_version(self) -> None:
        value = self.min_version.text().strip() or None
        api = self.api
        self.call(lambda: api.post("/settings", {"min_client_version": value}), self._saved)

    def _saved(self, settings: Any) -> None:
        value = settings.get("min_client_version") if isinstance(settings, dict) else None
        self.min_version.setText(str(value or ""))
        self.ctx.status(tr("最低客户端版本已设为 {version}", version=value) if value
                        else tr("已取消最低客户端版本限制"))
