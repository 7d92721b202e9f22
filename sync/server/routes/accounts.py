"""Accounts (admin): reset a password, disable / enable with a reason, bulk import from .xlsx,
账号清查; and the user's own ``POST /auth/password``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from sync.server import account_review, accounts, audit, repo_users, user_import
from sync.server.account_models import BulkDisableIn, DisableIn, PasswordChangeIn
from sync.server.db import Writer
from sync.server.deps import PrincipalDep, SessionPrincipalDep, StateDep
from sync.server.errors import ApiError, not_found
from sync.server.multipart import file_part
from sync.server.scope import Principal
from sync.server.security import hash_password, verify_password
from sync.server.state import ServerState

router = APIRouter(tags=["accounts"])
_UPLOAD_DOC: dict[str, Any] = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}}}
UserId = Annotated[str, Path(min_length=1, max_length=36)]
#: who may be given which area level (as for ``POST /users``)
ROLE_LEVELS = {"worker": {"grid"}, "supervisor": {"community"}, "admin": {"street", "district"}}


def _invalid(loc: str, zh: str, en: str) -> ApiError:
    return ApiError(422, "validation_error", zh, en,
                    details={"errors": [{"loc": ["body", loc], "msg": en, "type": "value_error"}]})


def visible_user(conn: Any, principal: Principal, user_id: str) -> Any:
    row = repo_users.user_by_id(conn, user_id)
    codes = repo_users.user_area_codes(conn, user_id) if row is not None else []
    if row is None or not codes or not all(principal.covers(c) for c in codes):
        raise not_found("no such user in your scope")
    return row


@router.post("/auth/password")
def change_password(body: PasswordChangeIn, principal: SessionPrincipalDep, state: StateDep) -> dict[str, Any]:
    """The user's own password: the old one, and a new one (≥ 8 characters, not the user name). The
    user's other sessions end (another computer logs in again with the new password)."""
    with state.db.read() as conn:
        row = repo_users.user_by_id(conn, principal.user_id)
    if not verify_password(row.password_hash, body.old_password, state.hasher):
        raise ApiError(403, "wrong_password", "原密码不正确", "the old password is wrong")
    problem = accounts.password_problem(row.username, body.new_password)
    if problem is None and body.new_password == body.old_password:
        problem = ("新密码不能与原密码相同", "the new password must differ from the old one")
    if problem is not None:
        raise _invalid("new_password", *problem)
    digest = hash_password(body.new_password, state.hasher)

    def work(w: Writer) -> dict[str, Any]:
        repo_users.update_user(w, principal.user_id, {"password_hash": digest, "must_change_password": False})
        accounts.end_other_sessions(w, principal.user_id, principal.session_id)
        audit.record(w.conn, "password_change", actor=principal, target=principal.username,
                     detail={"user_id": principal.user_id, "was_required": principal.must_change_password})
        return {"ok": True, "must_change_password": False}

    return state.db.write_retrying(work)


