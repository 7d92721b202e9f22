"""The account fields of the admin's user list (password state, end date, last login and sync,
whether the current 保密协议 is accepted)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.protocol import format_ts
from sync.server import tables as t
from sync.server.agreement import current_version


def _ts(value: Any) -> str | None:
    return format_ts(value) if value is not None else None


def accepted_versions(conn: Connection, user_id: str) -> set[int]:
    aa = t.agreement_acceptances
    return {int(r[0]) for r in conn.execute(sa.select(aa.c.version).where(aa.c.user_id == user_id))}


def account_view(conn: Connection, row: Any) -> dict[str, Any]:
    """The account fields of the admin's user list."""
    version = current_version(conn)
    accepted = None if version is None else version in accepted_versions(conn, row.id)
    return account_fields(row, accepted)


def accepted_user_ids(conn: Connection, version: int) -> set[str]:
    """Who accepted ``version`` (one query for a whole list of users)."""
    aa = t.agreement_acceptances
    return {str(r[0]) for r in conn.execute(sa.select(aa.c.user_id).where(aa.c.version == version))}


def account_fields(row: Any, accepted: bool | None) -> dict[str, Any]:
    return {"must_change_password": bool(row.must_change_password), "end_date": row.end_date,
            "third_party": bool(row.third_party), "disabled_reason": row.disabled_reason,
            "last_login_at": _ts(row.last_login_at), "last_sync_at": _ts(row.last_sync_at),
            "agreement_accepted": accepted}
