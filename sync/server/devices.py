"""The devices each user logs in from, and revoking one (a lost laptop: domain.md §6).

A device is one (user, device id) pair: the row is made at the user's first login from that device id
and touched at every login and token refresh (last seen, the app version of the ``X-YBT-Client``
header). An admin revokes a row (``revoke``); from then on:

- without *push first*: every call made with that device's tokens, and every login of that user from
  that device id, answers 403 ``device_revoked`` (its sessions are ended at once); the app wipes its
  local store and acknowledges with ``POST /devices/wiped`` (:func:`acknowledge_wipe`, which needs
  only the refresh token the app still holds);
- with *push first*: the device may still log in, refresh its token and push (``POST /submissions``,
  ``POST /visits``) until it acknowledges the wipe; every other call answers ``device_revoked`` with
  ``details.push_first = true`` so the app pushes its outbox, then wipes and acknowledges.

:func:`guard` runs for every authenticated request (``sync.server.deps.get_principal``): it applies
the rules above and, for the push routes, the platform's ``min_client_version`` (426
``client_too_old``; a request without the header is taken as current: tools and tests).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync import protocol, version
from sync.protocol import format_ts, utc_now
from sync.server import audit, platform_settings
from sync.server import tables as t
from sync.server.db import Writer
from sync.server.errors import ApiError, bad_request, conflict, not_found
from sync.server.models import ErrorOut
from sync.server.scope import Principal

#: The calls a device revoked with "push first" may still make (method, path under /api/v1).
PUSH_ROUTES = frozenset({("POST", "/submissions"), ("POST", "/visits")})
#: The extra error answers of the push routes, for their OpenAPI description.
PUSH_RESPONSES: dict[int | str, dict[str, Any]] = {
    426: {"model": ErrorOut, "description": "client_too_old: the app is older than the platform's min_client_version"},
}
#: The device states an admin sees.
STATES = ("active", "revoked", "wiped")


@dataclass(frozen=True)
class Revocation:
    device_pk: str
    reason: str
    revoked_at: datetime
    push_first: bool
    wiped_at: datetime | None

    @property
    def allows_push(self) -> bool:
        """Pushing is still allowed: revoked with "push first" and the wipe not yet acknowledged."""
        return self.push_first and self.wiped_at is None


def _revocation(row: Any) -> Revocation | None:
    if row is None or row.revoked_at is None:
        return None
    return Revocation(row.id, row.revoke_reason or "", row.revoked_at, bool(row.push_first), row.wiped_at)


def revoked_error(rev: Revocation) -> ApiError:
    push = rev.allows_push
    then = "请先上传未发送的工作，随后" if push else ""
    then_en = "push what is unsent, then " if push else ""
    return ApiError(
        403, "device_revoked", f"此设备已被管理员吊销，{then}本机数据将被清除：{rev.reason}",
        f"this device was revoked by an administrator; {then_en}its local data is to be wiped: {rev.reason}",
        details={"push_first": push, "reason": rev.reason, "revoked_at": format_ts(rev.revoked_at)})


def too_old_error(client: str, minimum: str) -> ApiError:
    return ApiError(
        426, "client_too_old",
        f"一表通版本过旧（{client}），请更新到 {minimum} 或更高版本后再同步；本机数据会保留，更新后即可上传",
        f"this app ({client}) is older than {minimum}: update 一表通 to {minimum} or later, then sync again; "
        "the data on this computer is kept and is sent after the update",
        details={"min_client_version": minimum, "client_version": client})


def header_version(value: str | None) -> str | None:
    """The app version a request states (``X-YBT-Client``), or None when it states none."""
    if value is None or not value.strip():
        return None
    return value.strip()[:64]


# -- seen at login and refresh -------------------------------------------------------------------


def _find(conn: Connection, user_id: str, device_id: str) -> Any:
    d = t.devices
    return conn.execute(sa.select(d).where(d.c.user_id == user_id, d.c.device_id == device_id)).first()


def seen(w: Writer, user_id: str, device_id: str, app_version: str | None) -> Revocation | None:
    """Register the (user, device) pair or touch it (last seen, app version); returns its revocation."""
    now = utc_now()
    values: dict[str, Any] = {"last_seen": now}
    if app_version is not None:
        values["app_version"] = app_version
    row = _find(w.conn, user_id, device_id)
    if row is None:
        dialect = w.conn.dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        w.conn.execute(insert(t.devices).values(
            id=str(uuid.uuid4()), device_id=device_id, user_id=user_id, first_seen=now, last_seen=now,
            app_version=app_version, push_first=False,
        ).on_conflict_do_update(index_elements=["user_id", "device_id"], set_=values))
        return _revocation(_find(w.conn, user_id, device_id))
    w.conn.execute(sa.update(t.devices).where(t.devices.c.id == row.id).values(**values))
    return _revocation(row)


def check_login(w: Writer, user_id: str, device_id: str, app_version: str | None) -> ApiError | None:
    """At login: the error to answer when this user may not log in from this device, else None."""
    rev = seen(w, user_id, device_id, app_version)
    return revoked_error(rev) if rev is not None and not rev.allows_push else None


def check_refresh(w: Writer, session: Any, app_version: str | None) -> None:
    """At refresh: raise ``device_revoked`` unless the device may still push."""
    rev = seen(w, session.user_id, session.device_id, app_version)
    if rev is not None and not rev.allows_push:
        raise revoked_error(rev)


# -- every authenticated request --------------------------------------------------------------------


_SESSION_DEVICE = (
    sa.select(t.devices)
    .join(t.sessions, sa.and_(t.sessions.c.user_id == t.devices.c.user_id,
                              t.sessions.c.device_id == t.devices.c.device_id))
    .where(t.sessions.c.id == sa.bindparam("sid"))
)


def route_path(scope: Any) -> str:
    """The matched route's path template (``/api/v1/submissions``), whatever prefix a proxy adds."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if isinstance(path, str) else str(scope.get("path") or "")


