"""``GET /dashboard``: the figures of an area by child area, right after submissions, visits and review
decisions; a supervisor's scope; workers who have not synced; the maintained counts equal a recount."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from sync.server import counts
from sync.server import tables as t
from sync.server.config import ServerConfig
from sync.server.db import make_engine
from tests.server.conftest import BACKENDS, GRIDS, PASSWORD, Api, Pool, new_id, submission, update
from tests.server.live import fresh_database, prepare, start
from tests.server.test_cli import run_cli

STREET, QBM, LDL = "330102001", "330102001001", "330102001002"


@pytest.fixture(scope="module", params=BACKENDS)
def own(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Pool]]:
    """A platform of its own: the figures are exact, no other test moves them."""
    with fresh_database(request.param, str(tmp_path_factory.mktemp("dash"))) as url:
        prepare(url, demo_persons=240, password=PASSWORD)
        server = start(ServerConfig(db_url=url, fast_password_hash=True))
        api = Api(server)
        try:
            yield api, Pool(url)
        finally:
            api.http.close()
            server.stop()


def board(api: Api, user: str, **params: Any) -> dict[str, Any]:
    r = api.get("/dashboard", user, params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def row(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in body["rows"] if r["code"] == code)


def truth(api: Api, root: str) -> dict[str, int]:
    """Active persons and houses under ``root``, counted from the entities table itself."""
    engine = make_engine(api.live.db_url)
    e = t.entities
    with engine.connect() as conn:
        found = dict(conn.execute(sa.select(e.c.kind, sa.func.count()).where(
            e.c.grid.startswith(root), e.c.state == "active").group_by(e.c.kind)).all())
    engine.dispose()
    return {k: int(v) for k, v in found.items()}


def rev(api: Api, eid: str) -> int:
    return int(api.get(f"/entities/{eid}", "admin").json()["rev"])


def test_the_street_by_community_then_every_measure_moves_with_the_work(own: tuple[Api, Pool]) -> None:
    api, pool = own
    first = board(api, "admin")
    assert first["area"]["code"] == STREET and first["child_level"] == "area"
    assert [r["code"] for r in first["rows"]] == [QBM, LDL]
    assert [p["code"] for p in first["path"]] == [STREET]
    for code in (QBM, LDL):
        real = truth(api, code)
        assert (row(first, code)["persons"], row(first, code)["houses"]) == (real["person"], real["house"])
    assert first["totals"]["persons"] == truth(api, STREET)["person"]
    assert first["totals"]["backlog"] == first["totals"]["houses_visited"] == first["totals"]["invalid"] == 0
    assert first["totals"]["workers"] == 4 and first["totals"]["workers_stale"] == 4  # nobody synced yet

    # a 已核实 visit to a house of 清波门: a house visited and verified, its residents verified
    house = pool.take(GRIDS[0], "house")
    r = api.post("/visits", "wg_qbm_1", json={"visits": [{"id": new_id(), "house_id": house, "result": "已核实",
                                                          "date": datetime.now(UTC).date().isoformat()}]})
    assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "accepted", r.text
    seen = len(r.json()["results"][0]["visit"]["person_ids"])
    r = api.post("/visits", "wg_qbm_1", json={"visits": [{"id": new_id(), "house_id": pool.take(GRIDS[0], "house"),
                                                          "result": "无人在家",
                                                          "date": datetime.now(UTC).date().isoformat()}]})
    also = len(r.json()["results"][0]["visit"]["person_ids"])
    after = row(board(api, "admin"), QBM)
    assert (after["houses_visited"], after["houses_verified"], after["persons_verified"]) == (2, 1, seen)
    assert after["persons_visited"] == seen + also
    [mine] = board(api, "admin", area=GRIDS[0])["rows"]  # the worker who made the visits
    assert (mine["username"], mine["houses_visited"], mine["persons_verified"]) == ("wg_qbm_1", 2, seen)
    assert row(board(api, "admin"), LDL)["houses_visited"] == 0

    # a worker's edit waits for review: the backlog and its age
    eid = pool.take(GRIDS[0])
    sub = submission(update(eid, rev(api, eid), phone="13912345678"))
    assert api.submit("wg_qbm_1", sub)[0]["status"] == "pending_review"
    queued = row(board(api, "admin"), QBM)
    assert queued["backlog"] == 1 and queued["oldest_pending"] is not None and queued["backlog_age_days"] == 0
    # returned: out of the backlog, outstanding until resubmitted
    assert api.post(f"/review/{sub['id']}/decision", "sup_qbm", json={"decision": "return", "comment": "电话有误"}
                    ).status_code == 200
    sent_back = row(board(api, "admin"), QBM)
    assert (sent_back["backlog"], sent_back["returned"]) == (0, 1)
    again = {**submission(update(eid, rev(api, eid), phone="13912345679")), "resubmits": sub["id"]}
    assert api.submit("wg_qbm_1", again)[0]["status"] == "pending_review"
    resent = row(board(api, "admin"), QBM)
    assert (resent["backlog"], resent["returned"]) == (1, 0)
    assert api.post(f"/review/{again['id']}/decision", "sup_qbm", json={"decision": "approve"}).status_code == 200
    assert row(board(api, "admin"), QBM)["backlog"] == 0

    # rejected by the rules: a record with errors, until a valid version of it is accepted
    bad = pool.take(GRIDS[1])
    [res] = api.submit("wg_qbm_2", submission(update(bad, rev(api, bad), id_number="110105194912310021")))
    assert res["outcome"] == "rejected"
    grid_level = board(api, "sup_qbm")
    assert row(grid_level, GRIDS[1])["invalid"] == 1 and row(grid_level, GRIDS[0])["invalid"] == 0
    assert board(api, "admin")["totals"]["invalid"] == 1
    api.submit("wg_qbm_2", submission(update(bad, rev(api, bad), phone="13800001234")))
    assert row(board(api, "sup_qbm"), GRIDS[1])["invalid"] == 0

    # a move-out applied by the supervisor: one active person fewer, one moved out
    gone = pool.take(GRIDS[2])
    before = row(board(api, "admin"), LDL)
    [moved] = api.submit("sup_ldl", submission({**update(gone, rev(api, gone)), "state": "moved_out"}))
    assert moved["outcome"] == "accepted", moved
    later = row(board(api, "admin"), LDL)
    assert later["persons"] == before["persons"] - 1 == truth(api, LDL)["person"]
    assert later["persons_by_state"].get("moved_out", 0) == before["persons_by_state"].get("moved_out", 0) + 1


def test_last_sync_and_the_workers_who_have_not_synced(own: tuple[Api, Pool]) -> None:
    api, _pool = own
    api.pull_all("wg_ldl_1")
    body = board(api, "admin", stale_days=3)
    late = {w["username"] for w in body["stale_workers"]}
    assert "wg_ldl_1" not in late and {"wg_ldl_2"} <= late
    assert body["stale_total"] == len(body["stale_workers"]) == body["totals"]["workers_stale"]
    never = next(w for w in body["stale_workers"] if w["username"] == "wg_ldl_2")
    assert never == {"user_id": never["user_id"], "username": "wg_ldl_2", "display_name": "赵磊",
                     "grids": [GRIDS[3]], "last_sync_at": None, "days": None}
    grid = board(api, "admin", area=GRIDS[2])
    assert grid["child_level"] == "worker"
    [worker] = grid["rows"]
    assert worker["username"] == "wg_ldl_1" and worker["last_sync_at"] is not None and worker["workers_stale"] == 0
    assert [p["code"] for p in grid["path"]] == [STREET, LDL, GRIDS[2]]


def test_a_supervisor_sees_its_community_only(own: tuple[Api, Pool]) -> None:
    api, _pool = own
    mine = board(api, "sup_qbm")
    assert mine["area"]["code"] == QBM and [r["code"] for r in mine["rows"]] == GRIDS[:2]
    assert [p["code"] for p in mine["path"]] == [QBM]
    assert mine["totals"]["persons"] == truth(api, QBM)["person"]
    for outside in (LDL, STREET, GRIDS[2]):
        r = api.get("/dashboard", "sup_qbm", params={"area": outside})
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert api.get("/dashboard", "wg_qbm_1").status_code == 403
    bad = api.get("/dashboard", "admin", params={"area": "清波"})
    assert bad.status_code in (400, 422) and "area" in bad.text
    assert api.get("/dashboard", "admin", params={"stale_days": 0}).status_code in (400, 422)


def test_the_maintained_counts_equal_a_recount_after_the_work(own: tuple[Api, Pool]) -> None:
    api, pool = own
    # more mixed work: a supervisor's edit applied at once, a house moved between grids, a grid moved
    edited = pool.take(GRIDS[0])
    [applied] = api.submit("sup_qbm", submission(update(edited, rev(api, edited), phone="13700001111")))
    assert applied["outcome"] == "accepted" and applied["status"] == "applied", applied
    # a house moved to the other grid of the community: the counts move with it
    before = {r["code"]: r["houses"] for r in board(api, "sup_qbm")["rows"]}
    moving = pool.take(GRIDS[0], "house")
    [moved] = api.submit("sup_qbm", submission({**update(moving, rev(api, moving), kind="house"), "grid": GRIDS[1]}))
    assert moved["outcome"] == "accepted", moved
    after = {r["code"]: r["houses"] for r in board(api, "sup_qbm")["rows"]}
    assert (after[GRIDS[0]], after[GRIDS[1]]) == (before[GRIDS[0]] - 1, before[GRIDS[1]] + 1)
    # a whole grid moved to the other community (a new code, everything in it moves along)
    ldl_grid = row(board(api, "admin", area=LDL), GRIDS[3])
    qbm_before = board(api, "admin", area=QBM)["totals"]["persons"]
    r = api.post(f"/areas/{GRIDS[3]}/move", "admin", json={"parent": QBM})
    assert r.status_code == 200, r.text
    new_code = r.json()["area"]["code"]
    qbm = board(api, "admin", area=QBM)
    assert row(qbm, new_code)["persons"] == ldl_grid["persons"] > 0
    assert qbm["totals"]["persons"] == qbm_before + ldl_grid["persons"] == truth(api, QBM)["person"]
    assert GRIDS[3] not in {r["code"] for r in board(api, "admin", area=LDL)["rows"]}
    engine = make_engine(api.live.db_url)
    try:
        with engine.connect() as conn:
            assert counts.drift(conn) == {}
            assert counts.maintained(conn) == counts.recount(conn)
        with engine.begin() as conn:  # a count gone wrong (a bug, a manual edit) is found and rebuilt
            conn.execute(sa.update(t.area_counts).where(t.area_counts.c.grid == GRIDS[0]).values(n=t.area_counts.c.n + 7))
        with engine.connect() as conn:
            assert counts.drift(conn)
        assert run_cli("server", "recount", "--check", "--db", api.live.db_url) == 1
        assert run_cli("server", "recount", "--db", api.live.db_url) == 0
        with engine.connect() as conn:
            assert counts.drift(conn) == {}
    finally:
        engine.dispose()


def test_ybt_admin_dashboard_prints_the_same_figures(own: tuple[Api, Pool], monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import argparse
    import json

    from sync.client import admin

    api, _pool = own
    monkeypatch.setenv("YBT_PASSWORD", PASSWORD)

    def ybt(*argv: str) -> int:
        parser = argparse.ArgumentParser(prog="ybt")
        admin.register(parser.add_subparsers(dest="command"))
        args = parser.parse_args(list(argv))
        return int(args.handler(args))

    server = api.live.url
    assert ybt("admin", "dashboard", "--server", server, "--user", "admin", "--area", QBM, "--json") == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["rows"] == board(api, "admin", area=QBM)["rows"]
    assert ybt("admin", "dashboard", "--server", server, "--user", "admin") == 0
    text = capsys.readouterr().out
    assert "清波门社区" in text and "合计 total" in text and "未同步超过 3 天" in text
    assert ybt("admin", "dashboard", "--server", server, "--user", "sup_qbm", "--area", LDL) == 1  # not its area
    assert "未找到" in capsys.readouterr().err
