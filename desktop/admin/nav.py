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
    ScreenSpec("templates", QT_TR_NOOP("表单模板"), "desktop.admin.templates_screen:TemplatesScreen",
               QT_TR_NOOP("检查、对比、预览、发布和撤回表单模板版本")),
    ScreenSpec("users", QT_TR_NOOP("用户"), "desktop.admin.users_screen:UsersScreen",
               QT_TR_NOOP("辖区内的账号：新建、编辑、停用、重置密码、批量导入")),
    ScreenSpec("account_review", QT_TR_NOOP("账号清查"), "desktop.admin.accounts_review_screen:AccountsReviewScreen",
               QT_TR_NOOP("长期未登录、无工作、多设备、已到期的账号，一键停用")),
    ScreenSpec("agreement", QT_TR_NOOP("保密协议"), "desktop.admin.agreement_screen:AgreementScreen",
               QT_TR_NOOP("协议文本与版本，未签署的人员")),
    ScreenSpec("areas", QT_TR_NOOP("区划与网格"), "desktop.admin.areas_screen:AreasScreen",
               QT_TR_NOOP("街道、社区、网格的新增、改名、移动、撤销，以及网格移交")),
    ScreenSpec("devices", QT_TR_NOOP("设备"), "desktop.admin.devices_screen:DevicesScreen",
               QT_TR_NOOP("用户登录过的设备：最近联系、版本；吊销丢失的设备，并设定最低客户端版本")),
    ScreenSpec("audit", QT_TR_NOOP("审计日志"), "desktop.admin.audit_screen:AuditScreen",
               QT_TR_NOOP("登录、查看完整信息、导出、发布、账号与审核等操作的记录，可筛选、翻页、导出")),
    ScreenSpec("imports", QT_TR_NOOP("导入"), "desktop.admin.import_screen:ImportScreen",
               QT_TR_NOOP("导入街道台账和部门回流名单：检查、标注问题、确认后一次写入")),
    ScreenSpec("exports", QT_TR_NOOP("导出台账"), "desktop.admin.exports_screen:ExportsScreen",
               QT_TR_NOOP("按区域导出各部门台账与统计表（默认脱敏，导出记入审计日志）")),
    ScreenSpec("ledgers", QT_TR_NOOP("台账模板"), "desktop.admin.ledgers_screen:LedgersScreen",
               QT_TR_NOOP("内置与已发布的台账模板；检查并发布新版本，错误定位到工作表、单元格和字符")),
    ScreenSpec("review", QT_TR_NOOP("审核队列"), "desktop.admin.review_screen:AdminReviewScreen",
               QT_TR_NOOP("辖区内待审核的提交")),
)


def spec(key: str) -> ScreenSpec:
    for s in SCREENS:
        if s.key == key:
            return s
    raise KeyError(key)
