"""The review and stats calls of the platform API, and readable texts for their failures.

No Qt here: every function runs on a background thread (``desktop.workers.run_in_background``) and
returns plain JSON-shaped data; the screens call them through :class:`ReviewApi`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from desktop.i18n import tr
from desktop.platform_api import Offline, PlatformApi
from sync.client.errors import (
    LoginRequired,
    PermissionDenied,
    ProtocolError,
    RateLimited,
    ServerError,
    SyncError,
    Unreachable,
)

STATUSES = ("pending", "returned", "approved", "all")
PAGE_SIZE = 50


def _id(value: str) -> str:
    return quote(str(value), safe="")


class ReviewApi(PlatformApi):
    """The supervisor's calls (queue, detail, decisions, history, visits, stats)."""

    def queue(self, status: str = "pending", offset: int = 0, limit: int = PAGE_SIZE) -> dict[str, Any]:
        if status not in STATUSES:
            raise ValueError(f"unknown review status {status!r}")
        body = self._need().get("/review/queue", {"status": status, "limit": limit, "offset": offset})
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise ProtocolError("/review/queue: items missing")
        return body

    def detail(self, submission_id: str) -> dict[str, Any]:
        body = self._need().get(f"/review/{_id(submission_id)}")
        if not isinstance(body, dict) or not isinstance(body.get("changes"), list):
            raise ProtocolError("/review/{id}: changes missing")
        return body

    def approve(self, submission_id: str) -> dict[str, Any]:
        body = self._need().post(f"/review/{_id(submission_id)}/decision", {"decision": "approve"})
        return body if isinstance(body, dict) else {}

    def send_back(self, submission_id: str, comment: str, comments: list[dict[str, str]]) -> dict[str, Any]:
        payload = {"decision": "return", "comment": comment, "comments": comments}
        body = self._need().post(f"/review/{_id(submission_id)}/decision", payload)
        return body if isinstance(body, dict) else {}

    def history(self, entity_id: str) -> dict[str, Any]:
        body = self._need().get(f"/entities/{_id(entity_id)}/history")
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise ProtocolError("/entities/{id}/history: items missing")
        return body

    def visits(self, entity_id: str, limit: int = 5) -> dict[str, Any]:
        """The visit history of a house, or of a person's house (newest first: a person who moved out
        on the visit is not among those it saw), and the house's verification this cycle."""
        client = self._need()
        entity = client.get(f"/entities/{_id(entity_id)}")
        house_id = entity.get("house_id") if isinstance(entity, dict) and entity.get("kind") == "person" else None
        body = client.get("/visits", {"house_id": house_id, "limit": limit} if house_id
                          else {"entity_id": entity_id, "limit": limit})
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise ProtocolError("/visits: items missing")
        return body

    def stats(self, area: str | None = None) -> dict[str, Any]:
        body = self._need().get("/stats", {"area": area} if area else None)
        if not isinstance(body, dict):
            raise ProtocolError("/stats: expected an object")
        return body


    def dashboard(self, area: str | None = None, stale_days: int = 3) -> dict[str, Any]:
        """``GET /dashboard``: coverage of ``area`` (default: the community) by child area."""
        params: dict[str, Any] = {"stale_days": stale_days}
        if area:
            params["area"] = area
        body = self._need().get("/dashboard", params)
        if not isinstance(body, dict):
            raise ProtocolError("/dashboard: expected an object")
        return body


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, ServerError) and exc.status == 409


def error_text(exc: BaseException, lang: str = "zh") -> str:
    """What to tell the supervisor about a failed call: one readable sentence, never a traceback."""
    if isinstance(exc, Offline):
        return tr("离线：没有连接到平台。审核和统计需要联网，请联网后重新登录或稍后重试。")
    if isinstance(exc, Unreachable):
        return tr("无法连接平台服务器，请检查网络后点“刷新”重试。")
    if isinstance(exc, LoginRequired):
        return tr("登录已失效，请重新登录后再审核。")
    if isinstance(exc, PermissionDenied):
        return tr("没有权限：{message}", message=exc.message(lang))
    if isinstance(exc, RateLimited):
        return exc.message(lang)
    if isinstance(exc, ServerError):
        if exc.status == 404:
            return tr("平台上找不到这条记录（可能不在您的范围内）。")
        return exc.message(lang)
    if isinstance(exc, SyncError):
        return exc.message(lang)
    return tr("出错了：{error}", error=str(exc) or type(exc).__name__)
