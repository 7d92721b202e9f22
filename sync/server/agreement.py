"""The confidentiality agreement (保密协议): versions of its text set by an admin, acceptances by users.

With no text set nothing is required. Once there is one, a user who has not accepted its current
version gets ``403 agreement_required`` from every endpoint that returns resident data: those routes
carry :data:`sync.server.agreement_gate.AgreementDep` (one line each; a test walks the routers to keep
it so).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.protocol import format_ts, utc_now
from sync.server import audit
from sync.server import tables as t
from sync.server.db import Writer
from sync.server.errors import ApiError
from sync.server.scope import Principal


def current(conn: Connection) -> Any:
    """The newest agreement row, or None."""
    return conn.execute(sa.select(t.agreements).order_by(t.agreements.c.version.desc()).limit(1)).first()


def current_version(conn: Connection) -> int | None:
    found = conn.execute(sa.select(sa.func.max(t.agreements.c.version))).scalar()
    return None if found is None else int(found)


def has_accepted(conn: Connection, user_id: str, version: int) -> bool:
    aa = t.agreement_acceptances
    return conn.execute(sa.select(aa.c.user_id).where(aa.c.user_id == user_id, aa.c.version == version)
                        ).first() is not None


def state_for(conn: Connection, user_id: str) -> dict[str, Any]:
    """``{"version", "required", "accepted"}`` for the login response and ``GET /agreement``."""
    version = current_version(conn)
    if version is None:
        return {"version": None, "required": False, "accepted": True}
    accepted = has_accepted(conn, user_id, version)
    return {"version": version, "required": not accepted, "accepted": accepted}


def public(row: Any, conn: Connection, user_id: str) -> dict[str, Any]:
    if row is None:
        return {"version": None, "text": "", "set_at": None, "required": False, "accepted": True}
    accepted = has_accepted(conn, user_id, int(row.version))
    return {"version": int(row.version), "text": row.text, "set_at": format_ts(row.set_at),
            "required": not accepted, "accepted": accepted}


def set_text(w: Writer, principal: Principal, text: str) -> int:
    version = (current_version(w.conn) or 0) + 1
    w.conn.execute(sa.insert(t.agreements).values(version=version, text=text, set_at=utc_now(),
                                                  set_by=principal.user_id))
    audit.record(w.conn, "agreement_set", actor=principal, target=f"v{version}",
                 detail={"version": version, "chars": len(text)})
    return version


def accept(w: Writer, principal: Principal, version: int, device_id: str | None) -> bool:
    """Record the acceptance (once per version: True when this call recorded it)."""
    if has_accepted(w.conn, principal.user_id, version):
        return False
    w.conn.execute(sa.insert(t.agreement_acceptances).values(user_id=principal.user_id, version=version,
                                                             accepted_at=utc_now(), device_id=device_id))
    audit.record(w.conn, "agreement_accept", actor=principal, target=f"v{version}", detail={"version": version},
                 device_id=device_id)
    return True


def agreement_required() -> ApiError:
    return ApiError(403, "agreement_required", "请先阅读并同意保密协议",
                    "accept the current confidentiality agreement first (POST /agreement/accept)")
