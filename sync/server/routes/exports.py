"""``/ledgers`` (list, publish: admin, multipart .xlsx, checked with every problem located) and
``/exports`` (start a job, its progress, its file), scoped by role and area, audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sync.server import ledger_exports
from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import ApiError
from sync.server.multipart import file_part

router = APIRouter(tags=["exports"])

_UPLOAD_DOC: dict[str, Any] = {
    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}},
    "responses": {"422": {"description": "the ledger template has errors (details.problems: sheet, row, column, "
                                         "position, code, message)"}},
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "area outside the caller's scope, or the role may not unmask / read a sensitive tag"},
    404: {"description": "no such ledger or job"},
    422: {"description": "invalid input (format, reason missing for an unmasked export)"},
}
_MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}
JobId = Annotated[str, Path(max_length=32, pattern="^[0-9a-f]{32}$")]


class ExportBody(BaseModel):
    ledger: str = Field(min_length=1, max_length=200, description="ledger name (published or shipped)")
    area: str | None = Field(default=None, max_length=32, pattern="^[0-9]+$",
                             description="area code (default: the caller's area)")
    format: str = Field(default="xlsx", pattern="^(xlsx|csv)$")
    unmasked: bool = False
    reason: str = Field(default="", max_length=500)


@router.get("/ledgers")
def list_ledgers(principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    with state.db.read() as conn:
        return {"items": ledger_exports.list_ledgers(conn)}


@router.post("/ledgers", status_code=201, openapi_extra=_UPLOAD_DOC)
async def publish_ledger(request: Request, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    principal.require_role("admin")
    body = await request.body()
    _, data = file_part(request.headers.get("content-type", ""), body)

    def work() -> dict[str, Any]:
        return state.db.write_retrying(lambda w: ledger_exports.publish(w.conn, data, principal))

    return await run_in_threadpool(work)


@router.post("/exports", status_code=202, responses=_ERRORS)
def start_export(body: ExportBody, request: Request, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    if body.unmasked and not body.reason.strip():
        raise ApiError(422, "reason_required", "参数 reason：导出未脱敏数据须填写理由",
                       "reason: an unmasked export needs a stated reason")
    ip = request.client.host if request.client else None
    job = state.exports.start(state.db, principal, body.ledger, body.area, body.format, body.unmasked,
                              body.reason, ip)
    return job.to_json()


@router.get("/exports/{job_id}", responses=_ERRORS)
def export_progress(job_id: JobId, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    return state.exports.get(job_id, principal).to_json()


@router.get("/exports/{job_id}/file", responses={**_ERRORS, 409: {"description": "the job has not finished"}})
def export_file(job_id: JobId, principal: PrincipalDep, state: StateDep) -> FileResponse:
    job = state.exports.get(job_id, principal)
    if job.status != "done" or job.path is None or not job.path.exists():
        raise ApiError(409, "not_ready", "导出尚未完成", f"the export is {job.status}")
    name = f"{job.ledger.replace('/', '_')}.{job.format}"
    return FileResponse(job.path, media_type=_MEDIA[job.format], filename=name)
