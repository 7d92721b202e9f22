"""The security matrix: every endpoint x role x in-scope / out-of-scope."""

from __future__ import annotations

import pytest

from tests.server.conftest import GRIDS, OTHER_GRID, USERS, Api, Pool, covers, role_of, submission, update
from tests.server.live import LiveServer

ALL_GRIDS = [*GRIDS, OTHER_GRID]
#: Endpoints without a bearer token: logging in, refreshing, health, a wiped device's acknowledgement
#: (authenticated by the refresh token in its body, since its session may be over), and ``/metrics``
#: (it answers only direct scrapes from allowed addresses, test_metrics.py).
PUBLIC = {("POST", "/api/v1/auth/login"), ("POST", "/api/v1/auth/refresh"), ("GET", "/api/v1/health"),
          ("POST", "/api/v1/devices/wiped"), ("GET", "/metrics")}


def test_every_endpoint_refuses_a_missing_token(api: Api, live: LiveServer) -> None:
    spec = api.http.get(live.url + "/openapi.json").json()
    routes = [(m.upper(), p) for p, ops in spec["paths"].items() for m in ops]
    assert len(routes) >= 18
    for method, path in routes:
        if (method, path) in PUBLIC:
            continue
        url = path.replace("/api/v1", "").replace("{entity_id}", "x").replace("{submission_id}", "x") \
            .replace("{user_id}", "x").replace("{form_id}", "person").replace("{version}", "2026.1")
        r = api.http.request(method, url, json={} if method in ("POST", "PATCH") else None)
        assert r.status_code == 401, (method, path, r.status_code, r.text)
        assert r.json()["code"] == "unauthorized"


@pytest.mark.parametrize("user", sorted(USERS))
def test_entity_reads_follow_the_area_scope(api: Api, pool: Pool, user: str) -> None:
    for grid in ALL_GRIDS:
        eid = pool.peek(grid)
        for path in (f"/entities/{eid}", f"/entities/{eid}/history"):
            r = api.get(path, user)
            expected = 200 if covers(user, grid) else 404
            assert r.status_code == expected, (user, grid, path, r.text)


@pytest.mark.parametrize("user", ["wg_qbm_1", "sup_ldl", "admin", "admin2"])
def test_pull_feed_holds_exactly_the_callers_scope(api: Api, pool: Pool, user: str) -> None:
    items = api.pull_all(user)
    entity_grids = {i["data"]["grid"] for i in items if i["type"] == "entity" and not i["deleted"]}
    assert entity_grids == {g for g in ALL_GRIDS if covers(user, g)}
    expected = {eid for eid, grid in pool.all.items() if covers(user, grid)}
    got = {i["id"] for i in items if i["type"] == "entity"}
    assert expected <= got
    assert all(covers(user, pool.all[e]) for e in got if e in pool.all)
    areas = {i["id"] for i in items if i["type"] == "area"}
    for code in areas:  # own areas, below them, or their ancestors; never a sibling
        assert any(code.startswith(r) or r.startswith(code) for r in USERS[user]), (user, code)
    assert {i["type"] for i in items} >= {"entity", "template", "tag_catalogue", "codelist", "area", "assignment"}


@pytest.mark.parametrize("user", sorted(USERS))
def test_writes_outside_scope_are_rejected(api: Api, pool: Pool, user: str) -> None:
    for grid in ALL_GRIDS:
        if covers(user, grid):
            continue
        eid = pool.peek(grid)
        [res] = api.submit(user, submission(update(eid, 1, phone="13512345678")))
        assert res["outcome"] == "rejected", (user, grid)
        assert res["issues"][0]["kind"] == "unknown_entity"


@pytest.mark.parametrize("user", sorted(USERS))
def test_review_endpoints_are_for_reviewers_in_scope(api: Api, pool: Pool, user: str) -> None:
    # a worker of each street submits; then every user tries the review endpoints
    r = api.get("/review/queue", user, params={"status": "all"})
    if role_of(user) == "worker":
        assert r.status_code == 403
        assert r.json()["code"] == "forbidden"
        return
    assert r.status_code == 200
    for item in r.json()["items"]:
        assert covers(user, item["grid"])


def test_review_of_another_community_is_invisible(api: Api, pool: Pool) -> None:
    eid = pool.take(GRIDS[0])
    rev = api.get(f"/entities/{eid}", "wg_qbm_1").json()["rev"]
    sub = submission(update(eid, rev, phone="13987654321"))
    [res] = api.submit("wg_qbm_1", sub)
    assert res["status"] == "pending_review"
    for user in ("sup_ldl", "admin2"):
        assert api.get(f"/review/{sub['id']}", user).status_code == 404
        d = api.post(f"/review/{sub['id']}/decision", user, json={"decision": "approve"})
        assert d.status_code == 404
        queue = api.get("/review/queue", user).json()["items"]
        assert sub["id"] not in [i["submission_id"] for i in queue]
    for user in ("wg_qbm_1", "wg_qbm_2"):
        assert api.post(f"/review/{sub['id']}/decision", user, json={"decision": "approve"}).status_code == 403
    assert api.get(f"/review/{sub['id']}", "sup_qbm").status_code == 200
    assert api.get(f"/review/{sub['id']}", "admin").status_code == 200


@pytest.mark.parametrize("user", sorted(USERS))
def test_only_admins_publish_templates_and_manage_users(api: Api, user: str) -> None:
    files = {"file": ("x.xlsx", b"not a workbook", "application/octet-stream")}
    publish = api.post("/templates", user, files=files)
    users = api.get("/users", user)
    create = api.post("/users", user, json={"username": f"new_{user}", "display_name": "新用户", "role": "worker",
                                            "password": "longenough1", "areas": [GRIDS[0]]})
    area = api.post("/areas", user, json={"code": "330102001001009", "name": "第九网格", "level": "grid",
                                          "parent": "330102001001"})
    if role_of(user) != "admin":
        for r in (publish, users, create, area):
            assert r.status_code == 403, (user, r.request.url, r.text)
        return
    assert publish.status_code == 422 and publish.json()["code"] == "template_invalid"
    assert users.status_code == 200
    names = {u["username"] for u in users.json()["items"]}
    if user == "admin":
        assert {"wg_qbm_1", "sup_ldl"} <= names and "wg_other" not in names
        assert create.status_code == 201
    else:  # admin2 manages another street: street 1's grid is out of its scope
        assert names >= {"wg_other"} and "wg_qbm_1" not in names
        assert create.status_code == 403
        assert area.status_code == 403


def test_admin_of_one_street_cannot_touch_users_of_another(api: Api) -> None:
    target = next(u for u in api.get("/users", "admin").json()["items"] if u["username"] == "wg_qbm_2")
    r = api.patch(f"/users/{target['id']}", "admin2", json={"display_name": "改名"})
    assert r.status_code == 404


@pytest.mark.parametrize("user", sorted(USERS))
def test_stats_are_limited_to_the_callers_scope(api: Api, pool: Pool, user: str) -> None:
    own = api.get("/stats", user)
    assert own.status_code == 200
    expected_persons = sum(1 for e, g in pool.all.items() if covers(user, g)) > 0
    assert (own.json()["persons"] > 0) == expected_persons
    for grid in ALL_GRIDS:
        r = api.get("/stats", user, params={"area": grid})
        assert r.status_code == (200 if covers(user, grid) else 404), (user, grid)
