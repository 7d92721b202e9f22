"""``/auth/login``, ``/auth/refresh``, ``/auth/logout``, ``/me``."""

from __future__ import annotations

import ipaddress
import math
from typing import Any

from fastapi import APIRouter, Request

from sync.protocol import format_ts, utc_now
from sync.server import account_state, accounts, devices, repo_users
from sync.server.deps import SessionPrincipalDep, StateDep
from sync.server.errors import ApiError
from sync.server.models import LoginIn, LogoutIn, RefreshIn
from sync.server.security import new_refresh_token, refresh_hash, sign_access_token, verify_password
from sync.server.state import ServerState
from sync.version import CLIENT_HEADER

router = APIRouter(tags=["auth"])

def bad_login() -> ApiError:
    """A fresh instance per failure (a shared exception object would pile up tracebacks)."""
    return ApiError(401, "unauthorized", "用户名或密码错误", "wrong username or password")


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[str, ...]) -> str:
    """The client's address: the peer's, or — when the peer is a trusted proxy — the nearest address
    in ``X-Forwarded-For`` that is not a trusted proxy itself (a client can prepend anything)."""
    address = peer or "unknown"
    if not trusted or address not in trusted or not forwarded_for:
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # a malformed chain: believe only the proxy itself
        if hop not in trusted:
            return hop
    return address


def _too_many(retry: int) -> ApiError:
    return ApiError(429, "too_many_requests", "登录尝试过于频繁，请稍后再试", "too many failed logins; try again later",
                    details={"retry_after": retry}, headers={"Retry-After": str(retry)})




def _tokens(state: ServerState, conn_user: dict[str, Any], session_id: str, refresh: str,
            refresh_expires: Any) -> dict[str, Any]:
    token, expires = sign_access_token(state.secret, conn_user["id"], session_id, state.config.access_token_seconds)
    from datetime import UTC, datetime

    return {"access_token": token, "refresh_token": refresh,
            "expires_at": format_ts(datetime.fromtimestamp(expires, UTC)),
            "refresh_expires_at": format_ts(refresh_expires), "user": conn_user}


@router.post("/auth/login")
def login(body: LoginIn, request: Request, state: StateDep) -> dict[str, Any]:
    cfg = state.config
    name = body.username.lower()
    address = client_address(request.client.host if request.client else None,
                             request.headers.get("x-forwarded-for"), cfg.trusted_proxies)
    pair_key, user_key, addr_key = f"pair:{name}|{address}", f"user:{name}", f"addr:{address}"
    keys = [(pair_key, cfg.login_user_limit), (user_key, cfg.login_user_total_limit),
            (addr_key, cfg.login_address_limit)]
    with state.db.write() as w:  # the attempt is noted as a failure before the password is checked
        noted, oldest = repo_users.reserve_attempt(w, keys, cfg.login_window_seconds)
    if not noted:
        elapsed = (utc_now() - oldest).total_seconds() if oldest is not None else 0
        raise _too_many(max(1, math.ceil(cfg.login_window_seconds - elapsed)))
    slots = state.hash_slots
    if not slots.acquire(timeout=10):  # too many password checks at once: memory is the limit
        with state.db.write() as w:
            repo_users.release_attempt(w, noted)
        raise ApiError(429, "too_many_requests", "登录的人太多，请稍后再试", "too many logins at once; try again",
                       details={"retry_after": 2}, headers={"Retry-After": "2"})
    try:
        with state.db.read() as conn:
            row = repo_users.user_by_name(conn, body.username)
        ok = verify_password(row.password_hash if row else None, body.password, state.hasher)
    finally:
        slots.release()
    if ok and row is not None:
        with state.db.write() as w:
            expired = account_state.refuse_expired(w, row)
        if expired:
            raise accounts.account_expired()  # the right password of an account past its end date
    if not ok or row is None or not row.active:
        raise bad_login()  # the noted failure stays
    refresh = new_refresh_token()
    with state.db.write() as w:
        repo_users.release_attempt(w, noted, clear=[pair_key])
        refused = devices.check_login(w, row.id, body.device_id, devices.header_version(request.headers.get(CLIENT_HEADER)))
        if refused is None:
            sid, refresh_expires = repo_users.create_session(w, row.id, body.device_id, refresh_hash(refresh),
                                                             cfg.refresh_token_seconds)
            user = repo_users.user_public(w.conn, row)
            extra = account_state.on_login(w, row)
    if refused is not None:  # a revoked device (committed: the attempt is not a failure)
        raise refused
    return {**_tokens(state, user, sid, refresh, refresh_expires), **extra}


@router.post("/auth/refresh")
def refresh(body: RefreshIn, request: Request, state: StateDep) -> dict[str, Any]:
    bad = ApiError(401, "unauthorized", "刷新凭据无效，请重新登录", "invalid, expired or revoked refresh token")
    new_token = new_refresh_token()
    digest = refresh_hash(body.refresh_token)
    reused = False
    with state.db.write() as w:
        session = repo_users.session_by_refresh(w.conn, digest)
        if session is None:
            family = repo_users.session_of_retired(w.conn, digest)
            if family is not None:  # a token already rotated away: stolen or replayed; end its session
                repo_users.revoke_session(w, family)
                reused = True
    if reused:  # (the revocation is committed before the answer)
        raise ApiError(401, "unauthorized", "登录凭据已被重复使用，会话已结束，请重新登录",
                       "a refresh token was used twice; the session is ended, log in again")
    with state.db.write() as w:
        session = repo_users.session_by_refresh(w.conn, digest)
        if session is not None:  # a revoked device hears so (its session may be ended already)
            devices.check_refresh(w, session, devices.header_version(request.headers.get(CLIENT_HEADER)))
        row = repo_users.user_by_id(w.conn, session.user_id) if session is not None else None
        expired = row is not None and account_state.refuse_expired(w, row)  # (committed: disabled once)
        if not expired:
            if session is None or session.revoked or repo_users.session_expired(session) or not row or not row.active:
                raise bad
            expires = repo_users.rotate_refresh(w, session.id, digest, refresh_hash(new_token),
                                                state.config.refresh_token_seconds)
            user, session_id = repo_users.user_public(w.conn, row), session.id
    if expired:
        raise accounts.account_expired()
    return _tokens(state, user, session_id, new_token, expires)


@router.post("/auth/logout")
def logout(principal: SessionPrincipalDep, state: StateDep, body: LogoutIn | None = None) -> dict[str, Any]:
    with state.db.write() as w:
        repo_users.revoke_session(w, principal.session_id)
        if body is not None and body.refresh_token:
            session = repo_users.session_by_refresh(w.conn, refresh_hash(body.refresh_token))
            if session is not None and session.user_id == principal.user_id:
                repo_users.revoke_session(w, session.id)
    return {"ok": True}


@router.get("/me")
def me(principal: SessionPrincipalDep, state: StateDep) -> dict[str, Any]:
    with state.db.read() as conn:
        row = repo_users.user_by_id(conn, principal.user_id)
        return repo_users.user_public(conn, row)
