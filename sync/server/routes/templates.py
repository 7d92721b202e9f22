"""``/templates``: publish (admin, multipart .xlsx, to an area), list every version with its state,
download, withdraw (admin; never delete)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from sync.server import audit, repo_templates, repo_users
from sync.server.db import Writer
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import ApiError, conflict, not_found
from sync.server.multipart import file_part
from sync.server.scope import Principal
from sync.server.state import ServerState
from sync.server.templates_cache import load_template_bytes

router = APIRouter(tags=["templates"])

_UPLOAD_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}}}}},
    }
}


AreaQuery = Annotated[str | None, Query(max_length=32, pattern="^[0-9]+$",
                                      description="area code to publish to (default: the admin's first area)")]


@router.post("/templates", status_code=201, openapi_extra=_UPLOAD_DOC)
async def publish_template(request: Request, principal: PrincipalDep, state: StateDep,
                           area: AreaQuery = None) -> dict[str, Any]:
    principal.require_role("admin")
    body = await request.body()
    ip = request.client.host if request.client else None
    # reading a workbook takes seconds and memory: never in the event loop (other users wait there)
    result: dict[str, Any] = await run_in_threadpool(_publish, request.headers.get("content-type", ""), body,
                                                     principal, state, area, ip)
    return result


def _target_area(state: ServerState, principal: Principal, area: str | None) -> str:
    if area is None:
        return principal.roots[0]
    if not principal.covers(area):
        raise ApiError(403, "forbidden", f"区域 {area} 不在您的管辖范围内", f"area {area} is outside your scope")
    with state.db.read() as conn:
        found = repo_users.get_area(conn, area)
    if found is None or found.get("retired_at"):
        raise ApiError(422, "invalid_area", f"参数 area：区域 {area} 不存在", f"area: no such area {area}")
    return area


def _invalid(problems: list[dict[str, Any]], zh: str = "模板有错误，未发布",
             en: str = "the template has errors; not published") -> ApiError:
    return ApiError(422, "template_invalid", zh, en, details={"problems": problems})


def _publish(content_type: str, body: bytes, principal: Principal, state: ServerState, area_code: str | None,
             ip: str | None) -> dict[str, Any]:
    area = _target_area(state, principal, area_code)
    filename, data = file_part(content_type, body)
    from forms.errors import TemplateError

    problems = state.template_checker().check(data, filename)  # in a child with memory and time limits
    if problems is not None:
        raise _invalid(problems)
    try:
        template = load_template_bytes(data, filename)  # the child read it within the limits
    except TemplateError as exc:
        raise _invalid([p.to_json() for p in exc.problems]) from exc
    if not template.form_id or not template.version:
        raise _invalid([{"sheet": "settings", "row": None, "column": None, "position": None,
                         "code": "missing", "severity": "error",
                         "message": "settings must give form_id and version"}],
                       "模板缺少 form_id 或 version", "settings need form_id and version")

    def work(w: Writer) -> dict[str, Any]:
        if repo_templates.exists(w.conn, template.form_id, template.version, area):
            raise conflict("该模板版本已在本区域（或其上级、下级）发布",
                           f"{template.form_id} version {template.version} is already published in this area, "
                           "above it or below it")
        meta = repo_templates.publish(w, template, data, area, principal.user_id)
        audit.record(w.conn, "template_publish", actor=principal,
                     target=repo_templates.template_key(template.form_id, template.version, area),
                     detail={"form_id": template.form_id, "version": template.version, "area": area,
                             "sha256": meta["sha256"], "file": filename}, ip=ip)
        return meta

    return state.db.write_retrying(work)


@router.get("/templates")
def list_templates(principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    with state.db.read() as conn:
        return {"items": repo_templates.list_visible(conn, principal)}


@router.get("/templates/{form_id}/{version}/xlsx")
def download_template(
    form_id: Annotated[str, Path(max_length=100)], version: Annotated[str, Path(max_length=64)],
    principal: PrincipalDep, state: StateDep,
) -> Response:
    with state.db.read() as conn:
        visible = [w for w in repo_templates.workbooks(conn, form_id, version) if principal.sees_area(w[1])]
    if not visible:
        raise not_found("no such template")
    return Response(visible[0][0], media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.post("/templates/{form_id}/{version}/withdraw")
def withdraw_template(
    form_id: Annotated[str, Path(max_length=100)], version: Annotated[str, Path(max_length=64)],
    request: Request, principal: PrincipalDep, state: StateDep, area: AreaQuery = None,
) -> dict[str, Any]:
    """Withdraw a version: no longer offered to devices (the feed deletes it there), still kept and
    downloadable, so that submissions made under it are validated by it. Refused (409) when no other
    version of the form would stay in force in its area."""
    principal.require_role("admin")
    ip = request.client.host if request.client else None

    def work(w: Writer) -> dict[str, Any]:
        rows = [r for r in repo_templates.versions_in(w.conn, form_id, version)
                if principal.covers(r.area) and (area is None or r.area == area)]
        if not rows:
            raise not_found(f"no version {form_id}@{version} published in your areas")
        if len(rows) > 1:
            raise ApiError(422, "ambiguous_area", "该版本在多个区域发布，请用参数 area 指明区域",
                           f"{form_id}@{version} is published in several areas; name one with ?area=",
                           details={"areas": [r.area for r in rows]})
        row = rows[0]
        if row.withdrawn_at is not None:
            raise conflict("该版本已撤回", f"{form_id}@{version} is already withdrawn")
        done = repo_templates.withdraw(w, form_id, version, row.area, principal.user_id)
        if done is None:
            raise conflict("本区域没有该表单的其他有效版本，不能撤回（请先发布新版本）",
                           f"no other version of {form_id} is in force in area {row.area}; publish one first")
        audit.record(w.conn, "template_withdraw", actor=principal,
                     target=repo_templates.template_key(form_id, version, row.area),
                     detail={"form_id": form_id, "version": version, "area": row.area}, ip=ip)
        return done

    return state.db.write_retrying(work)
