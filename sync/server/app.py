"""The application factory: routes under /api/v1, JSON errors, gzip, request size limit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import protocol
from sync.server.config import ServerConfig
from sync.server.errors import error_body, install_handlers
from sync.server.routes import admin, auth, entities, review, stats, sync, templates
from sync.server.state import ServerState

VERSION = "0.1.0"


class BodyLimit:
    """Refuse request bodies above ``limit`` bytes with 413, by header and while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send, 413 if declared.isdigit() else 400)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, 413)

    async def _refuse(self, send: Send, status: int) -> None:
        import json

        if status == 413:
            body = error_body("payload_too_large", "请求内容过大", {"message_en": f"request body above {self.limit} bytes"})
        else:
            body = error_body("bad_request", "请求格式错误", {"message_en": "invalid Content-Length"})
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]})
        await send({"type": "http.response.body", "body": raw})


class _TooLarge(Exception):
    pass


def create_app(config: ServerConfig | str, state: ServerState | None = None) -> FastAPI:
    """Build the app for a database that ``ybt server init`` has prepared."""
    if isinstance(config, str):
        config = ServerConfig(db_url=config)
    app = FastAPI(title="一表通 district platform", version=VERSION, openapi_url="/openapi.json",
                  docs_url="/docs", redoc_url=None)
    app.state.ybt = state or ServerState.open(config)
    install_handlers(app)
    api = APIRouter(prefix=protocol.API_PREFIX)
    for module in (auth, sync, review, entities, templates, admin, stats):
        api.include_router(module.router)

    @api.get("/health", tags=["health"])
    def health() -> dict[str, Any]:
        return {"ok": True, "version": VERSION, "protocol": protocol.PROTOCOL_VERSION}

    app.include_router(api)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)
    return app
