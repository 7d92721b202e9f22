"""The HTTP client of the platform API (``requests``): timeouts, retries, tokens, clear errors.

``ApiClient(server, device_id=..., tokens=TokenStore)``

- every request has a connect and a read timeout (``timeout=(connect, read)``);
- connection errors, timeouts, 5xx and 429 are retried with exponential backoff and full jitter
  (``RetryPolicy``), honouring ``Retry-After`` (seconds or an HTTP date) up to a cap; every call the
  engine makes is idempotent (pulls are reads, pushes carry client UUIDs), so a retry never
  duplicates anything;
- responses are gzip-compressed when the server agrees (``Accept-Encoding: gzip``), and request
  bodies above ``gzip_min_bytes`` are sent gzip-compressed (``Content-Encoding: gzip``) when
  ``gzip_requests`` is on;
- ``login`` / ``refresh`` / ``logout``; an access token that has expired (or a 401 answer) triggers
  one refresh and a replay; a refresh that fails raises :class:`LoginRequired`;
- failures end as the types of :mod:`sync.client.errors`; a backoff sleep ends early with
  :class:`Cancelled` when the ``cancel`` event is set.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from sync.client.errors import (
    AccountDisabled,
    AccountExpired,
    AuthFailed,
    ClientTooOld,
    DeviceRevoked,
    LoginRequired,
    PermissionDenied,
    ProtocolError,
    RateLimited,
    ServerError,
    SyncError,
    Unreachable,
)
from sync.client.tokens import MemoryTokens, Tokens, TokenStore
from sync.version import APP_VERSION, CLIENT_HEADER

API = "/api/v1"
USER_AGENT = "yibiaotong-client/0.1"



@dataclass(frozen=True)
class Upload:
    """A file to send as multipart/form-data (see :meth:`ApiClient.upload`)."""

    filename: str
    content: bytes
    fields: dict[str, str]

class Cancelled(SyncError):
    code = "cancelled"

    def __init__(self) -> None:
        super().__init__("已取消", "Cancelled")


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all; the wait before try k+1 is uniform in [0, min(cap, base * 2**k)]."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 20.0
    max_retry_after: float = 120.0

    def backoff(self, attempt: int) -> float:
        return random.uniform(0.0, min(self.cap, self.base * (2.0 ** attempt)))


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


#: Server error codes (``{"error": {"code": ...}}``) that mean something specific to the client.
AUTH_CODES: dict[str, type[AuthFailed]] = {
    "account_disabled": AccountDisabled,
    "account_expired": AccountExpired,
}
LOGIN_AGAIN_CODES = {"token_expired", "token_invalid", "token_revoked", "refresh_expired"}


def _epoch(value: Any) -> float:
    """Epoch seconds from an ISO 8601 timestamp ("...Z"); 0.0 if absent or unreadable."""
    if not isinstance(value, str) or not value:
        return 0.0
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _error_fields(response: requests.Response) -> tuple[str, str, str]:
    """(code, message, message_en) from the protocol's error body ``{"code", "message", "details"}``;
    tolerant of ``{"error": {...}}`` and FastAPI's bare ``detail``."""
    try:
        body = response.json()
    except ValueError:
        return f"http_{response.status_code}", response.reason or "", ""
    if isinstance(body, dict) and isinstance(body.get("code"), str):
        raw_details = body.get("details")
        details: dict[str, Any] = raw_details if isinstance(raw_details, dict) else {}
        return (str(body["code"]), str(body.get("message") or ""), str(details.get("message_en") or ""))
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return (str(err.get("code") or f"http_{response.status_code}"),
                    str(err.get("message") or err.get("message_zh") or ""),
                    str(err.get("message_en") or ""))
        detail = body.get("detail")
        if isinstance(detail, dict):
            return (str(detail.get("code") or f"http_{response.status_code}"),
                    str(detail.get("message") or ""), str(detail.get("message_en") or ""))
        if detail is not None:
            return f"http_{response.status_code}", json.dumps(detail, ensure_ascii=False)[:300], ""
    return f"http_{response.status_code}", response.reason or "", ""


