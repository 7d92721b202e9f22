"""Users, areas, assignments and sessions in the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync import protocol
from sync.protocol import utc_now
from sync.server import tables as t
from sync.server.db import Writer
from sync.server.scope import Principal


def ancestors_by_prefix(code: str) -> list[str]:
    """Ancestor codes of an area code (codes are hierarchical by prefix)."""
    return [code[:n] for n in protocol.AREA_CODE_LENGTH.values() if n < len(code)]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def area_dict(row: Any) -> dict[str, Any]:
    return {"code": row.code, "name": row.name, "level": row.level, "parent": row.parent}


_AREA = sa.select(t.areas).where(t.areas.c.code == sa.bindparam("code"))
_PRINCIPAL = (
    sa.select(t.users, t.sessions.c.revoked, t.user_areas.c.area_code)
    .join(t.sessions, t.sessions.c.user_id == t.users.c.id)
    .outerjoin(t.user_areas, t.user_areas.c.user_id == t.users.c.id)
    .where(t.users.c.id == sa.bindparam("uid"), t.sessions.c.id == sa.bindparam("sid"))
    .order_by(t.user_areas.c.area_code)
)


def get_area(conn: Connection, code: str) -> dict[str, Any] | None:
    row = conn.execute(_AREA, {"code": code}).first()
    return area_dict(row) if row else None


def user_area_codes(conn: Connection, user_id: str) -> list[str]:
    rows = conn.execute(
        sa.select(t.user_areas.c.area_code).where(t.user_areas.c.user_id == user_id).order_by(t.user_areas.c.area_code)
    )
    return [r[0] for r in rows]


def principal_for_session(conn: Connection, user_id: str, session_id: str) -> Principal | None:
    rows = conn.execute(_PRINCIPAL, {"uid": user_id, "sid": session_id}).all()
    if not rows or rows[0].revoked or not rows[0].active:
        return None
    row = rows[0]
    roots = tuple(r.area_code for r in rows if r.area_code)
    ancestors = frozenset(a for r in roots for a in ancestors_by_prefix(r))
    return Principal(row.id, row.username, row.display_name, row.role, roots, session_id, ancestors,
                     bool(row.must_change_password), row.end_date)


def build_principal(conn: Connection, user_row: Any, session_id: str = "") -> Principal:
    roots = tuple(user_area_codes(conn, user_row.id))
    ancestors = frozenset(a for r in roots for a in ancestors_by_prefix(r))
    return Principal(user_row.id, user_row.username, user_row.display_name, user_row.role, roots,
                     session_id, ancestors)


def user_by_name(conn: Connection, username: str) -> Any:
    """The user of that name whatever its case ("Admin" logs in as "admin")."""
    return conn.execute(sa.select(t.users).where(sa.func.lower(t.users.c.username) == username.lower())).first()


def username_taken(conn: Connection, username: str) -> bool:
    """Usernames are unique whatever their case ("Admin" is "admin": they share a login limit)."""
    return conn.execute(sa.select(t.users.c.id).where(sa.func.lower(t.users.c.username) == username.lower())
                        .limit(1)).first() is not None


def user_by_id(conn: Connection, user_id: str) -> Any:
    return conn.execute(sa.select(t.users).where(t.users.c.id == user_id)).first()


def user_public(conn: Connection, user_row: Any) -> dict[str, Any]:
    codes = user_area_codes(conn, user_row.id)
    rows: Any = conn.execute(sa.select(t.areas).where(t.areas.c.code.in_(codes)).order_by(t.areas.c.code)) if codes else []
    return {"id": user_row.id, "username": user_row.username, "display_name": user_row.display_name,
            "role": user_row.role, "areas": [area_dict(r) for r in rows]}


def user_admin_view(conn: Connection, user_row: Any) -> dict[str, Any]:
    from sync.server.account_view import account_view

    return {"id": user_row.id, "username": user_row.username, "display_name": user_row.display_name,
            "role": user_row.role, "active": bool(user_row.active), "areas": user_area_codes(conn, user_row.id),
            **account_view(conn, user_row)}


def user_admin_views(conn: Connection, user_rows: Iterable[Any]) -> list[dict[str, Any]]:
    """``user_admin_view`` for a whole list in three queries, whatever its length (the admin's list of
    3,000 workers made three per user)."""
    from sync.server.account_view import accepted_user_ids, account_fields
    from sync.server.agreement import current_version

    rows = list(user_rows)
    codes: dict[str, list[str]] = {}
    ua = t.user_areas
    for uid, code in conn.execute(sa.select(ua.c.user_id, ua.c.area_code).order_by(ua.c.area_code)):
        codes.setdefault(uid, []).append(code)
    version = current_version(conn)
    accepted = accepted_user_ids(conn, version) if version is not None else set()
    return [{"id": r.id, "username": r.username, "display_name": r.display_name, "role": r.role,
             "active": bool(r.active), "areas": codes.get(r.id, []),
             **account_fields(r, None if version is None else r.id in accepted)} for r in rows]


# -- writes ------------------------------------------------------------------------------------


def insert_area(w: Writer, code: str, name: str, level: str, parent: str | None) -> None:
    w.conn.execute(sa.insert(t.areas).values(code=code, name=name, level=level, parent=parent))
    w.record_change("area", code, code)


def create_user(w: Writer, username: str, display_name: str, role: str, password_hash: str,
                areas: Iterable[str], user_id: str | None = None) -> str:
    uid = user_id or str(uuid.uuid4())
    w.conn.execute(sa.insert(t.users).values(
        id=uid, username=username, display_name=display_name, role=role, password_hash=password_hash,
        active=True, created_at=utc_now()))
    set_user_areas(w, uid, list(areas))
    return uid


def set_user_areas(w: Writer, user_id: str, codes: list[str]) -> None:
    old = set(user_area_codes(w.conn, user_id))
    for code in old - set(codes):
        w.conn.execute(sa.delete(t.user_areas).where(t.user_areas.c.user_id == user_id,
                                                      t.user_areas.c.area_code == code))
        w.record_change("assignment", f"{user_id}:{code}", code, deleted=True)
    for code in codes:
        if code not in old:
            w.conn.execute(sa.insert(t.user_areas).values(user_id=user_id, area_code=code))
    touch_assignments(w, user_id)


def touch_assignments(w: Writer, user_id: str) -> None:
    """Publish the user's current assignments again (after a change of name, role or activity)."""
    for code in user_area_codes(w.conn, user_id):
        w.record_change("assignment", f"{user_id}:{code}", code)


