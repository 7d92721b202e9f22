"""Reading the platform's audit log: filters, scope and keyset pages (newest first).

Order is ``(at, id)``, descending: when it was done (a device's entry keeps the time it was made on
the device, so a reveal made offline on Monday is among Monday's entries, however late it arrived),
then the entry id. A page starts after the ``before`` entry (its id: the platform looks up its time).
Every filter has an index ending in ``(at, id)`` (``actor_name``, ``action``, ``entity_id``, and ``at``
itself), so a page — also one bounded by since/until — is a walk of one index, never a sort. (SQLite
starts the walk at ``at <= before's at`` and skips the entries of that very microsecond with a larger
id: a page costs more only after many entries of one identical time.)

Scope: an admin reads the entries whose ``area`` (the entity's grid, else the actor's first assigned
area, set when the entry is written) lies in one of the admin's areas. Entries without an area (a failed
login under a name nobody has) are read by district-level admins only. Workers and supervisors read
nothing here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync import protocol
from sync.protocol import format_ts
from sync.server import tables as t
from sync.server.audit import ACTIONS
from sync.server.errors import ApiError
from sync.server.scope import Principal, covers_clause

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
#: Bare dates and datetimes without an offset are China Standard Time (the users' clock).
LOCAL = timezone(timedelta(hours=8))
ORIGINS = ("platform", "device")


def _invalid(loc: str, zh: str, en: str) -> ApiError:
    return ApiError(422, "validation_error", zh, en,
                    details={"errors": [{"loc": ["query", loc], "msg": en, "type": "value_error"}]})


def parse_moment(text: str, loc: str, *, end_of_day: bool = False) -> datetime:
    """An ISO date (``2026-12-06``: that day in China Standard Time; with ``end_of_day`` the start of the
    next day, so ``until`` includes the day) or an ISO datetime (no offset: China Standard Time), in UTC."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if end_of_day:
                day += timedelta(days=1)
            return datetime.combine(day, time(), LOCAL).astimezone(UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LOCAL)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _invalid(loc, f"{loc} 不是有效的日期或时间（如 2026-12-06 或 2026-12-06T08:30:00）",
                       f"{loc}: not an ISO date or datetime (e.g. 2026-12-06 or 2026-12-06T08:30:00): {value!r}") from None


@dataclass(frozen=True)
class AuditFilter:
    """What the admin asked for; every field optional. Times are UTC, ``until`` exclusive."""

    who: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    entity_id: str | None = None
    origin: str | None = None

    @classmethod
    def parse(cls, who: str | None = None, action: str | None = None, since: str | None = None,
              until: str | None = None, entity_id: str | None = None, origin: str | None = None) -> AuditFilter:
        """From query text: unknown actions and origins, and times that do not parse, are 422s naming the
        parameter; ``since`` after ``until`` too."""
        if action is not None and action not in ACTIONS:
            raise _invalid("action", f"未知的操作类型：{action}", f"unknown action {action!r}")
        if origin is not None and origin not in ORIGINS:
            raise _invalid("origin", "来源只能是 platform 或 device", "origin must be platform or device")
        start = parse_moment(since, "since") if since else None
        end = parse_moment(until, "until", end_of_day=True) if until else None
        if start is not None and end is not None and start >= end:
            raise _invalid("until", "结束时间必须晚于开始时间", "until must be after since")
        return cls(who=(who.strip() or None) if who else None, action=action, since=start, until=end,
                   entity_id=entity_id or None, origin=origin)

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        a = t.audit_log.c
        found: list[sa.ColumnElement[bool]] = []
        if self.who:
            found.append(a.actor_name == self.who)
        if self.action:
            found.append(a.action == self.action)
        if self.entity_id:
            found.append(a.entity_id == self.entity_id)
        if self.origin:
            found.append(a.origin == self.origin)
        if self.since is not None:
            found.append(a.at >= self.since)
        if self.until is not None:
            found.append(a.at < self.until)
        return found

    def as_params(self) -> dict[str, str]:
        """The filter as query parameters (for the next page's link and the CLI)."""
        out = {"who": self.who, "action": self.action, "entity_id": self.entity_id, "origin": self.origin,
               "since": format_ts(self.since) if self.since else None,
               "until": format_ts(self.until) if self.until else None}
        return {k: v for k, v in out.items() if v}


def scope_clause(principal: Principal) -> sa.ColumnElement[bool]:
    area = t.audit_log.c.area
    within = covers_clause(area, principal.roots)
    district = any(len(r) == protocol.AREA_CODE_LENGTH["district"] for r in principal.roots)
    return sa.or_(within, area.is_(None)) if district else within


def entry_dict(row: Any) -> dict[str, Any]:
    zh, en = ACTIONS.get(row.action, (row.action, row.action))
    return {"id": int(row.id), "at": format_ts(row.at), "actor_id": row.actor_id, "actor_name": row.actor_name,
            "action": row.action, "action_zh": zh, "action_en": en, "entity_id": row.entity_id,
            "target": row.target, "detail": row.detail if isinstance(row.detail, dict) else {"value": row.detail},
            "origin": row.origin, "device_id": row.device_id, "ip": row.ip, "area": row.area}


def page(conn: Connection, principal: Principal, flt: AuditFilter, *, before: int | None = None,
         limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """One page, newest first: ``{"items": [...], "next_before": id | None}`` (None: no older entry)."""
    limit = max(1, min(MAX_LIMIT, limit))
    a = t.audit_log.c
    query = sa.select(t.audit_log).where(scope_clause(principal), *flt.clauses())
    if before is not None:
        at = conn.execute(sa.select(a.at).where(a.id == before)).scalar()
        if at is None:
            raise _invalid("before", "翻页位置无效：没有该编号的记录", f"before: no audit entry {before}")
        query = query.where(sa.tuple_(a.at, a.id) < sa.tuple_(sa.literal(at, a.at.type), sa.literal(before)))
    rows = conn.execute(query.order_by(a.at.desc(), a.id.desc()).limit(limit + 1)).all()
    items = [entry_dict(r) for r in rows[:limit]]
    return {"items": items, "next_before": items[-1]["id"] if len(rows) > limit else None}


def one(conn: Connection, principal: Principal, entry_id: int) -> dict[str, Any] | None:
    a = t.audit_log.c
    row = conn.execute(sa.select(t.audit_log).where(a.id == entry_id, scope_clause(principal))).first()
    return entry_dict(row) if row is not None else None


def walk(conn: Connection, principal: Principal, flt: AuditFilter, batch: int = MAX_LIMIT) -> Iterator[dict[str, Any]]:
    """Every matching entry, newest first, page after page (for the export)."""
    before: int | None = None
    while True:
        found = page(conn, principal, flt, before=before, limit=batch)
        yield from found["items"]
        before = found["next_before"]
        if before is None:
            return
