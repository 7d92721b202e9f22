"""Visits (走访) on the platform: pushed on their own and idempotently, scoped to the worker's grids,
kept as history per house and per person, in the change feed, verifying for the cycle, and counted in
/stats (coverage and overdue by grid and worker)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from forms.visits import cycle_of
from tests.server.conftest import GRIDS, OTHER_GRID, Api, Pool, new_id
from tests.server.live import LiveServer

TODAY = datetime.now(UTC).date()


def visit(house_id: str, result: str = "已核实", *, vid: str | None = None, day: str | None = None,
          **extra: Any) -> dict[str, Any]:
    return {"id": vid or new_id(), "house_id": house_id, "date": day or TODAY.isoformat(), "result": result,
            "device_id": "test", **extra}


def push(api: Api, user: str, *visits: dict[str, Any]) -> list[dict[str, Any]]:
    r = api.post("/visits", user, json={"visits": list(visits)})
    assert r.status_code == 200, r.text
    results = list(r.json()["results"])
    assert [res["id"] for res in results] == [v["id"] for v in visits]
    return results


def residents(api: Api, user: str, house_id: str) -> list[str]:
    return sorted(i["id"] for i in api.pull_all(user) if i["type"] == "entity" and i["data"]
                  and i["data"]["kind"] == "person" and i["data"]["house_id"] == house_id
                  and i["data"]["state"] == "active")


def test_a_visit_is_kept_in_the_house_history_and_seen_persons_default_to_the_residents(api: Api,
                                                                                        pool: Pool) -> None:
    house = pool.take(GRIDS[0], "house")
    people = residents(api, "wg_qbm_1", house)
    [res] = push(api, "wg_qbm_1", visit(house, "有变更", note="新生儿待登记"))
    assert res["outcome"] == "accepted"
    stored = res["visit"]
    assert (stored["house_id"], stored["grid"], stored["result"], stored["note"]) == (house, GRIDS[0], "有变更", "新生儿待登记")
    assert sorted(stored["person_ids"]) == people
    assert stored["author"]["username"] == "wg_qbm_1" and stored["verifies"] is False
    history = api.get("/visits", "wg_qbm_1", params={"house_id": house}).json()
    assert [i["id"] for i in history["items"]] == [res["id"]] and history["total"] == 1
    assert history["verification"]["verified"] is False
    # the supervisor of the community reads it too
    assert api.get("/visits", "sup_qbm", params={"house_id": house}).json()["total"] == 1


def test_the_same_visit_twice_is_one_visit_and_another_body_under_its_id_is_refused(api: Api, pool: Pool) -> None:
    house = pool.take(GRIDS[0], "house")
    first = visit(house, "无人在家")
    [a] = push(api, "wg_qbm_1", first)
    [b] = push(api, "wg_qbm_1", first)
    assert a["outcome"] == "accepted"
    assert b["outcome"] == "duplicate" and b["original"]["visit"]["id"] == first["id"]
    [c, d] = push(api, "wg_qbm_1", first, first)  # twice in one batch: still one
    assert c["outcome"] == d["outcome"] == "duplicate"
    [changed] = push(api, "wg_qbm_1", {**first, "result": "拒访"})
    assert changed["outcome"] == "rejected"
    assert changed["issues"][0]["kind"] == "id_reused" and changed["issues"][0]["field"] == "id"
    [other] = push(api, "wg_qbm_2", first)  # somebody else's id: refused without its content
    assert other["outcome"] == "rejected" and other["issues"][0]["kind"] == "id_taken"
    assert "visit" not in other
    assert api.get("/visits", "wg_qbm_1", params={"house_id": house}).json()["total"] == 1
    # a new id in the same batch as a fresh duplicate pair: the second is a duplicate of the first
    fresh = visit(house, "拒访")
    [e, f] = push(api, "wg_qbm_1", fresh, fresh)
    assert (e["outcome"], f["outcome"]) == ("accepted", "duplicate")
    assert api.get("/visits", "wg_qbm_1", params={"house_id": house}).json()["total"] == 2


@pytest.mark.parametrize("user,grid", [("wg_qbm_1", GRIDS[1]), ("wg_qbm_1", GRIDS[2]), ("sup_qbm", GRIDS[2]),
                                       ("admin", OTHER_GRID)])
def test_a_visit_outside_the_callers_grids_is_refused_like_an_unknown_house(api: Api, pool: Pool, user: str,
                                                                          grid: str) -> None:
    house = pool.peek(grid, "house")
    [res] = push(api, user, visit(house))
    [unknown] = push(api, user, visit(new_id()))
    for r in (res, unknown):
        assert r["outcome"] == "rejected"
        assert [(i["field"], i["kind"]) for i in r["issues"]] == [("house_id", "unknown_house")]
    assert res["issues"][0]["message"].replace(house, "X") == \
        unknown["issues"][0]["message"].replace(unknown["id"] and unknown_house(unknown), "X")
    assert api.get("/visits", user, params={"house_id": house}).status_code == 404


def unknown_house(result: dict[str, Any]) -> str:
    return str(result["issues"][0]["message_en"].split()[2])


def test_a_person_not_of_the_callers_grids_is_named(api: Api, pool: Pool) -> None:
    house = pool.take(GRIDS[0], "house")
    stranger = pool.peek(GRIDS[2])
    [res] = push(api, "wg_qbm_1", visit(house, person_ids=[stranger]))
    assert res["outcome"] == "rejected"
    assert [(i["field"], i["kind"]) for i in res["issues"]] == [("person_ids[0]", "unknown_person")]
    [house_as_person] = push(api, "wg_qbm_1", visit(house, person_ids=[house]))
    assert house_as_person["issues"][0]["kind"] == "unknown_person"


@pytest.mark.parametrize("change,loc", [
    ({"result": "已走访"}, "result"),
    ({"date": (TODAY + timedelta(days=3)).isoformat()}, "date"),
    ({"date": "2026-02-30"}, "date"),
    ({"date": "04/12/2026"}, "date"),
    ({"note": "x" * 4001}, "note"),
    ({"colour": "red"}, "colour"),
    ({"person_ids": ["a", "a"]}, "person_ids"),
])
def test_a_malformed_visit_is_a_422_naming_the_field(api: Api, pool: Pool, change: dict[str, Any], loc: str) -> None:
    house = pool.peek(GRIDS[0], "house")
    r = api.post("/visits", "wg_qbm_1", json={"visits": [visit(house), {**visit(house), **change}]})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "validation_error"
    assert any(e["loc"][:4] == ["body", "visits", "1", loc] for e in body["details"]["errors"]), body


def test_batch_bounds(api: Api, pool: Pool) -> None:
    house = pool.peek(GRIDS[0], "house")
    assert api.post("/visits", "wg_qbm_1", json={"visits": []}).status_code == 422
    assert api.post("/visits", "wg_qbm_1", json={"visits": [visit(house)] * 201}).status_code == 422
    assert api.post("/visits", None, json={"visits": [visit(house)]}).status_code == 401


def test_history_query_needs_exactly_one_key_and_hides_other_areas(api: Api, pool: Pool) -> None:
    assert api.get("/visits", "wg_qbm_1").status_code == 422
    house = pool.peek(GRIDS[0], "house")
    assert api.get("/visits", "wg_qbm_1", params={"house_id": house, "entity_id": house}).status_code == 422
    person = pool.peek(GRIDS[0])
    assert api.get("/visits", "wg_qbm_1", params={"house_id": person}).status_code == 404  # not a house
    assert api.get("/visits", "wg_ldl_1", params={"entity_id": person}).status_code == 404


def test_a_verified_visit_verifies_the_house_and_the_persons_seen_for_the_cycle(api: Api, pool: Pool) -> None:
    house = pool.take(GRIDS[0], "house")
    people = residents(api, "wg_qbm_1", house)
    assert people, "the demo house should have residents"
    seen, unseen = people[:1], people[1:]
    last_cycle = cycle_of(TODAY, "quarter").previous().end.isoformat()
    [old] = push(api, "wg_qbm_1", visit(house, day=last_cycle, person_ids=people))  # a verification of last cycle
    [now] = push(api, "wg_qbm_1", visit(house, person_ids=seen))
    assert old["visit"]["cycle"] != now["visit"]["cycle"] == cycle_of(TODAY, "quarter").label
    h = api.get("/visits", "wg_qbm_1", params={"house_id": house}).json()
    assert h["verification"] == {"verified": True, "visit_id": now["id"], "date": TODAY.isoformat()}
    assert [i["id"] for i in h["items"]] == [now["id"], old["id"]]  # newest first
    assert h["cycle"]["label"] == cycle_of(TODAY, "quarter").label
    p = api.get("/visits", "wg_qbm_1", params={"entity_id": seen[0]}).json()
    assert p["verification"]["verified"] is True and p["total"] == 2
    for other in unseen:
        q = api.get("/visits", "wg_qbm_1", params={"entity_id": other}).json()
        assert q["verification"]["verified"] is False and [i["id"] for i in q["items"]] == [old["id"]]


def test_visits_are_in_the_feed_of_the_area_only(api: Api, pool: Pool) -> None:
    house = pool.take(GRIDS[1], "house")
    [res] = push(api, "wg_qbm_2", visit(house, "拒访", note="不愿开门"))
    mine = {i["id"]: i for i in api.pull_all("wg_qbm_2") if i["type"] == "visit"}
    assert mine[res["id"]]["data"]["note"] == "不愿开门" and mine[res["id"]]["deleted"] is False
    assert mine[res["id"]]["data"]["house_id"] == house
    assert res["id"] in {i["id"] for i in api.pull_all("sup_qbm") if i["type"] == "visit"}
    assert res["id"] not in {i["id"] for i in api.pull_all("wg_qbm_1") if i["type"] == "visit"}
    page = api.get("/changes", "wg_qbm_2", params={"limit": 1}).json()
    assert page["settings"] == {"visit_cycle": "quarter"}


def test_stats_show_coverage_and_overdue_by_grid_and_worker(api: Api, pool: Pool) -> None:
    before = api.get("/stats", "sup_ldl").json()["visits"]
    grid = {g["grid"]: g for g in before["by_grid"]}[GRIDS[3]]
    assert grid["houses"] > 0 and set(before["cycle"]) == {"kind", "label", "start", "end"}
    visited, verified = pool.take(GRIDS[3], "house"), pool.take(GRIDS[3], "house")
    late = pool.take(GRIDS[3], "house")
    long_ago = cycle_of(TODAY, "quarter").previous().previous().end.isoformat()
    push(api, "wg_ldl_2", visit(visited, "无人在家"), visit(verified, "已核实", person_ids=[]),
         visit(late, "有变更", day=long_ago, person_ids=[]))
    after = api.get("/stats", "sup_ldl").json()["visits"]
    now = {g["grid"]: g for g in after["by_grid"]}[GRIDS[3]]
    assert now["houses_visited"] == grid["houses_visited"] + 2
    assert now["houses_verified"] == grid["houses_verified"] + 1
    assert now["overdue_houses"] == grid["overdue_houses"] + 1
    assert after["houses"] == before["houses"] and after["houses_visited"] == before["houses_visited"] + 2
    [worker] = [u for u in after["by_user"] if u["username"] == "wg_ldl_2"]
    assert worker["grids"] == [GRIDS[3]] and worker["overdue_houses"] == now["overdue_houses"]
    assert worker["visits"] >= 2  # recorded in this cycle (the one dated two cycles ago is not)
    # a worker sees its own grid only
    own = api.get("/stats", "wg_ldl_2").json()["visits"]
    assert [g["grid"] for g in own["by_grid"]] == [GRIDS[3]]


def test_the_tag_catalogue_in_the_feed_carries_visit_every(api: Api) -> None:
    catalogue = {t["id"]: t for i in api.pull_all("wg_ldl_1") if i["type"] == "tag_catalogue" for t in i["data"]["tags"]}
    assert catalogue["独居老人"]["visit_every"] == 7 and catalogue["老年人"]["visit_every"] is None


def test_a_person_living_alone_is_overdue_until_seen_within_seven_days(api: Api, live: LiveServer) -> None:
    import sqlalchemy as sa

    from sync.server import tables as t
    from sync.server.db import make_engine

    engine = make_engine(live.db_url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(t.entities.c.id, t.entities.c.house_id).join(
            t.entity_tags, t.entity_tags.c.entity_id == t.entities.c.id).where(
            t.entity_tags.c.tag == "独居老人", t.entities.c.grid == GRIDS[2], t.entities.c.state == "active")).first()
    engine.dispose()
    if found is None:
        pytest.skip("no 独居老人 in this demo grid")
    person, house = found

    def overdue() -> int:
        return int(api.get("/stats", "wg_ldl_1").json()["visits"]["overdue_persons"])

    first = overdue()
    ten_days_ago = max(TODAY - timedelta(days=10), cycle_of(TODAY, "quarter").start)
    push(api, "wg_ldl_1", visit(house, "已核实", day=ten_days_ago.isoformat(), person_ids=[person]))
    assert overdue() == first - (1 if TODAY - ten_days_ago <= timedelta(days=7) else 0)
    push(api, "wg_ldl_1", visit(house, "无人在家", person_ids=[person]))  # an attempt does not count
    assert overdue() == first - (1 if TODAY - ten_days_ago <= timedelta(days=7) else 0)
    push(api, "wg_ldl_1", visit(house, "已核实", person_ids=[person]))
    assert overdue() == first - 1