def update_user(w: Writer, user_id: str, values: dict[str, Any]) -> None:
    if values:
        w.conn.execute(sa.update(t.users).where(t.users.c.id == user_id).values(**values))


def revoke_user_sessions(w: Writer, user_id: str) -> None:
    w.conn.execute(sa.update(t.sessions).where(t.sessions.c.user_id == user_id).values(revoked=True))


def assignment_payload(conn: Connection, key: str) -> dict[str, Any] | None:
    user_id, _, code = key.partition(":")
    row = user_by_id(conn, user_id)
    if row is None:
        return None
    return {"user_id": row.id, "username": row.username, "display_name": row.display_name, "role": row.role,
            "area": code, "active": bool(row.active)}


# -- sessions ----------------------------------------------------------------------------------


def create_session(w: Writer, user_id: str, device_id: str, refresh_digest: str, lifetime: int) -> tuple[str, datetime]:
    sid = str(uuid.uuid4())
    now = utc_now()
    expires = now + timedelta(seconds=lifetime)
    w.conn.execute(sa.insert(t.sessions).values(
        id=sid, user_id=user_id, device_id=device_id, refresh_hash=refresh_digest, created_at=now,
        expires_at=expires, revoked=False))
    return sid, expires


def session_by_refresh(conn: Connection, refresh_digest: str) -> Any:
    return conn.execute(sa.select(t.sessions).where(t.sessions.c.refresh_hash == refresh_digest)).first()


def rotate_refresh(w: Writer, session_id: str, old_digest: str, refresh_digest: str, lifetime: int) -> datetime:
    """Give the session a new refresh token; the old one is remembered as retired."""
    now = utc_now()
    expires = now + timedelta(seconds=lifetime)
    w.conn.execute(sa.insert(t.retired_refresh).values(refresh_hash=old_digest, session_id=session_id,
                                                       retired_at=now))
    w.conn.execute(sa.update(t.sessions).where(t.sessions.c.id == session_id)
                   .values(refresh_hash=refresh_digest, expires_at=expires))
    return expires


def session_of_retired(conn: Connection, refresh_digest: str) -> str | None:
    """The session a rotated-away refresh token belonged to, if it is one."""
    found = conn.execute(sa.select(t.retired_refresh.c.session_id)
                         .where(t.retired_refresh.c.refresh_hash == refresh_digest)).scalar_one_or_none()
    return None if found is None else str(found)


def revoke_session(w: Writer, session_id: str) -> None:
    w.conn.execute(sa.update(t.sessions).where(t.sessions.c.id == session_id).values(revoked=True))


def session_expired(row: Any) -> bool:
    return bool(_aware(row.expires_at) <= utc_now())


# -- login limits ------------------------------------------------------------------------------


def recent_failures(conn: Connection, key: str, window: int) -> tuple[int, datetime | None]:
    since = utc_now() - timedelta(seconds=window)
    lf = t.login_failures
    row = conn.execute(
        sa.select(sa.func.count(), sa.func.min(lf.c.failed_at)).where(lf.c.key == key, lf.c.failed_at > since)
    ).first()
    count, oldest = (row[0], row[1]) if row else (0, None)
    return int(count), (_aware(oldest) if oldest else None)


def reserve_attempt(w: Writer, keys: list[tuple[str, int]], window: int) -> tuple[list[int], datetime | None]:
    """Count the recent failures of each key and, if none is at its limit, note this attempt as one
    failure for every key, in the caller's write transaction (atomic: concurrent attempts cannot all
    pass a count taken before any of them was noted). Returns (the noted rows, or [] when a key is at
    its limit; then that key's oldest failure)."""
    if w.conn.dialect.name == "postgresql":  # writers are not serialized there: lock the keys
        for key, _limit in sorted(keys):
            w.conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})
    for key, limit in keys:
        count, oldest = recent_failures(w.conn, key, window)
        if count >= limit and oldest is not None:
            return [], oldest
    now = utc_now()
    ids = []
    for key, _limit in keys:
        ids.append(int(w.conn.execute(sa.insert(t.login_failures).values(key=key, failed_at=now)
                                      .returning(t.login_failures.c.id)).scalar_one()))
    w.conn.execute(sa.delete(t.login_failures).where(t.login_failures.c.failed_at < now - timedelta(seconds=2 * window)))
    return ids, None


def release_attempt(w: Writer, ids: list[int], clear: Iterable[str] = ()) -> None:
    """The attempt was not a failure after all (right password, or never checked): forget it, and
    the earlier failures of ``clear``."""
    if ids:
        w.conn.execute(sa.delete(t.login_failures).where(t.login_failures.c.id.in_(ids)))
    for key in clear:
        clear_failures(w, key)


def clear_failures(w: Writer, key: str) -> None:
    w.conn.execute(sa.delete(t.login_failures).where(t.login_failures.c.key == key))
