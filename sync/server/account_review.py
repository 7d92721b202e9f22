"""账号清查 (account audit): the accounts in an admin's scope that deserve a look, by finding.

Findings: ``never_logged_in`` (an active account that never logged in, older than the idle days),
``idle`` (no login for the idle days), ``no_activity`` (areas assigned but no submission, visit or sync
ever), ``many_devices`` (more than one device not revoked), ``left`` (past the end date, or disabled
with the reason "left").
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.protocol import utc_now
from sync.server import accounts, repo_users
from sync.server import tables as t
from sync.server.scope import Principal

FINDINGS = ("never_logged_in", "idle", "no_activity", "many_devices", "left")


def scoped_user_rows(conn: Connection, principal: Principal) -> list[Any]:
    """The users with at least one area in the admin's scope (as the user list shows them)."""
    ua = t.user_areas
    ids = sorted({r[0] for r in conn.execute(sa.select(ua.c.user_id, ua.c.area_code)) if principal.covers(r[1])})
    if not ids:
        return []
    return list(conn.execute(sa.select(t.users).where(t.users.c.id.in_(ids)).order_by(t.users.c.username)))


def _counts(conn: Connection, column: Any, ids: list[str]) -> Counter[str]:
    rows = conn.execute(sa.select(column, sa.func.count()).where(column.in_(ids)).group_by(column))
    return Counter({str(r[0]): int(r[1]) for r in rows})


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else (moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def findings(conn: Connection, principal: Principal, idle_days: int) -> dict[str, Any]:
    rows = scoped_user_rows(conn, principal)
    ids = [r.id for r in rows]
    submissions = _counts(conn, t.submissions.c.author_id, ids) if ids else Counter()
    visits = _counts(conn, t.visits.c.author_id, ids) if ids else Counter()
    dv = t.devices
    devices = Counter({str(r[0]): int(r[1]) for r in conn.execute(
        sa.select(dv.c.user_id, sa.func.count()).where(dv.c.user_id.in_(ids), dv.c.revoked_at.is_(None))
        .group_by(dv.c.user_id))}) if ids else Counter()
    since = utc_now() - timedelta(days=idle_days)
    items: list[dict[str, Any]] = []
    tally: Counter[str] = Counter()
    views = {v["id"]: v for v in repo_users.user_admin_views(conn, rows)}  # one read for the whole list
    for row in rows:
        found: list[str] = []
        last_login, created = _aware(row.last_login_at), _aware(row.created_at)
        if row.active:
            if last_login is None and created is not None and created < since:
                found.append("never_logged_in")
            elif last_login is not None and last_login < since:
                found.append("idle")
            if not submissions[row.id] and not visits[row.id] and row.last_sync_at is None:
                found.append("no_activity")
            if devices[row.id] > 1:
                found.append("many_devices")
        if accounts.past_end(row.end_date) or row.disabled_reason == accounts.REASON_LEFT:
            found.append("left")
        if not found:
            continue
        tally.update(found)
        items.append({**views[row.id], "findings": found, "devices": devices[row.id],
                      "submissions": submissions[row.id], "visits": visits[row.id]})
    return {"idle_days": idle_days, "users": len(rows), "counts": {f: tally[f] for f in FINDINGS}, "items": items}
