"""``/templates``: publish (admin, multipart .xlsx), list, download."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from sync.server import repo_templates
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


@router.post("/templates", status_code=201, openapi_extra=_UPLOAD_DOC)
async def publish_template(request: Request, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    principal.require_role("admin")
    body = await request.body()
    # reading a workbook takes seconds and memory: never in the event loop (other users wait there)
    result: dict[str, Any] = await run_in_threadpool(_publish, request.headers.get("content-type", ""), body,
                                                     principal, state)
    return result


def _invalid(problems: list[dict[str, Any]], zh: str = "模板有错误，未发布",
             en: str = "the template has errors; not published") -> ApiError:
    return ApiError(422, "template_invalid", zh, en, details={"problems": problems})


def _publish(content_type: str, body: bytes, principal: Principal, state: ServerState) -> dict[str, Any]:
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
    area = principal.roots[0]

    def work(w: Writer) -> dict[str, Any]:
        if repo_templates.exists(w.conn, template.form_id, template.version, area):
            raise conflict("该模板版本已在本区域（或其上级、下级）发布",
                           f"{template.form_id} version {template.version} is already published in this area, "
                           "above it or below it")
        return repo_templates.publish(w, template, data, area, principal.user_id)

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
