"""The two questions a login may put: choose a new password (after an admin reset it) and the
保密协议 (同意 / 不同意)."""

from __future__ import annotations

from desktop.i18n import tr
from desktop.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

MIN_PASSWORD = 8


class PasswordChangeDialog(QDialog):
    """New password twice; with ``rekey`` also the previous password that opens this laptop's data."""

    def __init__(self, username: str, rekey: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordChangeDialog")
        self.username = username
        self.setWindowTitle(tr("设置新密码"))
        self.intro = QLabel(tr("管理员已重置您的密码。请设置新密码（至少 8 个字符，不能与用户名相同）。"))
        self.intro.setWordWrap(True)
        self.new = QLineEdit()
        self.new.setObjectName("newPassword")
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirmPassword")
        self.old_local = QLineEdit()
        self.old_local.setObjectName("localPassword")
        for edit in (self.new, self.confirm, self.old_local):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(tr("新密码"), self.new)
        form.addRow(tr("再次输入"), self.confirm)
        if rekey:
            form.addRow(tr("本机数据的原密码"), self.old_local)
        self.error = QLabel()
        self.error.setObjectName("passwordError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.new.setFocus()

    def problem(self) -> str:
        new = self.new.text()
        if len(new) < MIN_PASSWORD:
            return tr("密码至少 8 个字符")
        if new.strip().lower() == self.username.lower():
            return tr("密码不能与用户名相同")
        if new != self.confirm.text():
            return tr("两次输入的密码不一致")
        return ""

    def _check(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        if not problem:
            self.accept()


class LocalPasswordDialog(QDialog):
    """The password changed on another computer: the earlier one, to re-key this computer's data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("localPasswordDialog")
        self.setWindowTitle(tr("本机数据的原密码"))
        intro = QLabel(tr("您的密码已在别处修改。本机数据仍用原密码加密：请输入原密码，本机数据将改用新密码。"))
        intro.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("localOldPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.password)
        layout.addWidget(buttons)


class AgreementDialog(QDialog):
    """The text of the 保密协议 with 同意 (accept) and 不同意 (reject: the login ends)."""

    def __init__(self, text: str, version: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle(tr("保密协议（第 {version} 版）", version=version))
        intro = QLabel(tr("查看居民信息之前，请阅读并同意以下保密协议。"))
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(text)
        self.text.setObjectName("agreementText")
        self.text.setReadOnly(True)
        self.buttons = QDialogButtonBox()
        self.agree = QPushButton(tr("同意"))
        self.agree.setObjectName("agreeButton")
        self.decline = QPushButton(tr("不同意"))
        self.decline.setObjectName("declineButton")
        self.buttons.addButton(self.agree, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.decline, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 460)
