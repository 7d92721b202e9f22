"""The platform's audit trail: one append-only table, written in the same transaction as the act it
records (a refused or rolled-back act leaves no entry; a committed one always has its entry).

Nothing here updates or deletes a row, and no endpoint does: the log is read through ``GET /audit``
and appended to by the server itself and by devices uploading their own entries with each sync.

Every action name used anywhere is in :data:`ACTIONS` (the admin's filter offers them, the CLI's
``--action`` checks against them).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.protocol import utc_now
from sync.server import tables as t
from sync.server.scope import Principal

#: action -> (Chinese, English) description, for the admin's filter and the exported log.
ACTIONS: dict[str, tuple[str, str]] = {
    "login": ("登录", "login"),
    "login_failed": ("登录失败", "failed login"),
    "logout": ("注销", "logout"),
    "lock": ("锁屏", "lock"),
    "unlock": ("解锁", "unlock"),
    "reveal": ("查看完整信息", "reveal"),
    "export": ("导出", "export"),
    "import": ("导入", "import"),
    "template_publish": ("发布模板", "template published"),
    "template_withdraw": ("撤回模板版本", "template version withdrawn"),
    "ledger_publish": ("发布台账模板", "ledger published"),
    "user_create": ("创建账号", "user created"),
    "user_update": ("修改账号", "user changed"),
    "user_disable": ("停用账号", "user disabled"),
    "user_enable": ("启用账号", "user enabled"),
    "password_reset": ("重置密码", "password reset"),
    "password_change": ("修改密码", "password changed"),
    "users_import": ("批量导入账号", "users imported"),
    "agreement_set": ("设置保密协议", "agreement text set"),
    "agreement_accept": ("签署保密协议", "agreement accepted"),
    "area_create": ("新增区划", "area created"),
    "area_update": ("修改区划", "area changed"),
    "area_move": ("移动区划", "area moved"),
    "area_retire": ("撤销区划", "area retired"),
    "grid_reassign": ("网格移交", "grid reassigned"),
    "device_revoke": ("吊销设备", "device revoked"),
    "device_wipe": ("设备已清除数据", "device wiped"),
    "review_decision": ("审核决定", "review decision"),
    "setting_change": ("修改平台设置", "platform setting changed"),
    # what a desktop records in its own store and uploads with each sync (sync/store/audit.py callers)
    "profile_created": ("创建本机档案", "local profile created"),
    "password_changed": ("本机修改密码", "password changed on the device"),
    "user_updated": ("本机账号信息更新", "account details updated on the device"),
    "create": ("新增记录", "record created"),
    "edit": ("修改记录", "record edited"),
    "move": ("人员迁移", "person moved"),
    "set_state": ("变更状态", "state changed"),
    "revert": ("撤销修改", "changes reverted"),
    "visit": ("走访", "visit"),
    "visit_rejected": ("走访未被接受", "visit refused by the platform"),
    "submit": ("提交", "submitted"),
    "resolve_conflict": ("处理冲突", "conflict resolved"),
    "server_deleted_kept_local": ("平台已删除，本机保留", "deleted on the platform, kept locally"),
    "review_approved": ("收到审核通过", "approval received"),
    "review_returned": ("收到退回", "return received"),
}

ORIGIN_PLATFORM = "platform"
ORIGIN_DEVICE = "device"


def record(conn: Connection, action: str, *, actor: Principal | None = None, actor_id: str | None = None,
           actor_name: str = "", target: str | None = None, entity_id: str | None = None,
           detail: dict[str, Any] | None = None, device_id: str | None = None, ip: str | None = None,
           area: str | None = None) -> None:
    """Append one entry for something the platform did on a request (in the caller's transaction).

    ``area`` scopes the entry for the admins who may read it (see :mod:`sync.server.audit_query`): give
    the entity's grid when the act is about one; by default it is the actor's first assigned area."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    conn.execute(sa.insert(t.audit_log).values(
        at=utc_now(), actor_id=actor.user_id if actor else actor_id,
        actor_name=(actor.username if actor else actor_name) or "",
        action=action, entity_id=entity_id, target=target, detail=detail or {},
        origin=ORIGIN_PLATFORM, device_id=device_id, client_key=None, ip=ip,
        area=area if area is not None else (actor.roots[0] if actor and actor.roots else None),
    ))
