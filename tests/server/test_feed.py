"""Pull: paging, incremental cursors, no skipped change under concurrent writes, scope resets, sensitive tags."""

from __future__ import annotations

import threading
from typing import Any

from tests.server.conftest import GRIDS, PASSWORD, Api, Pool, submission, update


def _latest(items: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        out[(item["type"], item["id"])] = item
    return out


def test_small_pages_give_the_same_objects_in_sequence_order(api: Api) -> None:
    small = api.pull_all("sup_qbm", limit=37)
    big = api.pull_all("sup_qbm", limit=5000)
    seqs = [i["seq"] for i in small]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert set(_latest(small)) == set(_latest(big))


def test_incremental_pull_returns_only_new_changes(api: Api, pool: Pool) -> None:
    first = api.get("/changes", "wg_ldl_1", params={"limit": 5000}).json()
    while first["has_more"]:
        first = api.get("/changes", "wg_ldl_1", params={"limit": 5000, "since": first["next_cursor"]}).json()
    cursor = first["next_cursor"]
    empty = api.get("/changes", "wg_ldl_1", params={"since": cursor}).json()
    assert empty["items"] == [] and empty["has_more"] is False
    eid = pool.take(GRIDS[2])
    rev = api.get(f"/entities/{eid}", "sup_ldl").json()["rev"]
    api.submit("sup_ldl", submission(update(eid, rev, employer="增量测试")))
    delta = api.get("/changes", "wg_ldl_1", params={"since": cursor}).json()
    assert [(i["type"], i["id"]) for i in delta["items"]] == [("entity", eid)]
    assert delta["items"][0]["data"]["data"]["employer"] == "增量测试"
    assert delta["items"][0]["data"]["rev"] == rev + 1


def test_no_change_is_skipped_while_writers_commit_concurrently(api: Api, pool: Pool) -> None:
    targets = [pool.take(GRIDS[3]) for _ in range(12)]
    revs = {e: api.get(f"/entities/{e}", "sup_ldl").json()["rev"] for e in targets}
    items = api.pull_all("wg_ldl_2", limit=5000)
    cursor = api.get("/changes", "wg_ldl_2", params={"since": "0", "limit": 5000}).json()["next_cursor"]
    while True:
        page = api.get("/changes", "wg_ldl_2", params={"since": cursor, "limit": 5000}).json()
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    seen: dict[str, int] = {}
    stop = threading.Event()
    errors: list[str] = []

    def writer(chunk: list[str]) -> None:
        for round_ in range(4):
            for eid in chunk:
                [res] = api.submit("sup_ldl", submission(update(eid, revs[eid] + round_, employer=f"并发{round_}")))
                if res["outcome"] != "accepted":
                    errors.append(str(res))

    def read_page() -> bool:
        nonlocal cursor
        page = api.get("/changes", "wg_ldl_2", params={"since": cursor, "limit": 7}).json()
        for item in page["items"]:
            if item["type"] == "entity":
                seen[item["id"]] = item["data"]["rev"]
        cursor = page["next_cursor"]
        return bool(page["has_more"])

    def reader() -> None:
        while not stop.is_set():
            read_page()

    threads = [threading.Thread(target=writer, args=(targets[i::3],)) for i in range(3)]
    read = threading.Thread(target=reader)
    read.start()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    stop.set()
    read.join()
    while read_page():  # one last sweep after every writer committed
        pass
    assert not errors
    assert {e: seen.get(e) for e in targets} == {e: revs[e] + 4 for e in targets}
    assert items  # the initial pull saw data


def test_new_assignment_resets_the_stream(api: Api) -> None:
    created = api.post("/users", "admin", json={"username": "wg_reset", "display_name": "重置测试", "role": "worker",
                                                "password": PASSWORD, "areas": [GRIDS[0]]})
    assert created.status_code == 201
    uid = created.json()["id"]
    page = api.get("/changes", "wg_reset", params={"limit": 5000}).json()
    while page["has_more"]:
        page = api.get("/changes", "wg_reset", params={"limit": 5000, "since": page["next_cursor"]}).json()
    cursor = page["next_cursor"]
    r = api.patch(f"/users/{uid}", "admin", json={"areas": [GRIDS[0], GRIDS[1]]})
    assert r.status_code == 200 and r.json()["areas"] == [GRIDS[0], GRIDS[1]]
    after = api.get("/changes", "wg_reset", params={"since": cursor, "limit": 5000}).json()
    assert after["reset"] is True
    grids = {i["data"]["grid"] for i in after["items"] if i["type"] == "entity"}
    assert GRIDS[1] in grids


def test_sensitive_tags_are_hidden_from_roles_not_listed(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[3])
    rev = api.get(f"/entities/{eid}", "admin").json()["rev"]
    [res] = api.submit("admin", submission({**update(eid, rev), "tags_add": ["计划生育特殊家庭"]}))
    assert res["outcome"] == "accepted", res
    assert "计划生育特殊家庭" in api.get(f"/entities/{eid}", "sup_ldl").json()["tags"]
    assert "计划生育特殊家庭" not in api.get(f"/entities/{eid}", "wg_ldl_2").json()["tags"]
    pulled = next(i for i in reversed(api.pull_all("wg_ldl_2", limit=5000)) if i["id"] == eid)
    assert "计划生育特殊家庭" not in pulled["data"]["tags"]
    history = api.get(f"/entities/{eid}/history", "wg_ldl_2").json()["items"]
    assert all("计划生育特殊家庭" not in (h["new"] or []) for h in history if h["field"] == "$tags")
    # and a worker may not set it
    [res2] = api.submit("wg_ldl_2", submission({**update(eid, rev + 1), "tags_add": ["计划生育特殊家庭"]}))
    assert res2["outcome"] == "rejected" and res2["issues"][0]["kind"] == "tag"


def _drain(api: Api, user: str) -> str:
    page = api.get("/changes", user, params={"limit": 5000}).json()
    while page["has_more"]:
        page = api.get("/changes", user, params={"limit": 5000, "since": page["next_cursor"]}).json()
    return str(page["next_cursor"])


def test_an_entity_moved_to_another_grid_is_dropped_by_the_old_grid(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0], "household")
    cursors = {u: _drain(api, u) for u in ("wg_qbm_1", "wg_qbm_2", "sup_qbm")}
    rev = api.get(f"/entities/{eid}", "sup_qbm").json()["rev"]
    [res] = api.submit("sup_qbm", submission({**update(eid, rev, kind="household"), "grid": GRIDS[1]}))
    assert res["outcome"] == "accepted", res

    def seen(user: str) -> list[tuple[str, bool]]:
        items = api.get("/changes", user, params={"since": cursors[user], "limit": 5000}).json()["items"]
        return [(i["type"], i["deleted"]) for i in items if i["id"] == eid]

    assert seen("wg_qbm_1") == [("entity", True)]
    assert seen("wg_qbm_2") == [("entity", False)]
    assert seen("sup_qbm")[-1] == ("entity", False)
    assert api.get(f"/entities/{eid}", "wg_qbm_1").status_code == 404
    history = api.get(f"/entities/{eid}/history", "wg_qbm_2").json()["items"]
    assert any(h["field"] == "$grid" and h["old"] == GRIDS[0] and h["new"] == GRIDS[1] for h in history)