def _details(response: requests.Response) -> dict[str, Any]:
    """The ``details`` object of an error body ({} when there is none)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    details = body.get("details") if isinstance(body, dict) else None
    return details if isinstance(details, dict) else {}


def _expect_dict(body: Any, where: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ProtocolError(f"{where}: expected a JSON object")
    return body


class ApiClient:
    """One user's session with one platform server."""

    def __init__(self, server: str, *, device_id: str, tokens: TokenStore | None = None,
                 username: str | None = None, timeout: tuple[float, float] = (5.0, 60.0),
                 retry: RetryPolicy | None = None, gzip_requests: bool = False, gzip_min_bytes: int = 2048,
                 session: requests.Session | None = None, app_version: str = APP_VERSION) -> None:
        self.server = server.rstrip("/")
        self.device_id = device_id
        self.tokens_store: TokenStore = tokens if tokens is not None else MemoryTokens()
        self.username = username
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.gzip_requests = gzip_requests
        self.gzip_min_bytes = gzip_min_bytes
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json",
                                     "Accept-Encoding": "gzip"})
        self.app_version = app_version
        self.cancel: threading.Event | None = None
        self._tokens: Tokens | None = None
        self._lock = threading.Lock()

    @property
    def app_version(self) -> str:
        """The version this client states in ``X-YBT-Client`` (the platform may refuse old ones' pushes)."""
        return str(self.session.headers[CLIENT_HEADER])

    @app_version.setter
    def app_version(self, value: str) -> None:
        self.session.headers[CLIENT_HEADER] = value

    # -- tokens -----------------------------------------------------------------------------------------

    @property
    def tokens(self) -> Tokens | None:
        if self._tokens is None and self.username:
            self._tokens = self.tokens_store.load(self.server, self.username)
        return self._tokens

    @property
    def user(self) -> dict[str, Any]:
        """The logged-in user as the server described it (role, scope, ...); empty if not logged in."""
        tokens = self.tokens
        return dict(tokens.user) if tokens else {}

    def _store_tokens(self, body: Any, username: str, user: dict[str, Any] | None = None) -> Tokens:
        if not isinstance(body, dict) or not body.get("access_token") or not body.get("refresh_token"):
            raise ProtocolError("login/refresh answer without access_token/refresh_token")
        now = time.time()
        access_at = _epoch(body.get("expires_at")) or (now + float(body.get("expires_in") or 0)
                                                       if body.get("expires_in") else 0.0)
        refresh_at = _epoch(body.get("refresh_expires_at")) or (
            now + float(body.get("refresh_expires_in") or 0) if body.get("refresh_expires_in") else 0.0)
        raw_user = body.get("user")
        info: dict[str, Any] = raw_user if isinstance(raw_user, dict) else (user or {})
        tokens = Tokens(server=self.server, username=username, access_token=str(body["access_token"]),
                        refresh_token=str(body["refresh_token"]),
                        access_expires_at=access_at, refresh_expires_at=refresh_at,
                        user=dict(info))
        self.tokens_store.save(tokens)
        self._tokens = tokens
        self.username = username
        return tokens

    def login(self, username: str, password: str) -> dict[str, Any]:
        """Log in; keeps the tokens in the token store; returns the user (role, scope)."""
        body = self._send("POST", "/auth/login",
                          {"username": username, "password": password, "device_id": self.device_id},
                          auth=False)
        return dict(self._store_tokens(body, username).user)

    def refresh(self) -> None:
        """Exchange the refresh token for a new access token; :class:`LoginRequired` if that fails."""
        with self._lock:
            tokens = self.tokens
            if tokens is None:
                raise LoginRequired("no refresh token")
            try:
                body = self._send("POST", "/auth/refresh", {"refresh_token": tokens.refresh_token},
                                  auth=False)
            except (AuthFailed, PermissionDenied) as exc:
                self.tokens_store.clear(self.server, tokens.username)
                self._tokens = None
                if isinstance(exc, AccountDisabled | AccountExpired):
                    raise
                raise LoginRequired(exc.detail) from exc
            self._store_tokens(body, tokens.username, tokens.user)

    def logout(self) -> None:
        """Revoke the session on the server (best effort) and forget the tokens locally."""
        tokens = self.tokens
        if tokens is None:
            return
        try:
            self._send("POST", "/auth/logout", {"refresh_token": tokens.refresh_token}, auth=True,
                       refresh_on_401=False)
        except SyncError:
            pass
        finally:
            self.forget_tokens()

    def forget_tokens(self) -> None:
        """Forget the session here without telling the server (logging out offline: the refresh
        token then simply expires on the platform)."""
        tokens = self.tokens
        if tokens is not None:
            self.tokens_store.clear(self.server, tokens.username)
        self._tokens = None

    # -- calls ------------------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """``GET /health`` (no login needed): ``{"ok": true, "version": ...}``."""
        return _expect_dict(self._send("GET", "/health", None, auth=False), "/health")

    def me(self) -> dict[str, Any]:
        return _expect_dict(self.get("/me"), "/me")

    def changes(self, since: str | None, limit: int) -> dict[str, Any]:
        """One pull page: ``{"items", "next_cursor", "has_more", "reset"}`` (shape checked)."""
        params: dict[str, Any] = {"limit": limit}
        if since:
            params["since"] = since
        page = _expect_dict(self.get("/changes", params), "/changes")
        if not isinstance(page.get("items"), list) or not isinstance(page.get("next_cursor"), str | int):
            raise ProtocolError("/changes: items or next_cursor missing")
        page["next_cursor"] = str(page["next_cursor"])
        page["has_more"] = bool(page.get("has_more"))
        page["reset"] = bool(page.get("reset"))
        return page

    def push(self, submissions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``POST /submissions``: one result per submission, in order (count and ids checked)."""
        body = _expect_dict(self.post("/submissions", {"submissions": submissions}), "/submissions")
        results = body.get("results")
        if not isinstance(results, list) or len(results) != len(submissions):
            raise ProtocolError("/submissions: results missing or not one per submission")
        for sent, result in zip(submissions, results, strict=True):
            if not isinstance(result, dict) or result.get("id") != sent.get("id"):
                raise ProtocolError(f"/submissions: result for {sent.get('id')} out of order or malformed")
        return results

    def push_visits(self, visits: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``POST /visits``: one result per visit, in order (count and ids checked)."""
        body = _expect_dict(self.post("/visits", {"visits": visits}), "/visits")
        results = body.get("results")
        if not isinstance(results, list) or len(results) != len(visits):
            raise ProtocolError("/visits: results missing or not one per visit")
        for sent, result in zip(visits, results, strict=True):
            if not isinstance(result, dict) or result.get("id") != sent.get("id"):
                raise ProtocolError(f"/visits: result for {sent.get('id')} out of order or malformed")
        return results

    def acknowledge_wipe(self, refresh_token: str) -> None:
        """``POST /devices/wiped``: this revoked device has wiped its store (proved by the refresh token,
        which still names the session after the platform ended it)."""
        self._send("POST", "/devices/wiped", {"refresh_token": refresh_token}, auth=False)

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._send("GET", path, None, params=params)

    def post(self, path: str, body: Any) -> Any:
        return self._send("POST", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self._send("PATCH", path, body)

    def download(self, path: str) -> bytes:
        """``GET`` a file: its body as bytes (errors raised as for every other call)."""
        tokens = self.tokens
        if tokens is None:
            raise LoginRequired("not logged in")
        if not tokens.access_valid():
            self.refresh()
        response = self._with_retries("GET", path, None, None, True)
        if response.status_code >= 300:
            self._decode(response, True)
        return bytes(response.content)

    def upload(self, path: str, filename: str, content: bytes, fields: dict[str, str] | None = None) -> Any:
        """``POST`` a file as multipart/form-data (part ``file``) with optional text fields."""
        return self._send("POST", path, Upload(filename, content, dict(fields or {})))

    def _send(self, method: str, path: str, body: Any, *, params: dict[str, Any] | None = None,
              auth: bool = True, refresh_on_401: bool = True) -> Any:
        if auth:
            tokens = self.tokens
            if tokens is None:
                raise LoginRequired("not logged in")
            if not tokens.access_valid():
                self.refresh()
        response = self._with_retries(method, path, body, params, auth)
        if response.status_code == 401 and auth and refresh_on_401:
            self.refresh()
            response = self._with_retries(method, path, body, params, auth)
        return self._decode(response, auth)

    def _request_once(self, method: str, url: str, body: Any, params: dict[str, Any] | None,
                      auth: bool) -> requests.Response:
        headers: dict[str, str] = {}
        data: bytes | None = None
        if isinstance(body, Upload):
            if auth and self._tokens is not None:
                headers["Authorization"] = f"Bearer {self._tokens.access_token}"
            files = {"file": (body.filename, body.content,
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
            return self.session.request(method, url, data=body.fields or None, files=files, params=params,
                                        headers=headers, timeout=self.timeout)
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
            if self.gzip_requests and len(data) >= self.gzip_min_bytes:
                data = gzip.compress(data, compresslevel=5)
                headers["Content-Encoding"] = "gzip"
        if auth and self._tokens is not None:
            headers["Authorization"] = f"Bearer {self._tokens.access_token}"
        return self.session.request(method, url, data=data, params=params, headers=headers,
                                    timeout=self.timeout)

    def _sleep(self, seconds: float) -> None:
        if self.cancel is not None:
            if self.cancel.wait(seconds):
                raise Cancelled()
        else:
            time.sleep(seconds)

    def _with_retries(self, method: str, path: str, body: Any, params: dict[str, Any] | None,
                      auth: bool) -> requests.Response:
        url = f"{self.server}{API}{path}"
        last_error = ""
        for attempt in range(self.retry.attempts):
            if self.cancel is not None and self.cancel.is_set():
                raise Cancelled()
            wait: float | None = None
            try:
                response = self._request_once(method, url, body, params, auth)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:  # incl. a body cut short
                last_error = f"{type(exc).__name__}: {exc}"
            except requests.RequestException as exc:
                raise Unreachable(self.server, f"{type(exc).__name__}: {exc}") from exc
            else:
                status = response.status_code
                if status != 429 and status < 500:
                    return response
                last_error = f"HTTP {status}"
                wait = parse_retry_after(response.headers.get("Retry-After"))
                if attempt == self.retry.attempts - 1:
                    return response
                if wait is not None and wait > self.retry.max_retry_after:
                    return response
            if attempt < self.retry.attempts - 1:
                self._sleep(wait if wait is not None else self.retry.backoff(attempt))
        raise Unreachable(self.server, last_error)

    def _decode(self, response: requests.Response, auth: bool) -> Any:
        status = response.status_code
        if status < 300:
            if status == 204 or not response.content:
                return None
            try:
                return response.json()
            except ValueError as exc:
                raise ProtocolError(f"HTTP {status}: body is not JSON") from exc
        code, message, message_en = _error_fields(response)
        if status == 429:
            raise RateLimited(parse_retry_after(response.headers.get("Retry-After")), f"{code} {message}")
        if code == "device_revoked":
            details = _details(response)
            raise DeviceRevoked(str(details.get("reason") or ""), details.get("push_first") is True,
                                detail=f"HTTP {status} {code}")
        if code == "client_too_old":
            details = _details(response)
            raise ClientTooOld(str(details.get("min_client_version") or ""), self.app_version,
                               detail=f"HTTP {status} {code}")
        if code in AUTH_CODES:
            raise AUTH_CODES[code](message)
        if status == 401:
            if auth or code in LOGIN_AGAIN_CODES:
                raise LoginRequired(f"{code} {message}")
            raise AuthFailed(detail=f"{code} {message}")
        if status == 403:
            raise PermissionDenied(code, message, status, message_en)
        raise ServerError(code, message, status, message_en)
