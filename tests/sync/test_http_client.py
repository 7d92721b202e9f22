"""The HTTP client against the real server: login, refresh, logout, clear errors, retries, gzip."""

from __future__ import annotations

import time

import keyring
import pytest
import requests

from sync.client.errors import AuthFailed, LoginRequired, RateLimited, Unreachable
from sync.client.http import ApiClient, RetryPolicy, parse_retry_after
from sync.client.tokens import choose_token_store
from tests.server.live import free_port
from tests.sync.faultproxy import FaultProxy, Rule, canned
from tests.sync.memkeyring import MemoryKeyring
from tests.sync.support import PASSWORD, ServerProcess, client


def test_login_keeps_tokens_in_the_keyring_and_refresh_rotates_them(short_server: ServerProcess,
                                                                     memory_keyring: MemoryKeyring) -> None:
    tokens = choose_token_store(None)
    assert tokens.kind.startswith("keyring:")
    api = ApiClient(short_server.url, device_id="dev-1", tokens=tokens, username="wg_qbm_1")
    user = api.login("wg_qbm_1", PASSWORD)
    assert user["role"] == "worker" and user["areas"][0]["code"] == "330102001001001"
    first = tokens.load(short_server.url, "wg_qbm_1")
    assert first is not None and len(memory_keyring.items) == 1
    time.sleep(1.5)  # the access token has expired: the client refreshes before calling
    assert api.me()["username"] == "wg_qbm_1"
    second = tokens.load(short_server.url, "wg_qbm_1")
    assert second is not None and second.refresh_token != first.refresh_token
    # a fresh client (the app restarted) finds the tokens in the keyring without a password
    again = ApiClient(short_server.url, device_id="dev-1", tokens=choose_token_store(None), username="wg_qbm_1")
    assert again.me()["username"] == "wg_qbm_1"


def test_a_401_from_an_expired_token_is_refreshed_and_replayed(short_server: ServerProcess) -> None:
    api = client(short_server.url, "wg_qbm_1")
    assert api.tokens is not None
    api.tokens.access_expires_at = 0.0  # the client does not know it expired: the server says so
    time.sleep(1.5)
    old = api.tokens.access_token
    page = api.changes(None, 5)
    assert len(page["items"]) == 5
    assert api.tokens.access_token != old


def test_wrong_password_is_auth_failed_and_repeated_failures_are_rate_limited(short_server: ServerProcess) -> None:
    api = client(short_server.url, "wg_qbm_2", login=False)
    with pytest.raises(AuthFailed) as info:
        api.login("wg_qbm_2", "not-the-password")
    assert "密码" in info.value.message("zh") and "password" in info.value.message("en")
    for _ in range(4):  # five failures in all
        with pytest.raises(AuthFailed):
            api.login("wg_qbm_2", "not-the-password")
    with pytest.raises(RateLimited) as limited:
        api.login("wg_qbm_2", PASSWORD)
    assert limited.value.retry_after and limited.value.retry_after > 60


def test_logout_revokes_the_session(shared_server: ServerProcess) -> None:
    server = shared_server
    api = client(server.url, "wg_qbm_1")
    refresh = api.tokens.refresh_token if api.tokens else ""
    api.logout()
    assert api.tokens is None
    with pytest.raises(LoginRequired):
        api.me()
    r = requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": refresh}, timeout=10)
    assert r.status_code == 401


def test_an_unreachable_server_is_reported_after_the_retries() -> None:
    port = free_port()
    api = ApiClient(f"http://127.0.0.1:{port}", device_id="d", retry=RetryPolicy(attempts=3, base=0.01, cap=0.02))
    started = time.monotonic()
    with pytest.raises(Unreachable) as info:
        api.login("x", "y")
    assert time.monotonic() - started < 5
    assert "无法连接" in info.value.message("zh")


def test_refused_connections_503_and_a_stall_are_retried(shared_server: ServerProcess) -> None:
    proxy = FaultProxy(shared_server.port)
    api = client(proxy.url, "wg_qbm_1", timeout=(2.0, 1.0))
    proxy.add(Rule("refuse", "GET", "/api/v1/changes", times=2))
    proxy.add(Rule("respond", "GET", "/api/v1/changes", times=1,
                   response=canned(503, "Service Unavailable", headers={"Retry-After": "0"})))
    proxy.add(Rule("stall", "GET", "/api/v1/changes", times=1, seconds=3))
    page = api.changes(None, 10)
    assert len(page["items"]) == 10
    actions = [a for m, p, a, _s in proxy.log if p.startswith("/api/v1/changes")]
    assert actions == ["refuse", "refuse", "respond", "stall", "pass"]
    proxy.close()


def test_retry_after_is_honoured() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


def test_large_pages_come_gzip_compressed(shared_server: ServerProcess) -> None:
    server = shared_server
    api = client(server.url, "wg_qbm_1")
    assert api.tokens is not None
    r = requests.get(server.url + "/api/v1/changes", params={"limit": 200},
                     headers={"Authorization": f"Bearer {api.tokens.access_token}", "Accept-Encoding": "gzip"},
                     timeout=10, stream=True)
    assert r.headers.get("Content-Encoding") == "gzip"
    assert keyring.get_keyring() is not None
