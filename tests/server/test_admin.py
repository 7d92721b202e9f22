"""Admin work: areas, users and assignments, and the statistics they feed."""

from __future__ import annotations

from tests.server.conftest import GRIDS, PASSWORD, Api, Pool, submission, update


def test_new_grid_and_worker_reach_the_community(api: Api) -> None:
    r = api.post("/areas", "admin", json={"code": "330102001001005", "name": "清波门第五网格", "level": "grid",
                                          "parent": "330102001001"})
    assert r.status_code == 201, r.text
    assert api.post("/areas", "admin", json={"code": "330102001001005", "name": "重复", "level": "grid",
                                             "parent": "330102001001"}).status_code == 409
    bad = api.post("/areas", "admin", json={"code": "330102001002006", "name": "错挂", "level": "grid",
                                            "parent": "330102001001"})
    assert bad.status_code == 422
    user = api.post("/users", "admin", json={"username": "wg_qbm_5", "display_name": "周平", "role": "worker",
                                             "password": PASSWORD, "areas": ["330102001001005"]})
    assert user.status_code == 201, user.text
    wrong_level = api.post("/users", "admin", json={"username": "sup_bad", "display_name": "x", "role": "supervisor",
                                                    "password": PASSWORD, "areas": [GRIDS[0]]})
    assert wrong_level.status_code == 422
    me = api.get("/me", "wg_qbm_5").json()
    assert [a["code"] for a in me["areas"]] == ["330102001001005"]
    feed = api.pull_all("sup_qbm", limit=5000)
    assert ("area", "330102001001005") in {(i["type"], i["id"]) for i in feed}
    assignment = [i for i in feed if i["type"] == "assignment" and i["data"] and i["data"]["username"] == "wg_qbm_5"]
    assert assignment and assignment[-1]["data"]["area"] == "330102001001005"
    assert "330102001001005" not in {i["id"] for i in api.pull_all("sup_ldl", limit=5000) if i["type"] == "area"}


def test_deactivating_a_user_ends_its_sessions(api: Api) -> None:
    created = api.post("/users", "admin", json={"username": "wg_leaving", "display_name": "吴迪", "role": "worker",
                                                "password": PASSWORD, "areas": [GRIDS[1]]}).json()
    token = api.login("wg_leaving").json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert api.http.get("/me", headers=auth).status_code == 200
    r = api.patch(f"/users/{created['id']}", "admin", json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert api.http.get("/me", headers=auth).status_code == 401
    assert api.login("wg_leaving").status_code == 401


def test_stats_count_by_area_tag_state_and_queue(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[3])
    rev = api.get(f"/entities/{eid}", "wg_ldl_2").json()["rev"]
    before = api.get("/stats", "sup_ldl").json()
    [res] = api.submit("wg_ldl_2", submission(update(eid, rev, phone="13710002000")))
    assert res["status"] == "pending_review"
    after = api.get("/stats", "sup_ldl").json()
    assert after["review_queue"] == before["review_queue"] + 1
    assert {a["code"] for a in after["by_area"]} == {GRIDS[2], GRIDS[3]}
    assert sum(a["persons"] for a in after["by_area"]) == after["persons"]
    assert sum(after["by_state"].values()) == after["persons"]
    assert after["by_tag"] and all(isinstance(n, int) and n > 0 for n in after["by_tag"].values())
    street = api.get("/stats", "admin").json()
    assert street["persons"] >= after["persons"]
