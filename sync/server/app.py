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
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            await self._refuse(send, 400, "NUL character in the URL")
            return
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send, 413 if declared.isdigit() else 400)
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
            if seen > self.limit:
                await self._refuse(send, 413)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if b"json" in headers.get(b"content-type", b"") and (b"\x00" in body or b"\\u0000" in body):
            # PostgreSQL text cannot hold NUL; refuse it for every backend alike
            await self._refuse(send, 400, "NUL character in the request body")
            return
        await self.app(scope, _replay([body], None, receive), send)

    async def _refuse(self, send: Send, status: int, reason: str = "invalid Content-Length") -> None:
        import json

        if status == 413:
            body = error_body("payload_too_large", "请求内容过大", {"message_en": f"request body above {self.limit} bytes"})
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


def app_from_env() -> FastAPI:
    """Factory for several uvicorn worker processes (``ybt server run --workers N``): the URL is in the env."""
    import os

    return create_app(ServerConfig(db_url=os.environ[DB_URL_ENV]))


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
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)
    return app
