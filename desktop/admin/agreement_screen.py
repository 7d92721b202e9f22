"""保密协议: the current text and version, setting a new text (everyone accepts again), and who in the
admin's scope has not accepted the current version."""

from __future__ import annotations

from typing import Any

from desktop.admin.models.users import role_name
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStandardItem,
    QStandardItemModel,
    QTableView,
    QVBoxLayout,
)


class AgreementScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminAgreement")
        self.current: dict[str, Any] | None = None
        self.status: dict[str, Any] | None = None
        self.version = QLabel()
        self.version.setObjectName("agreementVersion")
        self.text = QPlainTextEdit()
        self.text.setObjectName("agreementEditor")
        self.text.setPlaceholderText(tr("在此输入保密协议全文"))
        self.publish = QPushButton(tr("发布新版本"))
        self.publish.setObjectName("agreementPublish")
        self.publish.clicked.connect(self.confirm_publish)
        self.pending_label = QLabel()
        self.pending_label.setObjectName("agreementPending")
        self.pending = QStandardItemModel(0, 3)
        self.table = QTableView()
        self.table.setObjectName("agreementPendingTable")
        self.table.setModel(self.pending)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.confirm: QMessageBox | None = None
        row = QHBoxLayout()
        row.addWidget(self.version, 1)
        row.addWidget(self.publish)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(row)
        layout.addWidget(self.text, 2)
        layout.addWidget(self.pending_label)
        layout.addWidget(self.table, 1)

    def activated(self) -> None:
        if self.current is None:
            self.refresh()

    def refresh(self) -> None:
        api = self.api
        self.call(lambda: (api.get_dict("/agreement"), api.get_dict("/agreement/status")), self._loaded)

    def _loaded(self, result: Any) -> None:
        self.current, self.status = result
        version = self.current.get("version")
        self.version.setText(tr("当前版本：第 {v} 版", v=version) if version else tr("尚未设置保密协议（不要求签署）"))
        if not self.text.toPlainText().strip() or version:
            self.text.setPlainText(str(self.current.get("text") or ""))
        status = self.status
        self.pending.clear()
        self.pending.setHorizontalHeaderLabels([tr("用户名"), tr("姓名"), tr("角色")])
        for user in status.get("pending") or []:
            self.pending.appendRow([QStandardItem(str(user["username"])), QStandardItem(str(user["display_name"])),
                                    QStandardItem(role_name(str(user["role"])))])
        if version:
            self.pending_label.setText(tr("已签署 {accepted} / {users} 人；未签署：", accepted=status.get("accepted", 0),
                                          users=status.get("users", 0)))
        else:
            self.pending_label.setText("")

    def confirm_publish(self) -> None:
        text = self.text.toPlainText().strip()
        if not text:
            self.show_error(tr("协议内容不能为空"))
            return
        box = QMessageBox(QMessageBox.Icon.Question, tr("发布保密协议"),
                          tr("发布后，所有用户须在下次登录时重新阅读并同意。确定发布？"),
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self)
        self.confirm = box
        box.buttonClicked.connect(lambda b: self.publish_text(text)
                                  if box.standardButton(b) == QMessageBox.StandardButton.Ok else None)
        box.open()

    def publish_text(self, text: str) -> None:
        api = self.api
        self.call(lambda: api.post("/agreement", {"text": text}), lambda _r: self._published())

    def _published(self) -> None:
        self.ctx.status(tr("保密协议新版本已发布"))
        self.refresh()
