"""Server settings: limits and lifetimes (defaults are the production values of docs/protocol.md)."""

from __future__ import annotations

from dataclasses import dataclass

from sync import protocol


@dataclass(frozen=True)
class ServerConfig:
    db_url: str
    access_token_seconds: int = protocol.ACCESS_TOKEN_SECONDS
    refresh_token_seconds: int = protocol.REFRESH_TOKEN_SECONDS
    #: Failed logins allowed per username / per client address within ``login_window_seconds``.
    login_user_limit: int = 5
    login_address_limit: int = 30
    login_window_seconds: int = 15 * 60
    max_body_bytes: int = protocol.MAX_BODY_BYTES
    #: An uploaded workbook is first read in a child process with this much memory and time.
    template_check_memory_bytes: int = 2 * 1024**3
    template_check_seconds: float = 120.0
    #: Cheaper Argon2id parameters; for tests and benchmarks only.
    fast_password_hash: bool = False