@router.post("/users/{user_id}/reset-password")
def reset_password(user_id: UserId, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """A generated temporary password, returned once; the user must change it at the next login."""
    principal.require_role("admin")
    password = accounts.generate_password()
    digest = accounts.hash_generated(password, state.hasher)

    def work(w: Writer) -> dict[str, Any]:
        row = visible_user(w.conn, principal, user_id)
        repo_users.update_user(w, user_id, {"password_hash": digest, "must_change_password": True})
        repo_users.revoke_user_sessions(w, user_id)
        audit.record(w.conn, "password_reset", actor=principal, target=row.username, detail={"user_id": user_id})
        return {"user": repo_users.user_admin_view(w.conn, repo_users.user_by_id(w.conn, user_id)),
                "password": password}

    return state.db.write_retrying(work)


def _set_active(state: ServerState, principal: Principal, ids: list[str], active: bool,
                reason: str) -> dict[str, Any]:
    if not active and principal.user_id in ids:
        raise _invalid("ids", "不能停用自己的账号", "you cannot disable your own account")

    def work(w: Writer) -> dict[str, Any]:
        rows = [visible_user(w.conn, principal, uid) for uid in dict.fromkeys(ids)]
        changed = [r.id for r in rows if accounts.set_active(w, principal, r, active, reason)]
        return {"changed": changed, "items": [repo_users.user_admin_view(w.conn, repo_users.user_by_id(w.conn, r.id))
                                              for r in rows]}

    return state.db.write_retrying(work)


@router.post("/users/disable")
def disable_users(body: BulkDisableIn, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """Disable several users at once (账号清查's one click); one audit entry per user."""
    principal.require_role("admin")
    return _set_active(state, principal, body.ids, False, body.reason)


@router.post("/users/{user_id}/disable")
def disable_user(user_id: UserId, body: DisableIn, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    principal.require_role("admin")
    result = _set_active(state, principal, [user_id], False, body.reason)
    return dict(result["items"][0])


@router.post("/users/{user_id}/enable")
def enable_user(user_id: UserId, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    principal.require_role("admin")
    return dict(_set_active(state, principal, [user_id], True, "")["items"][0])


@router.get("/users/review")
def review_users(principal: PrincipalDep, state: StateDep,
                 idle_days: Annotated[int, Query(ge=1, le=3650)] = 90) -> dict[str, Any]:
    """账号清查: the users in scope by finding."""
    principal.require_role("admin")
    from sync.server.account_edits import expire_listed

    expire_listed(state, principal)
    with state.db.read() as conn:
        return account_review.findings(conn, principal, idle_days)


@router.post("/users/import", openapi_extra=_UPLOAD_DOC)
async def import_users(request: Request, principal: PrincipalDep, state: StateDep,
                       dry_run: bool = False) -> dict[str, Any]:
    """Users from an .xlsx, one per row: good rows created, bad rows reported with row and column."""
    principal.require_role("admin")
    body = await request.body()
    result: dict[str, Any] = await run_in_threadpool(_import, request.headers.get("content-type", ""), body,
                                                     principal, state, dry_run)
    return result


def _row_problems(conn: Any, principal: Principal, row: user_import.ImportRow) -> list[dict[str, Any]]:
    out = []

    def bad(key: str, value: str, code: str, zh: str, en: str) -> None:
        column = row.columns.get(key, user_import.HEADERS[key][0])
        out.append(user_import.problem(row.row, column, value, code, zh, en))

    if repo_users.username_taken(conn, row.username):
        bad("username", row.username, "exists", "用户名已存在（不区分大小写）", "the user name exists (names ignore case)")
    for code in row.areas:
        area = repo_users.get_area(conn, code)
        if area is None:
            bad("areas", code, "unknown_area", f"区划 {code} 不存在", f"no area {code}")
        elif not principal.covers(code):
            bad("areas", code, "out_of_scope", f"区划 {code} 不在您的管辖范围", f"area {code} is outside your scope")
        elif area["level"] not in ROLE_LEVELS[row.role]:
            bad("areas", code, "wrong_level", "区划级别与角色不符",
                f"a {row.role} is assigned {'/'.join(sorted(ROLE_LEVELS[row.role]))} areas")
    return out


def _import(content_type: str, body: bytes, principal: Principal, state: ServerState,
            dry_run: bool) -> dict[str, Any]:
    filename, data = file_part(content_type, body)
    parsed = user_import.parse(data)
    with state.db.read() as conn:
        checks = [(r, _row_problems(conn, principal, r)) for r in parsed.rows]
    problems = parsed.problems + [p for _, found in checks for p in found]
    good = [r for r, found in checks if not found]
    passwords = {r.username: accounts.generate_password() for r in good} if not dry_run else {}
    digests = accounts.hash_many(passwords, state.hasher)

    def work(w: Writer) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        created, taken = [], []
        for r in good:
            if repo_users.username_taken(w.conn, r.username):  # (created meanwhile by someone else)
                taken.append(user_import.problem(r.row, r.columns.get("username", "用户名"), r.username, "exists",
                                                 "用户名已存在（不区分大小写）", "the user name exists (names ignore case)"))
                continue
            uid = repo_users.create_user(w, r.username, r.display_name, r.role, digests[r.username], r.areas)
            repo_users.update_user(w, uid, {"must_change_password": True, "end_date": r.end_date,
                                            "third_party": r.third_party})
            created.append({"row": r.row, "id": uid, "username": r.username, "display_name": r.display_name,
                            "role": r.role, "areas": r.areas, "password": passwords[r.username]})
        audit.record(w.conn, "users_import", actor=principal, target=filename[:200],
                     detail={"rows": parsed.total, "created": len(created),
                             "bad_rows": len(_rows(problems + taken))})
        return created, taken

    created: list[dict[str, Any]] = []
    if not dry_run:
        created, taken = state.db.write_retrying(work)
        problems += taken
    problems.sort(key=lambda p: (p["row"], p["column"]))
    return {"dry_run": dry_run, "rows": parsed.total, "created": len(created),
            "would_create": len(good) if dry_run else len(created), "bad_rows": len(_rows(problems)),
            "problems": problems, "users": created}


def _rows(problems: list[dict[str, Any]]) -> set[int]:
    return {int(p["row"]) for p in problems}
