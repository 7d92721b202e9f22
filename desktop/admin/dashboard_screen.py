"""The district dashboard as an admin screen: coverage by child area with drill-down
(:class:`~desktop.admin.drill_dashboard.DrillDashboard` over ``GET /dashboard``), read when first shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop import i18n
from desktop.admin.api import error_text
from desktop.admin.drill_dashboard import DrillDashboard
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.qt import QVBoxLayout


class DashboardScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminDashboard")
        self.board = DrillDashboard(self._fetch, self._failure_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.error_label)
        layout.addWidget(self.board)

    def _fetch(self, area: str | None, stale_days: int) -> Mapping[str, Any]:
        return self.api.get_dict("/dashboard", {"area": area, "stale_days": stale_days})

    def _failure_text(self, exc: BaseException) -> str:
        """Said on the board; a new 保密协议 is asked for at once, and the figures read again after it."""
        prompt = getattr(self.ctx.window, "agreement_prompt", None)
        if prompt is not None:
            prompt.handle(exc, self.activated)
        return error_text(exc, i18n.language())

    def ready(self) -> bool:
        return self.board.body is not None and self.board.refresh_button.isEnabled()

    def activated(self) -> None:
        """Shown, or F5 in the window: read the figures again (one quick request)."""
        self.board.reload()
