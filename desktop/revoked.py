"""A revoked device in the app: wipe the local store, say why, and go back to the login window.

``DeviceRevocation(window)`` is made by both windows (``window.revocation``). It acts on

- a sync run whose summary asks for the wipe (``summary.wipe``: revoked, and with "push first" the
  outbox already went; the engine did that part), through :meth:`on_summary` connected to the sync
  panel;
- any other call the platform refused with ``device_revoked`` (an admin screen's, a login again), through
  :meth:`revoke`.

It forgets the tokens and closes the window and its store on the GUI thread, wipes the store directory
and acknowledges in the background (``sync.client.revocation``), leaves the note the login window shows
(``profile_dir / device_revoked.json``), shows a message saying why, and emits ``window.logged_out``
so the app shows the login window again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.i18n import tr
from desktop.qt import QMessageBox, QObject, Signal
from desktop.workers import run_in_background
from sync.client.errors import DeviceRevoked
from sync.client.revocation import finish, forget
from sync.store.wipe import MARKER_NAME, clear_marker, read_marker

#: Message boxes shown after their window closed (kept alive until dismissed).
_BOXES: set[QMessageBox] = set()


def marker_path(profile_dir: Path) -> Path:
    return Path(profile_dir) / MARKER_NAME


def revoked_text(reason: str) -> str:
    return tr("此设备已被管理员吊销，本地数据已清除：{reason}", reason=reason)


def marker_text(profile_dir: Path) -> str:
    """What the login window says when this profile was wiped, or ""."""
    note = read_marker(marker_path(profile_dir))
    if note is None:
        return ""
    return revoked_text(str(note.get("reason") or ""))


def forget_marker(profile_dir: Path) -> None:
    clear_marker(marker_path(profile_dir))


class DeviceRevocation(QObject):
    wiped = Signal(bool)  # after the wipe; whether the platform acknowledged it

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.started = False
        self.box: QMessageBox | None = None

    def on_summary(self, summary: Any) -> None:
        revoked = getattr(summary, "revoked", None)
        if isinstance(revoked, DeviceRevoked) and getattr(summary, "wipe", False):
            self.revoke(revoked)

    def revoke(self, exc: DeviceRevoked) -> None:
        if self.started:
            return
        self.started = True
        window = self.window
        session = window.session
        client = session.client
        refresh = forget(client)
        leaving = getattr(window, "leaving", None)
        if leaving is not None:
            leaving.confirmed = True  # nothing to ask: the store is going
        session.relogin = None
        window.shutdown()
        session.close()
        store_dir, marker = Path(session.store_dir), marker_path(session.profile_dir)
        username, device = session.username, session.device_id
        run_in_background(lambda: finish(client, refresh, store_dir, marker, exc, username, device),
                          lambda acked: self._done(revoked_text(exc.reason), bool(acked)),
                          lambda error: self._done(tr("此设备已被管理员吊销，但本地数据未能清除：{error}",
                                                      error=str(error)), False))

    def _done(self, text: str, acked: bool) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, tr("设备已被吊销"), text, QMessageBox.StandardButton.Ok)
        box.setObjectName("deviceRevokedBox")
        box.setModal(False)
        _BOXES.add(box)
        box.finished.connect(lambda _r: _BOXES.discard(box))
        self.box = box
        self.window.logged_out.emit()
        self.window.close()
        box.show()
        self.wiped.emit(acked)


def revocation_of(window: Any) -> DeviceRevocation:
    """The window's :class:`DeviceRevocation` (made on first use)."""
    found = getattr(window, "revocation", None)
    if not isinstance(found, DeviceRevocation):
        found = DeviceRevocation(window)
        window.revocation = found
    return found
