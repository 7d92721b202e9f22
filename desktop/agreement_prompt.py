"""A new 保密协议 met in the middle of a session: the platform answered ``agreement_required`` (an
admin published a new version since this user logged in). Ask at once, in the window: 同意 sends the
acceptance (audited on the platform) and the window carries on — ``after_accept`` runs again what was
refused (a sync, a screen's refresh); 不同意 logs out, since no resident data may be shown without it.

One prompt per window; a second refusal while the dialog is open does not open another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.account_dialogs import AgreementDialog
from desktop.i18n import tr
from desktop.qt import QDialog, QObject
from desktop.workers import run_in_background

CODE = "agreement_required"


def is_agreement_required(exc: object) -> bool:
    return getattr(exc, "code", None) == CODE


class AgreementPrompt(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.asking = False
        self.after: list[Callable[[], None]] = []
        self.dialog: AgreementDialog | None = None

    def handle(self, exc: object, after_accept: Callable[[], None] | None = None) -> bool:
        """True when ``exc`` was the platform asking for the agreement (the prompt takes it from here)."""
        if not is_agreement_required(exc):
            return False
        if after_accept is not None:
            self.after.append(after_accept)
        client = self.window.session.client
        if self.asking or client is None:
            return True
        self.asking = True
        run_in_background(lambda: client.get("/agreement"), self._ask, self._failed, owner=self.window)
        return True

    def _ask(self, agreement: Any) -> None:
        if not isinstance(agreement, dict) or not agreement.get("required"):
            self._accepted(None)  # accepted meanwhile (another window): carry on
            return
        version = int(agreement.get("version") or 0)
        self.dialog = AgreementDialog(str(agreement.get("text") or ""), version, self.window)
        self.dialog.finished.connect(lambda result: self._answered(result, version))
        self.dialog.open()

    def _answered(self, result: int, version: int) -> None:
        self.dialog = None
        if result != QDialog.DialogCode.Accepted:
            self.asking = False
            self.after.clear()
            self.window.statusBar().showMessage(tr("未同意保密协议，不能查看居民信息。"), 15000)
            self.window.logout()
            return
        client = self.window.session.client
        device = str(getattr(self.window.session, "device_id", "") or "")
        run_in_background(lambda: client.post("/agreement/accept", {"version": version, "device_id": device}),
                          self._accepted, self._failed, owner=self.window)

    def _accepted(self, _result: object) -> None:
        self.asking = False
        waiting, self.after = self.after, []
        self.window.statusBar().showMessage(tr("已签署保密协议"), 8000)
        for again in waiting:
            again()

    def _failed(self, exc: BaseException) -> None:
        self.asking = False
        message = getattr(exc, "message", None)
        text = message("zh") if callable(message) else str(exc)
        self.window.statusBar().showMessage(tr("签署保密协议失败：{error}", error=text), 15000)
