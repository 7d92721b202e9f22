"""Quitting and logging out with work not yet on the platform: say what is unsent, offer to sync first.

Nothing is lost either way (the store keeps everything, encrypted, and the next sync sends it); the
question is whether the supervisor sees it today.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.i18n import tr
from desktop.qt import QMessageBox, QWidget


@dataclass(frozen=True)
class Unsent:
    submissions: int = 0   # queued or not yet answered
    visits: int = 0        # visits recorded here and not yet on the platform
    drafts: int = 0        # records changed here and not submitted

    @property
    def any(self) -> bool:
        return bool(self.submissions or self.visits or self.drafts)

    def text(self) -> str:
        parts = []
        if self.submissions:
            parts.append(tr("{n} 份提交尚未上传", n=self.submissions))
        if self.visits:
            parts.append(tr("{n} 次走访尚未上传", n=self.visits))
        if self.drafts:
            parts.append(tr("{n} 条记录有修改但尚未提交", n=self.drafts))
        return tr("；").join(parts)


def unsent(store: Any) -> Unsent:
    counts = store.lists.counts()
    visits = store.visits.open_count()
    return Unsent(int(counts.get("outbox", 0)), int(visits), int(counts.get("drafts", 0)))


#: The worker's answers.
SYNC_FIRST, LEAVE, STAY = "sync", "leave", "stay"


def ask(parent: QWidget, what: Unsent, action: str, can_sync: bool) -> str:
    """Ask before quitting or logging out (``action``: 退出 / 注销) with unsent work."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("还有未上传的工作"),
                      tr("{what}。\n数据已加密保存在本机，下次联网同步时会上传。", what=what.text()),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("leave_box")
    sync_button = box.addButton(tr("先同步再{action}", action=action), QMessageBox.ButtonRole.AcceptRole)
    sync_button.setObjectName("leave_sync")
    sync_button.setEnabled(can_sync and bool(what.submissions or what.visits))
    leave_button = box.addButton(tr("直接{action}", action=action), QMessageBox.ButtonRole.DestructiveRole)
    leave_button.setObjectName("leave_now")
    stay = box.addButton(tr("取消"), QMessageBox.ButtonRole.RejectRole)
    stay.setObjectName("leave_cancel")
    box.setDefaultButton(sync_button if sync_button.isEnabled() else stay)
    box.exec()
    clicked = box.clickedButton()
    if clicked is sync_button:
        return SYNC_FIRST
    if clicked is leave_button:
        return LEAVE
    return STAY


class Leaving:
    """The window's quitting and logging out (``window.leaving``)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.confirmed = False

    def may_leave(self, action: str, again: Callable[[], object]) -> bool:
        """True to go ahead; with unsent work, asks (sync first, leave, stay). Syncing first runs
        ``again`` once the sync has finished."""
        window = self.window
        bench = getattr(window, "workbench", None)
        if bench is None or self.confirmed or window.is_shut():
            return True
        what = unsent(window.session.store)
        if not what.any:
            return True
        panel = bench.sync_panel
        answer = ask(window, what, action, can_sync=window.session.client is not None and window.online is not False)
        if answer == LEAVE:
            return True
        if answer == SYNC_FIRST:
            def finished(_summary: object) -> None:
                panel.synced.disconnect(finished)
                self.confirmed = True
                again()

            panel.synced.connect(finished)
            if not panel.running:
                panel.start()
        return False

    def logout(self) -> None:
        """End the platform session (the encrypted store stays on the laptop) and go back to login."""
        window = self.window
        if not self.may_leave(tr("注销"), self.logout):
            return
        client = window.session.client
        if client is not None:
            # online: the platform revokes the session now; offline: it is forgotten here and its
            # refresh token expires on the platform
            if window.online:
                client.logout()
            else:
                client.forget_tokens()
        window.session.relogin = None
        window.data.audit("logout", "", {})
        self.confirmed = True
        window.logged_out.emit()
        window.close()
