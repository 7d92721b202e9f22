"""The supervisor's tools on the main window: the review dock and the dashboard dock, with toolbar actions.

Only for supervisors and admins (:func:`desktop.review.attach_review` checks the role).
"""

from __future__ import annotations

from typing import Any

from desktop import i18n
from desktop.area_names import area_names
from desktop.editor.session import FormSession
from desktop.i18n import tr
from desktop.qt import QAction, QDockWidget, QKeySequence, QObject, Qt, QTimer
from desktop.review.api import ReviewApi
from desktop.review.dashboard import Dashboard
from desktop.review.review_screen import ReviewScreen
from desktop.review.values import tag_namer

ACTION_TEXT = {"review": "审核队列", "dashboard": "统计", "export": "导出台账"}
DOCK_TEXT = {"review": "审核", "dashboard": "社区统计", "export": "导出台账"}


def root_name(session: Any, names: dict[str, str]) -> str:
    areas = session.user.get("areas") or []
    first = areas[0] if areas else None
    if isinstance(first, dict):
        return str(first.get("name") or names.get(str(first.get("code")), ""))
    return names.get(str(first), "") if first else ""


class ReviewTools(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.api = ReviewApi.for_session(self.session)
        names = area_names(self.session.store)
        bench = getattr(window, "workbench", None)  # the worker's tools already loaded the templates
        self.forms = bench.forms if bench is not None else FormSession.for_store(self.session.store)
        self.screen = ReviewScreen(self.api, self.forms, window.masker, names)
        self.dashboard = Dashboard(self.api, root_name(self.session, names),
                                   tag_namer(self.forms.templates, i18n.language))
        self.review_dock = self._dock("review", self.screen)
        self.dashboard_dock = self._dock("dashboard", self.dashboard)
        window.tabifyDockWidget(self.review_dock, self.dashboard_dock)
        # a dashboard shown by its tab (not only by the action) reads the figures once by itself
        self.dashboard_dock.visibilityChanged.connect(
            lambda visible: self.dashboard.refresh() if visible and self.dashboard.stats is None else None)
        self.review_dock.raise_()
        self.actions: dict[str, QAction] = {}
        self.export_dock: QDockWidget | None = None
        for key, shortcut, slot in (("review", "Ctrl+Shift+A", self.show_review),
                                    ("dashboard", "Ctrl+Shift+D", self.show_dashboard),
                                    ("export", "", self.show_export)):
            action = QAction(tr(ACTION_TEXT[key]), window)
            action.setObjectName(f"action_{key}" if key != "export" else "action_export_platform")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _c=False, f=slot: f())
            window.sync_toolbar.addAction(action)
            self.actions[key] = action
        if bench is not None and "export" in getattr(bench, "actions", {}):
            # a supervisor exports its community on the platform: one 导出台账 on the toolbar, not two
            window.sync_toolbar.removeAction(bench.actions["export"])
            window.record_menu.removeAction(bench.actions["export"])
        self.screen.panel.decided.connect(lambda _sid, _st: self._decided())
        i18n.notifier().language_changed.connect(self.retranslate)
        QTimer.singleShot(0, self.show_review)

    def _dock(self, key: str, widget: Any) -> QDockWidget:
        dock = QDockWidget(tr(DOCK_TEXT[key]), self.window)
        dock.setObjectName(f"{key}Dock")
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea
                             | Qt.DockWidgetArea.LeftDockWidgetArea)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def _widen(self, dock: QDockWidget) -> None:
        self.window.resizeDocks([dock], [int(self.window.width() * 0.62)], Qt.Orientation.Horizontal)

    def show_review(self) -> None:
        self.review_dock.show()
        self.review_dock.raise_()
        self._widen(self.review_dock)
        self.screen.refresh()

    def show_dashboard(self) -> None:
        self.dashboard_dock.show()
        self.dashboard_dock.raise_()
        self._widen(self.dashboard_dock)
        self.dashboard.refresh()

    def show_export(self) -> None:
        """导出台账 for the supervisor's community, on the platform (the admin window's screen, in a dock)."""
        if self.export_dock is None:
            from desktop.export_panel import ExportPanel, SessionApi
            from desktop.review.api import error_text

            areas = self.session.user.get("areas") or []
            roots = [str(a.get("code") if isinstance(a, dict) else a) for a in areas]
            self.export_screen = ExportPanel(SessionApi(self.session), lambda: area_names(self.session.store), roots,
                                             lambda exc: error_text(exc, i18n.language()))
            self.export_dock = self._dock("export", self.export_screen)
            self.window.tabifyDockWidget(self.dashboard_dock, self.export_dock)
        self.export_dock.show()
        self.export_dock.raise_()
        self.export_screen.activated()

    def _decided(self) -> None:
        if self.dashboard.stats is not None:
            self.dashboard.refresh()

    def retranslate(self, _lang: str = "") -> None:
        for key, action in self.actions.items():
            action.setText(tr(ACTION_TEXT[key]))
        self.review_dock.setWindowTitle(tr(DOCK_TEXT["review"]))
        self.dashboard_dock.setWindowTitle(tr(DOCK_TEXT["dashboard"]))
        if self.export_dock is not None:
            self.export_dock.setWindowTitle(tr(DOCK_TEXT["export"]))
