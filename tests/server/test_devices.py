"""Devices on the platform: registered at login with their app version, listed for the admin in scope,
revoked (tokens stop working, login from it refused, or with "push first" only pushes pass) and the
app's wipe acknowledged; the minimum client version refuses pushes of older apps with 426."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from sync.server import tables as t
from sync.server.db import make_engine
from sync.version import CLIENT_HEADER
from tests.server.conftest import GRIDS, PASSWORD, Api, Pool, new_id
from tests.server.live import LiveServer


def login(api: Api, user: str, device: str, version: str | None = "0.1.0") -> httpx.Response:
    headers = {CLIENT_HEADER: version} if version else {}
    return api.http.post("/auth/login", json={"username": user, "password": PASSWORD, "device_id": device},
                         headers=headers)


def bearer(token: str, version: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if version:
        headers[CLIENT_HEADER] = version
    return headers


def device_of(api: Api, user: str, device: str, admin: str = "admin") -> dict[str, Any]:
    r = api.get("/devices", admin, params={"user": user})
    assert r.status_code == 200, r.text
    found = [d for d in r.json()["items"] if d["device_id"] == device and d["username"] == user]
    assert len(found) == 1, r.json()
    return found[0]


def revoke(api: Api, device_pk: str, reason: str = "笔记本丢失", push_first: bool = False) -> httpx.Response:
    return api.post(f"/devices/{device_pk}/revoke", "admin", json={"push_first": push_first, "reason": reason})


def audit_rows(live: LiveServer, action: str, entity_id: str) -> list[Any]:
    engine = make_engine(live.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.audit_log).where(t.audit_log.c.action == action,
                                                         t.audit_log.c.entity_id == entity_id)).all()
    engine.dispose()
    return list(rows)


def visit(house_id: str) -> dict[str, Any]:
    from datetime import UTC, datetime

    return {"id": new_id(), "house_id": house_id, "date": datetime.now(UTC).date().isoformat(),
            "result": "已核实", "device_id": "lost"}


def test_a_login_registers_the_device_with_its_app_version_and_the_next_login_touches_it(api: Api) -> None:
    assert login(api, "wg_qbm_2", "laptop-reg", "0.1.0").status_code == 200
    first = device_of(api, "wg_qbm_2", "laptop-reg")
    assert first["app_version"] == "0.1.0" and first["state"] == "active"
    assert first["display_name"] and first["first_seen"] == first["last_seen"]
    assert login(api, "wg_qbm_2", "laptop-reg", "0.1.1").status_code == 200
    again = device_of(api, "wg_qbm_2", "laptop-reg")
    assert again["id"] == first["id"] and again["first_seen"] == first["first_seen"]
    assert again["last_seen"] >= first["last_seen"] and again["app_version"] == "0.1.1"
    refreshed = login(api, "wg_qbm_2", "laptop-reg").json()
    r = api.http.post("/auth/refresh", json={"refresh_token": refreshed["refresh_token"]},
                      headers={CLIENT_HEADER: "0.1.2"})
    assert r.status_code == 200
    assert device_of(api, "wg_qbm_2", "laptop-reg")["app_version"] == "0.1.2"


def test_a_revoked_device_is_refused_everything_but_its_wipe_acknowledgement(api: Api, live: LiveServer) -> None:
    body = login(api, "wg_ldl_1", "laptop-lost").json()
    token, refresh = body["access_token"], body["refresh_token"]
    assert api.http.get("/me", headers=bearer(token)).status_code == 200
    dev = device_of(api, "wg_ldl_1", "laptop-lost")
    r = revoke(api, dev["id"])
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "revoked" and r.json()["revoked_by"] == "admin"
    for call in (lambda: api.http.get("/me", headers=bearer(token)),
                 lambda: api.http.get("/changes", headers=bearer(token)),
                 lambda: api.http.post("/submissions", headers=bearer(token), json={"submissions": []}),
                 lambda: api.http.post("/auth/refresh", json={"refresh_token": refresh}),
                 lambda: login(api, "wg_ldl_1", "laptop-lost")):
        answer = call()
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "device_revoked"
        assert answer.json()["details"]["push_first"] is False
        assert answer.json()["details"]["reason"] == "笔记本丢失"
        assert "吊销" in answer.json()["message"] and "revoked" in answer.json()["details"]["message_en"]
    assert login(api, "wg_ldl_1", "another-laptop").status_code == 200  # the user is not banned
    assert revoke(api, dev["id"]).status_code == 409
    [entry] = audit_rows(live, "device_revoke", dev["id"])
    assert entry.actor_name == "admin" and entry.detail["reason"] == "笔记本丢失"
    assert entry.detail["push_first"] is False and entry.device_id == "laptop-lost"
    ack = api.http.post("/devices/wiped", json={"refresh_token": refresh})
    assert ack.status_code == 200, ack.text
    assert api.http.post("/devices/wiped", json={"refresh_token": refresh}).json() == ack.json()  # idempotent
    assert device_of(api, "wg_ldl_1", "laptop-lost")["state"] == "wiped"
    [wiped] = audit_rows(live, "device_wipe", dev["id"])
    assert wiped.actor_name == "wg_ldl_1"
    assert api.http.post("/devices/wiped", json={"refresh_token": "not-a-token"}).status_code == 401


def test_push_first_lets_only_the_outbox_through_until_the_wipe(api: Api, pool: Pool) -> None:
    body = login(api, "wg_ldl_2", "laptop-push").json()
    dev = device_of(api, "wg_ldl_2", "laptop-push")
    assert revoke(api, dev["id"], push_first=True).status_code == 200
    token = body["access_token"]
    pulled = api.http.get("/changes", headers=bearer(token))
    assert pulled.status_code == 403 and pulled.json()["code"] == "device_revoked"
    assert pulled.json()["details"]["push_first"] is True
    assert api.http.get("/me", headers=bearer(token)).status_code == 403
    house = pool.take(GRIDS[3], "house")
    pushed = api.http.post("/visits", headers=bearer(token), json={"visits": [visit(house)]})
    assert pushed.status_code == 200 and pushed.json()["results"][0]["outcome"] == "accepted", pushed.text
    subs = api.http.post("/submissions", headers=bearer(token), json={"submissions": []})
    assert subs.status_code != 403, subs.text
    fresh = api.http.post("/auth/refresh", json={"refresh_token": body["refresh_token"]})
    assert fresh.status_code == 200  # its token may be renewed until it has pushed
    assert login(api, "wg_ldl_2", "laptop-push").status_code == 200
    assert api.http.post("/devices/wiped", json={"refresh_token": fresh.json()["refresh_token"]}).status_code == 200
    late = api.http.post("/visits", headers=bearer(fresh.json()["access_token"]), json={"visits": [visit(house)]})
    assert late.status_code == 403 and late.json()["details"]["push_first"] is False
    refused = login(api, "wg_ldl_2", "laptop-push")
    assert refused.status_code == 403 and refused.json()["code"] == "device_revoked"


def test_devices_are_the_admins_of_their_scope_only(api: Api) -> None:
    assert login(api, "wg_qbm_1", "laptop-scope").status_code == 200
    dev = device_of(api, "wg_qbm_1", "laptop-scope")
    other = api.get("/devices", "admin2", params={"user": "wg_qbm_1"})
    assert other.status_code == 200 and other.json()["items"] == []
    away = api.post(f"/devices/{dev['id']}/revoke", "admin2", json={"reason": "x"})
    assert away.status_code == 404
    assert api.get("/devices", "wg_qbm_1").status_code == 403
    assert api.post(f"/devices/{dev['id']}/revoke", "sup_qbm", json={"reason": "x"}).status_code == 403
    assert device_of(api, "wg_qbm_1", "laptop-scope")["state"] == "active"


@pytest.mark.parametrize(("body", "loc"), [({}, "reason"), ({"reason": "   "}, "reason"),
                                           ({"reason": "x", "push_first": "yes"}, "push_first"),
                                           ({"reason": "x", "wipe": True}, "wipe"),
                                           ({"reason": "x" * 501}, "reason")])
def test_a_bad_revoke_body_is_a_422_naming_the_field(api: Api, body: dict[str, Any], loc: str) -> None:
    assert login(api, "sup_ldl", "laptop-bad").status_code == 200
    dev = device_of(api, "sup_ldl", "laptop-bad")
    r = api.post(f"/devices/{dev['id']}/revoke", "admin", json=body)
    assert r.status_code == 422, r.text
    assert any(loc in e["loc"] for e in r.json()["details"]["errors"])
    assert api.post(f"/devices/{new_id()}/revoke", "admin", json={"reason": "x"}).status_code == 404
    assert api.get("/devices", "admin", params={"state": "lost"}).status_code == 422


@pytest.fixture
def min_version(api: Api) -> Iterator[None]:
    yield
    assert api.post("/settings", "admin", json={"min_client_version": None}).status_code == 200


def test_an_older_client_may_pull_but_not_push(api: Api, live: LiveServer, pool: Pool, min_version: None) -> None:
    assert api.post("/settings", "wg_qbm_1", json={"min_client_version": "0.2.0"}).status_code == 403
    bad = api.post("/settings", "admin", json={"min_client_version": "newest"})
    assert bad.status_code == 422 and bad.json()["details"]["errors"][0]["loc"] == ["body", "min_client_version"]
    r = api.post("/settings", "admin", json={"min_client_version": "0.2.0"})
    assert r.status_code == 200 and r.json() == {"min_client_version": "0.2.0"}
    assert api.get("/settings", "wg_qbm_1").json() == {"min_client_version": "0.2.0"}
    token = api.token("wg_qbm_1")
    house = pool.take(GRIDS[0], "house")
    old = api.http.post("/visits", headers=bearer(token, "0.1.9"), json={"visits": [visit(house)]})
    assert old.status_code == 426, old.text
    assert old.json()["code"] == "client_too_old"
    assert "0.2.0" in old.json()["message"] and "0.2.0" in old.json()["details"]["message_en"]
    assert old.json()["details"]["min_client_version"] == "0.2.0"
    subs = api.http.post("/submissions", headers=bearer(token, "0.1.9"), json={"submissions": []})
    assert subs.status_code == 426
    assert api.http.get("/changes", headers=bearer(token, "0.1.9"), params={"limit": 1}).status_code == 200
    assert api.http.post("/visits", headers=bearer(token, "x.y"), json={"visits": [visit(house)]}).status_code == 400
    new = api.http.post("/visits", headers=bearer(token, "0.2"), json={"visits": [visit(house)]})
    assert new.status_code == 200
    assert api.http.post("/visits", headers=bearer(token), json={"visits": [visit(house)]}).status_code == 200
    engine = make_engine(live.db_url)
    with engine.connect() as conn:
        changes = conn.execute(sa.select(t.audit_log).where(t.audit_log.c.action == "setting_change")).all()
    engine.dispose()
    assert any(c.detail == {"setting": "min_client_version", "old": None, "new": "0.2.0"} for c in changes)


def test_the_endpoints_are_in_the_openapi_document(api: Api) -> None:
    doc = httpx.get(api.live.url + "/openapi.json").json()
    paths = doc["paths"]
    assert {"403", "422"} <= set(paths["/api/v1/devices"]["get"]["responses"])
    assert "409" in paths["/api/v1/devices/{device_pk}/revoke"]["post"]["responses"]
    assert "409" in paths["/api/v1/devices/wiped"]["post"]["responses"]
    assert {"get", "post"} <= set(paths["/api/v1/settings"])
    assert "426" in paths["/api/v1/submissions"]["post"]["responses"]
    assert "426" in paths["/api/v1/visits"]["post"]["responses"]
