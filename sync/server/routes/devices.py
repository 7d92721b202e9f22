"""``/devices`` (list, revoke, the app's wipe acknowledgement) and ``/settings`` (platform settings)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field

from sync import version
from sync.server import audit, devices, platform_settings, repo_users
from sync.server.db import Writer
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import ApiError
from sync.server.models import Strict
from sync.server.routes.auth import client_address
from sync.server.security import refresh_hash
from sync.server.state import ServerState

router = APIRouter(tags=["devices"])
DeviceId = Annotated[str, Path(min_length=1, max_length=36)]


class RevokeIn(Strict):
    push_first: bool = False
    reason: str = Field(min_length=1, max_length=500)


class WipedIn(Strict):
    refresh_token: str = Field(min_length=1, max_length=512)


class SettingsIn(Strict):
    #: dotted numbers ("0.2.0"), or null to let every version push
    min_client_version: str | None = Field(max_length=32)


def _ip(request: Request, state: ServerState) -> str:
    return client_address(request.client.host if request.client else None,
                          request.headers.get("x-forwarded-for"), state.config.trusted_proxies)


@router.get("/devices")
def list_devices(
    principal: PrincipalDep, state: StateDep,
    user: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    state_filter: Annotated[Literal["active", "revoked", "wiped"] | None, Query(alias="state")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """The devices of the users in the admin's scope (``user`` matches user name, display name or
    device id), most recently seen first."""
    principal.require_role("admin")
    with state.db.read() as conn:
        return devices.listing(conn, principal, user=user, state=state_filter, limit=limit, offset=offset)


@router.post("/devices/{device_pk}/revoke", responses={409: {"description": "the device is already revoked"}})
def revoke_device(device_pk: DeviceId, body: RevokeIn, request: Request, principal: PrincipalDep,
                  state: StateDep) -> dict[str, Any]:
    principal.require_role("admin")
    reason = body.reason.strip()
    if not reason:
        raise ApiError(422, "validation_error", "请填写吊销原因", "give a reason",
                       details={"errors": [{"loc": ["body", "reason"], "msg": "blank", "type": "value_error"}]})
    ip = _ip(request, state)

    def work(w: Writer) -> dict[str, Any]:
        return devices.revoke(w, principal, device_pk, push_first=body.push_first, reason=reason, ip=ip)

    return state.db.write_retrying(work)


@router.post("/devices/wiped", responses={409: {"description": "the device is not revoked"}})
def device_wiped(body: WipedIn, request: Request, state: StateDep) -> dict[str, Any]:
    """The app of a revoked device has wiped its local store (authenticated by its refresh token,
    current or already rotated away, so it works after the session ended)."""
    digest = refresh_hash(body.refresh_token)
    ip = _ip(request, state)
    with state.db.write() as w:
        session = repo_users.session_by_refresh(w.conn, digest)
        if session is None:
            sid = repo_users.session_of_retired(w.conn, digest)
            session = devices.session_by_id(w.conn, sid) if sid else None
        if session is None:
            raise ApiError(401, "unauthorized", "登录凭据无效", "unknown refresh token")
        return devices.acknowledge_wipe(w, session, ip)


@router.get("/settings")
def get_settings(principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """The platform settings every logged-in user may read."""
    with state.db.read() as conn:
        return platform_settings.all_settings(conn)


@router.post("/settings")
def set_settings(body: SettingsIn, request: Request, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    principal.require_role("admin")
    value = body.min_client_version.strip() if body.min_client_version is not None else None
    if value == "":
        value = None
    if value is not None and not version.is_version(value):
        raise ApiError(422, "validation_error", f"版本号格式不正确：{value}（应为 0.2.0 这样的数字）",
                       f"not a version (dotted numbers such as 0.2.0): {value!r}",
                       details={"errors": [{"loc": ["body", "min_client_version"], "msg": "not a version",
                                            "type": "value_error"}]})
    ip = _ip(request, state)
    name = platform_settings.MIN_CLIENT_VERSION

    def work(w: Writer) -> dict[str, Any]:
        old = platform_settings.put(w, name, value)
        if old != value:
            audit.record(w.conn, "setting_change", actor=principal, target=name, ip=ip,
                         detail={"setting": name, "old": old, "new": value})
        return platform_settings.all_settings(w.conn)

    return state.db.write_retrying(work)
