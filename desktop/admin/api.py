"""The platform calls of the admin's screens (no Qt: they run on background threads).

Every admin action goes through the API (the CLI ``ybt admin`` calls the same endpoints). A screen
calls ``api.get/post/patch/upload`` with a path under ``/api/v1``; the session may be offline (no
client), which raises :class:`desktop.platform_api.Offline`, shown by :func:`error_text`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from desktop.platform_api import Offline, PlatformApi
from desktop.review.api import error_text
from sync.client.errors import ProtocolError

__all__ = ["AdminApi", "Offline", "error_text", "quote_id"]


def quote_id(value: str) -> str:
    return quote(str(value), safe="")


class AdminApi(PlatformApi):
    """Plain calls by path (``get``, ``items``, ``post``, ``patch``, ``upload``) for the admin's screens."""

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._need().get(path, {k: v for k, v in (params or {}).items() if v is not None} or None)

    def get_dict(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.get(path, params)
        if not isinstance(body, dict):
            raise ProtocolError(f"{path}: expected an object")
        return body

    def items(self, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The ``items`` list of a listing endpoint."""
        body = self.get_dict(path, params)
        items = body.get("items")
        if not isinstance(items, list):
            raise ProtocolError(f"{path}: items missing")
        return [i for i in items if isinstance(i, dict)]

    def post(self, path: str, body: Any) -> Any:
        return self._need().post(path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self._need().patch(path, body)

    def upload(self, path: str, filename: str, content: bytes, fields: dict[str, str] | None = None) -> Any:
        return self._need().upload(path, filename, content, fields)

    def download(self, path: str, params: dict[str, Any] | None = None) -> bytes:
        """A file the platform serves (the import's annotated workbook)."""
        data: bytes = self._need().download(path, params)
        return data
