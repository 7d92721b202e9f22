"""The platform's audit log: logins and review decisions are recorded, devices upload their entries
idempotently, an admin reads them filtered and paged within scope, and nothing edits or deletes one."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from sync.server import tables as t
from sync.server.db import make_engine
from tests.server.conftest import GRIDS, PASSWORD, Api, Pool, submission, update
from tests.server.live import LiveServer


def new_log() -> str:
    """A device store's audit log id (one per store)."""
    return "store-" + uuid.uuid4().hex


def entries(api: Api, user: str = "admin", **params: Any) -> list[dict[str, Any]]:
    r = api.get("/audit", user, params={"limit": 500, **params})
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def audit_count(live: LiveServer) -> int:
    engine = make_engine(live.db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.audit_log)).scalar_one())
    finally:
        engine.dispose()


def new_worker(api: Api, grid: str = GRIDS[0]) -> str:
    name = "wg_a_" + uuid.uuid4().hex[:8]
    r = api.post("/users", "admin", json={"username": name, "display_name": "审计测试", "role": "worker",
                                          "password": PASSWORD, "areas": [grid]})
    assert r.status_code == 201, r.text
    return name


def device_entry(local_id: int, action: str = "reveal", entity: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"id": local_id, "at": "2026-12-01T02:03:04.000001Z", "action": action,
            "entity_id": entity or str(uuid.uuid4()), "field": "id_number", "reason": "核对身份", "detail": None,
            **extra}


