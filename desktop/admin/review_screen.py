"""The review queue of the admin's area, as an admin screen (the supervisor's screen, reused)."""

from __future__ import annotations

from desktop.admin.screen import AdminContext, AdminScreen
from desktop.qt import QVBoxLayout
from desktop.review.api import ReviewApi
from desktop.review.review_screen import ReviewScreen


class AdminReviewScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminReview")
        from desktop.editor.session import FormSession

        self.review = ReviewScreen(ReviewApi.for_session(ctx.session), FormSession.for_store(ctx.session.store),
                                   ctx.window.masker, ctx.area_names())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.error_label)
        layout.addWidget(self.review)
        self._shown = False

    def ready(self) -> bool:
        return self._shown and self.review.queue.refresh_button.isEnabled()

    def activated(self) -> None:
        if not self._shown:
            self._shown = True
            self.review.queue.refresh()
