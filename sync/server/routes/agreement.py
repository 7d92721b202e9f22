"""``/agreement``: the confidentiality agreement (保密协议): the admin sets its text (a new version),
every user accepts the current version before resident data is shown."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter

from sync.server import agreement
from sync.server import tables as t
from sync.server.account_models import AcceptIn, AgreementIn
from sync.server.account_review import scoped_user_rows
from sync.server.db import Writer
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import ApiError

router = APIRouter(tags=["agreement"])


@router.get("/agreement")
def get_agreement(principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """The current version and text, and whether the caller accepted it."""
    with state.db.read() as conn:
        return agreement.public(agreement.current(conn), conn, principal.user_id)


@router.post("/agreement", status_code=201)
def set_agreement(body: AgreementIn, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """A new text: a new version that every user must accept again."""
    principal.require_role("admin")
    if not body.text.strip():
        raise ApiError(422, "validation_error", "协议内容不能为空", "the agreement text is empty",
                       details={"errors": [{"loc": ["body", "text"], "msg": "empty", "type": "value_error"}]})

    def work(w: Writer) -> dict[str, Any]:
        agreement.set_text(w, principal, body.text.strip())
        return agreement.public(agreement.current(w.conn), w.conn, principal.user_id)

    return state.db.write_retrying(work)


@router.post("/agreement/accept")
def accept_agreement(body: AcceptIn, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """Accept the current version (an older one is refused with 409: read the new text first)."""
    def work(w: Writer) -> dict[str, Any]:
        version = agreement.current_version(w.conn)
        if version is None or body.version != version:
            raise ApiError(409, "agreement_changed", "保密协议已更新，请阅读新版本",
                           f"the current agreement is version {version}, not {body.version}",
                           details={"version": version})
        agreement.accept(w, principal, version, body.device_id)
        return agreement.state_for(w.conn, principal.user_id)

    return state.db.write_retrying(work)


@router.get("/agreement/status")
def agreement_status(principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """The active users in the admin's scope who have not accepted the current version."""
    principal.require_role("admin")
    with state.db.read() as conn:
        version = agreement.current_version(conn)
        rows = [r for r in scoped_user_rows(conn, principal) if r.active]
        accepted: set[str] = set()
        if version is not None:
            aa = t.agreement_acceptances
            accepted = {str(r[0]) for r in conn.execute(sa.select(aa.c.user_id).where(aa.c.version == version))}
        pending = [{"id": r.id, "username": r.username, "display_name": r.display_name, "role": r.role}
                   for r in rows if version is not None and r.id not in accepted]
        return {"version": version, "users": len(rows), "accepted": len(rows) - len(pending),
                "pending": pending}
