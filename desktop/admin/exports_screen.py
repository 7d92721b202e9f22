"""导出台账 in the admin window: :class:`desktop.export_panel.ExportPanel` over the admin's API, for any
area in the admin's scope."""

from __future__ import annotations

from desktop import i18n
from desktop.admin.api import error_text
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.export_panel import ExportPanel
from desktop.qt import QVBoxLayout


def roots_of(session: object) -> list[str]:
    user = getattr(session, "user", None)
    areas = user.get("areas") if isinstance(user, dict) else None
    return [str(a.get("code") if isinstance(a, dict) else a) for a in (areas or [])]


class ExportsScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminExports")
        self.panel = ExportPanel(ctx.api, ctx.area_names, roots_of(ctx.session),
                                 lambda exc: error_text(exc, i18n.language()), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)

    def activated(self) -> None:
        self.panel.activated()

    def ready(self) -> bool:
        return self.busy == 0 and self.panel.busy == 0
