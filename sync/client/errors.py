"""Errors the sync client raises, each with a Chinese and an English message the desktop can show.

Every failure of a call to the platform ends as one of these types, never as a ``requests``
exception or a traceback:

- :class:`Unreachable` — no connection (DNS, refused, reset, timeout) even after the retries.
- :class:`AuthFailed` — wrong user name or password; :class:`AccountDisabled`,
  :class:`AccountExpired` for accounts that may not log in; :class:`LoginRequired` when the
  session is over (refresh token expired or revoked) and the user must log in again.
- :class:`RateLimited` — the server keeps answering 429 (``retry_after`` seconds, if it said).
- :class:`ServerError` — the server answered with an error (``code``, ``message`` from its JSON
  body, ``status`` the HTTP status).
- :class:`ProtocolError` — the answer is not what the protocol promises (not JSON, wrong shape).
"""

from __future__ import annotations


class SyncError(Exception):
    """Base of every sync-client error; ``message_zh`` / ``message_en`` are for the user."""

    code: str = "sync_error"

    def __init__(self, message_zh: str, message_en: str, *, detail: str = "") -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        self.detail = detail
        super().__init__(self.__str__())

    def message(self, lang: str = "zh") -> str:
        """The user-facing message in ``lang`` ("zh" or "en")."""
        return self.message_en if lang.startswith("en") else self.message_zh

    def __str__(self) -> str:
        text = f"{self.message_zh} ({self.message_en})"
        return f"{text}: {self.detail}" if self.detail else text


class Unreachable(SyncError):
    code = "unreachable"

    def __init__(self, url: str, detail: str = "") -> None:
        self.url = url
        super().__init__(
            f"无法连接平台服务器 {url}，请检查网络后重试",
            f"Cannot reach the platform server {url}; check the network and try again",
            detail=detail,
        )


class AuthFailed(SyncError):
    code = "auth_failed"

    def __init__(self, message_zh: str = "用户名或密码错误", message_en: str = "Wrong user name or password",
                 *, detail: str = "") -> None:
        super().__init__(message_zh, message_en, detail=detail)


class AccountDisabled(AuthFailed):
    code = "account_disabled"

    def __init__(self, detail: str = "") -> None:
        super().__init__("账号已停用，请联系管理员", "This account is disabled; contact your administrator",
                         detail=detail)


class AccountExpired(AuthFailed):
    code = "account_expired"

    def __init__(self, detail: str = "") -> None:
        super().__init__("账号已过期，请联系管理员", "This account has expired; contact your administrator",
                         detail=detail)


class LoginRequired(AuthFailed):
    code = "login_required"

    def __init__(self, detail: str = "") -> None:
        super().__init__("登录已失效，请重新登录", "Your session has ended; please log in again",
                         detail=detail)


class RateLimited(SyncError):
    code = "rate_limited"

    def __init__(self, retry_after: float | None, detail: str = "") -> None:
        self.retry_after = retry_after
        wait_zh = f"，请 {int(retry_after)} 秒后重试" if retry_after else "，请稍后重试"
        wait_en = f"; try again in {int(retry_after)} s" if retry_after else "; try again later"
        super().__init__("请求过于频繁" + wait_zh, "Too many requests" + wait_en, detail=detail)


class ServerError(SyncError):
    """The server answered with an error body ``{"error": {"code", "message"}}`` (or a bare 5xx)."""

    def __init__(self, code: str, message: str, status: int = 0, message_en: str = "") -> None:
        self.code = code
        self.status = status
        self.server_message = message
        super().__init__(
            f"服务器返回错误：{message or code}",
            f"The server answered with an error: {message_en or message or code}",
            detail=f"HTTP {status} {code}" if status else code,
        )


class PermissionDenied(ServerError):
    """403: the user's role or area scope does not allow this."""


class ProtocolError(SyncError):
    code = "protocol_error"

    def __init__(self, detail: str) -> None:
        super().__init__("服务器的应答无法识别（版本不一致？）",
                         "The server's answer was not understood (version mismatch?)", detail=detail)


class TokenStorageError(SyncError):
    code = "token_storage"

    def __init__(self, detail: str) -> None:
        super().__init__("无法保存登录凭据", "Cannot keep the login credentials", detail=detail)


class DeviceRevoked(SyncError):
    """403 ``device_revoked``: an admin revoked this device. ``push_first``: the platform still takes
    this device's pushes (send the outbox, then wipe); else wipe at once. ``reason`` is the admin's."""

    code = "device_revoked"

    def __init__(self, reason: str = "", push_first: bool = False, detail: str = "") -> None:
        self.reason = reason
        self.push_first = push_first
        super().__init__(f"此设备已被管理员吊销：{reason}", f"This device was revoked by an administrator: {reason}",
                         detail=detail)

    def wiped(self, lang: str = "zh") -> str:
        """What to tell the user once the local store is wiped."""
        if lang.startswith("en"):
            return f"This device was revoked by an administrator and its local data wiped: {self.reason}"
        return f"此设备已被管理员吊销，本地数据已清除：{self.reason}"


class ClientTooOld(SyncError):
    """426 ``client_too_old``: the platform wants ``required`` or newer before it takes pushes (pulls
    still work; what is queued stays queued)."""

    code = "client_too_old"

    def __init__(self, required: str, current: str = "", detail: str = "") -> None:
        self.required = required
        self.current = current
        super().__init__(f"请更新一表通到 {required} 版本或更高版本后再同步（向数据办索取新版安装包安装即可，本机未上传的工作会保留）",
                         f"Update 一表通 to version {required} or later, then sync again (ask your data office for "
                         "the new installer; the work not yet sent stays on this computer)", detail=detail)
