"""JSON errors: every failure answers ``{"code", "message", "details"}`` with a proper status."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("ybt.server")


class ApiError(Exception):
    """An error with a stable code, a Chinese message for the user and an English one in details."""

    def __init__(
        self, status: int, code: str, message: str, message_en: str = "", *,
        details: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message_en or message)
        self.status = status
        self.code = code
        self.message = message
        self.details = {"message_en": message_en or message, **(details or {})}
        self.headers = headers


def not_found(what_en: str = "not found") -> ApiError:
    return ApiError(404, "not_found", "未找到", what_en)


def forbidden(what_en: str = "not allowed for your role or area") -> ApiError:
    return ApiError(403, "forbidden", "无权执行该操作", what_en)


def bad_request(message: str, message_en: str, **details: Any) -> ApiError:
    return ApiError(400, "bad_request", message, message_en, details=details)


def conflict(message: str, message_en: str, **details: Any) -> ApiError:
    return ApiError(409, "conflict", message, message_en, details=details)


_STATUS_CODES = {
    400: ("bad_request", "请求格式错误", "bad request"),
    401: ("unauthorized", "未登录或登录已失效", "not authenticated"),
    403: ("forbidden", "无权执行该操作", "forbidden"),
    404: ("not_found", "未找到", "not found"),
    405: ("method_not_allowed", "不支持该请求方法", "method not allowed"),
    406: ("bad_request", "不支持的响应格式", "not acceptable"),
    413: ("payload_too_large", "请求内容过大", "request body too large"),
    415: ("unsupported_media_type", "不支持的内容类型", "unsupported media type"),
    422: ("validation_error", "请求内容不符合要求", "request failed validation"),
    429: ("too_many_requests", "请求过于频繁", "too many requests"),
}


class FastJSON(JSONResponse):
    """A JSON response rendered straight from plain dicts (skipping FastAPI's jsonable_encoder walk)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def error_body(code: str, message: str, details: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def allowed_methods(request: Request) -> list[str]:
    """The methods the OpenAPI document gives the request's path (plus OPTIONS); [] for no such path."""
    app = request.app
    table = getattr(app.state, "ybt_paths", None)
    if table is None:
        table = []
        for path, operations in app.openapi().get("paths", {}).items():
            pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")
            table.append((pattern, sorted(m.upper() for m in operations if m.lower() in _HTTP_METHODS)))
        app.state.ybt_paths = table
    path = request.url.path
    methods = {m for pattern, ms in table if pattern.match(path) for m in ms}
    return sorted(methods | {"OPTIONS"}) if methods else []


_HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def install_handlers(app: FastAPI) -> None:
    @app.middleware("http")
    async def _options(request: Request, call_next: Any) -> Any:
        """``OPTIONS`` answers 204 with ``Allow`` listing every method of the path (404 for no path)."""
        if request.method == "OPTIONS":
            allowed = allowed_methods(request)
            if allowed:
                from starlette.responses import Response

                return Response(status_code=204, headers={"Allow": ", ".join(allowed)})
        return await call_next(request)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, exc.details), exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        if any(e["type"] == "json_invalid" for e in errors):
            return JSONResponse(
                error_body("bad_request", "请求内容不是有效的 JSON", {"message_en": "malformed JSON", "errors": errors}),
                400,
            )
        return JSONResponse(
            error_body("validation_error", "请求内容不符合要求",
                       {"message_en": "request failed validation", "errors": _json_safe(errors)}),
            422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, zh, en = _STATUS_CODES.get(exc.status_code, ("bad_request", "请求错误", "request error"))
        if exc.status_code >= 500:
            code, zh, en = "internal_error", "服务器内部错误", "internal server error"
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail else en
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # every method the path has, not only the first route's
            headers["Allow"] = ", ".join(allowed_methods(request))
        return JSONResponse(error_body(code, zh, {"message_en": detail}), exc.status_code, headers=headers or None)

    @app.exception_handler(DataError)
    async def _data_error(_request: Request, exc: DataError) -> JSONResponse:
        log.warning("database refused a value: %s", exc.orig)
        return JSONResponse(error_body("bad_request", "请求中的值无法保存", {"message_en": "a value is out of range or malformed"}), 400)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(
            error_body("internal_error", "服务器内部错误", {"message_en": "internal server error"}), 500
        )
