"""Background sync: on reconnect, on a timer while online, and soon after each submit or visit.

Offline is the normal state of a worker's laptop: nothing here ever asks the worker anything. A run
is started only when the platform answered the last time (``window.online``), so a laptop in a
stairwell does not try every minute; the window's reachability check notices the platform coming
back and the run follows at once.
"""

from __future__ import annotations

from typing import Any

from desktop.qt import QObject, QTimer
from desktop.sync_ui import SyncPanel

#: Delay after a submit or visit before the run starts (several quick actions make one run).
SOON_MS = 400


class AutoSync(QObject):
    def __init__(self, window: Any, panel: SyncPanel, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.panel = panel
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.run)
        self.set_minutes(minutes)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.run)
        window.online_changed.connect(self._online_changed)
        panel.reachable.connect(window.set_online)
        self.started = 0  # runs started here (for the tests and the log)

    def set_minutes(self, minutes: int) -> None:
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def soon(self) -> None:
        """Sync shortly (after a submit or a visit) if the platform is there."""
        self._soon.start()

    def run(self) -> bool:
        session = self.panel.session
        if self.window.online is False or self.window.is_locked() or session.client is None:
            return False
        if session.client.tokens is None and session.relogin is not None:
            return False  # unlocked offline: the window logs in again first, then says online again
        started = self.panel.start(quiet=True)
        self.started += int(started)
        return started

    def _online_changed(self, online: bool) -> None:
        if online:
            self.run()

    def stop(self) -> None:
        self.timer.stop()
        self._soon.stop()