def test_logins_failures_and_logouts_are_recorded_with_device_and_address(api: Api) -> None:
    user = new_worker(api)
    device = "dev-" + uuid.uuid4().hex[:8]
    assert api.login(user, "wrong-password", device=device).status_code == 401
    ok = api.login(user, device=device)
    assert ok.status_code == 200
    found = entries(api, who=user)
    assert [e["action"] for e in found] == ["login", "login_failed"]      # newest first
    login, failed = found
    assert login["device_id"] == device and login["ip"] == "127.0.0.1" and login["area"] == GRIDS[0]
    assert login["action_zh"] == "登录" and login["origin"] == "platform"
    assert failed["detail"]["reason"] == "wrong_password" and failed["device_id"] == device
    # refreshing the token is not audited; logging out is
    assert api.http.post("/auth/refresh", json={"refresh_token": ok.json()["refresh_token"]}).status_code == 200
    assert len(entries(api, who=user)) == 2
    token = api.login(user, device=device).json()["access_token"]
    assert api.http.post("/auth/logout", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert [e["action"] for e in entries(api, who=user)][:2] == ["logout", "login"]


def test_a_failed_login_under_an_unknown_name_is_kept_but_not_shown_to_a_street_admin(api: Api, live: LiveServer) -> None:
    name = "nobody_" + uuid.uuid4().hex[:6]
    before = audit_count(live)
    assert api.login(name, "x").status_code == 401
    assert audit_count(live) == before + 1
    assert entries(api, who=name) == []        # no area: district-level admins only


def test_review_decisions_are_recorded(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[1])
    rev = api.get(f"/entities/{eid}", "wg_qbm_2").json()["rev"]
    sub = submission(update(eid, rev, phone="13911112222"))
    api.submit("wg_qbm_2", sub)
    r = api.post(f"/review/{sub['id']}/decision", "sup_qbm", json={"decision": "return", "comment": "电话有误"})
    assert r.status_code == 200, r.text
    [entry] = entries(api, entity_id=sub["id"])
    assert entry["action"] == "review_decision" and entry["actor_name"] == "sup_qbm"
    assert entry["detail"]["status"] == "returned" and entry["detail"]["comment"] == "电话有误"
    assert entry["area"] == GRIDS[1]


def test_a_device_upload_is_idempotent_and_checked_entry_by_entry(api: Api, live: LiveServer) -> None:
    user = new_worker(api)
    batch = [device_entry(1), device_entry(2, "export", detail={"rows": 30, "unmasked": False}),
             device_entry(3, "no_such_action"), device_entry(4, "lock", detail={"x": "长" * 5000}),
             device_entry(5, at="yesterday"), device_entry(6, at="0001-01-01T00:00:00+08:00")]
    log = new_log()
    first = api.post("/audit", user, json={"log_id": log, "entries": batch})
    assert first.status_code == 200, first.text
    results = first.json()["results"]
    assert [r["outcome"] for r in results] == ["accepted", "accepted", "rejected", "rejected", "rejected", "rejected"]
    assert "unknown action" in results[2]["reason"]
    assert results[3]["reason"].startswith("detail") and results[4]["reason"].startswith("at")
    before = audit_count(live)
    again = api.post("/audit", user, json={"log_id": log, "entries": batch}).json()["results"]
    assert [r["outcome"] for r in again] == ["duplicate", "duplicate", "rejected", "rejected", "rejected", "rejected"]
    assert [r.get("entry_id") for r in again[:2]] == [r["entry_id"] for r in results[:2]]
    assert audit_count(live) == before                                  # nothing new
    mine = entries(api, who=user, origin="device")
    assert [e["action"] for e in mine] == ["export", "reveal"]
    reveal = mine[1]
    assert reveal["detail"] == {"field": "id_number", "reason": "核对身份"}
    assert reveal["at"] == "2026-12-01T02:03:04Z" and reveal["device_id"] == "test"
    assert mine[0]["detail"]["rows"] == 30
    too_many = api.post("/audit", user, json={"log_id": new_log(), "entries": [device_entry(i) for i in range(1, 502)]})
    assert too_many.status_code == 422


def test_filters_paging_and_scope(api: Api) -> None:
    user = new_worker(api, GRIDS[2])
    entity = str(uuid.uuid4())
    batch = [device_entry(i, "reveal" if i % 2 else "export", entity if i == 3 else None) for i in range(1, 8)]
    assert api.post("/audit", user, json={"log_id": new_log(), "entries": batch}).status_code == 200
    pages: list[list[int]] = []
    before = None
    while True:
        params: dict[str, Any] = {"who": user, "origin": "device", "limit": 3}
        if before:
            params["before"] = before
        body = api.get("/audit", "admin", params=params).json()
        pages.append([e["id"] for e in body["items"]])
        before = body["next_before"]
        if before is None:
            break
    assert [len(p) for p in pages] == [3, 3, 1]
    ids = [i for p in pages for i in p]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 7
    # newest first by when it was done: the login (today, recorded first) before the uploaded entries
    # (made on the device on 2026-12-01, recorded after it)
    everything = entries(api, who=user)
    assert everything[0]["action"] == "login" and everything[0]["id"] < min(ids)
    assert [e["id"] for e in everything[1:]] == ids
    assert {e["action"] for e in entries(api, who=user, action="reveal")} == {"reveal"}
    assert len(entries(api, who=user, action="reveal")) == 4
    assert [e["entity_id"] for e in entries(api, entity_id=entity)] == [entity]
    assert len(entries(api, who=user, origin="device", since="2026-12-01", until="2026-12-01")) == 7   # that day, CST
    assert entries(api, who=user, origin="device", since="2026-12-02") == []
    assert entries(api, who=user, origin="device", until="2026-11-30") == []
    # another street's admin sees none of it, not even by id
    assert entries(api, "admin2", who=user) == []
    assert api.get(f"/audit/{ids[0]}", "admin2").status_code == 404
    assert api.get(f"/audit/{ids[0]}", "admin").json()["actor_name"] == user


@pytest.mark.parametrize(("params", "where"), [
    ({"action": "drop_table"}, "action"), ({"since": "2026-13-01"}, "since"), ({"until": "tomorrow!!"}, "until"),
    ({"since": "2026-12-05", "until": "2026-12-01"}, "until"), ({"limit": 501}, "limit"), ({"before": 0}, "before"),
    ({"origin": "elsewhere"}, "origin"), ({"before": 10**20}, "before"), ({"before": 10**15}, "before"), ({"who": ""}, "who"),
    ({"since": "0001-01-01"}, "since"), ({"until": "9999-12-31"}, "until"), ({"since": "9999-12-31T23:59:59-23:59"}, "since"),
])
def test_bad_filters_are_422_naming_the_parameter(api: Api, params: dict[str, Any], where: str) -> None:
    r = api.get("/audit", "admin", params=params)
    assert r.status_code == 422, r.text
    assert where in str(r.json()["details"])


@pytest.mark.parametrize("user", ["wg_qbm_1", "sup_qbm"])
def test_workers_and_supervisors_may_not_read_the_log(api: Api, user: str) -> None:
    for path in ("/audit", "/audit/actions", "/audit/1"):
        r = api.get(path, user)
        assert r.status_code == 403, (path, r.text)
    assert api.get("/audit/99999999999999999999", "admin").status_code == 422


def test_the_actions_are_offered_with_their_names(api: Api) -> None:
    items = api.get("/audit/actions", "admin").json()["items"]
    names = {i["action"]: i["zh"] for i in items}
    assert names["reveal"] == "查看完整信息" and names["login_failed"] == "登录失败"
    assert all(i["en"] for i in items)


def test_no_endpoint_edits_or_deletes_an_entry(api: Api, live: LiveServer) -> None:
    import importlib
    import pkgutil

    import sync.server.routes as routes

    writes = set()
    for info in pkgutil.iter_modules(routes.__path__):
        router = getattr(importlib.import_module(f"sync.server.routes.{info.name}"), "router", None)
        for route in getattr(router, "routes", ()):
            if route.path.startswith("/audit"):
                writes |= {(route.path, m) for m in route.methods}
    assert writes == {("/audit", "GET"), ("/audit", "POST"), ("/audit/actions", "GET"), ("/audit/{entry_id}", "GET")}
    openapi = httpx.get(live.url + "/openapi.json").json()["paths"]
    for path, ops in openapi.items():
        if path.startswith("/api/v1/audit"):
            assert set(ops) <= {"get", "post"}, (path, ops)
    assert set(openapi["/api/v1/audit"]["get"]["responses"]) >= {"200", "401", "403", "422"}
    user = new_worker(api)
    [res] = api.post("/audit", user, json={"log_id": new_log(), "entries": [device_entry(1)]}).json()["results"]
    entry_id = res["entry_id"]
    original = api.get(f"/audit/{entry_id}", "admin").json()
    count = audit_count(live)
    for method in ("PUT", "PATCH", "DELETE"):
        for path in ("/audit", f"/audit/{entry_id}"):
            r = api.http.request(method, path, headers=api.headers("admin"), json={"action": "login", "detail": {}})
            assert r.status_code == 405, (method, path, r.status_code)
    assert api.get(f"/audit/{entry_id}", "admin").json() == original
    assert audit_count(live) == count
