"""Users with their assignments (admin). The area tree is in routes/areas.py."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path

from sync.server import account_edits, areas, repo_users
from sync.server import tables as t
from sync.server.accounts import generate_password, hash_generated
from sync.server.db import Writer
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import ApiError, conflict, forbidden, not_found
from sync.server.models import UserIn, UserPatchIn
from sync.server.scope import Principal
from sync.server.security import hash_password

router = APIRouter(tags=["admin"])
UserId = Annotated[str, Path(min_length=1, max_length=36)]

#: Which area levels a role may be assigned.
ROLE_LEVELS = {"worker": {"grid"}, "supervisor": {"community"}, "admin": {"street", "district"}}


def _invalid(zh: str, en: str, loc: str) -> ApiError:
    return ApiError(422, "validation_error", zh, en, details={"errors": [{"loc": ["body", loc], "msg": en, "type": "value_error"}]})


def _check_areas(w: Writer, principal: Principal, role: str, codes: list[str]) -> None:
    for code in codes:
        area = repo_users.get_area(w.conn, code)
        if area is None:
            raise _invalid(f"区划 {code} 不存在", f"no area {code}", "areas")
        if areas.is_retired(w.conn, code):
            raise _invalid(f"区划 {code} 已撤销", f"area {code} is retired", "areas")
        if not principal.covers(code):
            raise forbidden("area outside your scope")
        if area["level"] not in ROLE_LEVELS[role]:
            raise _invalid("区划级别与角色不符", f"a {role} is assigned {'/'.join(sorted(ROLE_LEVELS[role]))} areas", "areas")


def _visible_user(w: Writer, principal: Principal, user_id: str) -> Any:
    row = repo_users.user_by_id(w.conn, user_id)
    if row is None:
        raise not_found("no such user")
    codes = repo_users.user_area_codes(w.conn, user_id)
    if not codes or not all(principal.covers(c) for c in codes):
        raise not_found("no such user in your scope")
    return row


@router.get("/users")
def list_users(principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    principal.require_role("admin")
    account_edits.expire_listed(state, principal)
    with state.db.read() as conn:
        ua = t.user_areas
        ids = sorted({r[0] for r in conn.execute(sa.select(ua.c.user_id, ua.c.area_code))
                      if principal.covers(r[1])})
        rows: Any = conn.execute(sa.select(t.users).where(t.users.c.id.in_(ids)).order_by(t.users.c.username)) if ids else []
        return {"items": repo_users.user_admin_views(conn, rows)}


@router.post("/users", status_code=201)
def create_user(body: UserIn, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    principal.require_role("admin")
    account_edits.check_end_date(body.end_date)
    password = body.password or generate_password()
    digest = hash_password(password, state.hasher) if body.password else hash_generated(password, state.hasher)

    def work(w: Writer) -> dict[str, Any]:
        _check_areas(w, principal, body.role, body.areas)
        if repo_users.username_taken(w.conn, body.username):
            raise conflict("用户名已存在（不区分大小写）", f"user {body.username} exists (names ignore case)")
        uid = repo_users.create_user(w, body.username, body.display_name, body.role, digest, body.areas)
        return account_edits.created(w, principal, uid, body, None if body.password else password)

    return state.db.write_retrying(work)


@router.patch("/users/{user_id}")
def patch_user(user_id: UserId, body: UserPatchIn, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    principal.require_role("admin")
    account_edits.check_end_date(body.end_date)
    digest = hash_password(body.password, state.hasher) if body.password else None

    def work(w: Writer) -> dict[str, Any]:
        row = _visible_user(w, principal, user_id)
        values: dict[str, Any] = {}
        if body.display_name is not None:
            values["display_name"] = body.display_name
        if body.active is not None:
            values["active"] = body.active
        if digest:
            values["password_hash"] = digest
        values.update(account_edits.patch_values(body))
        repo_users.update_user(w, user_id, values)
        if body.areas is not None:
            _check_areas(w, principal, row.role, body.areas)
            repo_users.set_user_areas(w, user_id, body.areas)
        elif values:
            repo_users.touch_assignments(w, user_id)
        if digest or body.active is False:
            repo_users.revoke_user_sessions(w, user_id)
        account_edits.audit_patch(w, principal, row, body)
        return repo_users.user_admin_view(w.conn, repo_users.user_by_id(w.conn, user_id))

    return state.db.write_retrying(work)
