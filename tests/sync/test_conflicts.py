"""Two workers edit the same person: disjoint fields merge; the same field is a conflict that
reaches the second worker's store with base, mine and theirs, and can be resolved and resent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sync.client.engine import SyncEngine
from tests.sync.support import PASSWORD, ServerProcess, client, new_store, server_entities

GRID = "330102001001002"


def set_field(store: Any, entity_id: str, **values: str) -> str:
    ent = store.entities.get(entity_id)
    store.edits.save_draft(entity_id, {**ent["data"], **values})
    return str(store.outbox.submit([entity_id]))


def approve(sup: Any, sid: str) -> None:
    assert sup.post(f"/review/{sid}/decision", {"decision": "approve"})["status"] == "approved"


def test_two_workers_on_one_person(shared_server: ServerProcess, tmp_path: Path) -> None:
    url = shared_server.url
    admin = client(url, "admin")
    admin.post("/users", {"username": "wg_qbm_2b", "display_name": "周洁", "role": "worker",
                          "password": PASSWORD, "areas": [GRID]})
    sup = client(url, "sup_qbm")
    a_api, b_api = client(url, "wg_qbm_2"), client(url, "wg_qbm_2b")
    a, b = new_store(tmp_path / "a", a_api), new_store(tmp_path / "b", b_api)
    assert SyncEngine(a, a_api).run().ok and SyncEngine(b, b_api).run().ok
    person = a.lists.persons(limit=1, offset=7).rows[0]["id"]
    base = a.entities.get(person)["data"]

    # disjoint fields: both apply
    sid_a = set_field(a, person, employer="清波街道办事处")
    sid_b = set_field(b, person, occupation="社区医生")
    first = SyncEngine(a, a_api).run()
    second = SyncEngine(b, b_api).run()
    assert first.accepted == 1 and second.accepted == 1 and second.conflicts == 0
    approve(sup, sid_a)
    approve(sup, sid_b)
    assert SyncEngine(a, a_api).run().ok and SyncEngine(b, b_api).run().ok
    master = server_entities(shared_server.db_url)[person]
    assert master["data"]["employer"] == "清波街道办事处" and master["data"]["occupation"] == "社区医生"
    for store in (a, b):
        local = store.entities.get(person)
        assert local["data"]["employer"] == "清波街道办事处" and local["data"]["occupation"] == "社区医生"
        assert local["rev"] == master["rev"] and local["status"] == "synced"

    # the same field, two different values: the second is a conflict with base / mine / theirs
    sid_a = set_field(a, person, occupation="护士")
    sid_b = set_field(b, person, occupation="药剂师")
    assert SyncEngine(a, a_api).run().accepted == 1
    approve(sup, sid_a)
    result = SyncEngine(b, b_api).run()
    assert result.conflicts == 1 and result.accepted == 0
    conflicts = b.outbox.conflicts(person)
    assert [(c["field"], c["base"], c["mine"], c["theirs"]) for c in conflicts] == [
        ("occupation", "社区医生", "药剂师", "护士")]
    assert b.entities.get(person)["status"] == "conflict"
    assert b.outbox.submission(sid_b)["state"] == "conflict"
    assert base.get("occupation") != "药剂师"

    # the worker keeps its own value and sends a new submission based on the server's revision
    b.outbox.resolve_conflict(person, {"occupation": "mine"})
    sid_c = str(b.outbox.submit([person]))
    resent = SyncEngine(b, b_api).run()
    assert resent.accepted == 1 and resent.conflicts == 0
    approve(sup, sid_c)
    assert SyncEngine(a, a_api).run().ok and SyncEngine(b, b_api).run().ok
    master = server_entities(shared_server.db_url)[person]
    assert master["data"]["occupation"] == "药剂师"
    assert b.entities.get(person)["status"] == "synced"
    assert b.entities.get(person)["data"]["occupation"] == "药剂师"
    assert a.entities.get(person)["data"]["occupation"] == "药剂师"   # A's approved edit was overtaken
    assert a.entities.get(person)["status"] == "synced"


def test_an_approved_edit_overtaken_by_a_newer_revision_is_not_kept_as_local(
        shared_server: ServerProcess, tmp_path: Path) -> None:
    url = shared_server.url
    sup = client(url, "sup_qbm")
    a_api = client(url, "wg_qbm_1")
    a = new_store(tmp_path / "a", a_api)
    s = new_store(tmp_path / "s", sup)
    assert SyncEngine(a, a_api).run().ok and SyncEngine(s, sup).run().ok
    person = a.lists.persons(limit=1, offset=11).rows[0]["id"]
    sid = set_field(a, person, occupation="护士")
    assert SyncEngine(a, a_api).run().accepted == 1
    approve(sup, sid)
    assert SyncEngine(s, sup).run().ok
    set_field(s, person, occupation="医生")          # the supervisor's own edit is applied at once
    assert SyncEngine(s, sup).run().accepted == 1
    assert SyncEngine(a, a_api).run().ok             # approval and the newer revision in one pull
    local = a.entities.get(person)
    assert local["data"]["occupation"] == "医生" and local["status"] == "synced"
