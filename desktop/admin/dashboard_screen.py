"""The district dashboard as an admin screen (the figures of ``GET /stats`` for the admin's area)."""

from __future__ import annotations

from desktop import i18n
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.qt import QVBoxLayout
from desktop.review.api import ReviewApi
from desktop.review.dashboard import Dashboard
from desktop.review.tools import root_name
from desktop.review.values import tag_namer


class DashboardScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminDashboard")
        from desktop.editor.session import FormSession

        forms = FormSession.for_store(ctx.session.store)
        names = ctx.area_names()
        self.dashboard = Dashboard(ReviewApi.for_session(ctx.session), root_name(ctx.session, names),
                                   tag_namer(forms.templates, i18n.language))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.error_label)
        layout.addWidget(self.dashboard)

    def ready(self) -> bool:
        return self.dashboard.stats is not None

    def activated(self) -> None:
        if self.dashboard.stats is None:
            self.dashboard.refresh()
