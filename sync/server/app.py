"""The application factory: routes under /api/v1, JSON errors, gzip, and the input boundary."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import protocol
from sync.server import platform_settings
from sync.server.config import ServerConfig
from sync.server.errors import error_body, install_handlers
from sync.server.models import ERROR_RESPONSES
from sync.server.routes import (
    admin,
    areas,
    audit,
    auth,
    dashboard,
    devices,
    entities,
    exports,
    imports,
    review,
    stats,
    sync,
    templates,
    visits,
)
from sync.server.routes import metrics as metrics_routes
from sync.server.routes.account_routers import ROUTERS as ACCOUNT_ROUTERS
from sync.server.routes.metrics import RequestMetrics
from sync.server.state import ServerState

VERSION = "0.1.0"


#: A JSON escape of a UTF-16 surrogate: the only way a JSON text in valid UTF-8 can carry a lone one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _NotFinite(ValueError):
    """``NaN`` / ``Infinity`` met while parsing (Python's json reads them; JSON has no such numbers)."""


def _not_finite(token: str) -> Any:
    raise _NotFinite(token)


def body_problem(body: bytes, content_type: bytes) -> str | None:
    """Why a request body is refused at the door, or None. One boundary for every route and every
    content type but multipart uploads (files): text must be valid UTF-8 with no NUL (PostgreSQL text
    cannot hold one), a JSON text must not carry a lone UTF-16 surrogate (stored, it would make every
    response that contains it fail to encode) nor NaN / Infinity (not JSON; strict parsers refuse them)."""
    if content_type.lower().startswith(b"multipart/") or not body:
        return None
    if b"\x00" in body or b"\\u0000" in body:
        return "NUL character in the request body"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"request body is not valid UTF-8 (byte {exc.start})"
    if _SURROGATE_ESCAPE.search(body) is None and b"NaN" not in body and b"Infinity" not in body:
        return None  # the common case: nothing that needs the full parse
    try:
        value = json.loads(body, parse_constant=_not_finite)
    except _NotFinite:
        return "NaN and Infinity are not JSON numbers"
    except ValueError:
        return None  # not JSON at all: the route answers that
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "text that is not valid Unicode (a lone UTF-16 surrogate) in the request body"
    return None


class BodyLimit:
    """The input boundary: refuse request bodies above ``limit`` bytes with 413 (by header and while
    streaming), NUL in the URL, and bodies :func:`body_problem` refuses, with 400."""

    def __init__(self, app: ASGIApp, limit: int, raised: dict[str, int] | None = None) -> None:
        self.app, self.default_limit = app, limit
        #: path -> a higher limit for that endpoint alone (the import upload)
        self.raised = dict(raised or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.raised.get(scope.get("path", ""), self.default_limit)
        headers = dict(scope.get("headers") or [])
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            await self._refuse(send, 400, "NUL character in the URL")
            return
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(send, 413 if declared.isdigit() else 400, limit=limit)
            return
        # Read the whole body first (at most ``limit`` bytes), then replay it to the app.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([], message), send)
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                await self._refuse(send, 413, limit=limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = body_problem(body, headers.get(b"content-type", b""))
        if problem is not None:
            await self._refuse(send, 400, problem)
            return
        await self.app(scope, _replay([body], None, receive), send)

    async def _refuse(self, send: Send, status: int, reason: str = "invalid Content-Length", *,
                      limit: int = 0) -> None:
        if status == 413:
            body = error_body("payload_too_large", "请求内容过大", {"message_en": f"request body above {limit or self.default_limit} bytes"})
        else:
            body = error_body("bad_request", "请求格式错误", {"message_en": reason})
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]})
        await send({"type": "http.response.body", "body": raw})


def _replay(chunks: list[bytes], final: Message | None, receive: Receive | None = None) -> Receive:
    """A ``receive`` that hands out the buffered body, then defers to the real one (for disconnects)."""
    pending = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}] if final is None else [final]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        if receive is not None:
            return await receive()
        return {"type": "http.disconnect"}

    return replay


DB_URL_ENV = "YBT_SERVER_DB"
VISIT_CYCLE_ENV = "YBT_VISIT_CYCLE"
TRUSTED_PROXIES_ENV = "YBT_TRUSTED_PROXIES"
METRICS_ALLOW_ENV = "YBT_METRICS_ALLOW"


def app_from_env() -> FastAPI:
    """Factory for several uvicorn worker processes (``ybt server run --workers N``): the URL is in the env."""
    import os

    def addresses(name: str) -> tuple[str, ...]:
        return tuple(a.strip() for a in os.environ.get(name, "").split(",") if a.strip())

    return create_app(ServerConfig(db_url=os.environ[DB_URL_ENV],
                                   visit_cycle=os.environ.get(VISIT_CYCLE_ENV) or protocol.DEFAULT_VISIT_CYCLE,
                                   trusted_proxies=addresses(TRUSTED_PROXIES_ENV),
                                   metrics_allow=addresses(METRICS_ALLOW_ENV)))


def create_app(config: ServerConfig | str, state: ServerState | None = None) -> FastAPI:
    """Build the app for a database that ``ybt server init`` has prepared."""
    if isinstance(config, str):
        config = ServerConfig(db_url=config)
    app = FastAPI(title="一表通 district platform", version=VERSION, openapi_url="/openapi.json",
                  docs_url="/docs", redoc_url=None)
    app.state.ybt = state or ServerState.open(config)
    install_handlers(app)
    api = APIRouter(prefix=protocol.API_PREFIX, responses=ERROR_RESPONSES)
    for module in (auth, sync, visits, review, entities, templates, areas, admin, stats, devices, audit, dashboard,
                   imports, exports):
        api.include_router(module.router)
    for router in ACCOUNT_ROUTERS:
        api.include_router(router)

    @api.get("/health", tags=["health"])
    def health() -> dict[str, Any]:
        """Also the platform's ``min_client_version`` (null: every version may push): the app checks
        it before logging in."""
        with app.state.ybt.db.read() as conn:
            minimum = platform_settings.get(conn, platform_settings.MIN_CLIENT_VERSION)
        return {"ok": True, "version": VERSION, "protocol": protocol.PROTOCOL_VERSION,
                "min_client_version": minimum}

    app.include_router(api)
    app.include_router(metrics_routes.router)
    app.add_middleware(RequestMetrics, registry=app.state.ybt.metrics)
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(BodyLimit, limit=config.max_body_bytes,
                       raised={f"{protocol.API_PREFIX}/imports": imports.IMPORT_MAX_BYTES})
    return app
