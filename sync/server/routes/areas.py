"""The area tree: list (any role), add, rename, move, retire and hand a grid to another worker (admin).

Rules and the reasons for them are in :mod:`sync.server.areas` and docs/protocol.md ("Area tree").
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field

from sync import protocol
from sync.server import areas, audit, repo_users
from sync.server.db import Writer
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import ApiError, conflict, forbidden, not_found
from sync.server.models import AreaIn, Str200, Strict
from sync.server.scope import Principal

router = APIRouter(tags=["areas"])
Code = Annotated[str, Path(pattern=r"^[0-9]{6,15}$")]
CODE_PATTERN = r"^[0-9]{6,15}$"


class AreaPatchIn(Strict):
    name: str = Str200


class AreaMoveIn(Strict):
    parent: str = Field(pattern=CODE_PATTERN)


class AreaRetireIn(Strict):
    move_to: str | None = Field(default=None, pattern=CODE_PATTERN)


class AssignIn(Strict):
    #: the worker's user id or username
    worker: str = Field(min_length=1, max_length=64)


def _invalid(zh: str, en: str, loc: str, where: str = "body") -> ApiError:
    return ApiError(422, "validation_error", zh, en,
                    details={"errors": [{"loc": [where, loc], "msg": en, "type": "value_error"}]})


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _area(w: Writer, principal: Principal, code: str, *, level: str | None = None, loc: str = "code") -> Any:
    """The area ``code``, in the admin's scope and not retired (else 404 / 403 / 409)."""
    found = areas.row(w.conn, code)
    if found is None or not principal.sees_area(code):
        raise not_found(f"no area {code}")
    if not principal.covers(code):
        raise forbidden("area outside your scope")
    if found.retired_at is not None:
        raise conflict(f"区划 {code} 已撤销", f"area {code} is retired", area=code)
    if level and found.level != level:
        raise _invalid(f"区划 {code} 不是{_LEVEL_ZH[level]}", f"area {code} is not a {level}", loc,
                       "path" if loc == "code" else "body")
    return found


_LEVEL_ZH = {"district": "区", "street": "街道", "community": "社区", "grid": "网格"}


def _refuse_assigned(w: Writer, code: str) -> None:
    users = areas.assigned_users(w.conn, code)
    if users:
        names = [u.username for u in users]
        raise conflict(f"区划仍分配给：{'、'.join(names)}；请先移交或取消分配",
                       f"still assigned to {', '.join(names)}: reassign them first", assigned=names)


@router.get("/areas")
def list_areas(principal: PrincipalDep, state: StateDep,
               retired: Annotated[bool, Query(description="include retired areas")] = False,
               counts: Annotated[bool, Query(description="add houses/households/persons and grid workers")] = False,
               ) -> dict[str, Any]:
    with state.db.read() as conn:
        items = areas.tree(conn, principal, retired=retired, counts=counts)
    if not counts:
        keep = ("code", "name", "level", "parent") + (("retired", "retired_at") if retired else ())
        items = [{k: item[k] for k in keep} for item in items]
    return {"items": items}


@router.post("/areas", status_code=201)
def create_area(body: AreaIn, principal: PrincipalDep, state: StateDep, request: Request) -> dict[str, Any]:
    principal.require_role("admin")
    if len(body.code) != protocol.AREA_CODE_LENGTH[body.level]:
        raise _invalid("区划代码长度与级别不符", f"a {body.level} code has {protocol.AREA_CODE_LENGTH[body.level]} digits",
                       "code")
    if body.level != "district":
        if body.parent is None or not body.code.startswith(body.parent) or len(body.parent) + 3 != len(body.code):
            raise _invalid("区划代码必须以上级代码开头", "the code must extend its parent's code", "parent")
        if not principal.covers(body.parent):
            raise forbidden("parent area outside your scope")
    elif not principal.covers(body.code):
        raise forbidden("area outside your scope")

    def work(w: Writer) -> dict[str, Any]:
        if body.parent and body.level != "district":
            parent = areas.row(w.conn, body.parent)
            if parent is None:
                raise _invalid("上级区划不存在", f"no area {body.parent}", "parent")
            if parent.retired_at is not None:
                raise _invalid(f"上级区划 {body.parent} 已撤销", f"parent area {body.parent} is retired", "parent")
            if areas.LEVEL_BELOW.get(parent.level) != body.level:
                raise _invalid("上级区划级别不符", f"a {body.level} cannot sit under a {parent.level}", "parent")
        if repo_users.get_area(w.conn, body.code) is not None:
            raise conflict("区划已存在（撤销的代码也不再使用）", f"area {body.code} exists (retired codes are never reused)")
        repo_users.insert_area(w, body.code, body.name, body.level, body.parent if body.level != "district" else None)
        audit.record(w.conn, "area_create", actor=principal, target=body.code, ip=_ip(request),
                     detail={"name": body.name, "level": body.level, "parent": body.parent})
        return repo_users.get_area(w.conn, body.code) or {}

    return state.db.write_retrying(work)


