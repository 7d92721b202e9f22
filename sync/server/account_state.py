"""What a login or a refresh checks and reports about the account beyond the password: the end date,
the last login, a password the admin reset, and the confidentiality agreement."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from sync.protocol import utc_now
from sync.server import accounts, agreement
from sync.server import tables as t
from sync.server.db import Writer


def refuse_expired(w: Writer, row: Any) -> bool:
    """True when the account is past its end date (disabling it, once, in ``w``)."""
    if not accounts.past_end(row.end_date):
        return False
    accounts.expire(w, row.id, row.username)
    return True


def on_login(w: Writer, row: Any) -> dict[str, Any]:
    """Note the login; the login response's ``must_change_password`` and ``agreement``."""
    w.conn.execute(sa.update(t.users).where(t.users.c.id == row.id).values(last_login_at=utc_now()))
    return {"must_change_password": bool(row.must_change_password),
            "agreement": agreement.state_for(w.conn, row.id)}
