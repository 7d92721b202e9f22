"""The login window's answer to a gate (:mod:`desktop.account_gate`): show the dialog, do what the
user chose off the GUI thread, then log in again (or end the platform session and say why)."""

from __future__ import annotations

from collections.abc import Callable

from desktop import account_gate
from desktop.account_dialogs import AgreementDialog, LocalPasswordDialog, PasswordChangeDialog
from desktop.i18n import tr
from desktop.qt import QDialog, QWidget
from desktop.workers import run_in_background
from sync.client.errors import SyncError


class GateAnswer:
    """One gate met at login. ``retry(password)`` logs in again; ``fail(text)`` shows why not."""

    def __init__(self, parent: QWidget, username: str, device_id: str, gate: account_gate.GateError,
                 retry: Callable[[str], None], fail: Callable[[str], None]) -> None:
        self.parent, self.username, self.device_id, self.gate = parent, username, device_id, gate
        self.retry, self.fail = retry, fail
        self.dialog: QDialog | None = None

    def ask(self, password: str) -> QDialog:
        gate = self.gate
        if isinstance(gate, account_gate.PasswordChangeNeeded):
            dialog: QDialog = PasswordChangeDialog(self.username, gate.store_dir is not None, self.parent)
            dialog.finished.connect(lambda result: self._password_chosen(dialog, result))
        elif isinstance(gate, account_gate.LocalRekeyNeeded):
            dialog = LocalPasswordDialog(self.parent)
            dialog.finished.connect(lambda result: self._local_given(dialog, result))
        else:
            assert isinstance(gate, account_gate.AgreementNeeded)
            info = gate.agreement
            dialog = AgreementDialog(str(info.get("text") or ""), int(info.get("version") or 0), self.parent)
            dialog.finished.connect(lambda result: self._agreement_answered(result, password))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _declined(self, text: str) -> None:
        gate = self.gate
        run_in_background(lambda: account_gate.refuse(gate), lambda _r: self.fail(text),
                          lambda _e: self.fail(text))

    def _password_chosen(self, dialog: QDialog, result: int) -> None:
        if result != QDialog.DialogCode.Accepted or not isinstance(dialog, PasswordChangeDialog):
            self._declined(tr("未设置新密码，未登录。"))
            return
        gate = self.gate
        assert isinstance(gate, account_gate.PasswordChangeNeeded)
        new, old_local = dialog.new.text(), dialog.old_local.text()
        run_in_background(lambda: account_gate.change_password(gate, new, old_local),
                          lambda _r: self.retry(new), self._change_failed)

    def _local_given(self, dialog: QDialog, result: int) -> None:
        if result != QDialog.DialogCode.Accepted or not isinstance(dialog, LocalPasswordDialog):
            self.fail(tr("本机数据未解锁。"))
            return
        gate = self.gate
        assert isinstance(gate, account_gate.LocalRekeyNeeded)
        old = dialog.password.text()
        run_in_background(lambda: account_gate.rekey_local(gate, old), lambda _r: self.retry(gate.password),
                          self._change_failed)

    def _change_failed(self, exc: BaseException) -> None:
        if isinstance(exc, account_gate.LocalPasswordWrong):
            self.fail(tr("本机数据的原密码不正确，密码未修改。"))
        elif isinstance(exc, SyncError):
            self.fail(tr("修改密码失败：{error}", error=exc.message_zh))
        else:
            self.fail(tr("修改密码失败：{error}", error=str(exc) or type(exc).__name__))

    def _agreement_answered(self, result: int, password: str) -> None:
        if result != QDialog.DialogCode.Accepted:
            self._declined(tr("未同意保密协议，不能查看居民信息。"))
            return
        gate = self.gate
        assert isinstance(gate, account_gate.AgreementNeeded)
        run_in_background(lambda: account_gate.accept(gate, self.device_id), lambda _r: self.retry(password),
                          lambda exc: self.fail(tr("签署保密协议失败：{error}", error=str(exc))))
