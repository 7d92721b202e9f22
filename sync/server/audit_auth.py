"""The audit entries of logging in and out (called from ``routes/auth.py``; token refresh is not audited).

A login is scoped (the entry's ``area``) by the user's first assigned area; a failure under a name
nobody has has no area (district admins read those, see :mod:`sync.server.audit_query`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.server import audit, repo_users
from sync.server import tables as t
from sync.server.db import Database
from sync.server.scope import Principal


def _first_area(conn: Connection, user_id: str) -> str | None:
    codes = sorted(repo_users.user_area_codes(conn, user_id))
    return codes[0] if codes else None


def login_ok(conn: Connection, row: Any, device_id: str, ip: str) -> None:
    audit.record(conn, "login", actor_id=row.id, actor_name=row.username, device_id=device_id, ip=ip,
                 area=_first_area(conn, row.id), detail={"role": row.role})


def login_failed(db: Database, attempted: str, row: Any | None, device_id: str, ip: str) -> None:
    """In a transaction of its own (the failed request writes nothing else)."""
    reason = "unknown_user" if row is None else ("disabled" if not row.active else "wrong_password")
    with db.write() as w:
        audit.record(w.conn, "login_failed", actor_id=row.id if row is not None else None,
                     actor_name=row.username if row is not None else attempted[:64], device_id=device_id,
                     ip=ip, area=_first_area(w.conn, row.id) if row is not None else None,
                     detail={"reason": reason})


def session_device(conn: Connection, session_id: str) -> str:
    """The device id a session logged in with."""
    found = conn.execute(sa.select(t.sessions.c.device_id).where(t.sessions.c.id == session_id)).scalar()
    return str(found or "unknown-device")


def logout(conn: Connection, principal: Principal) -> None:
    audit.record(conn, "logout", actor=principal, device_id=session_device(conn, principal.session_id))
