"""The 保密协议: nothing required without a text; once set, resident data waits for the acceptance of the
current version, which is audited; a new version asks again; the admin sees who has not accepted."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi.routing import APIRoute

from sync.server import agreement_gate
from sync.server import tables as t
from sync.server.db import make_engine
from tests.server.accounts_live import own
from tests.server.conftest import GRIDS, Api

__all__ = ["own"]

#: every route that returns resident data (persons, houses, their changes, visits, reviews, counts)
RESIDENT_DATA = {("GET", "/changes"), ("GET", "/entities/{entity_id}"), ("GET", "/entities/{entity_id}/history"),
                 ("GET", "/review/queue"), ("GET", "/review/{submission_id}"), ("GET", "/visits"), ("GET", "/stats")}
#: every route under these prefixes, now and later, is resident data
RESIDENT_PREFIXES = ("/entities", "/review", "/stats")


def calls_of(dependant: Any) -> set[Any]:
    found = set()
    for sub in dependant.dependencies:
        found |= {sub.call} | calls_of(sub)
    return found


def route_table() -> dict[tuple[str, str], bool]:
    """(method, path) -> guarded by the agreement, over every router module the platform has."""
    import sync.server.routes as package

    table: dict[tuple[str, str], bool] = {}
    for info in pkgutil.iter_modules(package.__path__):
        router = getattr(importlib.import_module(f"{package.__name__}.{info.name}"), "router", None)
        for route in getattr(router, "routes", []):
            if isinstance(route, APIRoute):
                calls = {d.dependency for d in route.dependencies} | calls_of(route.dependant)
                for method in route.methods:
                    table[(method, route.path)] = agreement_gate.require_agreement in calls
    return table


def test_every_resident_data_route_requires_the_agreement(own: Api) -> None:
    table = route_table()
    openapi = httpx.get(own.live.url + "/openapi.json").json()["paths"]
    served = {(m.upper(), p.removeprefix("/api/v1")) for p, ops in openapi.items() for m in ops}
    assert served >= RESIDENT_DATA and set(table) <= served | {("HEAD", p) for _m, p in served}
    assert {k for k in RESIDENT_DATA if not table[k]} == set()
    assert [k for k, guarded in table.items() if k[1].startswith(RESIDENT_PREFIXES) and not guarded] == []
    for key in (("POST", "/auth/login"), ("GET", "/me"), ("GET", "/agreement"), ("POST", "/agreement/accept"),
                ("POST", "/submissions"), ("POST", "/auth/password"), ("POST", "/visits")):
        assert table[key] is False, key


def test_agreement_before_resident_data_and_again_when_it_changes(own: Api) -> None:
    entity = own.get("/changes", "wg_qbm_1", params={"limit": 50}).json()["items"]
    assert entity  # nothing is required while no text is set
    assert own.get("/agreement", "wg_qbm_1").json()["required"] is False
    refused = own.post("/agreement", "wg_qbm_1", json={"text": "x"})
    assert refused.status_code == 403
    r = own.post("/agreement", "admin", json={"text": "  第一条 不得泄露居民个人信息。  "})
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 1 and r.json()["text"] == "第一条 不得泄露居民个人信息。"
    own.tokens.clear()
    login = own.login("wg_qbm_1", device="laptop-7").json()
    assert login["agreement"] == {"version": 1, "required": True, "accepted": False}
    for path in ("/changes", "/stats", "/review/queue"):
        blocked = own.get(path, "wg_qbm_1")
        assert blocked.status_code == 403 and blocked.json()["code"] == "agreement_required", path
        assert "agreement" in blocked.json()["details"]["message_en"]
    assert own.get("/visits", "wg_qbm_1", params={"house_id": "x"}).json()["code"] == "agreement_required"
    text = own.get("/agreement", "wg_qbm_1").json()
    assert text["text"].startswith("第一条") and text["accepted"] is False
    assert own.post("/agreement/accept", "wg_qbm_1", json={"version": 2}).status_code == 409
    ok = own.post("/agreement/accept", "wg_qbm_1", json={"version": 1, "device_id": "laptop-7"})
    assert ok.status_code == 200 and ok.json()["accepted"] is True
    assert own.get("/changes", "wg_qbm_1").status_code == 200
    assert own.post("/agreement/accept", "wg_qbm_1", json={"version": 1}).status_code == 200  # once is enough
    engine = make_engine(own.live.db_url)
    with engine.connect() as conn:
        entries = conn.execute(sa.select(t.audit_log).where(t.audit_log.c.action == "agreement_accept",
                                                             t.audit_log.c.actor_name == "wg_qbm_1")).all()
        sets = conn.execute(sa.select(t.audit_log).where(t.audit_log.c.action == "agreement_set")).all()
    engine.dispose()
    assert len(entries) == 1 and entries[0].device_id == "laptop-7" and entries[0].detail == {"version": 1}
    assert len(sets) == 1
    status = own.get("/agreement/status", "admin").json()
    pending = {u["username"] for u in status["pending"]}
    assert "wg_qbm_1" not in pending and {"wg_qbm_2", "sup_qbm", "admin"} <= pending
    assert "wg_other" not in pending  # another street's
    assert status["accepted"] == status["users"] - len(pending)
    assert own.get("/agreement/status", "sup_qbm").status_code == 403
    # a new text asks everyone again
    own.post("/agreement", "admin", json={"text": "第二版"})
    assert own.get("/changes", "wg_qbm_1").json()["code"] == "agreement_required"
    assert own.login("wg_qbm_1").json()["agreement"]["required"] is True
    listed = {u["username"]: u for u in own.get("/users", "admin").json()["items"]}
    assert listed["wg_qbm_1"]["agreement_accepted"] is False
    own.post("/agreement/accept", "wg_qbm_1", json={"version": 2})
    assert own.get("/changes", "wg_qbm_1", params={"limit": 5}).status_code == 200
    assert own.get(f"/entities/{entity[0]['id']}", "wg_qbm_2").json()["code"] == "agreement_required"
    assert GRIDS  # (the demo grids are the scope of these users)
