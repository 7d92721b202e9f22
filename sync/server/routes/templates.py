"""``/templates``: publish (admin, multipart .xlsx), list, download."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from sync.server import repo_templates
from sync.server.db import Writer
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import ApiError, conflict, not_found
from sync.server.multipart import file_part
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
    filename, data = file_part(request.headers.get("content-type", ""), await request.body())
    from forms.errors import TemplateError

    try:
        template = load_template_bytes(data, filename)
    except TemplateError as exc:
        raise ApiError(422, "template_invalid", "模板有错误，未发布", "the template has errors; not published",
                       details={"problems": [p.to_json() for p in exc.problems]}) from exc
    if not template.form_id or not template.version:
        raise ApiError(422, "template_invalid", "模板缺少 form_id 或 version", "settings need form_id and version",
                       details={"problems": [{"sheet": "settings", "row": None, "column": None, "position": None,
                                              "code": "missing", "severity": "error",
                                              "message": "settings must give form_id and version"}]})
    area = principal.roots[0]

    def work(w: Writer) -> dict[str, Any]:
        if repo_templates.exists(w.conn, template.form_id, template.version):
            raise conflict("该模板版本已发布", f"{template.form_id} version {template.version} is already published")
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
        found = repo_templates.xlsx_bytes(conn, form_id, version)
    if found is None or not principal.sees_area(found[1]):
        raise not_found("no such template")
    return Response(found[0], media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