def guard(conn: Connection, method: str, path: str, session_id: str, client_header: str | None) -> None:
    """Refuse a request of a revoked device (403 ``device_revoked``) or a push of an app older than
    ``min_client_version`` (426 ``client_too_old``); ``path`` is the route's path (:func:`route_path`)."""
    route = (method.upper(), path[len(protocol.API_PREFIX):] if path.startswith(protocol.API_PREFIX) else path)
    push = route in PUSH_ROUTES
    rev = _revocation(conn.execute(_SESSION_DEVICE, {"sid": session_id}).first())
    if rev is not None and not (push and rev.allows_push):
        raise revoked_error(rev)
    if not push:
        return
    minimum = platform_settings.get(conn, platform_settings.MIN_CLIENT_VERSION)
    client = header_version(client_header)
    if minimum is None or client is None:
        return
    if not version.is_version(client):
        raise bad_request(f"请求头 {version.CLIENT_HEADER} 不是版本号：{client}",
                          f"header {version.CLIENT_HEADER} is not a version (dotted numbers): {client!r}")
    if not version.at_least(client, minimum):
        raise too_old_error(client, minimum)


# -- the admin's view ----------------------------------------------------------------------------


def device_state(row: Any) -> str:
    if row.wiped_at is not None:
        return "wiped"
    return "revoked" if row.revoked_at is not None else "active"


def _ts(value: datetime | None) -> str | None:
    return format_ts(value) if value is not None else None


def _item(row: Any, names: dict[str, str]) -> dict[str, Any]:
    return {"id": row.id, "device_id": row.device_id, "user_id": row.user_id, "username": row.username,
            "display_name": row.display_name, "role": row.role, "first_seen": _ts(row.first_seen),
            "last_seen": _ts(row.last_seen), "app_version": row.app_version, "state": device_state(row),
            "revoked_at": _ts(row.revoked_at),
            "revoked_by": names.get(row.revoked_by or "", row.revoked_by),
            "revoke_reason": row.revoke_reason, "push_first": bool(row.push_first), "wiped_at": _ts(row.wiped_at)}


def _user_codes(conn: Connection, user_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {uid: [] for uid in user_ids}
    ua = t.user_areas
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start:start + 500]
        for uid, code in conn.execute(sa.select(ua.c.user_id, ua.c.area_code).where(ua.c.user_id.in_(chunk))):
            found[uid].append(code)
    return found


def in_scope(principal: Principal, codes: list[str]) -> bool:
    """A user is the admin's when every area it is assigned lies in the admin's scope."""
    return bool(codes) and all(principal.covers(c) for c in codes)


_LISTING = (
    sa.select(t.devices, t.users.c.username, t.users.c.display_name, t.users.c.role)
    .join(t.users, t.users.c.id == t.devices.c.user_id)
)


