"""The area tree: add, rename, move a grid, retire (empty, with move_to, children first) and hand a grid over.

The module has a platform of its own (its grids hold entities the shared platform's scope tests do not
expect), and every test makes its own grids under two communities of its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from forms.synth import generate
from sync.server import repo_entities
from sync.server import tables as t
from sync.server.config import ServerConfig
from sync.server.db import Database, make_engine
from tests.server.conftest import BACKENDS, PASSWORD, Api, add_second_street, new_id, submission, update
from tests.server.live import LiveServer, fresh_database, prepare, start

#: two communities of these tests' own (the demo communities' figures are asserted elsewhere)
QBM, LDL = "330102001050", "330102001051"
SUP_A, SUP_B = "sup_t_a", "sup_t_b"
_codes = itertools.count(400)


@pytest.fixture(scope="module", params=BACKENDS)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with fresh_database(request.param, str(tmp_path_factory.mktemp("areas"))) as url:
        prepare(url, demo_persons=40, password=PASSWORD)
        add_second_street(Database(make_engine(url)))
        server = start(ServerConfig(db_url=url, fast_password_hash=True))
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="module")
def api(live: LiveServer) -> Iterator[Api]:
    client = Api(live)
    yield client
    client.http.close()


@pytest.fixture(scope="module", autouse=True)
def communities(api: Api) -> None:
    for code, name, sup in ((QBM, "测试甲社区", SUP_A), (LDL, "测试乙社区", SUP_B)):
        r = api.post("/areas", "admin", json={"code": code, "name": name, "level": "community",
                                              "parent": "330102001"})
        assert r.status_code == 201, r.text
        r = api.post("/users", "admin", json={"username": sup, "display_name": name + "专干", "role": "supervisor",
                                              "password": PASSWORD, "areas": [code]})
        assert r.status_code == 201, r.text


def new_grid(api: Api, live: LiveServer, community: str = QBM, persons: int = 0, name: str = "") -> str:
    code = f"{community}{next(_codes):03d}"
    r = api.post("/areas", "admin", json={"code": code, "name": name or f"测试网格{code[-3:]}", "level": "grid",
                                          "parent": community})
    assert r.status_code == 201, r.text
    if persons:
        records = generate(persons, seed=int(code[-3:]), grids=[code])
        for rec in records:
            rec.setdefault("template", rec["kind"])
            rec.setdefault("template_version", "2026.1")
        db = Database(make_engine(live.db_url))
        with db.write() as w:
            repo_entities.insert_new(w, records, {})
        db.engine.dispose()
    return code


def new_worker(api: Api, grid: str) -> dict[str, Any]:
    username = f"wg_t{next(_codes)}"
    r = api.post("/users", "admin", json={"username": username, "display_name": "测试员", "role": "worker",
                                          "password": PASSWORD, "areas": [grid]})
    assert r.status_code == 201, r.text
    return dict(r.json())


def db_rows(live: LiveServer, query: Any) -> list[Any]:
    engine = make_engine(live.db_url)
    with engine.connect() as conn:
        rows = list(conn.execute(query))
    engine.dispose()
    return rows


def grid_entities(live: LiveServer, grid: str) -> set[str]:
    return {r[0] for r in db_rows(live, sa.select(t.entities.c.id).where(t.entities.c.grid == grid))}


def audit_actions(live: LiveServer, target: str) -> list[str]:
    return [r[0] for r in db_rows(live, sa.select(t.audit_log.c.action).where(t.audit_log.c.target == target)
                                  .order_by(t.audit_log.c.id))]


def tree(api: Api, **params: Any) -> dict[str, dict[str, Any]]:
    r = api.get("/areas", "admin", params={"counts": "true", **params})
    assert r.status_code == 200, r.text
    return {a["code"]: a for a in r.json()["items"]}


def pull(api: Api, user: str, cursor: str | None = None) -> tuple[list[dict[str, Any]], str, bool]:
    items: list[dict[str, Any]] = []
    reset = False
    while True:
        params: dict[str, Any] = {"limit": 1000, **({"since": cursor} if cursor else {})}
        body = api.get("/changes", user, params=params).json()
        items += body["items"]
        reset = reset or body["reset"]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return items, cursor, reset


def held(items: list[dict[str, Any]]) -> set[str]:
    """Entity ids a device holds after applying ``items`` in order (upserts and deletions)."""
    out: set[str] = set()
    for item in items:
        if item["type"] == "entity":
            (out.discard if item["deleted"] else out.add)(item["id"])
    return out


def test_rename_reaches_the_feed_and_the_audit(api: Api, live: LiveServer) -> None:
    grid = new_grid(api, live)
    _, cursor, _ = pull(api, SUP_A)
    r = api.patch(f"/areas/{grid}", "admin", json={"name": "改名后的网格"})
    assert r.status_code == 200 and r.json()["name"] == "改名后的网格"
    items, _, _ = pull(api, SUP_A, cursor)
    assert [(i["type"], i["data"]["name"]) for i in items if i["id"] == grid] == [("area", "改名后的网格")]
    assert audit_actions(live, grid) == ["area_create", "area_update"]
    assert api.patch(f"/areas/{grid}", "admin", json={"name": ""}).status_code == 422
    assert api.patch(f"/areas/{grid}", SUP_A, json={"name": "x"}).status_code == 403
    assert api.patch("/areas/330102002001001", "admin", json={"name": "x"}).status_code == 404  # another street


def test_retired_grid_is_hidden_and_takes_nothing_new(api: Api, live: LiveServer) -> None:
    grid = new_grid(api, live)
    r = api.post(f"/areas/{grid}/retire", "admin", json={})
    assert r.status_code == 200, r.text
    assert grid not in tree(api) and tree(api, retired="true")[grid]["retired"] is True
    assert tree(api)["330102"]["in_scope"] is False and tree(api)[QBM]["in_scope"] is True
    assert api.post(f"/areas/{grid}/retire", "admin", json={}).status_code == 409
    again = api.post("/areas", "admin", json={"code": grid, "name": "复用", "level": "grid", "parent": QBM})
    assert again.status_code == 409  # codes are never reused
    user = api.post("/users", "admin", json={"username": f"wg_r{next(_codes)}", "display_name": "x", "role": "worker",
                                             "password": PASSWORD, "areas": [grid]})
    assert user.status_code == 422 and "已撤销" in user.json()["message"]
    create = {"entity_id": new_id(), "kind": "house", "op": "create", "base_rev": None, "template": "house",
              "grid": grid, "set": {"address": "测试路 1 号"}}
    [res] = api.submit("admin", submission(create))
    assert res["outcome"] == "rejected" and res["issues"][0]["kind"] == "scope"
    assert "已撤销" in res["issues"][0]["message"]
    # a retired community takes no new grid
    community = f"330102001{next(_codes) % 900 + 100:03d}"
    assert api.post("/areas", "admin", json={"code": community, "name": "临时社区", "level": "community",
                                             "parent": "330102001"}).status_code == 201
    assert api.post(f"/areas/{community}/retire", "admin").status_code == 200
    child = api.post("/areas", "admin", json={"code": community + "001", "name": "x", "level": "grid",
                                              "parent": community})
    assert child.status_code == 422 and child.json()["details"]["errors"][0]["loc"] == ["body", "parent"]
    feed, _, _ = pull(api, "admin")
    assert [i["deleted"] for i in feed if i["type"] == "area" and i["id"] == grid] == [True]


def test_retiring_a_grid_that_holds_entities_is_refused_with_what_it_holds(api: Api, live: LiveServer) -> None:
    grid = new_grid(api, live, persons=6)
    r = api.post(f"/areas/{grid}/retire", "admin", json={})
    assert r.status_code == 409
    holds = r.json()["details"]["holds"]
    assert holds["person"] == 6 and holds["house"] >= 1
    assert "move_to" in r.json()["details"]["message_en"]
    assert grid in tree(api)
    worker = new_worker(api, new_grid(api, live))
    empty = worker["areas"][0]
    assigned = api.post(f"/areas/{empty}/retire", "admin", json={})
    assert assigned.status_code == 409 and assigned.json()["details"]["assigned"] == [worker["username"]]


def test_retire_with_move_to_moves_everything_to_the_other_grid(api: Api, live: LiveServer) -> None:
    src, dst = new_grid(api, live, persons=8), new_grid(api, live, persons=5)
    worker = new_worker(api, dst)
    moving = grid_entities(live, src)
    staying = grid_entities(live, dst)
    house = next(iter(r[0] for r in db_rows(live, sa.select(t.entities.c.id).where(
        t.entities.c.grid == src, t.entities.c.kind == "house"))))
    visit = {"id": new_id(), "house_id": house, "date": "2026-12-01", "result": "无人在家", "note": "",
             "person_ids": [], "device_id": "t", "created_at": "2026-12-01T02:00:00Z"}
    assert api.post("/visits", "admin", json={"visits": [visit]}).json()["results"][0]["outcome"] == "accepted"
    before = tree(api)
    _, sup_cursor, _ = pull(api, SUP_A)
    _, worker_cursor, _ = pull(api, worker["username"])

    r = api.post(f"/areas/{src}/retire", "admin", json={"move_to": dst})
    assert r.status_code == 200, r.text
    assert r.json()["moved"]["person"] == before[src]["persons"] and r.json()["moved"]["visits"] == 1
    assert grid_entities(live, src) == set() and grid_entities(live, dst) == moving | staying
    after = tree(api, retired="true")
    assert after[dst]["persons"] == before[dst]["persons"] + before[src]["persons"]
    assert after[dst]["houses"] == before[dst]["houses"] + before[src]["houses"]
    assert after[src]["retired"] and after[src]["persons"] == 0
    assert after[QBM]["persons"] == before[QBM]["persons"]
    tags_left = db_rows(live, sa.select(t.entity_tags.c.entity_id).where(t.entity_tags.c.grid == src))
    assert tags_left == []
    # the target grid's worker receives the moved entities and the visit, without a reset
    items, _, reset = pull(api, worker["username"], worker_cursor)
    assert not reset and held(items) == moving
    assert visit["id"] in {i["id"] for i in items if i["type"] == "visit"}
    # the community's supervisor holds both grids: dropped, then received again, so still held
    sup_items, _, _ = pull(api, SUP_A, sup_cursor)
    assert held(sup_items) == moving
    history = api.get(f"/entities/{house}/history", "admin").json()["items"]
    assert [(h["field"], h["old"], h["new"]) for h in history][-1] == ("$grid", src, dst)
    assert audit_actions(live, src)[-1] == "area_retire"


def test_retire_checks(api: Api, live: LiveServer) -> None:
    grid = new_grid(api, live, persons=2)
    assert api.post(f"/areas/{grid}/retire", "admin", json={"move_to": grid}).status_code == 422
    not_grid = api.post(f"/areas/{grid}/retire", "admin", json={"move_to": QBM})
    assert not_grid.status_code == 422 and not_grid.json()["details"]["errors"][0]["loc"] == ["body", "move_to"]
    assert api.post(f"/areas/{grid}/retire", "admin", json={"move_to": "330102002001001"}).status_code == 404
    assert api.post(f"/areas/{grid}/retire", "admin", json={"move_to": "12x"}).status_code == 422
    assert api.post(f"/areas/{grid}/retire", "admin", json={"nope": 1}).status_code == 422
    assert api.post(f"/areas/{grid}/retire", "wg_qbm_1", json={}).status_code == 403
    assert api.post("/areas/330102001999999/retire", "admin", json={}).status_code == 404
    community = api.post(f"/areas/{QBM}/retire", "admin", json={})
    assert community.status_code == 409 and grid in community.json()["details"]["children"]


def test_moving_a_grid_to_another_community(api: Api, live: LiveServer) -> None:
    grid = new_grid(api, live, persons=6, name="搬家网格")
    worker = new_worker(api, grid)
    ids = grid_entities(live, grid)
    _, cursor, _ = pull(api, worker["username"])
    _, qbm_cursor, _ = pull(api, SUP_A)
    _, ldl_cursor, _ = pull(api, SUP_B)

    r = api.post(f"/areas/{grid}/move", "admin", json={"parent": LDL})
    assert r.status_code == 200, r.text
    new_code = r.json()["area"]["code"]
    assert new_code.startswith(LDL) and len(new_code) == 15 and r.json()["area"]["name"] == "搬家网格"
    assert grid_entities(live, new_code) == ids and grid_entities(live, grid) == set()
    areas = tree(api, retired="true")
    assert areas[grid]["retired"] and not areas[new_code]["retired"]
    assert [w["username"] for w in areas[new_code]["workers"]] == [worker["username"]]
    me = api.get("/me", worker["username"]).json()
    assert [a["code"] for a in me["areas"]] == [new_code]
    # the worker's scope changed: its next pull restarts and holds the same entities under the new code
    items, _, reset = pull(api, worker["username"], cursor)
    assert reset and held(items) == ids
    assert {i["data"]["grid"] for i in items if i["type"] == "entity" and not i["deleted"]} == {new_code}
    # the old community's supervisor drops them; the new one's receives them
    assert held(pull(api, SUP_A, qbm_cursor)[0]) == set()
    assert {i["id"] for i in pull(api, SUP_A, qbm_cursor)[0] if i["type"] == "entity" and i["deleted"]} == ids
    assert held(pull(api, SUP_B, ldl_cursor)[0]) == ids
    assert audit_actions(live, grid)[-1] == "area_move"
    # only grids move, and only to a community
    assert api.post(f"/areas/{QBM}/move", "admin", json={"parent": "330102001"}).status_code == 422
    assert api.post(f"/areas/{new_code}/move", "admin", json={"parent": "330102001"}).status_code == 422
    assert api.post(f"/areas/{new_code}/move", "admin", json={"parent": LDL}).status_code == 422


def test_handing_a_grid_to_another_worker(api: Api, live: LiveServer) -> None:
    grid = new_grid(api, live, persons=6)
    old = new_worker(api, grid)
    new = new_worker(api, new_grid(api, live, persons=3))
    ids = grid_entities(live, grid)
    new_own = grid_entities(live, new["areas"][0])
    old_items, old_cursor, _ = pull(api, old["username"])
    new_items, new_cursor, _ = pull(api, new["username"])
    assert held(old_items) == ids and held(new_items) == new_own
    person = next(iter(r[0] for r in db_rows(live, sa.select(t.entities.c.id).where(
        t.entities.c.grid == grid, t.entities.c.kind == "person"))))
    rev = api.get(f"/entities/{person}", old["username"]).json()["rev"]

    r = api.post(f"/areas/{grid}/assign", "admin", json={"worker": new["username"]})
    assert r.status_code == 200, r.text
    assert [p["username"] for p in r.json()["previous"]] == [old["username"]]
    assert sorted(r.json()["worker"]["areas"]) == sorted([grid, new["areas"][0]])
    assert [w["username"] for w in tree(api)[grid]["workers"]] == [new["username"]]
    # both devices' next pull restarts: the new worker re-receives everything incl. the grid
    items, _, reset = pull(api, new["username"], new_cursor)
    assert reset and held(items) == ids | new_own
    items, _, reset = pull(api, old["username"], old_cursor)
    assert reset and held(items) == set()
    assert api.get(f"/entities/{person}", old["username"]).status_code == 404
    # the old worker's edit made before the hand-over is still accepted (grace), and reaches the new one
    [res] = api.submit(old["username"], submission(update(person, rev, phone="13900001234")))
    assert res["outcome"] == "accepted", res
    assert audit_actions(live, grid)[-1] == "grid_reassign"
    # refused: not a worker, unknown, inactive; a supervisor may not hand over
    assert api.post(f"/areas/{grid}/assign", "admin", json={"worker": SUP_A}).status_code == 422
    assert api.post(f"/areas/{grid}/assign", "admin", json={"worker": "nobody"}).status_code == 422
    assert api.post(f"/areas/{grid}/assign", "admin", json={"worker": "wg_other"}).status_code == 422
    assert api.post(f"/areas/{grid}/assign", SUP_A, json={"worker": old["username"]}).status_code == 403
    assert api.post(f"/areas/{QBM}/assign", "admin", json={"worker": old["username"]}).status_code == 422


def test_area_routes_are_in_the_openapi_document(api: Api) -> None:
    paths = api.http.get(api.live.url + "/openapi.json").json()["paths"]
    for path in ("/api/v1/areas/{code}", "/api/v1/areas/{code}/move", "/api/v1/areas/{code}/retire",
                 "/api/v1/areas/{code}/assign"):
        assert path in paths
        for method in paths[path].values():
            assert {"403", "404", "409", "422"} <= set(method["responses"])
