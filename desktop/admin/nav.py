"""The admin window's navigation: one entry per screen, in the order the window lists them.

A screen is named by ``"module:Class"`` and imported the first time it is shown, so the window opens
at once however many screens there are. ``Class(ctx: AdminContext)`` is an :class:`AdminScreen`.
Ctrl+1 … Ctrl+9 jump to the first nine entries.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from desktop.qt import QT_TR_NOOP


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    #: the Chinese title (translated when shown)
    title: str
    factory: str
    #: a line under the title, for the screen's header
    summary: str = ""

    def build(self, ctx: Any) -> Any:
        module, _, name = self.factory.partition(":")
        return getattr(importlib.import_module(module), name)(ctx)


SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec("dashboard", QT_TR_NOOP("全区概况"), "desktop.admin.dashboard_screen:DashboardScreen",
               QT_TR_NOOP("走访覆盖、核实、待审核与同步情况，可逐级下钻到网格")),
    ScreenSpec("audit", QT_TR_NOOP("审计日志"), "desktop.admin.audit_screen:AuditScreen",
               QT_TR_NOOP("登录、查看完整信息、导出、发布、账号与审核等操作的记录，可筛选、翻页、导出")),
    ScreenSpec("review", QT_TR_NOOP("审核队列"), "desktop.admin.review_screen:AdminReviewScreen",
               QT_TR_NOOP("辖区内待审核的提交")),
)


def spec(key: str) -> ScreenSpec:
    for s in SCREENS:
        if s.key == key:
            return s
    raise KeyError(key)
