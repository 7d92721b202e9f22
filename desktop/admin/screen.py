"""What every admin screen shares: the context it works in, background calls whose failures are shown
in words on the screen (never a traceback, never a frozen window), and being told when it is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop import i18n
from desktop.admin.api import AdminApi, error_text
from desktop.qt import QLabel, QWidget
from desktop.revoked import revocation_of
from desktop.workers import run_in_background
from sync.client.errors import DeviceRevoked


@dataclass
class AdminContext:
    """What the screens are given: the session (store, user, client), the API, the window (status bar,
    masker for revealing values, area names) and the district's area names."""

    session: Any
    api: AdminApi
    window: Any

    def area_names(self) -> dict[str, str]:
        from desktop.area_names import area_names

        return area_names(self.session.store)

    def status(self, text: str, ms: int = 8000) -> None:
        self.window.statusBar().showMessage(text, ms)


class AdminScreen(QWidget):
    """Base of a screen: ``call(job, done)`` runs ``job()`` off the GUI thread; a failure is put on the
    screen's ``error_label`` (and the status bar); ``activated()`` runs each time the screen is shown."""

    def __init__(self, ctx: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.api = ctx.api
        self.error_label = QLabel()
        self.error_label.setObjectName("adminError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.busy = 0

    def activated(self) -> None:
        """Called when the navigation shows this screen (first time included). Override to refresh."""

    def retranslate(self) -> None:
        """Called when the language changes. Override to set texts."""

    def ready(self) -> bool:
        """True when nothing the screen asked for is still on its way (screenshots and tests wait on it)."""
        return self.busy == 0

    def prepare_screenshot(self) -> None:
        """Put the screen in a state worth showing in docs/screenshots (override: open a row, a diff…)."""

    def call(self, job: Callable[[], Any], done: Callable[[Any], None],
             failed: Callable[[BaseException], None] | None = None) -> None:
        self.busy += 1
        self.error_label.hide()

        def gone() -> bool:  # the window shut while the call travelled: nothing left to show it on
            shut = getattr(self.ctx.window, "is_shut", None)
            return bool(shut()) if callable(shut) else False

        def ok(result: Any) -> None:
            self.busy -= 1
            if not gone():
                done(result)

        def bad(exc: BaseException) -> None:
            self.busy -= 1
            if gone():
                return
            prompt = getattr(self.ctx.window, "agreement_prompt", None)
            if prompt is not None and prompt.handle(exc, self.activated):  # a new 保密协议: asked at once
                self.show_error(exc)
                return
            if isinstance(exc, DeviceRevoked):  # this device is to be wiped: the window goes
                revocation_of(self.ctx.window).revoke(exc)
                return
            if failed is not None:
                failed(exc)
            else:
                self.show_error(exc)

        run_in_background(job, ok, bad, owner=self)

    def show_error(self, exc: BaseException | str) -> None:
        text = exc if isinstance(exc, str) else error_text(exc, i18n.language())
        self.error_label.setText(text)
        self.error_label.show()
        self.ctx.status(text, 10000)
