"""The account side of creating and editing a user (``POST /users``, ``PATCH /users/{id}``): end date,
third party, a generated first password, and the audit entries of every change."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from sync.server import accounts, audit, repo_users
from sync.server import tables as t
from sync.server.db import Writer
from sync.server.errors import ApiError
from sync.server.models import UserIn, UserPatchIn
from sync.server.scope import Principal
from sync.server.state import ServerState


def check_end_date(value: str | None) -> None:
    if not value:
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "validation_error", "结束日期不是有效日期", f"end_date {value} is not a calendar day",
                       details={"errors": [{"loc": ["body", "end_date"], "msg": "not a calendar day",
                                            "type": "value_error"}]}) from None


def created(w: Writer, principal: Principal, user_id: str, body: UserIn, generated: str | None) -> dict[str, Any]:
    """Finish a new user: account fields, audit entry; the generated password once in the answer."""
    repo_users.update_user(w, user_id, {"end_date": body.end_date or None, "third_party": body.third_party,
                                        "must_change_password": generated is not None})
    audit.record(w.conn, "user_create", actor=principal, target=body.username,
                 detail={"user_id": user_id, "role": body.role, "areas": body.areas,
                         "end_date": body.end_date, "third_party": body.third_party})
    view = repo_users.user_admin_view(w.conn, repo_users.user_by_id(w.conn, user_id))
    return {**view, "password": generated} if generated else view


def patch_values(body: UserPatchIn) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if body.end_date is not None:
        values["end_date"] = body.end_date or None
    if body.third_party is not None:
        values["third_party"] = body.third_party
    if body.active is True:
        values["disabled_reason"] = None
    if body.password:
        values["must_change_password"] = False
    return values


def audit_patch(w: Writer, principal: Principal, before: Any, body: UserPatchIn) -> None:
    """One entry per kind of change: enable/disable, password, and the other fields together."""
    if body.active is not None and body.active != bool(before.active):
        audit.record(w.conn, "user_enable" if body.active else "user_disable", actor=principal,
                     target=before.username, detail={"user_id": before.id})
    if body.password:
        audit.record(w.conn, "password_reset", actor=principal, target=before.username,
                     detail={"user_id": before.id, "chosen_by_admin": True})
    changed = sorted(k for k in ("display_name", "areas", "end_date", "third_party")
                     if getattr(body, k) is not None)
    if changed:
        audit.record(w.conn, "user_update", actor=principal, target=before.username,
                     detail={"user_id": before.id, "fields": changed,
                             **{k: getattr(body, k) for k in changed}})


def expire_listed(state: ServerState, principal: Principal) -> None:
    """Disable the accounts in scope past their end date (the user list notices them too); the write
    lock is taken only when there is one."""
    from sync.server.account_review import scoped_user_rows

    with state.db.read() as conn:
        due = [r.id for r in scoped_user_rows(conn, principal) if r.active and accounts.past_end(r.end_date)]
    if due:
        def work(w: Writer) -> None:
            accounts.expire_due(w, list(w.conn.execute(sa.select(t.users).where(t.users.c.id.in_(due)))))

        state.db.write_retrying(work)
