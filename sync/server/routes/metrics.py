"""``GET /metrics`` (outside ``/api/v1``, as Prometheus expects) and the middleware that times every
request. Answered only to a scraper that reaches this process directly from loopback or from an
address in ``ServerConfig.metrics_allow``, not through the reverse proxy (a request carrying
``X-Forwarded-For`` came through nginx: refused, 403)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import protocol
from sync.server import metrics, migrate
from sync.server.deps import StateDep
from sync.server.errors import ApiError
from sync.server.models import ErrorOut

router = APIRouter(tags=["operations"])
LOOPBACK = ("127.0.0.1", "::1")


class RequestMetrics:
    """ASGI middleware: every HTTP request counted by method, route template and status, and timed."""

    def __init__(self, app: ASGIApp, registry: metrics.Metrics) -> None:
        self.app, self.registry = app, registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = [500]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, sending)
        finally:
            self.registry.observe_request(str(scope.get("method", "")), route_template(scope), status[0],
                                          time.perf_counter() - started)


def route_template(scope: Scope) -> str:
    """The matched route's path template (``/api/v1/entities/{entity_id}``), or ``unmatched``: one
    series per route, never one per URL. An included router's routes carry their path without the
    ``/api/v1`` prefix; it is put back from the request's path."""
    template = getattr(scope.get("route"), "path", None)
    if not isinstance(template, str):
        return metrics.UNMATCHED
    path = str(scope.get("path", ""))
    if path.startswith(protocol.API_PREFIX + "/") and not template.startswith(protocol.API_PREFIX + "/"):
        template = protocol.API_PREFIX + template
    return template


@router.get("/metrics", response_class=Response, summary="Prometheus metrics of this server process",
            responses={200: {"content": {metrics.CONTENT_TYPE.split(";")[0]: {}},
                             "description": "Prometheus text exposition format 0.0.4"},
                       403: {"model": ErrorOut, "description": "forbidden: not a direct scrape from an allowed address"}})
def get_metrics(request: Request, state: StateDep) -> Response:
    peer = request.client.host if request.client else ""
    allowed = peer in LOOPBACK or peer in state.config.metrics_allow
    if not allowed or request.headers.get("x-forwarded-for") is not None:
        raise ApiError(403, "forbidden", "只允许本机或指定的监控地址直接读取运行指标",
                       "/metrics answers only direct scrapes from loopback or the addresses in metrics_allow, "
                       "not requests through the reverse proxy")
    with state.db.read() as conn:
        gauges = metrics.database_gauges(conn)
    info: dict[str, Any] = {"version": request.app.version, "protocol": protocol.PROTOCOL_VERSION,
                            "schema": migrate.head_revision() or ""}
    return Response(state.metrics.render(gauges, info), media_type=metrics.CONTENT_TYPE)
