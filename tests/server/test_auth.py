"""Login, refresh, logout, token checks and the login limit, against the live server."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

from sync.server import tables as t
from sync.server.config import ServerConfig
from sync.server.db import make_engine
from sync.server.security import sign_access_token
from tests.server.conftest import PASSWORD, Api
from tests.server.live import LiveServer, fresh_database, prepare, start


def _secret(db_url: str) -> bytes:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        value = conn.execute(sa.select(t.server_settings.c.value).where(t.server_settings.c.key == "token_secret")).scalar_one()
    engine.dispose()
    return bytes.fromhex(value)


def test_login_returns_tokens_role_and_areas(api: Api) -> None:
    r = api.login("wg_qbm_1")
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"access_token", "refresh_token", "expires_at", "user"}
    assert body["user"]["role"] == "worker"
    assert [a["code"] for a in body["user"]["areas"]] == ["330102001001001"]
    assert body["user"]["areas"][0]["level"] == "grid"
    assert body["expires_at"].endswith("Z")


def test_wrong_password_and_unknown_user_look_the_same(api: Api) -> None:
    a = api.login("sup_ldl", "wrong-password")
    b = api.login("nobody_here", "wrong-password")
    assert a.status_code == b.status_code == 401
    assert a.json()["code"] == b.json()["code"] == "unauthorized"
    assert a.json()["message"] == b.json()["message"]


def test_refresh_rotates_and_old_refresh_token_is_refused(api: Api) -> None:
    first = api.login("wg_ldl_2", device="laptop-a").json()
    r = api.http.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert api.http.get("/me", headers={"Authorization": f"Bearer {second['access_token']}"}).status_code == 200
    again = api.http.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert again.status_code == 401
    assert again.json()["code"] == "unauthorized"


def test_a_reused_refresh_token_ends_the_whole_session(api: Api) -> None:
    # RFC 9700 §4.14.2: whoever holds the rotated-away token (a thief, or the victim after the thief
    # refreshed first) ends the session for both
    first = api.login("wg_ldl_2", device="laptop-b").json()
    second = api.http.post("/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    third = api.http.post("/auth/refresh", json={"refresh_token": second["refresh_token"]}).json()
    reuse = api.http.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401 and "used twice" in reuse.json()["details"]["message_en"]
    assert api.http.post("/auth/refresh", json={"refresh_token": third["refresh_token"]}).status_code == 401
    assert api.http.get("/me", headers={"Authorization": f"Bearer {third['access_token']}"}).status_code == 401
    # another session of the same user is not touched
    other = api.login("wg_ldl_2", device="laptop-c").json()
    assert api.http.get("/me", headers={"Authorization": f"Bearer {other['access_token']}"}).status_code == 200


def test_logout_revokes_access_and_refresh_tokens(api: Api) -> None:
    tokens = api.login("wg_ldl_2", device="laptop-b").json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.http.get("/me", headers=auth).status_code == 200
    assert api.http.post("/auth/logout", headers=auth, json={}).status_code == 200
    after = api.http.get("/me", headers=auth)
    assert after.status_code == 401
    assert api.http.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_forged_and_malformed_tokens_are_refused(api: Api, live: LiveServer) -> None:
    good = api.token("wg_qbm_1")
    payload, _sig = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "someone-else"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    wrong_key, _ = sign_access_token(b"not the server secret", claims["sub"], claims["sid"], 600)
    for token in (f"{forged_payload}.{_sig}", wrong_key, "abc", "a.b.c", "%%%", good + "x"):
        r = api.http.get("/changes", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401, token
        assert r.json()["code"] == "unauthorized"
    assert api.http.get("/changes", headers={"Authorization": "Basic Zm9vOmJhcg=="}).status_code == 401


def test_expired_token_is_refused_with_token_expired(api: Api, live: LiveServer) -> None:
    tokens = api.login("wg_qbm_2").json()
    good = tokens["access_token"]
    claims = json.loads(base64.urlsafe_b64decode(good.split(".")[0] + "=="))
    expired, _ = sign_access_token(_secret(live.db_url), claims["sub"], claims["sid"], 60, now=time.time() - 3600)
    r = api.http.get("/changes", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401
    assert r.json()["code"] == "token_expired"


def test_login_limit_per_user_holds_even_with_the_right_password(api: Api) -> None:
    created = api.post("/users", "admin", json={"username": "limit_probe", "display_name": "限流测试",
                                                "role": "worker", "password": PASSWORD, "areas": ["330102001001001"]})
    assert created.status_code == 201, created.text
    for _ in range(5):
        assert api.login("limit_probe", "not-the-password").status_code == 401
    blocked = api.login("limit_probe", PASSWORD)
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "too_many_requests"
    assert int(blocked.headers["Retry-After"]) > 0
    # another user from the same address is not blocked by this user's failures
    assert api.login("wg_ldl_1").status_code == 200


def test_login_limit_per_address(tmp_path: Path) -> None:
    with fresh_database("sqlite", str(tmp_path)) as url:
        prepare(url, demo_persons=0, password=PASSWORD)
        server = start(ServerConfig(db_url=url, fast_password_hash=True, login_address_limit=4))
        try:
            with httpx.Client(base_url=server.api) as http:
                for i in range(4):
                    r = http.post("/auth/login", json={"username": f"guess{i}", "password": "x", "device_id": "d"})
                    assert r.status_code == 401
                r = http.post("/auth/login", json={"username": "admin", "password": PASSWORD, "device_id": "d"})
                assert r.status_code == 429
                assert "Retry-After" in r.headers
        finally:
            server.stop()


def test_concurrent_wrong_passwords_get_no_more_checks_than_the_limit(api: Api) -> None:
    # issue 13 finding 7: the limit is taken atomically, before the password is checked
    import concurrent.futures

    created = api.post("/users", "admin", json={"username": "race_probe", "display_name": "并发测试",
                                                "role": "worker", "password": PASSWORD, "areas": ["330102001001001"]})
    assert created.status_code == 201, created.text
    with concurrent.futures.ThreadPoolExecutor(max_workers=15) as pool:
        codes = list(pool.map(lambda _i: api.login("race_probe", "wrong-password").status_code, range(30)))
    assert codes.count(401) <= 5 and codes.count(401) + codes.count(429) == 30, codes
    assert api.login("race_probe", PASSWORD).status_code == 429   # still locked, right password or not


def test_usernames_are_unique_whatever_their_case(api: Api) -> None:
    r = api.post("/users", "admin", json={"username": "WG_QBM_1", "display_name": "冒名", "role": "worker",
                                          "password": PASSWORD, "areas": ["330102001001001"]})
    assert r.status_code == 409 and r.json()["code"] == "conflict"


def test_client_address_believes_only_trusted_proxies() -> None:
    from sync.server.routes.auth import client_address

    assert client_address("10.0.0.9", "1.2.3.4", ()) == "10.0.0.9"                      # no proxy trusted
    assert client_address("10.0.0.9", "1.2.3.4", ("10.0.0.1",)) == "10.0.0.9"           # not from the proxy
    assert client_address("10.0.0.1", "1.2.3.4", ("10.0.0.1",)) == "1.2.3.4"
    assert client_address("10.0.0.1", "6.6.6.6, 1.2.3.4", ("10.0.0.1",)) == "1.2.3.4"   # a forged prefix
    assert client_address("10.0.0.1", "1.2.3.4, 10.0.0.2", ("10.0.0.1", "10.0.0.2")) == "1.2.3.4"
    assert client_address("10.0.0.1", "not-an-ip", ("10.0.0.1",)) == "10.0.0.1"
    assert client_address(None, None, ()) == "unknown"


def test_one_address_with_many_users_is_not_locked_by_a_few_strangers(tmp_path: Path) -> None:
    with fresh_database("sqlite", str(tmp_path)) as url:
        prepare(url, demo_persons=0, password=PASSWORD)
        server = start(ServerConfig(db_url=url, fast_password_hash=True))
        try:
            with httpx.Client(base_url=server.api) as http:
                for i in range(40):   # 40 failures of 40 names from the office's one address
                    r = http.post("/auth/login", json={"username": f"guess{i}", "password": "x", "device_id": "d"})
                    assert r.status_code == 401
                r = http.post("/auth/login", json={"username": "admin", "password": PASSWORD, "device_id": "d"})
                assert r.status_code == 200, r.text
        finally:
            server.stop()
