"""Server settings: limits and lifetimes (defaults are the production values of docs/protocol.md)."""

from __future__ import annotations

from dataclasses import dataclass

from sync import protocol


@dataclass(frozen=True)
class ServerConfig:
    db_url: str
    access_token_seconds: int = protocol.ACCESS_TOKEN_SECONDS
    refresh_token_seconds: int = protocol.REFRESH_TOKEN_SECONDS
    #: Failed logins allowed within ``login_window_seconds``: per username from one client address
    #: (the guessing limit), per username from anywhere (guessing spread over many addresses), and per
    #: client address (one office behind one address has many users: set ``trusted_proxies`` so the
    #: real addresses are seen).
    login_user_limit: int = 5
    login_user_total_limit: int = 50
    login_address_limit: int = 200
    login_window_seconds: int = 15 * 60
    #: Addresses of reverse proxies whose ``X-Forwarded-For`` is believed (none by default).
    trusted_proxies: tuple[str, ...] = ()
    #: Addresses besides loopback that may scrape ``GET /metrics`` directly (a Prometheus host).
    metrics_allow: tuple[str, ...] = ()
    #: Password hashes computed at once (Argon2id takes 64 MiB each); more logins wait, then get 429.
    max_concurrent_hashes: int = 4
    max_body_bytes: int = protocol.MAX_BODY_BYTES
    #: An uploaded workbook is first read in a child process with this much memory and time.
    template_check_memory_bytes: int = 2 * 1024**3
    template_check_seconds: float = 120.0
    #: Cheaper Argon2id parameters; for tests and benchmarks only.
    fast_password_hash: bool = False
    #: The verification cycle (核实周期): a 已核实 visit verifies its house and persons for the calendar
    #: month, quarter, half-year or year it falls in; everyone is to be visited once per cycle.
    visit_cycle: str = protocol.DEFAULT_VISIT_CYCLE

    def __post_init__(self) -> None:
        if self.visit_cycle not in protocol.VISIT_CYCLES:
            raise ValueError(f"visit_cycle must be one of {', '.join(protocol.VISIT_CYCLES)}, not {self.visit_cycle!r}")