@router.patch("/areas/{code}")
def rename_area(code: Code, body: AreaPatchIn, principal: PrincipalDep, state: StateDep,
                request: Request) -> dict[str, Any]:
    principal.require_role("admin")

    def work(w: Writer) -> dict[str, Any]:
        found = _area(w, principal, code)
        if found.name != body.name:
            areas.rename(w, code, body.name)
            audit.record(w.conn, "area_update", actor=principal, target=code, ip=_ip(request),
                         detail={"name": [found.name, body.name]})
        return repo_users.get_area(w.conn, code) or {}

    return state.db.write_retrying(work)


@router.post("/areas/{code}/move")
def move_area(code: Code, body: AreaMoveIn, principal: PrincipalDep, state: StateDep,
              request: Request) -> dict[str, Any]:
    """Move a grid to another community: a new code under it; the old code is retired."""
    principal.require_role("admin")

    def work(w: Writer) -> dict[str, Any]:
        found = _area(w, principal, code)
        if found.level != "grid":
            raise _invalid("只有网格可以移动；社区请在新街道下新建，再移动其网格",
                           "only grids move; add the community under the new street and move its grids", "code", "path")
        if body.parent == found.parent:
            raise _invalid("网格已在该社区", f"grid {code} is already in {body.parent}", "parent")
        _area(w, principal, body.parent, level="community", loc="parent")
        try:
            new_code, moved = areas.move_grid(w, code, body.parent, principal.user_id)
        except ValueError as exc:
            raise conflict(f"社区 {body.parent} 没有可用的网格代码", str(exc)) from exc
        audit.record(w.conn, "area_move", actor=principal, target=code, ip=_ip(request),
                     detail={"from": found.parent, "to": body.parent, "new_code": new_code, "moved": moved})
        return {"old_code": code, "area": repo_users.get_area(w.conn, new_code), "moved": moved}

    return state.db.write_retrying(work)


@router.post("/areas/{code}/retire")
def retire_area(code: Code, principal: PrincipalDep, state: StateDep, request: Request,
                body: AreaRetireIn | None = None) -> dict[str, Any]:
    """Retire an empty area, or a grid whose contents move to ``move_to`` in the same step."""
    principal.require_role("admin")
    move_to = body.move_to if body else None

    def work(w: Writer) -> dict[str, Any]:
        found = _area(w, principal, code)
        moved: dict[str, int] = {}
        if found.level != "grid":
            if move_to:
                raise _invalid("只有网格可以把内容移到其他网格", "only a grid's contents move (move_to)", "move_to")
            children = areas.active_children(w.conn, code)
            if children:
                raise conflict(f"请先撤销下级区划：{'、'.join(children)}",
                               f"retire its children first: {', '.join(children)}", children=children)
            _refuse_assigned(w, code)
        else:
            _refuse_assigned(w, code)
            held = areas.holdings(w.conn, code)
            if move_to:
                if move_to == code:
                    raise _invalid("不能移到自身", "move_to is the grid itself", "move_to")
                _area(w, principal, move_to, level="grid", loc="move_to")
                moved = areas.move_contents(w, code, move_to, principal.user_id)
            elif any(held.values()):
                raise conflict(
                    f"网格仍有 {held['house']} 处房屋、{held['household']} 户、{held['person']} 人；"
                    "请指定接收的网格（move_to）", "the grid still holds houses, households or persons: "
                    "give move_to, the grid to move them to", holds=held)
        areas.retire(w, code)
        audit.record(w.conn, "area_retire", actor=principal, target=code, ip=_ip(request),
                     detail={"move_to": move_to, "moved": moved})
        return {"code": code, "retired": True, "move_to": move_to, "moved": moved}

    return state.db.write_retrying(work)


@router.post("/areas/{code}/assign")
def assign_grid(code: Code, body: AssignIn, principal: PrincipalDep, state: StateDep,
                request: Request) -> dict[str, Any]:
    """Hand the grid to this worker (it replaces the grid's worker or workers)."""
    principal.require_role("admin")

    def work(w: Writer) -> dict[str, Any]:
        _area(w, principal, code, level="grid")
        user = repo_users.user_by_id(w.conn, body.worker) or repo_users.user_by_name(w.conn, body.worker)
        codes = repo_users.user_area_codes(w.conn, user.id) if user is not None else []
        if user is None or (codes and not all(principal.covers(c) for c in codes)):
            raise _invalid(f"找不到网格员 {body.worker}", f"no worker {body.worker} in your scope", "worker")
        if user.role != "worker" or not user.active:
            raise _invalid(f"{user.username} 不是在岗的网格员", f"{user.username} is not an active worker", "worker")
        previous = areas.assign_grid(w, code, user.id)
        audit.record(w.conn, "grid_reassign", actor=principal, target=code, entity_id=user.id, ip=_ip(request),
                     detail={"from": previous, "to": user.id, "to_username": user.username})
        return {"grid": code, "worker": repo_users.user_admin_view(w.conn, user),
                "previous": [repo_users.user_admin_view(w.conn, repo_users.user_by_id(w.conn, uid))
                             for uid in previous]}

    return state.db.write_retrying(work)
