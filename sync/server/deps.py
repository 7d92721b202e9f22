"""FastAPI dependencies: the server state and the authenticated principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from sync.server import accounts, devices, repo_users
from sync.server.errors import ApiError
from sync.server.scope import Principal
from sync.server.security import TokenError, verify_access_token
from sync.server.state import ServerState
from sync.version import CLIENT_HEADER


def get_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.ybt
    return state


def get_session_principal(request: Request, state: Annotated[ServerState, Depends(get_state)]) -> Principal:
    """The user of a valid access token (even one who must change the password first). An account
    past its end date is disabled here the first time a token of it is used."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "请先登录", "missing bearer token",
                       headers={"WWW-Authenticate": "Bearer"})
    try:
        claims = verify_access_token(state.secret, token.strip())
    except TokenError as exc:
        if exc.expired:
            raise ApiError(401, "token_expired", "登录已过期，请刷新", "access token expired",
                           headers={"WWW-Authenticate": "Bearer"}) from exc
        raise ApiError(401, "unauthorized", "登录凭据无效", "invalid access token",
                       headers={"WWW-Authenticate": "Bearer"}) from exc
    with state.db.read() as conn:
        devices.guard(conn, request.method, devices.route_path(request.scope), claims.session_id,
                      request.headers.get(CLIENT_HEADER))
        principal = repo_users.principal_for_session(conn, claims.user_id, claims.session_id)
    if principal is None:
        raise ApiError(401, "unauthorized", "登录已失效，请重新登录", "session revoked or user disabled",
                       headers={"WWW-Authenticate": "Bearer"})
    if accounts.past_end(principal.end_date):
        with state.db.write() as w:
            accounts.expire(w, principal.user_id, principal.username)
        raise accounts.account_expired()
    return principal


SessionPrincipalDep = Annotated[Principal, Depends(get_session_principal)]


def get_principal(principal: SessionPrincipalDep) -> Principal:
    """The user, who may work: not one whose password an admin reset and who has not changed it."""
    if principal.must_change_password:
        raise accounts.password_change_required()
    return principal


StateDep = Annotated[ServerState, Depends(get_state)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