def listing(conn: Connection, principal: Principal, *, user: str | None = None, state: str | None = None,
            limit: int = 200, offset: int = 0) -> dict[str, Any]:
    """The devices of the users in the admin's scope, most recently seen first."""
    query = _LISTING
    if user:
        needle = f"%{user.lower()}%"
        query = query.where(sa.or_(sa.func.lower(t.users.c.username).like(needle),
                                   sa.func.lower(t.users.c.display_name).like(needle),
                                   sa.func.lower(t.devices.c.device_id).like(needle)))
    if state == "active":
        query = query.where(t.devices.c.revoked_at.is_(None))
    elif state == "revoked":
        query = query.where(t.devices.c.revoked_at.is_not(None), t.devices.c.wiped_at.is_(None))
    elif state == "wiped":
        query = query.where(t.devices.c.wiped_at.is_not(None))
    rows = conn.execute(query.order_by(t.devices.c.last_seen.desc(), t.devices.c.id)).all()
    codes = _user_codes(conn, sorted({r.user_id for r in rows}))
    mine = [r for r in rows if in_scope(principal, codes.get(r.user_id, []))]
    page = mine[offset:offset + limit]
    admins = sorted({r.revoked_by for r in page if r.revoked_by})
    names = ({r.id: r.username for r in conn.execute(sa.select(t.users.c.id, t.users.c.username)
                                                      .where(t.users.c.id.in_(admins)))} if admins else {})
    return {"items": [_item(r, names) for r in page], "total": len(mine), "limit": limit, "offset": offset}


def one(conn: Connection, principal: Principal, device_pk: str) -> Any:
    row = conn.execute(_LISTING.where(t.devices.c.id == device_pk)).first()
    if row is None or not in_scope(principal, _user_codes(conn, [row.user_id])[row.user_id]):
        raise not_found("no such device in your scope")
    return row


def revoke(w: Writer, principal: Principal, device_pk: str, *, push_first: bool, reason: str,
           ip: str | None = None) -> dict[str, Any]:
    row = one(w.conn, principal, device_pk)
    if row.revoked_at is not None:
        raise conflict("该设备已被吊销", "the device is already revoked")
    now = utc_now()
    w.conn.execute(sa.update(t.devices).where(t.devices.c.id == device_pk).values(
        revoked_at=now, revoked_by=principal.user_id, revoke_reason=reason, push_first=push_first))
    if not push_first:
        end_sessions(w, row.user_id, row.device_id)
    audit.record(w.conn, "device_revoke", actor=principal, target=f"{row.username}@{row.device_id}"[:200],
                 entity_id=row.id, device_id=row.device_id, ip=ip,
                 detail={"user_id": row.user_id, "username": row.username, "device_id": row.device_id,
                         "push_first": push_first, "reason": reason})
    return _item(one(w.conn, principal, device_pk), {principal.user_id: principal.username})


def session_by_id(conn: Connection, session_id: str) -> Any:
    return conn.execute(sa.select(t.sessions).where(t.sessions.c.id == session_id)).first()


def end_sessions(w: Writer, user_id: str, device_id: str) -> None:
    s = t.sessions
    w.conn.execute(sa.update(s).where(s.c.user_id == user_id, s.c.device_id == device_id).values(revoked=True))


def acknowledge_wipe(w: Writer, session: Any, ip: str | None = None) -> dict[str, Any]:
    """The app of ``session``'s device says it has wiped its store. Idempotent."""
    row = _find(w.conn, session.user_id, session.device_id)
    if row is None or row.revoked_at is None:
        raise conflict("该设备未被吊销", "the device is not revoked: nothing to acknowledge")
    wiped = row.wiped_at
    if wiped is None:
        wiped = utc_now()
        w.conn.execute(sa.update(t.devices).where(t.devices.c.id == row.id).values(wiped_at=wiped))
        user = w.conn.execute(sa.select(t.users.c.username).where(t.users.c.id == row.user_id)).scalar_one()
        audit.record(w.conn, "device_wipe", actor_id=row.user_id, actor_name=user,
                     target=f"{user}@{row.device_id}"[:200], entity_id=row.id, device_id=row.device_id, ip=ip,
                     detail={"push_first": bool(row.push_first), "reason": row.revoke_reason or ""})
    end_sessions(w, row.user_id, row.device_id)
    return {"ok": True, "wiped_at": format_ts(wiped)}
