"""Imports (admin): ``POST /imports`` (multipart: the file and the options) starts a background job and
answers at once; ``GET /imports/{id}`` gives its status, progress, counts and a page of issues;
``GET /imports/{id}/report.xlsx`` the annotated copy of the file; ``POST /imports/{id}/apply`` writes it
(all or nothing); ``POST /imports/{id}/cancel``; ``GET/POST /import-mappings`` the saved mappings.

This is the one endpoint whose body may exceed the platform's limit: up to :data:`IMPORT_MAX_BYTES`
(see ``sync/server/app.py``).
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from sync.server.deps import PrincipalDep, StateDep
from sync.server.errors import ApiError, not_found
from sync.server.imports import mappings
from sync.server.imports.check import open_for
from sync.server.imports.jobs import Job, jobs_of
from sync.server.imports.options import KINDS, MODES, ON_ERROR, ImportOptions
from sync.server.multipart import form_parts
from sync.server.scope import Principal

router = APIRouter(tags=["imports"])
#: the largest upload ``POST /imports`` accepts (a 1,000,000-row × 30-column .xlsx is about 150 MB)
IMPORT_MAX_BYTES = 256 * 1024 * 1024
ImportId = Annotated[str, Path(min_length=1, max_length=36)]
_UPLOAD_DOC: dict[str, Any] = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "kind"], "properties": {
        "file": {"type": "string", "format": "binary"},
        "kind": {"type": "string", "enum": list(KINDS)}, "mode": {"type": "string", "enum": list(MODES)},
        "source": {"type": "string", "description": "return mode: the department (e.g. 民政)"},
        "tag": {"type": "string", "description": "return mode: the tag every row carries"},
        "sheet": {"type": "string"}, "on_error": {"type": "string", "enum": list(ON_ERROR)},
        "mapping": {"type": "string", "description": "JSON object: header as written -> field"},
        "mapping_name": {"type": "string", "description": "a saved mapping's name"},
        "as_of": {"type": "string", "description": "return mode: the day the list describes (YYYY-MM-DD)"},
        "incremental": {"type": "string", "description": "return mode: true = only add tags"}}}}}}}
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such import of yours"}, 409: {"description": "not in a state that allows this"},
    413: {"description": f"the file is above {IMPORT_MAX_BYTES} bytes"},
    415: {"description": "not multipart/form-data"}, 422: {"description": "bad option (which and why)"}}


def _bad(field: str, zh: str, en: str) -> ApiError:
    return ApiError(422, "validation_error", zh, en,
                    details={"errors": [{"loc": ["body", field], "msg": en, "type": "value_error"}]})


def _text(parts: dict[str, tuple[str | None, bytes]], name: str) -> str:
    found = parts.get(name)
    if found is None:
        return ""
    try:
        return found[1].decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise _bad(name, f"{name} 不是 UTF-8 文本", f"{name} is not UTF-8 text") from exc


def _options(state: Any, parts: dict[str, tuple[str | None, bytes]]) -> ImportOptions:
    kind = _text(parts, "kind") or "person"
    if kind not in KINDS:
        raise _bad("kind", f"暂只支持导入人员（kind=person），不支持 {kind}",
                   f"kind must be one of {', '.join(KINDS)} (houses and households are not importable yet)")
    mode = _text(parts, "mode") or "load"
    if mode not in MODES:
        raise _bad("mode", "mode 须为 load 或 return", "mode must be load or return")
    on_error = _text(parts, "on_error") or "skip"
    if on_error not in ON_ERROR:
        raise _bad("on_error", "on_error 须为 skip 或 abort", "on_error must be skip or abort")
    source, tag = _text(parts, "source"), _text(parts, "tag")
    if mode == "return" and not source:
        raise _bad("source", "回流导入须写明来源部门（source）", "a return import needs its source (e.g. 民政)")
    columns: dict[str, str] = {}
    name = _text(parts, "mapping_name")
    if name:
        with state.db.read() as conn:
            saved = mappings.get(conn, name)
        if saved is None:
            raise _bad("mapping_name", f"没有名为“{name}”的已存映射", f"no saved mapping named '{name}'")
        columns.update(saved.get("columns") or {})
    raw = _text(parts, "mapping")
    if raw:
        try:
            given = json.loads(raw)
        except ValueError as exc:
            raise _bad("mapping", "mapping 不是 JSON 对象", "mapping is not a JSON object") from exc
        if not isinstance(given, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in given.items()):
            raise _bad("mapping", "mapping 须为 {列名: 字段名}", "mapping must be an object {header: field}")
        columns.update(given)
    as_of = _text(parts, "as_of")
    if as_of:
        try:
            as_of = date.fromisoformat(as_of).isoformat()
        except ValueError as exc:
            raise _bad("as_of", "as_of 须为日期 YYYY-MM-DD", "as_of must be a day YYYY-MM-DD") from exc
    return ImportOptions(kind=kind, as_of=as_of, mode=mode, source=source[:100], tag=tag[:100], sheet=_text(parts, "sheet") or None,
                         on_error=on_error, incremental=_text(parts, "incremental").lower() in ("1", "true", "yes"),
                         mapping=columns, mapping_name=name)


@router.post("/imports", status_code=202, openapi_extra=_UPLOAD_DOC, responses=_ERRORS)
async def start_import(request: Request, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """Start checking a file (the dry run) in the background: ``{"id", "status"}`` at once."""
    principal.require_role("admin")
    body = await request.body()
    parts = form_parts(request.headers.get("content-type", ""), body)
    file = parts.get("file")
    if file is None or not file[1]:
        raise _bad("file", "缺少文件（字段 file）或文件是空的", "no file (part 'file') or the file is empty")
    options = await run_in_threadpool(_options, state, parts)
    job = jobs_of(state).submit(principal, FilePath(file[0] or "import.xlsx").name[:200], file[1], options)
    return {"id": job.id, "status": job.status}


def _job(state: Any, principal: Principal, import_id: str) -> Job:
    principal.require_role("admin")
    job = jobs_of(state).get(import_id, principal)
    if job is None:
        raise not_found("no such import of yours")
    return job


@router.get("/imports/{import_id}", responses=_ERRORS)
def get_import(import_id: ImportId, principal: PrincipalDep, state: StateDep,
               offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
               limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
               severity: Annotated[str | None, Query(pattern="^(error|warning)$")] = None) -> dict[str, Any]:
    """Status, progress, counts and one page of the issues (``offset``/``limit``; ``issues_total``)."""
    job = _job(state, principal, import_id)
    out = job.view()
    issues = job.checked.issues if job.checked is not None else []
    if severity:
        issues = [i for i in issues if i.severity == severity]
    out["issues_total"] = len(issues)
    out["issues"] = [i.to_json() for i in issues[offset:offset + limit]]
    return out


@router.post("/imports/{import_id}/apply", status_code=202, responses=_ERRORS)
def apply_import(import_id: ImportId, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """Write the checked import (in the background; poll ``GET /imports/{id}``)."""
    job = _job(state, principal, import_id)
    if job.status != "checked":
        raise ApiError(409, "not_checked", "只有检查完毕、尚未导入的文件才能导入",
                       f"only a checked import that is not applied can be applied (this one is {job.status})")
    jobs_of(state).apply(job)
    return {"id": job.id, "status": job.status}


@router.post("/imports/{import_id}/cancel", responses=_ERRORS)
def cancel_import(import_id: ImportId, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """Stop a job that is checking or applying (an apply stopped midway changes nothing)."""
    job = _job(state, principal, import_id)
    job.cancel.set()
    return {"id": job.id, "status": job.status}


@router.get("/imports/{import_id}/report.xlsx", responses=_ERRORS, response_class=FileResponse)
def import_report(import_id: ImportId, principal: PrincipalDep, state: StateDep, lang: str = "zh") -> FileResponse:
    """The annotated copy of the file: its sheet with a 问题 column, faulty cells filled and commented."""
    from forms.ingest.report import write_report

    job = _job(state, principal, import_id)
    if job.checked is None:
        raise ApiError(409, "not_checked", "文件还在检查中", f"the file is not checked yet ({job.status})")
    with state.db.read() as conn:
        from sync.server.submit_plan import _load_templates

        tpl = _load_templates(state, conn, principal.roots[0])[job.options.kind]
    table = open_for(job.path, tpl, job.options)
    by_row = job.checked.issues_of()
    out = FilePath(tempfile.mkstemp(suffix=".xlsx", prefix="ybt-report-")[1])
    write_report(job.path, table, lambda n: by_row.get(n, []), out, lang="en" if lang == "en" else "zh")
    name = FilePath(job.file).stem + "-问题.xlsx"
    return FileResponse(out, filename=name, background=BackgroundTask(out.unlink, missing_ok=True),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class MappingIn(BaseModel):
    name: str = Field(min_length=1, max_length=48)
    kind: str = Field(default="person", pattern="^(person|house|household)$")
    columns: dict[str, str] = Field(max_length=500)


@router.get("/import-mappings")
def list_mappings(principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """The saved column mappings (one per department's file layout)."""
    principal.require_role("admin")
    with state.db.read() as conn:
        return {"items": mappings.list_all(conn)}


@router.post("/import-mappings", responses={422: {"description": "bad name or columns"}})
def save_mapping(body: MappingIn, principal: PrincipalDep, state: StateDep) -> dict[str, Any]:
    """Save (or replace) a named mapping: header as written -> field ("" ignores the column)."""
    principal.require_role("admin")
    return state.db.write_retrying(lambda w: mappings.put(w, body.name, body.kind, body.columns, principal.username))
