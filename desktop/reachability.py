"""Whether the platform answers: the status-bar indicator, a check on a timer, and logging in again
when a session that started offline (unlocked with the local password) finds the platform back.

Checks often while offline (a worker back in range is noticed within seconds) and rarely while
online (each sync tells it too). ``window.online_changed`` fires on each change, and once more after
logging in again, so what waited for the platform (``desktop.auto_sync``) goes at once.
"""

from __future__ import annotations

from typing import Any

from desktop import i18n
from desktop.data import DataSource
from desktop.i18n import tr
from desktop.qt import QObject, QTimer
from desktop.revoked import revocation_of
from desktop.workers import run_in_background
from sync.client.errors import DeviceRevoked

ONLINE_CHECK_MS = 60_000
OFFLINE_CHECK_MS = 10_000
#: Error codes after which the password given at unlock is not tried again.
REFUSED = {"auth_failed", "account_disabled", "account_expired", "unauthorized"}


class Reachability(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.relogging = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(OFFLINE_CHECK_MS)

    def set_online(self, online: bool) -> None:
        indicator = self.window.online_indicator
        before = indicator.online
        indicator.set_online(online)
        self.timer.setInterval(ONLINE_CHECK_MS if online else OFFLINE_CHECK_MS)
        if before is None or bool(before) != bool(online):
            self.window.online_changed.emit(bool(online))

    def check(self) -> None:
        client = self.window.session.client
        if client is None:
            self.set_online(False)
            return
        run_in_background(lambda: DataSource.ping(client), self._checked, lambda _e: self.set_online(False))

    def _checked(self, online: object) -> None:
        self.set_online(bool(online))
        session = self.window.session
        client, relogin = session.client, session.relogin
        if not online or client is None or relogin is None or client.tokens is not None or self.relogging:
            return
        # unlocked offline, and the platform is back: log in again so the sync can run
        self.relogging = True
        run_in_background(relogin, self._relogged, self._relogin_failed)

    def _relogged(self, _user: object) -> None:
        self.relogging = False
        self.window.statusBar().showMessage(tr("已重新连接平台"), 5000)
        self.window.online_changed.emit(True)

    def _relogin_failed(self, exc: BaseException) -> None:
        self.relogging = False
        if isinstance(exc, DeviceRevoked):  # the platform refused this device: wipe (desktop.revoked)
            revocation_of(self.window).revoke(exc)
            return
        message = getattr(exc, "message", None)
        text = message(i18n.language()) if callable(message) else str(exc)
        self.window.statusBar().showMessage(tr("无法登录平台：{error}", error=text), 15000)
        if getattr(exc, "code", "") in REFUSED:
            self.window.session.relogin = None  # the platform refused this password: do not retry it

    def stop(self) -> None:
        self.timer.stop()
